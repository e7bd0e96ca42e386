import RouteShiftCore
import RouteShiftGraph
import RouteShiftObservations

/// A closure scenario as written by an analyst: which network, which demand,
/// how people choose routes, and what changes at the border.
///
/// Values are kept as written (names, not ids); `ScenarioResolver` checks them
/// against a network. Every element remembers the line it came from so that
/// later errors can still point into the scenario file.
public struct Scenario: Hashable, Sendable {
    public var name: String
    /// The scenario file, for messages and to resolve relative paths.
    public var file: String?
    /// Network path (absolute, or as written when the scenario has no file); `nil` = bundled network.
    public var network: String?
    public var demand: DemandSource
    public var costModel: CostModel.Parameters
    public var assignment: AssignmentSettings
    /// Seed of the scenario's agent-based journeys, when they are run (`JourneySettings.seed`).
    /// The assignment draws no random numbers, so `Simulation.run` only records it (`summary.json`).
    public var seed: UInt64
    public var interventions: [Intervention]
    /// How many segments to list as absorbing diverted flow.
    public var topSegments: Int
    /// Whether the cost model is the default (no `cost_model:` given), so that the
    /// bundled network's calibrated one may replace it (`CostModelFile.withDefaults`).
    public var usesDefaultCostModel = true
    /// The range simulated period by period (`periods:`), or `nil` for one static run.
    public var periods: Period?
    /// The day whose network the scenario runs on (`date:`, `YYYY-MM-DD`): dated attributes
    /// (`since`) not yet in force have their defaults and the entry rules in force that day apply.
    /// `nil`: a period run's network as it stood on each of its days (`NetworkTimeline`), a single
    /// run's current network (every attribute as written).
    public var asOf: String?
    /// Where `date:` is written, for messages.
    public var asOfLocation: InputLocation?

    /// The day the scenario's network state is taken from: `asOf`, else the first day of `periods`
    /// (a period run's first network state; the later ones from the days it changes).
    public var networkDay: String? { asOf ?? periods.map { $0.firstDay.description } }
    /// How `periods` is cut (`by:`; month when not given).
    public var granularity: PeriodGranularity?
    /// Where `periods:` is written, for messages.
    public var periodsLocation: InputLocation?
    /// Where each value of the file is written, by key path (`$.assignment.k`,
    /// `$.interventions[2].capacity.per_period`): checks made after parsing
    /// (against the network, the demand, the assignment's limits) report there.
    public var valueLocations: [String: InputLocation] = [:]

    /// Where a value is written: the first of `keyPaths` (the overriding key before
    /// the main one) that the file sets, or else the file itself with the last.
    public func location(of keyPaths: String...) -> InputLocation { location(of: keyPaths) }

    /// `location(of:)` for a list of key paths.
    public func location(of keyPaths: [String]) -> InputLocation {
        for path in keyPaths { if let at = valueLocations[path] { return at } }
        return InputLocation(file: file, path: keyPaths.last)
    }

    public init(name: String, file: String? = nil, network: String? = nil, demand: DemandSource,
                costModel: CostModel.Parameters = .init(), assignment: AssignmentSettings = .init(),
                seed: UInt64 = 0, interventions: [Intervention] = [], topSegments: Int = 10) {
        self.name = name; self.file = file; self.network = network; self.demand = demand
        self.costModel = costModel; self.assignment = assignment; self.seed = seed
        self.interventions = interventions; self.topSegments = topSegments
    }
}

/// Where the origin–destination demand comes from.
public enum DemandSource: Hashable, Sendable {
    /// A CSV file `origin,destination,flow` (hub names or node ids).
    case csv(path: String, line: Int?)
    /// Rows written inline in the scenario.
    case inline([DemandEntry])
    /// Each period's demand built from the recorded data (`demand: observed`, see `ObservedDemand`).
    case observed(line: Int?)
}

/// One demand row as written, with the place it was written.
public struct DemandEntry: Hashable, Sendable {
    public var origin: String
    public var destination: String
    public var flow: Double
    public var location: InputLocation
    /// The `period` column of a demand CSV, as written; `nil` when the file has none.
    public var period: String?
    /// The travellers' nationality (ISO 3166-1 alpha-3; the `nationality` column of a demand CSV,
    /// observed demand): the network's entry rules then apply to them; `nil`: no entry rule applies.
    public var nationality: String?
    public init(origin: String, destination: String, flow: Double, location: InputLocation = InputLocation(), period: String? = nil,
                nationality: String? = nil) {
        self.origin = origin; self.destination = destination; self.flow = flow; self.location = location; self.period = period
        self.nationality = nationality
    }
}

/// How demand is assigned to routes; mirrors `AssignmentMethod` with the
/// scenario file's defaults.
public struct AssignmentSettings: Hashable, Sendable {
    public enum Method: String, Hashable, Sendable, CaseIterable {
        case allOrNothing = "all-or-nothing"
        case logit
        case equilibrium
    }
    public var method: Method = .logit
    /// Alternatives per OD pair for the logit (`choice_set.size`, or `k`): 8, as calibrated
    /// (`Geodata/calibration.yaml`); with 5, Istanbul → Vienna in 2015 has no place left for
    /// the route via Croatia behind those via Romania and the Italian ferries.
    public var k: Int = 8
    /// How the logit's alternatives are found.
    public var choiceSet = ChoiceSetSettings()
    /// Logit dispersion per unit of generalised cost (euros): 0.002 makes a
    /// route €500 dearer about e⁻¹ as attractive, the spread seen between
    /// competing smuggling offers.
    public var theta: Double = 0.002
    public var maxIterations: Int = 50
    public var gap: Double = 1e-4
    /// BPR congestion function t = t₀ (1 + α (v/c)^β) (Bureau of Public Roads 1964).
    public var bprAlpha: Double = 0.15
    public var bprBeta: Double = 4

