import Dispatch
import Foundation
import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftObservations
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
    /// Rounds run (at most `CalibrationProblem.rounds`), and whether the last found the same
    /// training choice sets at its optimum as it optimised on (a fixed point of search and fit).
    public var rounds: Int = 0
    public var choiceSetsStable: Bool = false

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
/// starts from the result with sets found again, until `rounds` have run or a round's
/// optimiser converges (within its tolerance, not stopped by its evaluation budget) on
/// sets that the search at its optimum gives again: a fixed point of search and fit, as
/// column generation stops when no new column is priced in. Each day of a period is modelled on the
/// network as it stood that day (the dated attributes, `since`, of its borders: fences,
/// closures, Schengen membership; entry rules), the period's demand spread evenly over its
/// days as `simulate --periods` spreads it, so the periods fall into a few network states,
/// each with its own choice sets, and a month with a change inside it is the sum of its parts. The reported fit is always
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
        let states = NetworkStates(problem)
        let partsOf = states.parts, epochDays = states.days
        let train = problem.periods.filter { $0.set == .train }
        @Sendable func parameters(_ x: [Double]) -> (CostModel.Parameters, Double) { Calibration.parameters(x, problem) }
        // Choice sets of the epochs `needed` at x (the training epochs while optimising).
        let trainEpochs = Set(train.flatMap { partsOf[$0.period]!.map(\.state) })
        var searchedSets = 0, reusedSets = 0
        func sets(at x: [Double], epochs needed: Set<Int>, known: [FixedChoiceSets?] = []) throws -> [FixedChoiceSets?] {
            let out = try states.sets(at: parameters(x).0, needed: needed, known: known, problem)
            for (e, built) in out.enumerated() where !(e < known.count && known[e] != nil) {
                guard let built else { continue }
                searchedSets += built.pairs.count - built.reusedSets; reusedSets += built.reusedSets
            }
            return out
        }
        // Everything of the periods that does not depend on the parameters: their demand
        // resolved against their epochs' sets (pooled), their observed route totals.
        func prepare(_ periods: [CalibrationPeriod], _ epochSets: [FixedChoiceSets?]) -> FixedSetObjective {
            FixedSetObjective(periods: periods, parts: periods.map { partsOf[$0.period]! }, sets: epochSets,
                              routes: problem.routes, workers: problem.workers, redetections: problem.countsRedetections)
        }
        @Sendable func share(_ x: [Double]) -> Double { Calibration.redetectionShare(x, problem) }

        var x = Calibration.start(problem)
        // The optimisation needs the training epochs only; the others are searched once, at the end.
        var current = try sets(at: x, epochs: trainEpochs)
        var prepared = prepare(train, current)
        let startObjective = { let (p, theta) = parameters(x); return prepared.meanARD(p, theta: theta, redetectionShare: share(x)) }()
        var evaluations = 0, optimizerSeconds = 0.0, status = OptimizationStatus.success
        var evaluationSeconds = 0.0, timedEvaluations = 0
        var roundsRun = 0, stable = false
        for round in 1...problem.rounds {
            roundsRun = round
            let fixedPrepared = prepared, fixedSets = current
            let result = try Optimizer.minimize(
                OptimizationProblem(start: x, lower: Array(repeating: 0, count: free.count),
                                    upper: Array(repeating: 1, count: free.count), algorithm: problem.algorithm,
                                    maxEvaluations: problem.maxEvaluations, parameterTolerance: problem.tolerance),
                objective: { point in
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let (p, theta) = parameters(point)
                    let value = fixedPrepared.value(p, theta: theta, redetectionShare: share(point))
                    evaluationSeconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                    timedEvaluations += 1
                    return value
                },
                progress: { n, best in progress?(round, evaluations + n, best) })
            evaluations += result.evaluations
            optimizerSeconds += result.seconds
            status = result.status
            x = result.x
            // The training epochs' sets at the result; the other epochs are searched once, at the end.
            current = try sets(at: x, epochs: trainEpochs)
            prepared = prepare(train, current)
            stable = Calibration.sameSets(current, fixedSets, epochs: trainEpochs)
            // A fixed point ends the rounds early: the optimiser converged (not stopped by its
            // budget) on sets that the search at its optimum gives again, so a further round would
            // start where this one ended, on the same objective.
            let converged = result.status != .maxEvaluationsReached && result.status != .maxTimeReached
            if round == problem.rounds || (converged && stable) {
                current = try sets(at: x, epochs: Set(epochDays.indices), known: current)
                break
            }
        }
        let (p, theta) = parameters(x)
        let periods = prepare(problem.periods, current).fits(p, theta: theta, redetectionShare: share(x))
        let fitted = zip(free, x).map { f, u in
            FittedParameter(parameter: f, value: f.lower + u * (f.upper - f.lower),
                            atBound: f.upper > f.lower && (u <= 1e-6 || u >= 1 - 1e-6))
        }
        let sizes = current.compactMap { $0 }.flatMap { $0.alternatives.map(\.count) }
        return CalibrationResult(
            parameters: fitted, costModel: p, theta: theta, periods: periods, algorithm: problem.algorithm,
            status: status, evaluations: evaluations, optimizerSeconds: optimizerSeconds,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9,
            startObjective: startObjective, objective: prepared.meanARD(p, theta: theta, redetectionShare: share(x)),
            pairs: sizes.count,
            meanChoiceSetSize: sizes.isEmpty ? 0 : Double(sizes.reduce(0, +)) / Double(sizes.count),
            secondsPerEvaluation: timedEvaluations > 0 ? evaluationSeconds / Double(timedEvaluations) : 0,
            searchedSets: searchedSets, reusedSets: reusedSets, rounds: roundsRun, choiceSetsStable: stable)
    }

    /// Whether two searches gave the same alternatives (edge by edge) to the same pairs in each of `epochs`.
    static func sameSets(_ a: [FixedChoiceSets?], _ b: [FixedChoiceSets?], epochs: Set<Int>) -> Bool {
        epochs.allSatisfy { e in
            switch (a[e], b[e]) {
            case (nil, nil): return true
            case let (x?, y?):
                return x.pairs == y.pairs && zip(x.alternatives, y.alternatives).allSatisfy { $0.map(\.edges) == $1.map(\.edges) }
            default: return false
            }
        }
    }

    /// The training periods' objective on the choice sets found at the start values: what
    /// the first round of `run` minimises (its `value`), for benchmarks and tests.
    /// - Returns: the objective and the start's cost model and θ.
    /// - Throws: as `run`.
    public static func startingObjective(_ problem: CalibrationProblem) throws
        -> (objective: FixedSetObjective, parameters: CostModel.Parameters, theta: Double, redetectionShare: Double) {
        try CalibrationParameters.validate(problem.free)
        let states = NetworkStates(problem)
        let train = problem.periods.filter { $0.set == .train }
        let x = start(problem)
        let (p, theta) = parameters(x, problem)
        let sets = try states.sets(at: p, needed: Set(train.flatMap { states.parts[$0.period]!.map(\.state) }), problem)
        return (FixedSetObjective(periods: train, parts: train.map { states.parts[$0.period]! }, sets: sets,
                                  routes: problem.routes, workers: problem.workers, redetections: problem.countsRedetections),
                p, theta, redetectionShare(x, problem))
    }

    /// The free parameters' start values scaled to [0, 1] by their bounds.
    static func start(_ problem: CalibrationProblem) -> [Double] {
        problem.free.map { f in f.upper > f.lower ? (f.start - f.lower) / (f.upper - f.lower) : 0 }
    }

    /// The redetection share at scaled point `x` (its fixed value, or 0, when not free).
    static func redetectionShare(_ x: [Double], _ problem: CalibrationProblem) -> Double {
        for (f, u) in zip(problem.free, x) where f.name == CalibrationParameters.redetectionShare {
            return f.lower + u * (f.upper - f.lower)
        }
        return problem.redetectionShare ?? 0
    }

    /// The cost model and θ at scaled point `x`.
    static func parameters(_ x: [Double], _ problem: CalibrationProblem) -> (CostModel.Parameters, Double) {
        var p = problem.base
        for (f, u) in zip(problem.free, x) { CalibrationParameters.set(f.name, f.lower + u * (f.upper - f.lower), in: &p) }
        return (p, p.theta ?? problem.theta)
    }
}

