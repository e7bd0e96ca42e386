import CNLopt
import Dispatch

/// Derivative-free local optimisers of NLopt (S. G. Johnson, "The NLopt
/// nonlinear-optimization package", https://github.com/stevengj/nlopt).
public enum OptimizationAlgorithm: String, Hashable, Sendable, CaseIterable {
    /// M. J. D. Powell, "The BOBYQA algorithm for bound constrained optimization
    /// without derivatives", Cambridge NA Report NA2009/06 (2009): quadratic models
    /// from 2n + 1 interpolation points, within box bounds.
    case bobyqa
    /// M. J. D. Powell, "A direct search optimization method that models the
    /// objective and constraint functions by linear interpolation", in Advances in
    /// Optimization and Numerical Analysis (1994) 51–67: linear models, n + 1 points.
    case cobyla

    var nlopt: nlopt_algorithm {
        switch self {
        case .bobyqa: NLOPT_LN_BOBYQA
        case .cobyla: NLOPT_LN_COBYLA
        }
    }
}

/// Why the optimiser stopped (NLopt's result codes, named as `nlopt_result_to_string` names them).
public enum OptimizationStatus: String, Hashable, Sendable {
    case success = "SUCCESS"
    case stopValueReached = "STOPVAL_REACHED"
    case functionToleranceReached = "FTOL_REACHED"
    case parameterToleranceReached = "XTOL_REACHED"
    case maxEvaluationsReached = "MAXEVAL_REACHED"
    case maxTimeReached = "MAXTIME_REACHED"
    case failure = "FAILURE"
    case invalidArguments = "INVALID_ARGS"
    case outOfMemory = "OUT_OF_MEMORY"
    case roundoffLimited = "ROUNDOFF_LIMITED"
    case forcedStop = "FORCED_STOP"

    init(_ code: nlopt_result) {
        switch code {
        case NLOPT_SUCCESS: self = .success
        case NLOPT_STOPVAL_REACHED: self = .stopValueReached
        case NLOPT_FTOL_REACHED: self = .functionToleranceReached
        case NLOPT_XTOL_REACHED: self = .parameterToleranceReached
        case NLOPT_MAXEVAL_REACHED: self = .maxEvaluationsReached
        case NLOPT_MAXTIME_REACHED: self = .maxTimeReached
        case NLOPT_INVALID_ARGS: self = .invalidArguments
        case NLOPT_OUT_OF_MEMORY: self = .outOfMemory
        case NLOPT_ROUNDOFF_LIMITED: self = .roundoffLimited
        case NLOPT_FORCED_STOP: self = .forcedStop
        default: self = .failure
        }
    }

    /// Whether the result is a point the optimiser stands by (a tolerance or a budget ended it).
    public var isConverged: Bool {
        switch self {
        case .success, .stopValueReached, .functionToleranceReached, .parameterToleranceReached,
             .maxEvaluationsReached, .maxTimeReached: true
        default: false
        }
    }
}

/// A bound-constrained minimisation: minimise f(x) for lower ≤ x ≤ upper from `start`.
public struct OptimizationProblem: Hashable, Sendable {
    public var start: [Double]
    public var lower: [Double]
    public var upper: [Double]
    public var algorithm: OptimizationAlgorithm
    /// Stop after this many evaluations of f.
    public var maxEvaluations: Int
    /// Stop when a step changes every parameter by less than this fraction (NLopt's `xtol_rel`).
    public var parameterTolerance: Double
    /// Stop when a step changes f by less than this fraction (NLopt's `ftol_rel`); 0 = off.
    public var functionTolerance: Double
    /// First step per parameter; `nil` lets NLopt choose from the bounds.
    public var initialStep: [Double]?

    public init(start: [Double], lower: [Double], upper: [Double], algorithm: OptimizationAlgorithm = .bobyqa,
                maxEvaluations: Int = 1_000, parameterTolerance: Double = 1e-6, functionTolerance: Double = 0,
                initialStep: [Double]? = nil) {
        self.start = start; self.lower = lower; self.upper = upper; self.algorithm = algorithm
        self.maxEvaluations = maxEvaluations; self.parameterTolerance = parameterTolerance
        self.functionTolerance = functionTolerance; self.initialStep = initialStep
    }
}

/// Where the optimiser ended.
public struct OptimizationResult: Hashable, Sendable {
    /// The best point found and f there.
    public var x: [Double]
    public var value: Double
    public var status: OptimizationStatus
    public var evaluations: Int
    public var seconds: Double
}

/// Why an optimisation could not run.
public enum OptimizationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Arrays of different lengths, or no parameters.
    case dimensionMismatch(String)
    /// A start value outside its bounds, a bound not finite or lower > upper (index, value).
    case invalidBounds(index: Int, String)
    /// NLopt refused the settings or ran out of memory (its status).
    case library(OptimizationStatus)

    public var description: String {
        switch self {
        case .dimensionMismatch(let what): "optimisation problem: \(what)"
        case let .invalidBounds(i, what): "parameter \(i): \(what)"
        case .library(let status): "NLopt failed: \(status.rawValue)"
        }
    }
}

