import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftScenario
import RouteShiftSimulation

extension JourneyInput {
    /// The journeys of a closure scenario (the files `simulate` reads), day by day from
    /// `startDay` for `days` days.
    ///
    /// - Network and cost model as `simulate` has them (the bundled network's calibrated cost
    ///   model when the scenario gives none); choice sets of the scenario's `assignment`
    ///   (logit over choice sets of distinct routes of size k; all-or-nothing is a set of one).
    /// - Demand: with `periods:`, each period's demand (observed, or the CSV rows of the period)
    ///   spread evenly over the period's days; without, the scenario's demand spread evenly over
    ///   the simulated days; by class of travellers under the entry rules, as `simulate` splits it. Day k of n gets round(F (k+1)/n) − round(F k/n) of a flow F, so the
    ///   days add up to round(F); divided by `peoplePerAgent` first.
    /// - Interventions: in force on the days of their `from`…`to` window (dates, or day numbers
    ///   counted from `startDay`); a capacity's `per_period` is people per calendar month.
    ///
    /// `startDay` and `days` default to the scenario's periods.
    /// - Throws: `InputError` (equilibrium or k-shortest assignment, no start or length, demand
    ///   or intervention errors with their file and line), missing-file errors.
    public static func scenario(_ scenario: Scenario, network: RouteNetwork? = nil, startDay: CalendarDay? = nil,
                                days: Int? = nil, peoplePerAgent: Int = 1, informationDelay: Int = 2,
                                observations: ObservationData? = nil) throws -> JourneyInput {
        let scenario = network == nil ? try CostModelFile.withDefaults(scenario) : scenario
        let network = try network ?? NetworkSource.load(scenario.network)
        let file = InputLocation(file: scenario.file)
        guard let start = startDay ?? scenario.periods?.firstDay else {
            throw InputError("no first day: give a start date, or 'periods:' in the scenario", at: file)
        }
        // The network as it stood on the first day (dated border attributes, `since`).
        let costed = try CostModel.apply(scenario.costModel, to: network, asOf: start.description)
        let resolver = ScenarioResolver(costed: costed)
        var method = InputLocation(file: scenario.file, path: "$.assignment.method")
        method.line = nil
        let settings = scenario.assignment
        let rule: ChoiceSetRule
        switch settings.method {
        case .allOrNothing:
            rule = settings.choiceSet.rule(size: 1)
        case .logit:
            guard settings.choiceSet.method != .kShortest else {
                throw InputError("people choose among sets of distinct routes; k-shortest sets are near-copies of one route",
                                 at: InputLocation(file: scenario.file, path: "$.assignment.choice_set.method"),
                                 suggestions: [ChoiceSetSettings.Method.corridors.rawValue])
            }
            rule = settings.choiceSet.rule(size: settings.k)
        case .equilibrium:
            throw InputError("the equilibrium assignment has no agent form: capacities are queues day by day; use method logit",
                             at: method, suggestions: [AssignmentSettings.Method.logit.rawValue])
        }
        let theta = scenario.costModel.theta ?? settings.theta

        guard let dayCount = days ?? scenario.periods.map({ $0.lastDay.ordinal - start.ordinal + 1 }), dayCount >= 1 else {
            throw InputError("no days to simulate: give a number of days, or 'periods:' covering the start date", at: file)
        }
        let scale = Double(max(peoplePerAgent, 1))

        // Departures.
        var departures = [[Departure]](repeating: [], count: dayCount)
        func spread(_ demand: [Demand], from first: Int, days n: Int) {
            for d in demand {
                let f = d.flow / scale
                for k in 0..<n {
                    let t = first + k
                    guard t >= 0, t < dayCount else { continue }
                    let people = Int((f * Double(k + 1) / Double(n)).rounded()) - Int((f * Double(k) / Double(n)).rounded())
                    if people > 0 {
                        departures[t].append(Departure(origin: d.origin, destination: d.destination, people: people, userClass: d.userClass))
                    }
                }
            }
        }
        if let range = scenario.periods {
            let end = start.adding(days: dayCount - 1)
            let periods = range.split(by: scenario.granularity ?? .month).filter { $0.lastDay >= start && $0.firstDay <= end }
            guard !periods.isEmpty else {
                throw InputError("the simulated days \(start)…\(end) overlap no period of \(range)",
                                 at: scenario.periodsLocation ?? InputLocation(file: scenario.file, path: "$.periods"))
            }
            let data = try Simulation.record(for: scenario, given: observations, comparing: false)
            let (_, demand) = try Simulation.periodDemand(scenario: scenario, network: network, periods: periods, range: range,
                                                          data: data, resolver: resolver)
            for (p, d) in zip(periods, demand) { spread(d, from: p.firstDay.ordinal - start.ordinal, days: p.days) }
        } else {
            spread(try resolver.resolveDemand(scenario), from: 0, days: dayCount)
        }

        // Network states: the interventions in force on each day, from `informationDelay` days before the start.
        func offset(_ d: ScenarioDay?) -> Int? {
            switch d {
            case nil: return nil
            case .day(let n)?: return n
            case .date(let y, let m, let dd)?: return CalendarDay(year: y, month: m, day: dd).ordinal - start.ordinal
            }
        }
        let windows = scenario.interventions.map { (offset($0.window.from), offset($0.window.to)) }
        let first = -max(informationDelay, 0)
        var stateOfMask: [[Bool]: Int] = [:]
        var masks: [[Bool]] = []
        var stateOf: [Int] = []
        for t in first..<dayCount {
            let mask = windows.map { w in (w.0.map { $0 <= t } ?? true) && (w.1.map { t <= $0 } ?? true) }
            if let s = stateOfMask[mask] { stateOf.append(s); continue }
            stateOfMask[mask] = masks.count
            stateOf.append(masks.count)
            masks.append(mask)
        }
        var states: [JourneyNetworkState] = []
        let graph = costed.graph
        for mask in masks {
            var s = scenario
            s.demand = .inline([])
            s.interventions = zip(scenario.interventions, mask).filter { $0.1 }.map { $0.0 }
            let resolved = try resolver.resolve(s)
            var detection: [Int32: Double] = [:]
            for i in s.interventions {
                guard case .surveillance(_, let p?) = i.action else { continue }
                for (target, location) in zip(i.targets, i.targetLocations) {
                    for row in try resolver.rows(of: target, location: location) {
                        let forward = graph.edgeForwardArc[row], backward = graph.edgeBackwardArc[row]
                        if i.direction != .backward, forward >= 0 { detection[forward] = p }
                        if i.direction != .forward, backward >= 0 { detection[backward] = p }
                    }
                }
            }
            states.append(JourneyNetworkState(overlay: resolved.overlay, detection: detection, capacities: resolved.capacities))
        }
        let table = stateOf
        var input = JourneyInput(costed: costed, rule: rule, theta: theta, startDay: start, days: dayCount,
                                 departures: departures, states: states,
                                 stateOfDay: { t in table[min(max(t - first, 0), table.count - 1)] })
        input.capacityPerMonth = true
        input.outsideOption = scenario.costModel.outsideOption.map(OutsideOption.init(margin:))
        return input
    }
}
