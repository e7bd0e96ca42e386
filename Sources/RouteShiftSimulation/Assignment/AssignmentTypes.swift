import RouteShiftGraph
import RouteShiftNetwork

/// One origin–destination demand: `flow` people per period from `origin` to `destination`
/// (external node ids of the network).
public struct Demand: Hashable, Sendable {
    public var origin: Int64
    public var destination: Int64
    public var flow: Double
    public init(origin: Int64, destination: Int64, flow: Double) {
        self.origin = origin; self.destination = destination; self.flow = flow
    }
}

/// How demand is loaded onto paths.
public enum AssignmentMethod: Hashable, Sendable {
    /// Everything on the cheapest generalised-cost path; ties between equally
    /// cheap paths are broken by the search (arc order, then node index), the same on every run.
    case allOrNothing
    /// Path-size logit (Ben-Akiva & Bierlaire 1999) over up to `k` loopless
    /// shortest paths (Yen 1971) with dispersion `theta` (per unit of cost).
    /// `AssignmentOptions.pathCostBound` optionally drops paths much dearer than the best.
    case pathSizeLogit(k: Int, theta: Double)
    /// User equilibrium with BPR link costs on capacitated crossings
    /// (Frank & Wolfe 1956; LeBlanc, Morlok & Pierskalla 1975; conjugate
    /// directions per Mitradjieva & Lindberg 2013),
    /// stopping at `relativeGap` or `maxIterations`.
    case equilibrium(maxIterations: Int, relativeGap: Double, alpha: Double, beta: Double)
}

/// Settings shared by every method that do not change what is modelled, only
/// how it is computed or reported.
public struct AssignmentOptions: Hashable, Sendable {
    /// Path-size logit only: keep a path only if its cost is at most
    /// `(1 + pathCostBound) × ` the best path's cost. `nil` keeps all `k` paths.
    public var pathCostBound: Double?
    /// Path-size logit only: length of each edge row (e.g. the `length_km`
    /// attribute, see `Assignment.edgeLengths(in:)`) used as `l_a` in the
    /// path-size factor; `nil`, or a non-positive entry, uses the arc's cost.
    public var edgeLengths: [Double]?
    /// Ids of hub nodes (node attribute `kind == "hub"`, see `Assignment.hubs(in:)`),
    /// used to say where stranded demand is held up.
    public var hubs: Set<Int64>
    /// Threads used for shortest-path work; 1 runs serially. Results do not depend on it.
    public var workers: Int
    /// Equilibrium only: conjugate Frank–Wolfe directions (Mitradjieva &
    /// Lindberg 2013); `false` gives the plain Frank–Wolfe algorithm.
    public var conjugateDirections: Bool

    public init(pathCostBound: Double? = nil, edgeLengths: [Double]? = nil, hubs: Set<Int64> = [],
                workers: Int = Assignment.defaultWorkers, conjugateDirections: Bool = true) {
        self.pathCostBound = pathCostBound; self.edgeLengths = edgeLengths; self.hubs = hubs; self.workers = workers
        self.conjugateDirections = conjugateDirections
    }
}

/// Everything an assignment needs. `graph` carries generalised costs (see the
/// cost model); `overlay` the scenario's closures and cost multipliers.
public struct AssignmentProblem: Sendable {
    public var graph: RoutingGraph
    public var overlay: CostOverlay?
    public var demand: [Demand]
    /// Capacity (people per period) by edge row; absent = uncapacitated. Used by `.equilibrium`.
    /// Each direction of a two-way edge is its own link with this capacity.
    public var capacities: [Int: Double]
    public var method: AssignmentMethod
    public var options: AssignmentOptions
    public init(graph: RoutingGraph, overlay: CostOverlay? = nil, demand: [Demand], capacities: [Int: Double] = [:],
                method: AssignmentMethod, options: AssignmentOptions = AssignmentOptions()) {
        self.graph = graph; self.overlay = overlay; self.demand = demand; self.capacities = capacities; self.method = method
        self.options = options
    }
}

/// A path used by one demand, with the flow it carries.
public struct PathFlow: Hashable, Sendable {
    public var path: Path
    public var flow: Double
    public init(path: Path, flow: Double) { self.path = path; self.flow = flow }
}

/// The outcome for one demand. `assigned + stranded == demand.flow` always.
public struct DemandOutcome: Hashable, Sendable {
    public var demand: Demand
    public var assigned: Double
    public var stranded: Double
    /// Paths with positive flow, most used first (ties by edge ids).
    public var paths: [PathFlow]
    /// When the destination cannot be reached: the last hub on the demand's
    /// baseline route (cheapest path with no overlay) that can still be reached
    /// from the origin; `nil` when reachable, or when no such hub exists.
    public var strandedAt: Int64?
    public init(demand: Demand, assigned: Double, stranded: Double, paths: [PathFlow], strandedAt: Int64? = nil) {
        self.demand = demand; self.assigned = assigned; self.stranded = stranded; self.paths = paths
        self.strandedAt = strandedAt
    }

    /// Flow-weighted mean path cost of the assigned flow (0 when nothing is assigned).
    public var meanCost: Double {
        guard assigned > 0 else { return 0 }
        var total = 0.0
        for p in paths { total += p.flow * p.path.totalCost }
        return total / assigned
    }
}

/// Result of one assignment.
public struct AssignmentResult: Sendable {
    /// Flow on each edge row (both directions added), indexed like the edge table.
    public var edgeFlows: [Double]
    /// Flow by direction: forward (source→target) and backward, by edge row.
    public var forwardFlows: [Double]
    public var backwardFlows: [Double]
    /// One outcome per demand, in the order of `AssignmentProblem.demand`.
    public var outcomes: [DemandOutcome]
    /// Relative gap reached (equilibrium only).
    public var relativeGap: Double?
    public var iterations: Int
    public init(edgeFlows: [Double], forwardFlows: [Double], backwardFlows: [Double], outcomes: [DemandOutcome],
                relativeGap: Double?, iterations: Int) {
        self.edgeFlows = edgeFlows; self.forwardFlows = forwardFlows; self.backwardFlows = backwardFlows
        self.outcomes = outcomes; self.relativeGap = relativeGap; self.iterations = iterations
    }

    /// Total flow that reaches its destination / that is stranded.
    public var totalAssigned: Double { outcomes.reduce(0) { $0 + $1.assigned } }
    public var totalStranded: Double { outcomes.reduce(0) { $0 + $1.stranded } }
}
