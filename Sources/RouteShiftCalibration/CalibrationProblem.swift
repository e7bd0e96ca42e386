import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftOptimization
import RouteShiftScenario
import RouteShiftSimulation

/// Whether a period is fitted or held out.
public enum CalibrationSet: String, Hashable, Sendable {
    case train, validate
}

/// One period of the record: its demand and the detections per observed route.
public struct CalibrationPeriod: Hashable, Sendable {
    /// `YYYY-MM` (or any label the caller sorts by).
    public var period: String
    public var set: CalibrationSet
    public var demand: [Demand]
    /// Recorded detections by route name (every name in `CalibrationProblem.routes`; absent = 0).
    public var observed: [String: Double]
    /// The day whose network state the whole period is modelled on (`YYYY-MM-DD`, the network's
    /// dated attributes, `since`); `nil`: every attribute as written. Not read when `days` is set.
    public var asOf: String?
    /// The calendar days the period covers: each day is then modelled on the network in force
    /// that day, the period's demand spread evenly over its days (`NetworkTimeline.segments`,
    /// as `simulate --periods` runs it), so a period with a dated change inside it is the sum
    /// of its parts on their own networks.
    public var days: Period?
    public init(period: String, set: CalibrationSet, demand: [Demand], observed: [String: Double], asOf: String? = nil,
                days: Period? = nil) {
        self.period = period; self.set = set; self.demand = demand; self.observed = observed; self.asOf = asOf
        self.days = days
    }
}

/// A parameter the optimiser may move, within its bounds, from its start.
public struct FreeParameter: Hashable, Sendable {
    /// A `cost_model:` key (`theta`, `border_crossing_price`, `detection_probability.high`, …).
    public var name: String
    public var start: Double
    public var lower: Double
    public var upper: Double
    /// Where it was written, for messages.
    public var location: InputLocation
    public init(name: String, start: Double, lower: Double, upper: Double, location: InputLocation = InputLocation()) {
        self.name = name; self.start = start; self.lower = lower; self.upper = upper; self.location = location
    }
}

/// Everything a calibration needs.
public struct CalibrationProblem: Sendable {
    public var network: RouteNetwork
    /// Parameters not calibrated keep these values.
    public var base: CostModel.Parameters
    /// θ when `theta` is not free and the base has none.
    public var theta: Double
    public var free: [FreeParameter]
    public var periods: [CalibrationPeriod]
    /// Observed route names, in report order.
    public var routes: [String]
    /// Which observed routes (indices into `routes`) a crossing of edge `row` counts for,
    /// in that direction (`forward` = source → target); empty: not counted.
    public var counter: @Sendable (_ row: Int, _ forward: Bool) -> [Int]
    public var choiceSet: ChoiceSetRule
    public var algorithm: OptimizationAlgorithm
    /// Evaluations per round.
    public var maxEvaluations: Int
    public var tolerance: Double
    /// Rounds of (find choice sets at the current parameters, optimise on them).
    public var rounds: Int
    public var workers: Int
    /// Share of the failed attempts at checked land borders that the record counts as detections
    /// (`redetection_share`; its start when free). `nil`: each crossing is counted once.
    /// See `FixedSetObjective` for how modelled detections are counted.
    public var redetectionShare: Double?

    public init(network: RouteNetwork, base: CostModel.Parameters = .init(), theta: Double = 0.002,
                free: [FreeParameter], periods: [CalibrationPeriod], routes: [String],
                counter: @escaping @Sendable (Int, Bool) -> [Int], choiceSet: ChoiceSetRule = ChoiceSetSettings().rule(size: 4),
                algorithm: OptimizationAlgorithm = .bobyqa, maxEvaluations: Int = 1_000, tolerance: Double = 1e-4,
                rounds: Int = 2, workers: Int = Assignment.defaultWorkers) {
        self.network = network; self.base = base; self.theta = theta; self.free = free; self.periods = periods
        self.routes = routes; self.counter = counter; self.choiceSet = choiceSet; self.algorithm = algorithm
        self.maxEvaluations = maxEvaluations; self.tolerance = tolerance; self.rounds = rounds; self.workers = workers
        if let f = free.first(where: { $0.name == CalibrationParameters.redetectionShare }) { redetectionShare = f.start }
    }

    /// Whether the objective counts failed attempts (the share is free or set).
    public var countsRedetections: Bool { redetectionShare != nil }
}

/// The names a calibration may free, and how each sets the cost model.
public enum CalibrationParameters {
    /// Every `cost_model:` number, the three detection probabilities as `detection_probability.LEVEL`,
    /// and `redetection_share` (how the record counts, not a cost: see `FixedSetObjective`).
    public static var names: [String] {
        CostModel.Parameters.fileKeys.map(\.key).filter { $0 != "detection_probability" }
            + Surveillance.levels.map { "detection_probability.\($0.rawValue)" } + [redetectionShare]
    }

    /// The share of failed attempts at checked land borders counted as detections.
    public static let redetectionShare = "redetection_share"

    /// Sets `name` to `value` in `p`; false for an unknown name.
    @discardableResult
    public static func set(_ name: String, _ value: Double, in p: inout CostModel.Parameters) -> Bool {
        if name == redetectionShare { return true }
        if name.hasPrefix("detection_probability.") {
            guard let level = Surveillance(rawValue: String(name.dropFirst("detection_probability.".count))) else {
                return false
            }
            p.detectionProbability[level] = value
            return true
        }
        guard name != "detection_probability", let setter = CostModel.Parameters.fileKeys.first(where: { $0.key == name })
        else { return false }
        setter.set(&p, value)
        return true
    }

    /// Checks names and bounds: unknown names (with the nearest valid ones), a
    /// name given twice, bounds not finite or reversed, a start outside its bounds,
    /// and bounds that leave the cost model's domain (speeds and θ positive, probabilities below 1).
    public static func validate(_ free: [FreeParameter]) throws {
        var seen = Set<String>()
        for p in free {
            guard names.contains(p.name) else {
                throw InputError("unknown parameter '\(p.name)'", at: p.location,
                                 suggestions: NearestMatch.suggestions(for: p.name, among: names, maxDistance: 8))
            }
            guard seen.insert(p.name).inserted else { throw InputError("parameter '\(p.name)' is given twice", at: p.location) }
            guard p.lower.isFinite, p.upper.isFinite, p.lower <= p.upper else {
                throw InputError("bounds [\(p.lower), \(p.upper)] of '\(p.name)' must be finite with min ≤ max", at: p.location)
            }
            guard p.lower <= p.start, p.start <= p.upper else {
                throw InputError("start \(p.start) of '\(p.name)' is outside its bounds [\(p.lower), \(p.upper)]",
                                 at: p.location)
            }
            let positive = ["theta", "land_speed_kmh", "sea_speed_kmh", "ferry_speed_kmh"].contains(p.name)
            guard p.lower >= 0 || p.name == "outside_option", !positive || p.lower > 0 else {
                throw InputError("'\(p.name)' must stay \(positive ? "above" : "at or above") 0 (min is \(p.lower))",
                                 at: p.location)
            }
            if p.name == redetectionShare, p.upper > 1 {
                throw InputError("'\(p.name)' is a share and must stay at most 1 (max is \(p.upper))", at: p.location)
            }
            if p.name.hasPrefix("detection_probability."), p.upper > 0.99 {
                throw InputError("'\(p.name)' must stay at most 0.99 (max is \(p.upper))", at: p.location)
            }
        }
    }
}
