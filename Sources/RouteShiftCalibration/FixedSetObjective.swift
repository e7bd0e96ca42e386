import Dispatch
import Foundation
import RouteShiftCore
import RouteShiftSimulation

/// The fit of some periods on fixed choice sets at any parameter point: what one
/// evaluation of the calibration's objective computes. The sets of the network states the
/// periods use are pooled (`PooledChoiceSets`: each distinct logit once, however many
/// classes of travellers and states share it) and each period's demand is resolved against
/// them once (`PooledDemand`), so an evaluation is the logit of the distinct sets, then per
/// period one multiply-add per counted crossing of an alternative. The figures are those of
/// `FixedSetLogit.crossings` on each period's sets, to the last digit.
public struct FixedSetObjective: Sendable {
    public let periods: [CalibrationPeriod]
    /// Network state of each period: its sets are `pool.members[stateOfPeriod[i]]`.
    public let stateOfPeriod: [Int]
    public let pool: PooledChoiceSets
    /// Observed route names, the counters of the sets' crossings.
    public let routes: [String]
    let demand: [PooledDemand]
    let observed: [[Double]]
    let workers: Int

    /// - Parameters:
    ///   - sets: the choice sets of each network state (nil: not used by any period).
    ///   - stateOfPeriod: each period's index into `sets`.
    /// - Complexity: O(Σ sets' alternatives) to pool them, O(Σ periods' demand × alternatives × counts) to resolve the demand.
    public init(periods: [CalibrationPeriod], stateOfPeriod: [Int], sets: [FixedChoiceSets?], routes: [String],
                workers: Int = Assignment.defaultWorkers) {
        precondition(periods.count == stateOfPeriod.count && stateOfPeriod.allSatisfy { sets[$0] != nil })
        let used = Set(stateOfPeriod)
        let pool = PooledChoiceSets(sets.indices.map { used.contains($0) ? sets[$0] : nil })
        self.periods = periods; self.stateOfPeriod = stateOfPeriod; self.pool = pool; self.routes = routes
        self.workers = workers
        demand = Parallel.map(count: periods.count, workers: workers, state: {}) { _, i in
            PooledDemand(periods[i].demand, member: stateOfPeriod[i], pool: pool, counters: routes.count)
        }
        observed = periods.map { p in routes.map { p.observed[$0] ?? 0 } }
    }

    /// Each period's fit at `parameters` (θ `theta`, the outside option if the parameters
    /// have one); with `totals` false, `assigned` and `suppressed` are left at 0.
    /// The distinct sets' logits are computed in `workers` blocks, the periods four at a time
    /// side by side into fixed slots: the figures do not depend on the number of threads.
    /// - Complexity: O(distinct alternatives × features + Σ periods' terms).
    public func fits(_ parameters: CostModel.Parameters, theta: Double, totals: Bool = true) -> [PeriodFit] {
        let shares = pool.shares(parameters: parameters, theta: theta,
                                 outsideOption: parameters.outsideOption.map(OutsideOption.init(margin:)), workers: workers)
        // Four consecutive periods (mostly of one network state, so of similar length) per batch.
        let batches = (periods.count + 3) / 4
        let counts = Parallel.map(count: batches, workers: max(1, min(workers, batches)), state: {}) { _, b in
            PooledDemand.counts(of: Array(demand[(4 * b)..<min(4 * b + 4, periods.count)]), shares)
        }.flatMap { $0 }
        return periods.indices.map { i in
            let r = totals ? demand[i].totals(shares) : (assigned: 0, stranded: demand[i].stranded, suppressed: 0)
            var routes: [RouteFit] = [], misfit = 0.0, observed = 0.0
            for (j, name) in self.routes.enumerated() {
                let o = self.observed[i][j]
                routes.append(RouteFit(route: name, modelled: counts[i][j], observed: o))
                misfit += abs(counts[i][j] - o); observed += o
            }
            return PeriodFit(period: periods[i].period, set: periods[i].set,
                             ard: observed > 0 ? misfit / observed : (misfit > 0 ? 1 : 0),
                             routes: routes, demand: demand[i].total, assigned: r.assigned,
                             stranded: r.stranded, suppressed: r.suppressed)
        }
    }

    /// Mean route ARD over the periods.
    public func meanARD(_ parameters: CostModel.Parameters, theta: Double) -> Double {
        fits(parameters, theta: theta, totals: false).reduce(0) { $0 + $1.ard } / Double(periods.count)
    }

    /// What the optimiser minimises: the mean over periods of the pseudo-Huber ARD, |e|
    /// replaced by √(e² + δ²) − δ with δ = 0.1 % of the period's mean route total, so the
    /// quadratic models of BOBYQA/COBYLA see a smooth minimum where the residuals cross
    /// zero; equal to the ARD to within 0.1 % per route.
    public func value(_ parameters: CostModel.Parameters, theta: Double) -> Double {
        var total = 0.0
        for f in fits(parameters, theta: theta, totals: false) {
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
