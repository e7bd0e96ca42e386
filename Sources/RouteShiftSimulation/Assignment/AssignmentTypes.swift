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
    /// Everything on the shortest generalised-cost path (ties by edge ids).
    case allOrNothing
    /// Path-size logit (Ben-Akiva & Bierlaire 1999) over up to `k` loopless
    /// shortest paths (Yen 1971) with dispersion `theta` (per unit of cost).
    case pathSizeLogit(k: Int, theta: Double)
    /// User equilibrium with BPR link costs on capacitated crossings
    /// (Frank & Wolfe 1956; conjugate direction per Mitradjieva & Lindberg 2013),
    /// stopping at `relativeGap` or `maxIterations`.
    case equilibrium(maxIterations: Int, relativeGap: Double, alpha: Double, beta: Double)
}

/// Everything an assignment needs. `graph` carries generalised costs (see the
/// cost model); `overlay` the scenario's closures and cost multipliers.
public struct AssignmentProblem: Sendable {
    public var graph: RoutingGraph
    public var overlay: CostOverlay?
    public var demand: [Demand]
    /// Capacity (people per period) by edge row; absent = uncapacitated. Used by `.equilibrium`.
    public var capacities: [Int: Double]
    public var method: AssignmentMethod
    public init(graph: RoutingGraph, overlay: CostOverlay? = nil, demand: [Demand], capacities: [Int: Double] = [:],
                method: AssignmentMethod) {
        self.graph = graph; self.overlay = overlay; self.demand = demand; self.capacities = capacities; self.method = method
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
    public init(demand: Demand, assigned: Double, stranded: Double, paths: [PathFlow]) {
        self.demand = demand; self.assigned = assigned; self.stranded = stranded; self.paths = paths
    }
}

/// Result of one assignment.
public struct AssignmentResult: Sendable {
    /// Flow on each edge row (both directions added), indexed like the edge table.
    public var edgeFlows: [Double]
    /// Flow by direction: forward (source→target) and backward, by edge row.
    public var forwardFlows: [Double]
    public var backwardFlows: [Double]
    public var outcomes: [DemandOutcome]
    /// Relative gap reached (equilibrium only).
    public var relativeGap: Double?
    public var iterations: Int
    public init(edgeFlows: [Double], forwardFlows: [Double], backwardFlows: [Double], outcomes: [DemandOutcome],
                relativeGap: Double?, iterations: Int) {
        self.edgeFlows = edgeFlows; self.forwardFlows = forwardFlows; self.backwardFlows = backwardFlows
        self.outcomes = outcomes; self.relativeGap = relativeGap; self.iterations = iterations
    }
}
