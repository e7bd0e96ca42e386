/// A lower bound on the cost between two nodes, steering A* search.
///
/// The bound must be admissible (never above the true cheapest cost); then
/// A* returns a cheapest path. It need not be consistent: nodes whose cost
/// improves after being settled are reopened. A negative or NaN bound is
/// used as 0, which costs (never negative) keep admissible, and consistent
/// if the bound was.
/// The geodesic bound for geographic networks lives with the network model;
/// `ZeroLowerBound` turns A* into Dijkstra.
public protocol CostLowerBound {
    /// A lower bound on the cost from node index `node` to node index `target`.
    func lowerBound(from node: Int32, to target: Int32) -> Double
}

/// The trivial bound: A* with it settles nodes exactly as Dijkstra does.
public struct ZeroLowerBound: CostLowerBound, Sendable {
    public init() {}
    @inline(__always)
    public func lowerBound(from node: Int32, to target: Int32) -> Double { 0 }
}

/// Exact remaining costs to one fixed target, from a backward shortest-path tree:
/// the best possible A* bound. Yen's spur searches use it, since banning arcs and
/// nodes only raises costs, so the unrestricted costs stay admissible and consistent.
struct TreeLowerBound: CostLowerBound {
    let remaining: [Double]
    @inline(__always)
    func lowerBound(from node: Int32, to target: Int32) -> Double { remaining[Int(node)] }
}

/// A bound given as a closure over node indices.
public struct ClosureLowerBound: CostLowerBound {
    let body: (Int32, Int32) -> Double
    public init(_ body: @escaping (_ node: Int32, _ target: Int32) -> Double) { self.body = body }
    public func lowerBound(from node: Int32, to target: Int32) -> Double { body(node, target) }
}

/// One-to-one shortest paths by A*.
///
/// P. E. Hart, N. J. Nilsson, B. Raphael, "A Formal Basis for the Heuristic
/// Determination of Minimum Cost Paths", IEEE Transactions on Systems Science
/// and Cybernetics 4(2) (1968) 100–107.
extension ShortestPathQuery {
    /// The cheapest path from `source` to `target` guided by `bound`, or `nil`
    /// if there is none. Heap keys are g + h, ties by node index.
    /// - Complexity: O((n + m) log n) with a consistent bound; an inconsistent
    ///   one may reopen nodes.
    public func aStarShortestPath<Bound: CostLowerBound>(from source: Int64, to target: Int64, bound: Bound,
                                                         overlay: CostOverlay? = nil) throws -> Path? {
        let s = try nodeIndex(source), t = try nodeIndex(target)
        try validate(overlay)
        let found = graph.withAdjacency(.forward) { adjacency in
            if let overlay, !overlay.isEmpty {
                return aStar(adjacency, source: s, target: t, bound: bound, policy: OverlayCosts(overlay: overlay))
            }
            return aStar(adjacency, source: s, target: t, bound: bound, policy: GraphCosts())
        }
        guard found else { return nil }
        return graph.path(start: s, arcs: arcsFromRoot(forwardSpace, to: t), overlay: overlay)
    }

    /// A bound as a heap key term: negative and NaN become 0 (the heap's keys
    /// must not be negative, see `HeapEntry`).
    @inline(__always)
    private func usable(_ bound: Double) -> Double { bound > 0 ? bound : 0 }

    /// The search loop. With `maxKey`, it gives up (returns `false`) at the first node
    /// whose key exceeds it: with an admissible bound no path cheaper than `maxKey`
    /// then remains, and up to that point it has done exactly what the full search does.
    @inline(__always)
    func aStar<Bound: CostLowerBound, P: ArcCostPolicy>(_ adjacency: AdjacencyView, source: Int32,
                                                               target: Int32, bound: Bound, policy: P,
                                                               maxKey: Double = .infinity) -> Bool {
        let space = forwardSpace
        var heap = space.begin()
        let distances = heap.distances
        heap.reach(source, distance: 0, predecessor: -1, key: usable(bound.lowerBound(from: source, to: target)))
        var found = false
        while !heap.isEmpty {
            let top = heap.popMin()
            let u = top.node
            if u == target { found = true; break }
            if top.key > maxKey { break }
            adjacency.prefetchArcs(following: heap)
            let du = distances[Int(u)]
            var slot = Int(adjacency.first[Int(u)])
            let end = Int(adjacency.first[Int(u) + 1])
            while slot < end {
                defer { slot += 1 }
                let v = adjacency.neighbour[slot]
                var c = adjacency.cost(slot)
                if P.mayClose {
                    c = policy.cost(arc: Int32(slot), head: v, base: c)
                    if c == .infinity { continue }
                }
                let d = du + c
                let old = distances[Int(v)]
                guard d < old else { continue }
                let key = d + usable(bound.lowerBound(from: v, to: target))
                // A settled node whose cost improves is reopened (inconsistent bounds).
                heap.improve(v, distance: d, previous: old, predecessor: Int32(slot), key: key)
            }
        }
        space.end(heap)
        return found
    }
}
