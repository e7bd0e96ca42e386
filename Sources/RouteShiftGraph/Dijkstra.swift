/// Shortest-path trees and one-to-one shortest paths by Dijkstra's algorithm.
///
/// E. W. Dijkstra, "A note on two problems in connexion with graphs",
/// Numerische Mathematik 1 (1959) 269–271.
extension ShortestPathQuery {
    /// The cheapest path from `source` to `target`, or `nil` if there is none.
    ///
    /// Stops as soon as `target` is settled. Among equally cheap paths the one
    /// found is fixed by the arc order and the heap's tie-breaking, so it is
    /// the same on every run.
    /// - Complexity: O((n + m) log n) worst case; usually far less with the early exit.
    public func shortestPath(from source: Int64, to target: Int64, overlay: CostOverlay? = nil) throws -> Path? {
        let s = try nodeIndex(source), t = try nodeIndex(target)
        try validate(overlay)
        search(.forward, root: s, stopAt: t, maxCost: .infinity, overlay: overlay)
        guard forwardSpace.isSettled(t) else { return nil }
        return graph.path(start: s, arcs: arcsFromRoot(forwardSpace, to: t), overlay: overlay)
    }

    /// The cost of the cheapest path from `source` to `target`, or `nil` if there is none.
    /// - Complexity: as `shortestPath(from:to:overlay:)`.
    public func cost(from source: Int64, to target: Int64, overlay: CostOverlay? = nil) throws -> Double? {
        let s = try nodeIndex(source), t = try nodeIndex(target)
        try validate(overlay)
        search(.forward, root: s, stopAt: t, maxCost: .infinity, overlay: overlay)
        return forwardSpace.isSettled(t) ? forwardSpace.distance(t) : nil
    }

    /// Costs from `source` to every node whose cost is at most `maxCost`
    /// (pgRouting's `pgr_drivingDistance`; catchment areas).
    /// - Complexity: O((n + m) log n).
    public func shortestPathTree(from source: Int64, maxCost: Double = .infinity,
                                 overlay: CostOverlay? = nil) throws -> ShortestPathTree {
        let s = try nodeIndex(source)
        try validate(overlay); try validate(bound: maxCost)
        return tree(.forward, root: s, maxCost: maxCost, overlay: overlay)
    }

    /// Costs from every node to `target` whose cost is at most `maxCost`,
    /// searching the reverse adjacency ("who can reach this hub").
    /// - Complexity: O((n + m) log n).
    public func shortestPathTree(to target: Int64, maxCost: Double = .infinity,
                                 overlay: CostOverlay? = nil) throws -> ShortestPathTree {
        let t = try nodeIndex(target)
        try validate(overlay); try validate(bound: maxCost)
        return tree(.backward, root: t, maxCost: maxCost, overlay: overlay)
    }

    /// `shortestPathTree(from:)` by node index, for callers that already work
    /// on indices. `source` must be in `0..<graph.nodeCount`.
    /// - Complexity: O((n + m) log n).
    public func shortestPathTree(fromIndex source: Int32, maxCost: Double = .infinity,
                                 overlay: CostOverlay? = nil) throws -> ShortestPathTree {
        guard source >= 0, Int(source) < graph.nodeCount else { throw GraphError.unknownNode(Int64(source)) }
        try validate(overlay); try validate(bound: maxCost)
        return tree(.forward, root: source, maxCost: maxCost, overlay: overlay)
    }

    /// The cost of every node from the nearest of `sources` (`.forward`) or to the nearest of
    /// `targets` (`.backward`), by node index; `.infinity` where none is reached. One Dijkstra
    /// with every root at cost 0 (a virtual super-source joined to each by a free arc): the
    /// distance of a node to a set, as a lower bound for paths through any of its members.
    /// - Throws: `GraphError.unknownNode` for an id not in the graph; an invalid overlay as
    ///   the other searches.
    /// - Complexity: O((n + m) log n), as one tree.
    public func costs(_ direction: SearchDirection, nearestOf roots: [Int64], overlay: CostOverlay? = nil) throws -> [Double] {
        let indices = Array(Set(try roots.map { try nodeIndex($0) })).sorted()
        try validate(overlay)
        guard let first = indices.first else { return [Double](repeating: .infinity, count: graph.nodeCount) }
        return tree(direction, root: first, maxCost: .infinity, overlay: overlay, otherRoots: Array(indices.dropFirst())).distances
    }

