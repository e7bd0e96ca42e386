import Dispatch
import Foundation
import RouteShiftCore
import RouteShiftNetwork
import RouteShiftSimulation

/// The fit of some periods on fixed choice sets at any parameter point: what one
/// evaluation of the calibration's objective computes. The sets of the network states the
/// periods use are pooled (`PooledChoiceSets`: each distinct logit once, however many
/// classes of travellers and states share it) and each period's demand is resolved against
/// them once (`PooledDemand`), so an evaluation is the logit of the distinct sets, then per
/// period one multiply-add per counted crossing of an alternative. A period whose days see
/// several network states (a fence from the 15th) is the sum of its parts, each its share of
/// the demand on its state's sets, as `simulate --periods` splits it. The figures are those of
/// `FixedSetLogit.crossings` on each part's sets (with its share of the demand), added part by
/// part, to the last digit.
public struct FixedSetObjective: Sendable {
    /// Days of a period on one network state: its sets are `pool.members[state]`, and `share`
    /// of the period's demand travels on them (days ÷ days of the period).
    public struct Part: Hashable, Sendable {
        public var state: Int
        public var share: Double
        public init(state: Int, share: Double) { self.state = state; self.share = share }
    }

    public let periods: [CalibrationPeriod]
    /// Parts of each period, in order of their first day; the shares of a period add up to 1.
    public let parts: [[Part]]
    public let pool: PooledChoiceSets
    /// Observed route names, the counters of the sets' crossings.
    public let routes: [String]
    /// The parts' demand (each part's share of its period's), period by period: period i's
    /// parts are `demand[partFirst[i]..<partFirst[i + 1]]`.
    let demand: [PooledDemand]
    let partFirst: [Int]
    /// Each period's demand, summed in entry order.
    let total: [Double]
    let observed: [[Double]]
    let workers: Int
    /// Whether the sets' counters hold, after the routes, the crossings of each route's checked
    /// land borders by surveillance level (`redetectionCounters`), so that failed attempts count.
    public let countsRedetections: Bool

    /// Each period on the sets of one network state (`stateOfPeriod[i]`, all its days).
    public init(periods: [CalibrationPeriod], stateOfPeriod: [Int], sets: [FixedChoiceSets?], routes: [String],
                workers: Int = Assignment.defaultWorkers, redetections: Bool = false) {
        self.init(periods: periods, parts: stateOfPeriod.map { [Part(state: $0, share: 1)] }, sets: sets, routes: routes,
                  workers: workers, redetections: redetections)
    }

