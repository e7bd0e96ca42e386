import Foundation
import RouteShiftGraph
import RouteShiftNetwork

/// One origin–destination demand: `flow` people per period from `origin` to `destination`
/// (external node ids of the network), of one class of travellers.
public struct Demand: Hashable, Sendable {
    public var origin: Int64
    public var destination: Int64
    public var flow: Double
    /// The travellers' class under the network's entry rules (`EntryClasses`, a group of
    /// nationalities such as `IRQ+SYR+YEM`, or `*`); `nil`: no entry rule applies.
    public var userClass: String?
    public init(origin: Int64, destination: Int64, flow: Double, userClass: String? = nil) {
        self.origin = origin; self.destination = destination; self.flow = flow; self.userClass = userClass
    }
}

/// How demand is loaded onto paths.
public enum AssignmentMethod: Hashable, Sendable {
    /// Everything on the cheapest generalised-cost path; ties between equally
    /// cheap paths are broken by the search (arc order, then node index), the same on every run.
    case allOrNothing
    /// Path-size logit (Ben-Akiva & Bierlaire 1999) over up to `k` alternatives
    /// found by `AssignmentProblem.choiceSet` with dispersion `theta` (per unit
    /// of cost), and the option not to go when `AssignmentProblem.outsideOption` is set.
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

/// How the logit's alternatives are found.
public enum ChoiceSetMethod: Sendable {
    /// Yen's k shortest loopless paths (Yen 1971). On section networks these are
    /// near-copies of one route that differ by which section of a border they use.
    case kShortest
    /// Breadth-first elimination of link groups (Rieser-Schüssler, Balmer &
    /// Axhausen 2013; `ShortestPathQuery.distinctPaths`): alternatives through
    /// different crossings, pairwise overlap and detour bounded by the rule
    /// (its `size` is replaced by the method's `k`). The path-size factor then
    /// counts overlap on the same groups.
    case distinct(ChoiceSetRule, LinkGroups)
}

/// The option not to travel this period (stay, wait, give up): one more
/// alternative of the logit, with utility −θ · (c₀ + `margin`), c₀ the pair's
/// cheapest cost without any intervention. People therefore compare a route
/// with the journey they would have made; with `margin` €m, a closure that
/// makes every route €m dearer deters as many as it diverts to the best detour
/// (path-size factors aside). The reference c₀ is per pair, the parameter is not.
public struct OutsideOption: Hashable, Sendable {
    /// Euros above the undisturbed cheapest cost at which staying is as attractive as going.
    public var margin: Double
    public init(margin: Double) { self.margin = margin }
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
    /// Path-size logit only: how alternatives are found.
    public var choiceSet: ChoiceSetMethod
    /// Path-size logit only: the option not to go; `nil` = everyone who can travel does.
    public var outsideOption: OutsideOption?
    /// Edge rows each class of travellers (`Demand.userClass`) may not use, both ways or in
    /// one direction (entry rules, `CostedNetwork.barredRows`); demand of a class not listed,
    /// or without a class, may use every edge.
    public var barredRows: [String: [BarredEdge]]
    /// Trees from the origins on `graph`'s own costs, shared with other assignments on the
    /// same graph (the baseline and scenarios of one run); `nil`: kept for this assignment only.
    var undisturbed: UndisturbedTrees?
    /// The class of travellers whose barred edges `overlay` closes (set by `Assignment`'s class
    /// by class split): the outside option's reference cost is found with those edges closed too.
    var referenceClass: String?
    var referenceBarred: [BarredEdge]?
    /// Whether `overlay` holds only the class's barred edges (the split of an assignment
    /// without interventions): the outside option's reference is then the cheapest path of
    /// the choice set itself, as without any overlay, with no tree of its own to grow.
    var overlayIsEntryRulesOnly = false
    /// Per demand, its cheapest cost on the network without interventions when already known
    /// (its baseline outcome's cheapest path, `DemandOutcome.cheapestCost`): the outside
    /// option's reference, taken instead of growing a tree from the origin (which gives the
    /// same cost, up to ties between equally cheap paths); `nil` entries are looked up in trees.
    var referenceCosts: [Double?]?
    public init(graph: RoutingGraph, overlay: CostOverlay? = nil, demand: [Demand], capacities: [Int: Double] = [:],
                method: AssignmentMethod, options: AssignmentOptions = AssignmentOptions(),
                choiceSet: ChoiceSetMethod = .kShortest, outsideOption: OutsideOption? = nil,
                barredRows: [String: [BarredEdge]] = [:]) {
        self.graph = graph; self.overlay = overlay; self.demand = demand; self.capacities = capacities; self.method = method
        self.options = options; self.choiceSet = choiceSet; self.outsideOption = outsideOption; self.barredRows = barredRows
    }

    /// The overlay of the travellers of `userClass`: `overlay` with the class's barred rows
    /// closed in their barred directions; `overlay` itself for a class with none.
    /// - Complexity: O(barred rows), plus a copy of the overlay.
    public func overlay(forClass userClass: String?) throws -> CostOverlay? {
        guard let userClass, let rows = barredRows[userClass], !rows.isEmpty else { return overlay }
        var o = overlay ?? CostOverlay(graph: graph)
        for row in rows { try o.close(row, in: graph) }
        return o
    }
}

/// A path used by one demand, with the flow it carries.
public struct PathFlow: Hashable, Sendable {
    public var path: Path
    public var flow: Double
    public init(path: Path, flow: Double) { self.path = path; self.flow = flow }
}

/// The outcome for one demand. `assigned + stranded + suppressed == demand.flow` always.
public struct DemandOutcome: Hashable, Sendable {
    public var demand: Demand
    public var assigned: Double
    public var stranded: Double
    /// Flow that chose not to go this period (the outside option); 0 without it.
    public var suppressed: Double
    /// Edge rows of every path the choice-set search found (kept or not), ascending;
    /// empty when the choice set is the paths themselves. A scenario that changes
    /// none of these rows, and makes nothing cheaper, leaves the outcome as it is.
    public var searchedRows: [Int32]
    /// Paths with positive flow, most used first (ties by edge ids).
    public var paths: [PathFlow]
    /// When the destination cannot be reached: the last hub on the demand's
    /// baseline route (cheapest path with no overlay) that can still be reached
    /// from the origin; `nil` when reachable, or when no such hub exists.
    public var strandedAt: Int64?
    public init(demand: Demand, assigned: Double, stranded: Double, paths: [PathFlow], strandedAt: Int64? = nil,
                suppressed: Double = 0, searchedRows: [Int32] = []) {
        self.demand = demand; self.assigned = assigned; self.stranded = stranded; self.paths = paths
        self.strandedAt = strandedAt; self.suppressed = suppressed; self.searchedRows = searchedRows
    }