    /// Searches straight into the tree's arrays (no copy of the search
    /// state); nodes beyond `maxCost`, which includes every node still in the
    /// heap when the search stops, are then cleared. `otherRoots` (distinct, not `root`)
    /// start at cost 0 too (then the tree's `root` is only the first of them).
    func tree(_ direction: SearchDirection, root: Int32, maxCost: Double, overlay: CostOverlay?,
              otherRoots: [Int32] = []) -> ShortestPathTree {
        let n = graph.nodeCount
        var predecessors = [Int32](repeating: -1, count: n)
        let distances = [Double](unsafeUninitializedCapacity: n) { distanceBuffer, count in
            distanceBuffer.initialize(repeating: .infinity)
            predecessors.withUnsafeMutableBufferPointer { predecessorBuffer in
                guard n > 0 else { return }
                search(direction, root: root, stopAt: -1, maxCost: maxCost, overlay: overlay,
                       into: (distanceBuffer.baseAddress!, predecessorBuffer.baseAddress!), otherRoots: otherRoots)
                if maxCost < .infinity {
                    for v in 0..<n where distanceBuffer[v] > maxCost && distanceBuffer[v] < .infinity {
                        distanceBuffer[v] = .infinity
                        predecessorBuffer[v] = -1
                    }
                }
            }
            count = n
        }
        return ShortestPathTree(graph: graph, root: root, direction: direction, distances: distances,
                                predecessorArcs: predecessors, overlay: overlay)
    }

    /// Runs Dijkstra in `forwardSpace`, choosing the loop specialisation:
    /// the plain one has no overlay test at all.
    ///
    /// With `into`, distances and predecessors go to those arrays (see
    /// `SearchSpace.begin(into:predecessors:)`) instead of the space's own.
    func search(_ direction: SearchDirection, root: Int32, stopAt target: Int32, maxCost: Double,
                overlay: CostOverlay?, targetMarks: (UnsafeMutablePointer<UInt32>, UInt32, Int)? = nil,
                into: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Int32>)? = nil, otherRoots: [Int32] = []) {
        let space = forwardSpace
        var heap = into.map { space.begin(into: $0.0, predecessors: $0.1) } ?? space.begin()
        for r in otherRoots { heap.reach(r, distance: 0, predecessor: -1, key: 0) }
        graph.withAdjacency(direction) { adjacency in
            if let overlay, !overlay.isEmpty {
                search(&heap, adjacency, root: root, target: target, maxCost: maxCost, targetMarks: targetMarks,
                       policy: OverlayCosts(overlay: overlay))
            } else {
                search(&heap, adjacency, root: root, target: target, maxCost: maxCost, targetMarks: targetMarks,
                       policy: GraphCosts())
            }
        }
        space.end(heap)
    }

    /// Chooses the loop specialisation for the cost column's storage, so the
    /// loop reads costs without testing which form they take.
    @inline(__always)
    private func search<P: ArcCostPolicy>(_ heap: inout QuaternaryHeap, _ adjacency: AdjacencyView, root: Int32,
                                          target: Int32, maxCost: Double,
                                          targetMarks: (UnsafeMutablePointer<UInt32>, UInt32, Int)?, policy: P) {
        if let costs = adjacency.costs {
            dijkstra(&heap, adjacency, costs: DoubleCostColumn(costs: costs), root: root, target: target,
                     maxCost: maxCost, targetMarks: targetMarks, policy: policy)
        } else {
            dijkstra(&heap, adjacency, costs: DecimalCostColumn(units: adjacency.units.unsafelyUnwrapped,
                                                                       scale: adjacency.scale),
                     root: root, target: target, maxCost: maxCost, targetMarks: targetMarks, policy: policy)
        }
    }

    /// The search loop. Stops when `target` (if not -1) is settled, when the
    /// smallest key exceeds `maxCost`, or when every marked target is settled.
    /// Predecessors are always forward arc indices.
    @inline(__always)
    func dijkstra<P: ArcCostPolicy, C: ArcCostColumn>(_ heap: inout QuaternaryHeap, _ adjacency: AdjacencyView, costs: C,
                                                      root: Int32, target: Int32, maxCost: Double,
                                                      targetMarks: (UnsafeMutablePointer<UInt32>, UInt32, Int)?,
                                                      policy: P) {
        let distances = heap.distances
        let first = adjacency.first, neighbour = adjacency.neighbour
        heap.reach(root, distance: 0, predecessor: -1, key: 0)
        var remaining = targetMarks?.2 ?? 0
        while !heap.isEmpty {
            let top = heap.popMin()
            let u = top.node, du = top.key
            if du > maxCost || u == target { break }
            adjacency.prefetchArcs(following: heap)
            if let (marks, markGeneration, _) = targetMarks, marks[Int(u)] == markGeneration {
                remaining -= 1
                if remaining == 0 { break }
            }
            var slot = Int(first[Int(u)])
            let end = Int(first[Int(u) + 1])
            while slot < end {
                let v = neighbour[slot]
                var c = costs[slot]
                if P.mayClose {
                    c = policy.cost(arc: adjacency.arcId(slot), head: v, base: c)
                    if c == .infinity { slot += 1; continue }
                }
                let d = du + c
                let old = distances[Int(v)]
                if d < old {
                    // Settled nodes never get here: costs are not negative, so d >= their distance.
                    heap.improve(v, distance: d, previous: old, predecessor: adjacency.arcId(slot), key: d)
                }
                slot += 1
            }
        }
    }
}

