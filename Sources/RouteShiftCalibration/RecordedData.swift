import RouteShiftCore
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftSimulation

/// The recorded data (`RouteShiftObservations`) in the form calibration and backtests read:
/// observed demand per month by node, Frontex detections per route, and which crossings
/// of the network count for which Frontex route (`FrontexRouteMap`, entering direction).
public enum RecordedData {
    /// Route names a crossing counts for: Frontex's route name, and the name with the
    /// crossing type (`Eastern Mediterranean Route/Sea`).
    public static func routeCounter(_ map: FrontexRouteMap, edgeCount: Int) -> @Sendable (Int, Bool) -> [String] {
        var forward = [[String]](repeating: [], count: edgeCount), backward = forward
        for c in map.crossings {
            let names = [c.route.rawValue, c.route.rawValue + "/" + c.type.rawValue]
            if c.entering == .forward { forward[c.row] += names } else { backward[c.row] += names }
        }
        let f = forward, b = backward
        return { row, isForward in isForward ? f[row] : b[row] }
    }

    /// Observed demand of each month by node id, the nationalities of a class of travellers
    /// under the network's entry rules (`EntryClasses`) summed per OD pair.
    /// - Throws: `InputError` from `ObservedDemand.build` (a month outside the data, an empty month).
    public static func monthlyDemand(_ months: [YearMonth], data: ObservationData, network: RouteNetwork) throws -> [YearMonth: [Demand]] {
        guard !months.isEmpty else { return [:] }
        let periods = months.map { Period(month: $0) }
        let built = try ObservedDemand.build(periods: periods, data: data, network: network)
        var byName: [String: Int64] = [:]
        for (id, name) in network.nodeNames { byName[name.lowercased()] = id }
        var sums: [YearMonth: [ODPair: Double]] = [:]
        for row in built.rows {
            guard let o = byName[row.originHub.lowercased()], let d = byName[row.destinationHub.lowercased()] else {
                throw InputError("observed demand names hub '\(row.originHub)' or '\(row.destinationHub)', not in the network",
                                 at: InputLocation(path: "demand"))
            }
            let m = row.period.first
            let userClass = network.entryClasses.userClass(of: row.nationality)
            sums[m, default: [:]][ODPair(origin: o, destination: d, userClass: userClass), default: 0] += row.flow
        }
        var out: [YearMonth: [Demand]] = [:]
        for m in months {
            out[m] = (sums[m] ?? [:]).sorted { $0.key < $1.key }.map { Demand(origin: $0.key.origin, destination: $0.key.destination, flow: $0.value, userClass: $0.key.userClass) }
        }
        return out
    }

    /// The calibration problem a configuration describes, on `network` and `data`.
    /// Routes are Frontex's (those the network has crossings of), observed values the detections per month.
    /// - Throws: `InputError` (exit 65) for a window with months outside the recorded data, naming the key.
    public static func problem(_ config: CalibrationConfig, network: RouteNetwork, data: ObservationData,
                               base: CostModel.Parameters = .init(), workers: Int = Assignment.defaultWorkers) throws
        -> CalibrationProblem {
        guard let coverage = data.frontex.coverage else {
            throw InputError("the Frontex detections are empty", at: InputLocation(file: data.directory))
        }
        let first = coverage.first, last = coverage.last
        for (key, range) in [("train", config.train), ("validate", config.validate)] {
            guard let range else { continue }
            if range.first < first || range.last > last {
                throw InputError("window \(range) has months without observations (Frontex data cover \(first):\(last))",
                                 at: config.locations[key] ?? InputLocation(file: config.file, path: "$.\(key)"),
                                 suggestions: ["\(max(range.first, first)):\(min(range.last, last))"])
            }
        }
        let map = FrontexRouteMap.build(network: network)
        let routes = map.routes
        let names = routes.map(\.rawValue)
        var forward = [[Int]](repeating: [], count: network.edgeCount), backward = forward
        for c in map.crossings {
            guard let i = routes.firstIndex(of: c.route) else { continue }
            if c.entering == .forward { forward[c.row].append(i) } else { backward[c.row].append(i) }
        }
        let f = forward, b = backward
        let trainMonths = config.train.months, validateMonths = config.validate?.months ?? []
        let demand = try monthlyDemand(trainMonths + validateMonths, data: data, network: network)
        var periods: [CalibrationPeriod] = []
        for (set, months) in [(CalibrationSet.train, trainMonths), (.validate, validateMonths)] {
            for m in months {
                let totals = data.frontex.totals(in: Period(month: YearMonth(year: m.year, month: m.month)))
                var observed: [String: Double] = [:]
                for r in routes { observed[r.rawValue] = Double(totals[r] ?? 0) }
                periods.append(CalibrationPeriod(period: m.description, set: set, demand: demand[m] ?? [], observed: observed,
                                                 days: Period(month: m)))
            }
        }
        return CalibrationProblem(network: network, base: base, theta: base.theta ?? AssignmentSettings().theta,
                                  free: config.free, periods: periods, routes: names,
                                  counter: { row, isForward in isForward ? f[row] : b[row] },
                                  choiceSet: config.choiceSet.rule(size: config.size), algorithm: config.algorithm,
                                  maxEvaluations: config.maxEvaluations, tolerance: config.tolerance, rounds: config.rounds,
                                  workers: workers)
    }
}