    /// - Parameters:
    ///   - sets: the choice sets of each network state (nil: not used by any period).
    ///   - parts: each period's parts, indices into `sets` with their shares of the period.
    ///   - redetections: whether `sets` were counted with `redetectionCounters` (see `fits`).
    /// - Complexity: O(Σ sets' alternatives) to pool them, O(Σ parts' demand × alternatives × counts) to resolve the demand.
    public init(periods: [CalibrationPeriod], parts: [[Part]], sets: [FixedChoiceSets?], routes: [String],
                workers: Int = Assignment.defaultWorkers, redetections: Bool = false) {
        precondition(periods.count == parts.count && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { sets[$0.state] != nil } })
        let used = Set(parts.joined().map(\.state))
        let pool = PooledChoiceSets(sets.indices.map { used.contains($0) ? sets[$0] : nil })
        self.periods = periods; self.parts = parts; self.pool = pool; self.routes = routes
        self.workers = workers
        countsRedetections = redetections
        let counters = redetections ? routes.count * (1 + Self.levels.count) : routes.count
        var flat: [(period: Int, part: Part)] = [], first = [0]
        for (i, list) in parts.enumerated() {
            for part in list { flat.append((i, part)) }
            first.append(flat.count)
        }
        partFirst = first
        let all = flat
        demand = Parallel.map(count: all.count, workers: workers, state: {}) { _, k in
            let (i, part) = all[k]
            let d = part.share == 1 ? periods[i].demand : periods[i].demand.map {
                Demand(origin: $0.origin, destination: $0.destination, flow: $0.flow * part.share, userClass: $0.userClass)
            }
            return PooledDemand(d, member: part.state, pool: pool, counters: counters)
        }
        total = periods.map { $0.demand.reduce(0) { $0 + $1.flow } }
        observed = periods.map { p in routes.map { p.observed[$0] ?? 0 } }
    }

    /// Surveillance levels of the redetection counters.
    static let levels = Surveillance.levels

    /// The counters of a network state when failed attempts count: `counter`'s routes
    /// (indices below `routes`), and for a crossing of a checked land border (`border`, at one
    /// of `levels`) also `routes + route × levels + level` for each of its routes.
    /// - Complexity: O(E) to build; each call O(routes named).
    public static func redetectionCounters(_ costed: CostedNetwork, routes: Int,
                                           counter: @escaping @Sendable (Int, Bool) -> [Int])
        -> @Sendable (Int, Bool) -> [Int] {
        let level: [Int?] = costed.attributes.map { a in
            guard a.kind == .border, a.checked, let s = a.surveillance else { return nil }
            return levels.firstIndex(of: s)
        }
        return { row, forward in
            let base = counter(row, forward)
            guard !base.isEmpty, let l = level[row] else { return base }
            return base + base.filter { $0 < routes }.map { routes + $0 * levels.count + l }
        }
    }

    /// Each period's fit at `parameters` (θ `theta`, the outside option if the parameters
    /// have one); with `totals` false, `assigned` and `suppressed` are left at 0.
    ///
    /// Modelled detections of a route: its crossings, plus, when the sets count redetections,
    /// `redetectionShare` × the expected failed attempts at its checked land borders,
    /// Σ_level crossings × p/(1 − p) with p the level's detection probability (the cost model's
    /// geometric attempts, `CostModel`). Frontex counts detections, not persons: a person
    /// detected after crossing a land border and returned (Hungary's escorts back to the fence,
    /// Croatia's returns to Bosnia) is counted again at the next attempt; failed attempts at sea
    /// are interceptions by the departure state's coast guard (Libya, Morocco, Turkey), which
    /// Frontex does not count; national "prevented attempts" at a fence are not detections
    /// either: hence a share, fitted.
    /// The distinct sets' logits are computed in `workers` blocks, the periods four at a time
    /// side by side into fixed slots: the figures do not depend on the number of threads.
    /// - Complexity: O(distinct alternatives × features + Σ periods' terms).
    public func fits(_ parameters: CostModel.Parameters, theta: Double, totals: Bool = true,
                     redetectionShare: Double = 0) -> [PeriodFit] {
        let shares = pool.shares(parameters: parameters, theta: theta,
                                 outsideOption: parameters.outsideOption.map(OutsideOption.init(margin:)), workers: workers)
        // Four consecutive parts (mostly of one network state, so of similar length) per batch.
        let batches = (demand.count + 3) / 4
        let partCounts = Parallel.map(count: batches, workers: max(1, min(workers, batches)), state: {}) { _, b in
            PooledDemand.counts(of: Array(demand[(4 * b)..<min(4 * b + 4, demand.count)]), shares)
        }.flatMap { $0 }
        let R = routes.count
        let failed = Self.levels.map { redetectionShare * CostModel.detectionOdds(parameters.detectionProbability[$0] ?? 0) }
        return periods.indices.map { i in
            // A period is the sum of its parts, in order (a period of one part is that part).
            let range = partFirst[i]..<partFirst[i + 1]
            var counts = partCounts[range.lowerBound]
            var r = totals ? demand[range.lowerBound].totals(shares)
                : (assigned: 0, stranded: demand[range.lowerBound].stranded, suppressed: 0)
            for k in range.dropFirst() {
                for c in counts.indices { counts[c] += partCounts[k][c] }
                let t = totals ? demand[k].totals(shares) : (assigned: 0, stranded: demand[k].stranded, suppressed: 0)
                r.assigned += t.assigned; r.stranded += t.stranded; r.suppressed += t.suppressed
            }
            var routes: [RouteFit] = [], misfit = 0.0, observed = 0.0
            for (j, name) in self.routes.enumerated() {
                let o = self.observed[i][j]
                var m = counts[j]
                if countsRedetections {
                    for l in failed.indices { m += failed[l] * counts[R + j * failed.count + l] }
                }
                routes.append(RouteFit(route: name, modelled: m, observed: o))
                misfit += abs(m - o); observed += o
            }
            return PeriodFit(period: periods[i].period, set: periods[i].set,
                             ard: observed > 0 ? misfit / observed : (misfit > 0 ? 1 : 0),
                             routes: routes, demand: total[i], assigned: r.assigned,
                             stranded: r.stranded, suppressed: r.suppressed)
        }
    }

    /// Mean route ARD over the periods.
    public func meanARD(_ parameters: CostModel.Parameters, theta: Double, redetectionShare: Double = 0) -> Double {
        fits(parameters, theta: theta, totals: false, redetectionShare: redetectionShare).reduce(0) { $0 + $1.ard }
            / Double(periods.count)
    }

    /// What the optimiser minimises: the mean over periods of the pseudo-Huber ARD, |e|
    /// replaced by √(e² + δ²) − δ with δ = 0.1 % of the period's mean route total, so the
    /// quadratic models of BOBYQA/COBYLA see a smooth minimum where the residuals cross
    /// zero; equal to the ARD to within 0.1 % per route.
    public func value(_ parameters: CostModel.Parameters, theta: Double, redetectionShare: Double = 0) -> Double {
        var total = 0.0
        for f in fits(parameters, theta: theta, totals: false, redetectionShare: redetectionShare) {
            let observed = f.routes.reduce(0) { $0 + $1.observed }
            guard observed > 0 else { total += f.ard; continue }
            let delta = 1e-3 * observed / Double(max(1, f.routes.count))
            var misfit = 0.0
            for r in f.routes {
                let e = r.modelled - r.observed
                misfit += (e * e + delta * delta).squareRoot() - delta
            }
            total += misfit / observed
        }
        return total / Double(periods.count)
    }

    /// Terms (counted crossings of alternatives × demand entries) one evaluation adds.
    public var terms: Int { demand.reduce(0) { $0 + $1.termCount } }
}
