/// One-to-one shortest paths by bidirectional Dijkstra: a forward search
/// from the source and a backward search (reverse adjacency) from the target,
/// advancing whichever has the smaller minimum key.
///
/// Every time a node's distance improves on one side and the node has been
/// reached on the other, the meeting cost is a candidate. The search stops
/// when top(forward) + top(backward) >= best candidate, which proves no
/// cheaper meeting exists (Nicholson 1966; Goldberg & Harrelson, SODA 2005).
extension ShortestPathQuery {
    /// The cheapest path from `source` to `target`, or `nil` if there is none.
    ///
    /// Same cost as `shortestPath(from:to:overlay:)`; among equally cheap
    /// paths it may return a different (but fixed) one.
    /// - Complexity: O((n + m) log n) worst case; on road-like graphs it
    ///   settles roughly half the nodes a one-sided search does.
    public func bidirectionalShortestPath(from source: Int64, to target: Int64,
                                          overlay: CostOverlay? = nil) throws -> Path? {
        let s = try nodeIndex(source), t = try nodeIndex(target)
        try validate(overlay)
        if s == t { return graph.path(start: s, arcs: [], overlay: overlay) }
        let backward = backwardSpace
        if graph.isSymmetric && (overlay?.isEmpty ?? true) {
            // Arcs entering a node are its leaving arcs' twins: the backward search reads
            // the forward adjacency (same order, same costs), and the reverse adjacency
            // (O(n + m) to build) is never needed. Predecessors are then leaving arcs,
            // turned into the path's arcs by their twins.
            let meet: Int32 = graph.withAdjacency(.forward) { adjacency in
                bidirectional(forwardSpace, adjacency, backward, adjacency, source: s, target: t, policy: GraphCosts())
            }
            guard meet >= 0 else { return nil }
            var arcs = arcsFromRoot(forwardSpace, to: meet)
            var v = meet
            while true {
                let leaving = backward.predecessor(v)  // u → v, u one step nearer the target
                if leaving < 0 { break }
                let u = graph.tail(ofArc: leaving)
                let twin = graph.twin(of: leaving, tail: u)
                // Only a stored graph (`init(storage:)`) wrongly marked symmetric lacks a twin.
                guard twin >= 0 else { throw GraphError.inconsistentStorage("marked symmetric, but an arc has no twin") }
                arcs.append(twin)
                v = u
            }
            return graph.path(start: s, arcs: arcs, overlay: overlay)
        }
        let meet: Int32 = graph.withAdjacency(.forward) { forwardAdjacency in
            graph.withAdjacency(.backward) { backwardAdjacency in
                if let overlay, !overlay.isEmpty {
                    return bidirectional(forwardSpace, forwardAdjacency, backward, backwardAdjacency,
                                         source: s, target: t, policy: OverlayCosts(overlay: overlay))
                }
                return bidirectional(forwardSpace, forwardAdjacency, backward, backwardAdjacency,
                                     source: s, target: t, policy: GraphCosts())
            }
        }
        guard meet >= 0 else { return nil }
        let arcs = arcsFromRoot(forwardSpace, to: meet) + arcsToRoot(backward, from: meet)
        return graph.path(start: s, arcs: arcs, overlay: overlay)
    }

    /// Returns the meeting node of the best path, or -1.
    @inline(__always)
    private func bidirectional<P: ArcCostPolicy>(_ forward: SearchSpace, _ forwardAdjacency: AdjacencyView,
                                                 _ backward: SearchSpace, _ backwardAdjacency: AdjacencyView,
                                                 source: Int32, target: Int32, policy: P) -> Int32 {
        var forwardHeap = forward.begin(), backwardHeap = backward.begin()
        forwardHeap.reach(source, distance: 0, predecessor: -1, key: 0)
        backwardHeap.reach(target, distance: 0, predecessor: -1, key: 0)
        var best = Double.infinity
        var meet: Int32 = -1
        while forwardHeap.minKey + backwardHeap.minKey < best {
            if forwardHeap.minKey <= backwardHeap.minKey {
                step(forward, &forwardHeap, forwardAdjacency, other: backward, best: &best, meet: &meet, policy: policy)
            } else {
                step(backward, &backwardHeap, backwardAdjacency, other: forward, best: &best, meet: &meet, policy: policy)
            }
        }
        forward.end(forwardHeap)
        backward.end(backwardHeap)
        return meet
    }

    /// Settles one node on one side and relaxes its arcs.
    @inline(__always)
    private func step<P: ArcCostPolicy>(_ space: SearchSpace, _ heap: inout QuaternaryHeap, _ adjacency: AdjacencyView,
                                        other: SearchSpace, best: inout Double, meet: inout Int32, policy: P) {
        let distances = heap.distances, otherDistances = other.distances
        let top = heap.popMin()
        let u = top.node, du = top.key
        adjacency.prefetchArcs(following: heap)
        var slot = Int(adjacency.first[Int(u)])
        let end = Int(adjacency.first[Int(u) + 1])
        while slot < end {
            defer { slot += 1 }
            let v = adjacency.neighbour[slot]
            var c = adjacency.cost(slot)
            if P.mayClose {
                c = policy.cost(arc: adjacency.arcId(slot), head: v, base: c)
                if c == .infinity { continue }
            }
            let d = du + c
            let old = distances[Int(v)]
            guard d < old else { continue }
            heap.improve(v, distance: d, previous: old, predecessor: adjacency.arcId(slot), key: d)
            // Unreached on the other side means distance infinity, so no candidate.
            let candidate = d + otherDistances[Int(v)]
            if candidate < best { best = candidate; meet = v }
        }
    }
}