    /// Edge rows whose change can alter this outcome: those searched, else those of its paths.
    public func dependsOn(graph: RoutingGraph) -> [Int32] {
        if !searchedRows.isEmpty { return searchedRows }
        return paths.flatMap { $0.path.arcs.map { graph.arcEdge[Int($0)] } }
    }

    /// The cost of its cheapest path with flow; `nil` when stranded or without paths. For an
    /// outcome on a network without interventions, the cheapest cost of its choice set: the
    /// first of its alternatives always has flow (the logit shares are positive unless the
    /// outside option's exceeds them by e^745).
    public var cheapestCost: Double? {
        guard stranded == 0 else { return nil }
        return paths.lazy.map(\.path.totalCost).min()
    }

    /// Calls `body` with each path's flow and arcs, in path order, reading the arrays in place:
    /// the loops that measure every path of many outcomes (edge flows, distance, risk, route
    /// labels) copy no path, so they take no reference on arrays that other threads measuring
    /// the same unit outcomes read too.
    /// - Complexity: O(Σ arcs of the paths).
    @inline(__always)
    func forEachPath(_ body: (_ flow: Double, _ arcs: UnsafeBufferPointer<Int32>) throws -> Void) rethrows {
        try paths.withUnsafeBufferPointer { paths in
            for j in paths.indices { try paths[j].path.arcs.withUnsafeBufferPointer { try body(paths[j].flow, $0) } }
        }
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
    /// Relative gap of the returned flows (equilibrium only):
    /// (Σ_a v_a t_a(v_a) − Σ_od d · min cost) / Σ_a v_a t_a(v_a).
    public var relativeGap: Double?
    /// Frank–Wolfe steps taken (equilibrium); 1 for the other methods.
    public var iterations: Int
    public init(edgeFlows: [Double], forwardFlows: [Double], backwardFlows: [Double], outcomes: [DemandOutcome],
                relativeGap: Double?, iterations: Int) {
        self.edgeFlows = edgeFlows; self.forwardFlows = forwardFlows; self.backwardFlows = backwardFlows
        self.outcomes = outcomes; self.relativeGap = relativeGap; self.iterations = iterations
    }

    /// Total flow that reaches its destination / that is stranded.
    public var totalAssigned: Double { outcomes.reduce(0) { $0 + $1.assigned } }
    public var totalStranded: Double { outcomes.reduce(0) { $0 + $1.stranded } }
    public var totalSuppressed: Double { outcomes.reduce(0) { $0 + $1.suppressed } }
}

/// Cheapest-path trees from origins on a graph's own costs (no overlay, no barred edges), each
/// grown on first use and kept: what every assignment of one run asks of the undisturbed
/// network, the outside option's reference cost c₀ and the baseline route stranded demand is
/// held up on, whichever state or class of travellers asks. A tree is the same whoever grows
/// it first, so sharing changes no result. Trees of a class of travellers (`tree(from:class:)`)
/// have the edges barred to it closed: its reference cost is what it may travel.
final class UndisturbedTrees: @unchecked Sendable {
    let graph: RoutingGraph
    private let lock = NSLock()
    private var trees: [Int64: ShortestPathTree] = [:]
    private struct ClassKey: Hashable { var origin: Int64; var userClass: String }
    private var classTrees: [ClassKey: ShortestPathTree] = [:]

    /// The tree from `origin` with `rows` (the edges barred to `userClass`) closed, grown the first time.
    /// - Complexity: one Dijkstra per origin and class over the object's life, O(1) after.
    func tree(from origin: Int64, class userClass: String?, barred rows: [BarredEdge]?, query: ShortestPathQuery) throws
        -> ShortestPathTree {
        guard let userClass, let rows, !rows.isEmpty else { return try tree(from: origin, query: query) }
        let key = ClassKey(origin: origin, userClass: userClass)
        if let tree = lock.withLock({ classTrees[key] }) { return tree }
        var overlay = CostOverlay(graph: graph)
        for row in rows { try overlay.close(row, in: graph) }
        let tree = try query.shortestPathTree(from: origin, overlay: overlay)
        return lock.withLock {
            if let first = classTrees[key] { return first }
            classTrees[key] = tree
            return tree
        }
    }

    init(graph: RoutingGraph) { self.graph = graph }

    /// The tree from `origin`, grown with `query` (a query on `graph`) the first time.
    /// - Complexity: one Dijkstra per origin over the object's life, O(1) after.
    func tree(from origin: Int64, query: ShortestPathQuery) throws -> ShortestPathTree {
        if let tree = lock.withLock({ trees[origin] }) { return tree }
        let tree = try query.shortestPathTree(from: origin)
        return lock.withLock {
            if let first = trees[origin] { return first }
            trees[origin] = tree
            return tree
        }
    }
}
