import Foundation
import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftSimulation

extension Simulation {
    /// Runs `scenario` period by period over its `periods` (cut by `granularity`, month
    /// by default): each period with its own demand and the interventions in force on
    /// its days, the baseline of each period without interventions.
    ///
    /// Demand of a period: `demand: observed` builds it from the record
    /// (`ObservedDemand`); a CSV with a `period` column gives each period its rows (a
    /// row of a period not simulated, or a simulated period without rows, is an
    /// error); any other demand is the same in every period.
    ///
    /// - Throws: `InputError` for a window written in day numbers, a window that
    ///   overlaps no simulated period, periods outside the data, an empty period, a
    ///   demand `period` that is not simulated; `MissingScenarioInput`,
    ///   `NetworkNotFound`, `ObservationDataNotFound` for missing files.
    /// - Complexity: one assignment per combination of interventions in force (see
    ///   `PeriodSimulation`), plus O(days × interventions) to find them.
    public static func runPeriods(scenario: Scenario, network: RouteNetwork? = nil, observations: ObservationData? = nil,
                                  workers: Int? = nil, incremental: Bool = true) throws -> PeriodRun {
        guard let range = scenario.periods else {
            throw InputError("no periods to run: write 'periods: 2015-07:2016-06' in the scenario", at: InputLocation(file: scenario.file))
        }
        // As in `run(scenario:)`: the calibrated cost model belongs to the bundled network,
        // so only a run that loads it here uses it.
        let scenario = network == nil ? try CostModelFile.withDefaults(scenario) : scenario
        let network = try network ?? NetworkSource.load(scenario.network)
        let periods = range.split(by: scenario.granularity ?? .month)
        let data = try record(for: scenario, given: observations, workers: workers)
        let costed = try ScenarioResolver.costed(scenario, network: network)
        let resolver = ScenarioResolver(costed: costed)

        let (observedDemand, demand) = try periodDemand(scenario: scenario, network: network, periods: periods, range: range,
                                                        data: data, resolver: resolver, workers: workers)
        for (p, d) in zip(periods, demand) where d.reduce(0, { $0 + $1.flow }) <= 0 {
            throw InputError("period \(p) has no demand", at: scenario.periodsLocation ?? InputLocation(file: scenario.file, path: "$.periods"))
        }

        // Windows as calendar days; each must touch the simulated range.
        let whole = Period(first: periods.first!.first, last: periods.last!.last)
        var windows: [(from: CalendarDay?, to: CalendarDay?)] = []
        for i in scenario.interventions {
            let w = try i.calendarWindow()
            if whole.overlapDays(from: w.0, to: w.1) == 0 {
                let text = "\(w.0.map(\.description) ?? "…")…\(w.1.map(\.description) ?? "…")"
                throw InputError("the window \(text) overlaps no simulated period (\(whole.firstDay)…\(whole.lastDay))", at: i.location,
                                 suggestions: [whole.description])
            }
            windows.append(w)
        }

        // The network of each day: the state of its dated attributes and entry rules
        // (`NetworkTimeline`), or the scenario's own day (`on:`) for the whole range.
        let timeline = scenario.asOf == nil ? NetworkTimeline(network: network, from: whole.firstDay, through: whole.lastDay)
            : NetworkTimeline(single: whole.firstDay)
        var resolvers: [ScenarioResolver?] = Array(repeating: nil, count: timeline.starts.count)
        resolvers[0] = resolver
        func networkResolver(_ n: Int) throws -> ScenarioResolver {
            if let r = resolvers[n] { return r }
            var s = scenario
            s.asOf = timeline.starts[n].description
            let r = ScenarioResolver(costed: try ScenarioResolver.costed(s, network: network), sharingReferencesOf: resolver)
            resolvers[n] = r
            return r
        }

        // States: the network and the set of interventions in force, per day; state 0 = the
        // first day's network without interventions, and each network's baseline is its state
        // without interventions.
        struct StateKey: Hashable { var network: Int; var mask: [Bool] }
        let none = Array(repeating: false, count: windows.count)
        var stateOf: [StateKey: Int] = [StateKey(network: 0, mask: none): 0]
        var keys: [StateKey] = [StateKey(network: 0, mask: none)]
        func state(_ key: StateKey) -> Int {
            if let known = stateOf[key] { return known }
            if key.mask != none { _ = state(StateKey(network: key.network, mask: none)) }
            stateOf[key] = keys.count; keys.append(key)
            return keys.count - 1
        }
        var inputs: [PeriodInput] = []
        var shares: [[Double]] = []
        for (p, d) in zip(periods, demand) {
            var days: [Int: Int] = [:]
            for segment in timeline.segments(of: p, windows: windows) {
                days[state(StateKey(network: segment.network, mask: segment.inForce)), default: 0] += segment.days
            }
            inputs.append(PeriodInput(period: p, demand: d, stateShares: days.mapValues { Double($0) / Double(p.days) }))
            shares.append(windows.map { Double(p.overlapDays(from: $0.from, to: $0.to)) / Double(p.days) })
        }
        var states: [ResolvedScenario] = []
        for key in keys {
            var s = scenario
            s.demand = .inline([])
            s.interventions = zip(scenario.interventions, key.mask).filter { $0.1 }.map { $0.0 }
            states.append(try networkResolver(key.network).resolve(s))
        }
        let baselines = keys.map { stateOf[StateKey(network: $0.network, mask: none)]! }
        let report = try ScenarioResolver.reportingAtScenarioKeys(scenario) {
            try PeriodSimulation.run(states: states, baselines: baselines, periods: inputs, workers: workers, incremental: incremental)
        }
        let observed = periods.map { p -> [FrontexRoute: Int]? in
            guard let data, let c = data.frontex.coverage, c.contains(p.first), c.contains(p.last) else { return nil }
            return data.frontex.totals(in: p)
        }
        let routeMap = FrontexRouteMap.build(network: network)
        var risks: [[Int: Double]] = []
        if let data {
            let locator = try IncidentLocator(network: network, routeMap: routeMap)
            // A route with a single sea leg: that leg's crossings are the route's recorded sea detections.
            var singleLeg: [Int: FrontexRoute] = [:]
            for r in routeMap.routes {
                let legs = routeMap.crossings(of: r).filter { $0.type == .sea }
                if legs.count == 1 { singleLeg[legs[0].row] = r }
            }
            for p in report.periods {
                let flows = p.report.baseline.edgeFlows
                var seaDetections: [FrontexRoute: Int] = [:]
                if !singleLeg.isEmpty, let c = data.frontex.coverage, c.contains(p.period.first), c.contains(p.period.last) {
                    for m in p.period.months { for r in data.frontex.rows(in: m) where r.type == .sea { seaDetections[r.route, default: 0] += r.detections } }
                }
                risks.append(try locator.locate(data.incidents, period: p.period).riskPer1000 { row in
                    if let r = singleLeg[row], let n = seaDetections[r] { return Double(n) }
                    return flows[row]
                })
            }
        }
        return PeriodRun(scenario: scenario, report: report, demand: observedDemand, routeMap: routeMap,
                         observed: observed, interventionShares: shares, observedRisk: risks)
    }
    /// The demand of each period (see `runPeriods`) as node ids, and the observed demand when it was built;
    /// observed demand is built and resolved on `workers` threads (`nil`: all processors).
    public static func periodDemand(scenario: Scenario, network: RouteNetwork, periods: [Period], range: Period,
                                    data: ObservationData?, resolver: ScenarioResolver,
                                    workers: Int? = nil) throws -> (ObservedDemand?, [[Demand]]) {
        var observedDemand: ObservedDemand?
        var demand: [[Demand]] = []
        switch scenario.demand {
        case .observed(let line):
            do {
                observedDemand = try ObservedDemand.build(periods: periods, data: data!, network: network, workers: workers)
            } catch var error as InputError {
                error.location = scenario.periodsLocation ?? InputLocation(file: scenario.file, line: line, path: "$.periods")
                throw error
            }
            var rows: [Period: [DemandEntry]] = [:]
            for r in observedDemand!.rows {
                rows[r.period, default: []].append(DemandEntry(origin: r.originHub, destination: r.destinationHub, flow: r.flow,
                                                                nationality: r.nationality))
            }
            // Periods resolved side by side, in order (an error is that of the first bad period).
            let byPeriod = periods.map { rows[$0] ?? [] }
            demand = try Parallel.map(count: periods.count, workers: workers ?? Parallel.defaultWorkers,
                                      state: {}) { _, i throws(any Error) in
                try resolver.resolve(byPeriod[i], context: " (observed demand)")
            }
        case .csv(let path, _):
            let entries = try ScenarioResolver.readDemandCSV(path: path)
            if entries.contains(where: { $0.period != nil }) {
                let labels = periods.map(\.description)
                var byPeriod: [Period: [DemandEntry]] = [:]
                for e in entries {
                    let text = e.period ?? ""
                    let at = InputLocation(file: e.location.file, line: e.location.line, path: "period")
                    guard let p = try? Period.parse(text, at: at), periods.contains(p) else {
                        throw InputError("demand period '\(text.prefix(40))' is not one of the simulated periods (\(range) by \((scenario.granularity ?? .month).rawValue))",
                                         at: at, suggestions: NearestMatch.suggestions(for: text, among: labels))
                    }
                    byPeriod[p, default: []].append(e)
                }
                for p in periods {
                    guard let rows = byPeriod[p], !rows.isEmpty else {
                        throw InputError("the demand has no rows for period \(p)", at: InputLocation(file: path, path: "period"))
                    }
                    demand.append(try resolver.resolve(rows))
                }
            } else {
                let d = try resolver.resolveDemand(scenario)
                demand = Array(repeating: d, count: periods.count)
            }
        case .inline:
            let d = try resolver.resolveDemand(scenario)
            demand = Array(repeating: d, count: periods.count)
        }
        return (observedDemand, demand)
    }