/// Costs (and the tree of cheapest paths) from one root to every node, or
/// from every node to one root for a `backward` tree.
public struct ShortestPathTree: Sendable {
    public let graph: RoutingGraph
    /// Index of the root node.
    public let root: Int32
    public let direction: SearchDirection
    /// Cost by node index; `.infinity` for nodes not reached within the bound.
    public let distances: [Double]
    /// Forward arc by which each node is reached (forward trees) or by which it
    /// leaves toward the root (backward trees); -1 for the root and unreached nodes.
    public let predecessorArcs: [Int32]
    let overlay: CostOverlay?

    /// Cost between the root and `node`, or `nil` if not reached.
    public func cost(at node: Int64) -> Double? {
        guard let v = graph.index(of: node), distances[Int(v)] < .infinity else { return nil }
        return distances[Int(v)]
    }

    /// The tree path root→`node` (forward) or `node`→root (backward), or `nil` if not reached.
    public func path(to node: Int64) -> Path? {
        guard let v = graph.index(of: node), distances[Int(v)] < .infinity else { return nil }
        return graph.path(start: direction == .forward ? root : v, arcs: arcs(toIndex: v), overlay: overlay)
    }

    /// The forward arcs of the tree path root→`v` (forward) or `v`→root (backward), in travel
    /// order; empty for the root and for unreached nodes.
    /// - Complexity: O(arcs on the path).
    public func arcs(toIndex v: Int32) -> [Int32] {
        var arcs: [Int32] = []
        var u = v
        while predecessorArcs[Int(u)] >= 0 {
            let arc = predecessorArcs[Int(u)]
            arcs.append(arc)
            u = direction == .forward ? graph.tail(ofArc: arc) : graph.arcHead[Int(arc)]
        }
        if direction == .forward { arcs.reverse() }
        return arcs
    }

    /// Every reached node with its cost, cheapest first, ties by external id.
    public func reachedNodes() -> [(node: Int64, cost: Double)] {
        var reached: [(node: Int64, cost: Double)] = []
        for v in 0..<distances.count where distances[v] < .infinity {
            reached.append((graph.externalId(of: Int32(v)), distances[v]))
        }
        reached.sort { ($0.cost, $0.node) < ($1.cost, $1.node) }
        return reached
    }
}