/// The periods of a calibration grouped by the network they see (the same dated changes
/// still pending: `CostModel.pendingChanges`): periods of one state share its choice sets. A
/// period with `days` is cut at every day its network changes (`NetworkTimeline.segments`, the
/// rule of `simulate --periods`), each part on its own state; one with only `asOf` sees that
/// day's network throughout.
struct NetworkStates {
    /// Parts of each period (states and shares of its days), by period label.
    var parts: [String: [FixedSetObjective.Part]] = [:]
    /// The day each state is costed on (the first day it was seen on).
    var days: [String?] = []
    /// OD pairs (by class) of each state's periods.
    var pairs: [Set<ODPair>] = []

    /// - Complexity: O(E) per distinct state and per period without `days`, plus O(Σ days).
    init(_ problem: CalibrationProblem) {
        var index: [[String]: Int] = [:]
        func state(_ key: [String], day: String?) -> Int {
            if let e = index[key] { return e }
            index[key] = days.count; days.append(day); pairs.append([])
            return days.count - 1
        }
        // One timeline over every dated period's days.
        let dated = problem.periods.compactMap(\.days)
        let timeline = dated.isEmpty ? nil
            : NetworkTimeline(network: problem.network, from: dated.map(\.firstDay).min()!, through: dated.map(\.lastDay).max()!)
        var keyOfStart: [Int: [String]] = [:]
        for period in problem.periods {
            var list: [FixedSetObjective.Part] = []
            if let range = period.days, let timeline {
                for segment in timeline.segments(of: range) {
                    let day = timeline.starts[segment.network].description
                    let key = keyOfStart[segment.network] ?? CostModel.pendingChanges(in: problem.network, asOf: day)
                    keyOfStart[segment.network] = key
                    list.append(FixedSetObjective.Part(state: state(key, day: day), share: Double(segment.days) / Double(range.days)))
                }
            } else {
                list = [FixedSetObjective.Part(state: state(CostModel.pendingChanges(in: problem.network, asOf: period.asOf),
                                                            day: period.asOf), share: 1)]
            }
            parts[period.period] = list
            for part in list { for d in period.demand { pairs[part.state].insert(ODPair(d)) } }
        }
    }

