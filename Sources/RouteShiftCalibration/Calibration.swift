import Dispatch
import Foundation
import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftOptimization
import RouteShiftSimulation

/// Modelled against recorded crossings of one route in one period.
public struct RouteFit: Hashable, Sendable {
    public var route: String
    public var modelled: Double
    public var observed: Double
}

/// One period's fit: ARD = Σ_routes |modelled − observed| / Σ_routes observed.
public struct PeriodFit: Hashable, Sendable {
    public var period: String
    public var set: CalibrationSet
    public var ard: Double
    public var routes: [RouteFit]
    public var demand: Double
    public var assigned: Double
    public var stranded: Double
    public var suppressed: Double
}

/// A calibrated parameter.
public struct FittedParameter: Hashable, Sendable {
    public var parameter: FreeParameter
    public var value: Double
    /// Whether the value sits on a bound (within 10⁻⁶ of the range).
    public var atBound: Bool
}

/// What `Calibration.run` found.
public struct CalibrationResult: Sendable {
    public var parameters: [FittedParameter]
    /// The cost model with the fitted values (θ and the outside option included when free).
    public var costModel: CostModel.Parameters
    public var theta: Double
    /// Per period, train and validate, by the model at the fitted parameters with choice sets found at them.
    public var periods: [PeriodFit]
    public var algorithm: OptimizationAlgorithm
    /// Status of the last round, evaluations and optimiser seconds over all rounds.
    public var status: OptimizationStatus
    public var evaluations: Int
    public var optimizerSeconds: Double
    /// Wall time including the choice-set searches.
    public var seconds: Double
    /// Mean train ARD at the start and at the end (the optimiser minimises its
    /// pseudo-Huber smoothing, within 0.1 % of it).
    public var startObjective: Double
    public var objective: Double
    /// Choice sets searched (OD pairs × network states), and the mean set size.
    public var pairs: Int
    public var meanChoiceSetSize: Double
    /// Mean seconds of one evaluation of the objective (every train period, fixed choice sets).
    public var secondsPerEvaluation: Double
    /// Choice sets searched over all rounds, and those taken over from the epoch before
    /// instead (see `FixedChoiceSets.build(reusing:)`).
    public var searchedSets: Int = 0
    public var reusedSets: Int = 0

