/// The k cheapest loopless paths by Yen's algorithm.
///
/// J. Y. Yen, "Finding the k Shortest Loopless Paths in a Network",
/// Management Science 17(11) (1971) 712–716.
extension ShortestPathQuery {
    /// The largest `k` accepted by `kShortestPaths`: each path costs O(L)
    /// Dijkstra searches and keeps its candidates in memory, so an unbounded
    /// `k` is unbounded work.
    public static let maximumPathCount = 1_000

    /// Up to `k` distinct loopless paths from `source` to `target`, in
    /// nondecreasing cost, ties ordered by their sequence of edge ids.
    ///
    /// Paths are told apart by their arcs, so parallel edges give distinct
    /// paths. Fewer than `k` are returned when fewer exist.
    ///
    /// Yen's algorithm yields paths in nondecreasing cost but in no particular
    /// order within a cost. To make the choice among paths that tie with the
    /// k-th one canonical, enumeration continues through paths of that same
    /// cost (up to `k + tieAllowance` paths in all) before sorting and cutting.
    /// - Complexity: O(K · L) Dijkstra searches, K the number of paths
    ///   enumerated (at most `k + tieAllowance`) and L their node count.
    public func kShortestPaths(from source: Int64, to target: Int64, k: Int,
                               overlay: CostOverlay? = nil, tieAllowance: Int = 64) throws -> [Path] {
        let s = try nodeIndex(source), t = try nodeIndex(target)
        try validate(overlay)
        guard k >= 1, k <= Self.maximumPathCount else { throw GraphError.invalidPathCount(k) }
        if s == t { return [graph.path(start: s, arcs: [], overlay: overlay)] }
        let active = overlay.flatMap { $0.isEmpty ? nil : $0 }
        // One backward tree gives every spur search an exact A* bound, so each
        // explores little more than the path it returns.
        let toTarget = TreeLowerBound(remaining: tree(.backward, root: t, maxCost: .infinity, overlay: active).distances)
        guard toTarget.remaining[Int(s)] < .infinity else { return [] }

        guard let first = spurPath(from: s, to: t, overlay: active, bannedNodes: [], bannedArcs: [], bound: toTarget)
        else { return [] }
        var accepted = [candidate(start: s, arcs: first, overlay: active)]
        var pending: [Candidate] = []
        var seen: Set<[Int32]> = [first]

        let limit = k + max(0, tieAllowance)
        while accepted.count < limit {
            let previous = accepted[accepted.count - 1]
            for i in 0..<previous.arcs.count {
                let spur = previous.nodes[i]
                let rootArcs = previous.arcs[0..<i]
                var bannedArcs = Set<Int32>()
                for path in accepted where path.arcs.count > i && path.arcs[0..<i] == rootArcs {
                    bannedArcs.insert(path.arcs[i])
                }
                guard let tail = spurPath(from: spur, to: t, overlay: active, bannedNodes: previous.nodes[0..<i],
                                          bannedArcs: bannedArcs, bound: toTarget) else { continue }
                let arcs = Array(rootArcs) + tail
                if seen.insert(arcs).inserted {
                    pending.append(candidate(start: s, arcs: arcs, overlay: active))
                }
            }
            guard let best = pending.indices.min(by: { pending[$0].precedes(pending[$1]) }) else { break }
            // Accepted paths come in nondecreasing cost; past k only ties with the k-th matter.
            if accepted.count >= k && pending[best].cost > accepted[k - 1].cost { break }
            accepted.append(pending.remove(at: best))
        }
        accepted.sort { $0.precedes($1) }
        return accepted.prefix(k).map { graph.path(start: s, arcs: $0.arcs, overlay: active) }
    }

    private struct Candidate {
        let arcs: [Int32]
        let nodes: [Int32]
        let cost: Double
        let edgeIds: [Int64]

        func precedes(_ other: Candidate) -> Bool {
            if cost != other.cost { return cost < other.cost }
            return edgeIds.lexicographicallyPrecedes(other.edgeIds)
        }
    }

    private func candidate(start: Int32, arcs: [Int32], overlay: CostOverlay?) -> Candidate {
        var nodes = [start]
        var cost = 0.0
        for arc in arcs {
            nodes.append(graph.arcHead[Int(arc)])
            cost += overlay?.cost(ofArc: arc) ?? graph.cost(ofArc: arc)
        }
        return Candidate(arcs: arcs, nodes: nodes, cost: cost,
                         edgeIds: arcs.map { graph.edgeId(ofRow: graph.arcEdge[Int($0)]) })
    }

    /// Cheapest arcs from `root` to `target` avoiding `bannedNodes` and `bannedArcs`.
    /// A* (Hart, Nilsson, Raphael 1968) with the exact unrestricted bound.
    private func spurPath(from root: Int32, to target: Int32, overlay: CostOverlay?,
                          bannedNodes: ArraySlice<Int32>, bannedArcs: Set<Int32>, bound: TreeLowerBound) -> [Int32]? {
        let marks = beginMarks()
        for v in bannedNodes { marks.stamps[Int(v)] = marks.generation }
        let policy = RestrictedCosts(overlay: overlay, bannedNodeStamp: marks.stamps,
                                     banGeneration: marks.generation, bannedArcs: bannedArcs)
        let found = graph.withAdjacency(.forward) { adjacency in
            aStar(adjacency, source: root, target: target, bound: bound, policy: policy)
        }
        guard found else { return nil }
        return arcsFromRoot(forwardSpace, to: target)
    }
}
