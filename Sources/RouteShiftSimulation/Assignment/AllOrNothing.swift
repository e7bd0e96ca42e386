import RouteShiftCore
import RouteShiftGraph

/// A demand's cheapest route in forward arcs, or the hub where it is held up.
enum RouteChoice: Sendable {
    case route(arcs: [Int32], cost: Double)
    case unreachable(strandedAt: Int64?)
}

/// Demand indices grouped by origin node index (origins ascending), so each
/// origin's shortest-path tree is grown once.
struct OriginGroups: Sendable {
    var origins: [Int32] = []
    var members: [[Int]] = []

    init(graph: RoutingGraph, demand: [Demand], only subset: [Int]? = nil) {
        var byOrigin: [Int32: [Int]] = [:]
        for i in subset ?? Array(demand.indices) {
            byOrigin[graph.index(of: demand[i].origin)!, default: []].append(i)
        }
        origins = byOrigin.keys.sorted()
        members = origins.map { byOrigin[$0]! }
    }
}

/// All-or-nothing assignment: each demand on its cheapest path.
enum AllOrNothing {
    static func assign(_ problem: AssignmentProblem) throws -> AssignmentResult {
        let graph = problem.graph
        let overlay = problem.overlay
        let choices = try cheapestRoutes(graph: graph, overlay: overlay, demand: problem.demand,
                                         hubs: problem.options.hubs, workers: problem.options.workers)
        var outcomes: [DemandOutcome] = []
        outcomes.reserveCapacity(problem.demand.count)
        for (i, d) in problem.demand.enumerated() {
            switch choices[i]! {
            case let .route(arcs, _):
                let path = graph.path(start: graph.index(of: d.origin)!, arcs: arcs, overlay: overlay)
                outcomes.append(DemandOutcome(demand: d, assigned: d.flow, stranded: 0,
                                              paths: d.flow > 0 ? [PathFlow(path: path, flow: d.flow)] : []))
            case let .unreachable(hub):
                outcomes.append(DemandOutcome(demand: d, assigned: 0, stranded: d.flow, paths: [], strandedAt: hub))
            }
        }
        return AssignmentResult(graph: graph, outcomes: outcomes, relativeGap: nil, iterations: 1)
    }

    /// The cheapest route of every demand in `subset` (all by default), by
    /// demand index (`nil` outside the subset): one tree per distinct origin,
    /// in parallel across origins.
    ///
    /// Ties between equally cheap paths are broken by the search (arc order,
    /// then node index in the heap), the same on every run.
    /// - Complexity: O(o · (n + m) log n) for o distinct origins, plus one
    ///   baseline search per stranded demand.
    static func cheapestRoutes(graph: RoutingGraph, overlay: CostOverlay?, demand: [Demand], hubs: Set<Int64>,
                               workers: Int, subset: [Int]? = nil) throws -> [RouteChoice?] {
        let groups = OriginGroups(graph: graph, demand: demand, only: subset)
        let perOrigin = try Parallel.map(count: groups.origins.count, workers: workers,
                                         state: { ShortestPathQuery(graph: graph) }) { query, g -> [RouteChoice] in
            let tree = try query.shortestPathTree(fromIndex: groups.origins[g], overlay: overlay)
            return try groups.members[g].map { i -> RouteChoice in
                let t = Int(graph.index(of: demand[i].destination)!)
                guard tree.distances[t] < .infinity else {
                    return .unreachable(strandedAt: try strandedHub(query: query, tree: tree, demand: demand[i],
                                                                    hubs: hubs))
                }
                return .route(arcs: tree.arcs(toIndex: Int32(t)), cost: tree.distances[t])
            }
        }
        var choices = [RouteChoice?](repeating: nil, count: demand.count)
        for (g, members) in groups.members.enumerated() {
            for (j, i) in members.enumerated() { choices[i] = perOrigin[g][j] }
        }
        return choices
    }

    /// `cheapestRoutes` with each class of travellers on `overlay` with its barred edges closed
    /// (`AssignmentProblem.barredRows`).
    /// - Complexity: one `cheapestRoutes` per class with barred edges, plus one for the rest.
    static func cheapestRoutesByClass(_ problem: AssignmentProblem, overlay: CostOverlay,
                                      subset: [Int]? = nil) throws -> [RouteChoice?] {
        let graph = problem.graph, options = problem.options
        guard let groups = Assignment.classGroups(problem) else {
            return try cheapestRoutes(graph: graph, overlay: overlay, demand: problem.demand, hubs: options.hubs,
                                      workers: options.workers, subset: subset)
        }
        let wanted = subset.map(Set.init)
        var out = [RouteChoice?](repeating: nil, count: problem.demand.count)
        for (userClass, members) in groups {
            let chosen = wanted.map { w in members.filter { w.contains($0) } } ?? members
            guard !chosen.isEmpty else { continue }
            var classOverlay = overlay
            if let userClass { for row in problem.barredRows[userClass] ?? [] { try classOverlay.close(row, in: graph) } }
            let found = try cheapestRoutes(graph: graph, overlay: classOverlay, demand: problem.demand, hubs: options.hubs,
                                           workers: options.workers, subset: chosen)
            for i in chosen { out[i] = found[i] }
        }
        return out
    }

    /// Forward arcs root → `node` along a forward tree.
    /// The hub where a demand unreachable in `tree` is held up, on its
    /// baseline route (cheapest path without any overlay).
    static func strandedHub(query: ShortestPathQuery, tree: ShortestPathTree, demand: Demand,
                            hubs: Set<Int64>) throws -> Int64? {
        guard !hubs.isEmpty else { return nil }
        return strandedHub(tree: tree, baseline: try query.shortestPath(from: demand.origin, to: demand.destination), hubs: hubs)
    }

    /// The same with the baseline route given (the undisturbed tree's path to the destination).
    static func strandedHub(tree: ShortestPathTree, baseline: Path?, hubs: Set<Int64>) -> Int64? {
        guard !hubs.isEmpty, let baseline else { return nil }
        let graph = tree.graph
        return Assignment.strandedLocation(baselinePath: baseline,
                                           reachable: { tree.distances[Int(graph.index(of: $0)!)] < .infinity },
                                           isHub: { hubs.contains($0) })
    }
}

extension AssignmentResult {
    /// Edge flows summed from the outcomes' path flows, in demand order (so the
    /// sums are the same on every run).
    init(graph: RoutingGraph, outcomes: [DemandOutcome], relativeGap: Double?, iterations: Int) {
        var forward = [Double](repeating: 0, count: graph.edgeCount)
        var backward = [Double](repeating: 0, count: graph.edgeCount)
        let arcEdge = graph.arcEdge, forwardArc = graph.edgeForwardArc
        outcomes.withUnsafeBufferPointer { outcomes in
            for o in outcomes.indices {
                outcomes[o].forEachPath { flow, arcs in
                    for arc in arcs {
                        let row = Int(arcEdge[Int(arc)])
                        if forwardArc[row] == arc { forward[row] += flow } else { backward[row] += flow }
                    }
                }
            }
        }
        let total = zip(forward, backward).map { $0 + $1 }
        self.init(edgeFlows: total, forwardFlows: forward, backwardFlows: backward, outcomes: outcomes,
                  relativeGap: relativeGap, iterations: iterations)
    }
}

extension [PathFlow] {
    /// Most used first, ties by the sequence of edge ids.
    mutating func sortByUse() {
        sort { a, b in
            if a.flow != b.flow { return a.flow > b.flow }
            return a.path.edges.lexicographicallyPrecedes(b.path.edges)
        }
    }
}