    /// The observation tables a period run of `scenario` reads: `given`, else the default
    /// directory's. Observed demand needs them (a missing or bad table is an error); any other
    /// demand only compares with them (`comparing`), and runs without them when they cannot be
    /// read; a run that does not compare (journeys) reads them for observed demand only.
    public static func record(for scenario: Scenario, given: ObservationData?, workers: Int? = nil,
                              comparing: Bool = true) throws -> ObservationData? {
        if let given { return given }
        if case .observed = scenario.demand { return try ObservationData.load(workers: workers) }
        return comparing ? try? ObservationData.load(workers: workers) : nil
    }

    /// The demand of the whole range `scenario.periods` (the periods' demands added),
    /// for a sweep over the range.
    public static func rangeDemand(scenario: Scenario, costed: CostedNetwork, observations: ObservationData? = nil) throws -> [Demand] {
        guard let range = scenario.periods else { return try ScenarioResolver(costed: costed).resolveDemand(scenario) }
        let data = try record(for: scenario, given: observations)
        let periods = range.split(by: scenario.granularity ?? .month)
        let (_, demand) = try periodDemand(scenario: scenario, network: costed.network, periods: periods, range: range,
                                           data: data, resolver: ScenarioResolver(costed: costed))
        var index: [ODPair: Int] = [:]
        var out: [Demand] = []
        for d in demand.joined() {
            if let i = index[ODPair(d)] { out[i].flow += d.flow; continue }
            index[ODPair(d)] = out.count
            out.append(d)
        }
        return out
    }
}