    public init() {}

    public var assignmentMethod: AssignmentMethod {
        switch method {
        case .allOrNothing: .allOrNothing
        case .logit: .pathSizeLogit(k: k, theta: theta)
        case .equilibrium: .equilibrium(maxIterations: maxIterations, relativeGap: gap, alpha: bprAlpha, beta: bprBeta)
        }
    }
}

/// How the logit finds its alternatives (`choice_set:` in a scenario file).
public struct ChoiceSetSettings: Hashable, Sendable {
    public enum Method: String, Hashable, Sendable, CaseIterable {
        /// The cheapest route through each border and sea crossing within the detour limit,
        /// cheapest first (corridor enumeration; `ChoiceSetRule.Generation.corridors`).
        case corridors
        /// Breadth-first elimination of whole borders and sea crossings (Rieser-Schüssler et al. 2013).
        case linkElimination = "link-elimination"
        /// Yen's k shortest loopless paths: near-copies through neighbouring sections of one border.
        case kShortest = "k-shortest"
    }
    public var method: Method = .corridors
    /// Largest share of length two alternatives may share (0.8): lets two routes
    /// share the long legs to and from the hubs at either end, not the border crossings in between.
    public var maxOverlap: Double = 0.8
    /// Alternatives cost at most (1 + 0.6) times the cheapest: with θ = 0.002 a
    /// route 60 % dearer than a €5,000 journey keeps a share of e⁻⁶ ≈ 0.25 %.
    public var maxDetour: Double = 0.6
    /// Shortest-path searches per OD pair.
    public var searchLimit: Int = 48

    public init() {}

    /// The graph-level rule with `size` alternatives (`kShortest` has none; it gives `corridors`'s).
    public func rule(size: Int) -> ChoiceSetRule {
        ChoiceSetRule(size: size, maxOverlap: maxOverlap, maxDetour: maxDetour, searchLimit: searchLimit,
                      generation: method == .linkElimination ? .linkElimination : .corridors)
    }
}

/// A day of the scenario's time line: a calendar date or a day number.
/// Kept for the temporal mode; the static simulation applies every intervention.
public enum ScenarioDay: Hashable, Sendable, CustomStringConvertible {
    case day(Int)
    case date(year: Int, month: Int, day: Int)

    public var description: String {
        switch self {
        case .day(let n): "day \(n)"
        case .date(let y, let m, let d):
            "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
        }
    }

    /// Order within one kind; days and dates are not comparable.
    public func compare(_ other: ScenarioDay) -> Int? {
        switch (self, other) {
        case (.day(let a), .day(let b)): a < b ? -1 : (a == b ? 0 : 1)
        case (.date(let y1, let m1, let d1), .date(let y2, let m2, let d2)):
            (y1, m1, d1) < (y2, m2, d2) ? -1 : ((y1, m1, d1) == (y2, m2, d2) ? 0 : 1)
        default: nil
        }
    }
}

/// When an intervention applies: `from`…`to` inclusive, either end open.
public struct TimeWindow: Hashable, Sendable {
    public var from: ScenarioDay?
    public var to: ScenarioDay?
    public init(from: ScenarioDay? = nil, to: ScenarioDay? = nil) { self.from = from; self.to = to }

    /// Whether two windows can share a day. Windows on different clocks
    /// (a day number and a date) are assumed to overlap.
    public func overlaps(_ other: TimeWindow) -> Bool {
        if let end = to, let start = other.from, let c = end.compare(start), c < 0 { return false }
        if let end = other.to, let start = from, let c = end.compare(start), c < 0 { return false }
        return true
    }
}

/// What an intervention acts on.
public enum InterventionTarget: Hashable, Sendable, CustomStringConvertible {
    /// A border section or sea crossing id (`HU-RS-003`, `SEA-…`), a numeric edge id,
    /// a border pair (`HU-RS`) or a hub name: resolved in that order.
    case reference(String)
    case segment(String)
    case border(String)
    case hub(String)
    /// Every border and sea crossing of a country (ISO 3166-1 alpha-2).
    case country(String)

    public var description: String {
        switch self {
        case .reference(let s): s
        case .segment(let s): "segment \(s)"
        case .border(let s): "border \(s)"
        case .hub(let s): "hub \(s)"
        case .country(let s): "country \(s)"
        }
    }
}

/// One change to the network.
public struct Intervention: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        /// The targets become impassable.
        case close
        /// Surveillance raised: the cost is multiplied and/or the detection probability replaced.
        case surveillance(costMultiplier: Double?, detectionProbability: Double?)
        /// At most `perPeriod` people per period may cross (used by the equilibrium assignment).
        case capacity(perPeriod: Double)

        var name: String {
            switch self {
            case .close: "close"
            case .surveillance: "surveillance"
            case .capacity: "capacity"
            }
        }
    }

    public var action: Action
    public var targets: [InterventionTarget]
    public var direction: TravelDirection
    public var window: TimeWindow
    /// Where the intervention is written (file, line, key path).
    public var location: InputLocation
    /// Where each target is written, parallel to `targets`.
    public var targetLocations: [InputLocation]

    public init(action: Action, targets: [InterventionTarget], direction: TravelDirection = .both,
                window: TimeWindow = TimeWindow(), location: InputLocation = InputLocation(),
                targetLocations: [InputLocation]? = nil) {
        self.action = action; self.targets = targets; self.direction = direction; self.window = window
        self.location = location
        self.targetLocations = targetLocations ?? Array(repeating: location, count: targets.count)
    }
}