/// Runs NLopt's local derivative-free optimisers.
///
/// The same problem and objective give the same evaluations in the same order
/// and the same result to the last digit: BOBYQA and COBYLA draw no random numbers.
public enum Optimizer {
    /// Minimises `objective` over the problem's box.
    ///
    /// `objective` is called on the calling thread, one point at a time; if it
    /// throws, the optimisation stops and the error is rethrown. `progress`
    /// gets (evaluations so far, best value so far) after every evaluation.
    /// - Throws: `OptimizationError` for bad bounds or NLopt failures, or what `objective` throws.
    /// - Complexity: at most `maxEvaluations` calls of `objective` plus the
    ///   algorithm's own O(n²)–O(n⁴) linear algebra per step.
    public static func minimize(_ problem: OptimizationProblem, objective: ([Double]) throws -> Double,
                                progress: ((Int, Double) -> Void)? = nil) throws -> OptimizationResult {
        let n = problem.start.count
        guard n > 0 else { throw OptimizationError.dimensionMismatch("no parameters") }
        guard problem.lower.count == n, problem.upper.count == n, problem.initialStep.map({ $0.count == n }) ?? true else {
            throw OptimizationError.dimensionMismatch("\(n) start values, \(problem.lower.count) lower and "
                                                      + "\(problem.upper.count) upper bounds")
        }
        for i in 0..<n {
            let (lo, hi, x) = (problem.lower[i], problem.upper[i], problem.start[i])
            guard lo.isFinite, hi.isFinite, lo <= hi else {
                throw OptimizationError.invalidBounds(index: i, "bounds [\(lo), \(hi)] must be finite with lower ≤ upper")
            }
            guard x.isFinite, lo <= x, x <= hi else {
                throw OptimizationError.invalidBounds(index: i, "start \(x) is outside [\(lo), \(hi)]")
            }
        }
        guard problem.maxEvaluations >= 1 else { throw OptimizationError.dimensionMismatch("maxEvaluations must be ≥ 1") }

        let handle = try OptimizerHandle(algorithm: problem.algorithm, dimension: n)
        try handle.check(nlopt_set_lower_bounds(handle.raw, problem.lower))
        try handle.check(nlopt_set_upper_bounds(handle.raw, problem.upper))
        try handle.check(nlopt_set_maxeval(handle.raw, Int32(clamping: problem.maxEvaluations)))
        try handle.check(nlopt_set_xtol_rel(handle.raw, problem.parameterTolerance))
        if problem.functionTolerance > 0 { try handle.check(nlopt_set_ftol_rel(handle.raw, problem.functionTolerance)) }
        if let step = problem.initialStep { try handle.check(nlopt_set_initial_step(handle.raw, step)) }

        return try withoutActuallyEscaping(objective) { objective in
            let state = ObjectiveState(objective: objective, progress: progress, dimension: n)
            let context = Unmanaged.passUnretained(state).toOpaque()
            try handle.check(nlopt_set_min_objective(handle.raw, { count, x, _, data in
                // NLopt calls back synchronously inside nlopt_optimize; `data` is the state below.
                let state = Unmanaged<ObjectiveState>.fromOpaque(data!).takeUnretainedValue()
                return state.evaluate(UnsafeBufferPointer(start: x, count: Int(count)))
            }, context))
            state.handle = handle
            var x = problem.start
            var value = Double.infinity
            let start = DispatchTime.now().uptimeNanoseconds
            // Returns a negative code on failure (FORCED_STOP when the objective threw).
            let code = nlopt_optimize(handle.raw, &x, &value)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            state.handle = nil
            if let error = state.error { throw error }
            let status = OptimizationStatus(code)
            if status == .invalidArguments || status == .outOfMemory { throw OptimizationError.library(status) }
            // On failure NLopt may leave x anywhere: report the best point actually evaluated.
            if !(value.isFinite) || value > state.bestValue { x = state.bestX; value = state.bestValue }
            return OptimizationResult(x: x, value: value, status: status, evaluations: state.evaluations,
                                      seconds: seconds)
        }
    }
}

/// Owns one `nlopt_opt`; destroyed in `deinit`.
final class OptimizerHandle {
    let raw: nlopt_opt

    init(algorithm: OptimizationAlgorithm, dimension: Int) throws {
        // Returns NULL when out of memory or the algorithm is unknown.
        guard let raw = nlopt_create(algorithm.nlopt, UInt32(dimension)) else {
            throw OptimizationError.library(.outOfMemory)
        }
        self.raw = raw
    }

    deinit { nlopt_destroy(raw) }

    /// Setters return a negative `nlopt_result` on failure.
    func check(_ code: nlopt_result) throws {
        if code.rawValue < 0 { throw OptimizationError.library(OptimizationStatus(code)) }
    }
}

/// What the C callback needs: the Swift objective, the first error it threw, and counts.
private final class ObjectiveState {
    let objective: ([Double]) throws -> Double
    let progress: ((Int, Double) -> Void)?
    var handle: OptimizerHandle?
    var error: Error?
    var evaluations = 0
    var bestValue = Double.infinity
    var bestX: [Double]

    init(objective: @escaping ([Double]) throws -> Double, progress: ((Int, Double) -> Void)?, dimension: Int) {
        self.objective = objective; self.progress = progress
        bestX = Array(repeating: .nan, count: dimension)
    }

    func evaluate(_ x: UnsafeBufferPointer<Double>) -> Double {
        let point = Array(x)
        do {
            let value = try objective(point)
            evaluations += 1
            if value < bestValue { bestValue = value; bestX = point }
            progress?(evaluations, bestValue)
            return value
        } catch {
            self.error = error
            if let handle { _ = nlopt_force_stop(handle.raw) }
            return .infinity
        }
    }
}