    public func meanARD(_ set: CalibrationSet) -> Double? {
        let values = periods.filter { $0.set == set }.map(\.ard)
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}

/// Calibrates the cost model and θ against recorded crossings per route and period.
///
/// The objective is the mean over training periods of the route ARD,
/// Σ_r |m_r − o_r| / Σ_r o_r (smoothed as pseudo-Huber so the optimiser's
/// quadratic models see a smooth minimum), with m_r the modelled crossings counted where
/// `CalibrationProblem.counter` says (Frontex detections count entries at the
/// external border, so one journey may be counted on two routes, as Frontex
/// counts it). It is minimised by NLopt (BOBYQA or COBYLA) over the free
/// parameters scaled to [0, 1] by their bounds. Each round first finds every
/// OD pair's choice set at the current parameters (`FixedChoiceSets`), then
/// optimises the logit on those sets (no search per evaluation); the next round
/// starts from the result with sets found again. Each period is modelled on the network
/// as it stood on its `asOf` day (the dated attributes, `since`, of its borders: fences,
/// closures, Schengen membership), so the periods fall into a few network states, each
/// with its own choice sets. The reported fit is always
/// computed on sets found at the reported parameters, so it is the full model's.
public enum Calibration {
    /// - Throws: `InputError` for bad parameters or periods, `OptimizationError`, search errors.
    /// - Complexity: per round one choice-set search per OD pair of each training epoch whose
    ///   set its dated changes can touch (the others are taken over from the epoch before;
    ///   the validation epochs are searched after the last round only), then per evaluation
    ///   O(Σ_epochs sets × set size) for the logit of every set, and O(Σ_train demand ×
    ///   routes crossed) to add up the periods.
    public static func run(_ problem: CalibrationProblem,
                           progress: ((_ round: Int, _ evaluations: Int, _ best: Double) -> Void)? = nil) throws
        -> CalibrationResult {
        let started = DispatchTime.now().uptimeNanoseconds
        try CalibrationParameters.validate(problem.free)
        guard problem.periods.contains(where: { $0.set == .train }) else {
            throw InputError("no training period has observations", at: InputLocation(path: "train"))
        }
        guard problem.rounds >= 1, problem.maxEvaluations >= 1 else {
            throw InputError("rounds and max_evaluations must be at least 1", at: InputLocation(path: "optimizer"))
        }
        let free = problem.free
        // Periods that see the same network (the same dated changes still pending) share choice sets.
        var epochKeys: [[String]] = [], epochOf: [String: Int] = [:], epochDays: [String?] = []
        var epochPairs: [Set<ODPair>] = []
        for period in problem.periods {
            let key = CostModel.pendingChanges(in: problem.network, asOf: period.asOf)
            let e: Int
            if let i = epochKeys.firstIndex(of: key) { e = i } else {
                e = epochKeys.count; epochKeys.append(key); epochDays.append(period.asOf); epochPairs.append([])
            }
            epochOf[period.period] = e
            for d in period.demand { epochPairs[e].insert(ODPair(d)) }
        }
        let train = problem.periods.filter { $0.set == .train }

        @Sendable func parameters(_ x: [Double]) -> (CostModel.Parameters, Double) {
            var p = problem.base
            for (f, u) in zip(free, x) { CalibrationParameters.set(f.name, f.lower + u * (f.upper - f.lower), in: &p) }
            return (p, p.theta ?? problem.theta)
        }
        // Choice sets of the epochs `needed` at x, each epoch (in time order) taking over from the
        // one before it the sets its dated changes cannot touch (`FixedChoiceSets.build(reusing:)`).
        let trainEpochs = Set(problem.periods.filter { $0.set == .train }.map { epochOf[$0.period]! })
        var searchedSets = 0, reusedSets = 0
        func sets(at x: [Double], epochs needed: Set<Int>) throws -> [FixedChoiceSets?] {
            let (p, _) = parameters(x)
            var out: [FixedChoiceSets?] = Array(repeating: nil, count: epochDays.count)
            var previous: FixedChoiceSets?
            for e in epochDays.indices where needed.contains(e) {
                let costed = try CostModel.apply(p, to: problem.network, asOf: epochDays[e])
                let built = try FixedChoiceSets.build(costed: costed, pairs: Array(epochPairs[e]), rule: problem.choiceSet,
                                                      counter: problem.counter, workers: problem.workers, reusing: previous)
                searchedSets += built.pairs.count - built.reusedSets; reusedSets += built.reusedSets
                out[e] = built
                previous = built
            }
            return out
        }
        let epochIndex = epochOf
        // Everything of a period that does not depend on the parameters: its demand resolved
        // against its epoch's sets, its observed route totals.
        struct Prepared: Sendable {
            var period: CalibrationPeriod
            var epoch: Int
            var demand: SetDemand
            var observed: [Double]
        }
        func prepare(_ periods: [CalibrationPeriod], _ epochSets: [FixedChoiceSets?]) -> [Prepared] {
            periods.map { period in
                let e = epochIndex[period.period]!
                return Prepared(period: period, epoch: e, demand: SetDemand(period.demand, sets: epochSets[e]!),
                                observed: problem.routes.map { period.observed[$0] ?? 0 })
            }
        }
        @Sendable func fit(_ prepared: Prepared, _ unit: UnitCrossings) -> PeriodFit {
            var counts = [Double](repeating: 0, count: problem.routes.count)
            let r = unit.add(prepared.demand, into: &counts)
            var routes: [RouteFit] = [], misfit = 0.0, observed = 0.0
            for (i, name) in problem.routes.enumerated() {
                let o = prepared.observed[i]
                routes.append(RouteFit(route: name, modelled: counts[i], observed: o))
                misfit += abs(counts[i] - o); observed += o
            }
            return PeriodFit(period: prepared.period.period, set: prepared.period.set,
                             ard: observed > 0 ? misfit / observed : (misfit > 0 ? 1 : 0),
                             routes: routes, demand: prepared.demand.total, assigned: r.assigned,
                             stranded: r.stranded, suppressed: r.suppressed)
        }
        // The logit of every set of the epochs the periods use, once per evaluation (the
        // sets' blocks side by side), then the periods side by side into fixed slots, added in
        // period order: the value does not depend on the number of threads.
        func units(_ prepared: [Prepared], _ epochSets: [FixedChoiceSets?], _ x: [Double]) -> [UnitCrossings?] {
            let (p, theta) = parameters(x)
            let used = Set(prepared.map(\.epoch))
            return epochSets.indices.map { e in
                guard used.contains(e), let sets = epochSets[e] else { return nil }
                return FixedSetLogit.unitCrossings(sets: sets, parameters: p, theta: theta,
                                                   outsideOption: p.outsideOption.map(OutsideOption.init(margin:)),
                                                   workers: problem.workers)
            }
        }
        func fits(_ prepared: [Prepared], _ epochSets: [FixedChoiceSets?], _ x: [Double]) -> [PeriodFit] {
            let unit = units(prepared, epochSets, x)
            let slots = FitSlots(count: prepared.count)
            let threads = max(1, min(problem.workers, prepared.count))
            DispatchQueue.concurrentPerform(iterations: threads) { w in
                for i in stride(from: w, to: prepared.count, by: threads) { slots.set(i, fit(prepared[i], unit[prepared[i].epoch]!)) }
            }
            return slots.values
        }
        // Pseudo-Huber ARD: |e| replaced by √(e² + δ²) − δ with δ = 0.1 % of the period's mean
        // route total, so the quadratic models of BOBYQA/COBYLA see a smooth minimum where the
        // residuals cross zero; equal to the ARD to within 0.1 % per route.
        func objective(_ prepared: [Prepared], _ sets: [FixedChoiceSets?], _ x: [Double]) -> Double {
            var total = 0.0
            for f in fits(prepared, sets, x) {
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
            return total / Double(prepared.count)
        }

        func meanARD(_ prepared: [Prepared], _ sets: [FixedChoiceSets?], _ x: [Double]) -> Double {
            fits(prepared, sets, x).reduce(0) { $0 + $1.ard } / Double(prepared.count)
        }

        var x = free.map { f in f.upper > f.lower ? (f.start - f.lower) / (f.upper - f.lower) : 0 }
        // The optimisation needs the training epochs only; the others are searched once, at the end.
        var current = try sets(at: x, epochs: trainEpochs)
        var prepared = prepare(train, current)
        let startObjective = meanARD(prepared, current, x)
        var evaluations = 0, optimizerSeconds = 0.0, status = OptimizationStatus.success
        var evaluationSeconds = 0.0, timedEvaluations = 0
        for round in 1...problem.rounds {
            let fixed = current, fixedPrepared = prepared
            let result = try Optimizer.minimize(
                OptimizationProblem(start: x, lower: Array(repeating: 0, count: free.count),
                                    upper: Array(repeating: 1, count: free.count), algorithm: problem.algorithm,
                                    maxEvaluations: problem.maxEvaluations, parameterTolerance: problem.tolerance),
                objective: { point in
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let value = objective(fixedPrepared, fixed, point)
                    evaluationSeconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                    timedEvaluations += 1
                    return value
                },
                progress: { n, best in progress?(round, evaluations + n, best) })
            evaluations += result.evaluations
            optimizerSeconds += result.seconds
            status = result.status
            x = result.x
            current = try sets(at: x, epochs: round == problem.rounds ? Set(epochDays.indices) : trainEpochs)
            prepared = prepare(train, current)
        }
        let (p, theta) = parameters(x)
        let periods = fits(prepare(problem.periods, current), current, x)
        let fitted = zip(free, x).map { f, u in
            FittedParameter(parameter: f, value: f.lower + u * (f.upper - f.lower),
                            atBound: f.upper > f.lower && (u <= 1e-6 || u >= 1 - 1e-6))
        }
        let sizes = current.compactMap { $0 }.flatMap { $0.alternatives.map(\.count) }
        return CalibrationResult(
            parameters: fitted, costModel: p, theta: theta, periods: periods, algorithm: problem.algorithm,
            status: status, evaluations: evaluations, optimizerSeconds: optimizerSeconds,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9,
            startObjective: startObjective, objective: meanARD(prepared, current, x), pairs: sizes.count,
            meanChoiceSetSize: sizes.isEmpty ? 0 : Double(sizes.reduce(0, +)) / Double(sizes.count),
            secondsPerEvaluation: timedEvaluations > 0 ? evaluationSeconds / Double(timedEvaluations) : 0,
            searchedSets: searchedSets, reusedSets: reusedSets)
    }
}

/// One fit per period, each slot written by exactly one thread and read after all finished.
private final class FitSlots: @unchecked Sendable {
    private var storage: [PeriodFit?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ f: PeriodFit) { lock.lock(); storage[i] = f; lock.unlock() }
    var values: [PeriodFit] { storage.map { $0! } }
}