    /// Choice sets of the states `needed` under `parameters`, each state (in time order) taking
    /// over from the one before it the sets its dated changes cannot touch
    /// (`FixedChoiceSets.build(reusing:)`); nil for the others. A state whose sets are `known`
    /// (found under the same parameters) keeps them: a taken-over set is the one a fresh
    /// search finds, so the result is the same.
    func sets(at parameters: CostModel.Parameters, needed: Set<Int>, known: [FixedChoiceSets?] = [],
              _ problem: CalibrationProblem) throws -> [FixedChoiceSets?] {
        var out: [FixedChoiceSets?] = Array(repeating: nil, count: days.count)
        var previous: FixedChoiceSets?
        for e in days.indices where needed.contains(e) {
            if e < known.count, let sets = known[e] {
                out[e] = sets
                previous = sets
                continue
            }
            let costed = try CostModel.apply(parameters, to: problem.network, asOf: days[e])
            let counter = problem.countsRedetections
                ? FixedSetObjective.redetectionCounters(costed, routes: problem.routes.count, counter: problem.counter)
                : problem.counter
            let built = try FixedChoiceSets.build(costed: costed, pairs: Array(pairs[e]), rule: problem.choiceSet,
                                                  counter: counter, workers: problem.workers, reusing: previous)
            out[e] = built
            previous = built
        }
        return out
    }
}
