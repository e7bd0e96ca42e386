/// Which arcs count as one link when alternatives are compared, and which of
/// those links a choice-set search may remove.
///
/// A group is any set of edges that people would call "the same way": on a
/// border-section network every section of one border is one group, so two
/// paths that differ only by which section of the border they use overlap
/// fully. Groups are by edge row; both arcs of an edge share its group.
public struct LinkGroups: Sendable {
    /// Group of each edge row (0 ..< groupCount).
    public let groupOfEdge: [Int32]
    /// Per group: whether elimination may remove it (crossings, not the legs between them).
    public let eliminable: [Bool]
    /// Length of each edge row used for overlap (positive; the caller picks the unit).
    public let lengths: [Double]
    /// Forward arcs of each group, CSR: arcs of group g are `groupArcs[groupFirst[g] ..< groupFirst[g + 1]]`.
    let groupFirst: [Int32]
    let groupArcs: [Int32]
    let graphIdentity: UInt64

    /// - Throws: `GraphError.columnLengthMismatch` when an array does not have
    ///   one entry per edge row (per group for `eliminable`), `.invalidGroup`
    ///   for a group id outside `0 ..< eliminable.count`, `.nonFiniteCost` for a
    ///   length that is not finite or is negative.
    /// - Complexity: O(E + A + G).
    public init(graph: RoutingGraph, groupOfEdge: [Int32], eliminable: [Bool], lengths: [Double]) throws {
        guard groupOfEdge.count == graph.edgeCount else {
            throw GraphError.columnLengthMismatch(column: "groupOfEdge", count: groupOfEdge.count, expected: graph.edgeCount)
        }
        guard lengths.count == graph.edgeCount else {
            throw GraphError.columnLengthMismatch(column: "lengths", count: lengths.count, expected: graph.edgeCount)
        }
        for (row, g) in groupOfEdge.enumerated() where g < 0 || Int(g) >= eliminable.count {
            throw GraphError.invalidGroup(edgeId: graph.edgeId(ofRow: Int32(row)), group: Int(g))
        }
        for (row, l) in lengths.enumerated() where !(l.isFinite && l >= 0) {
            throw GraphError.nonFiniteCost(edgeId: graph.edgeId(ofRow: Int32(row)), column: "lengths", value: l)
        }
        var first = [Int32](repeating: 0, count: eliminable.count + 1)
        for arc in 0..<graph.arcCount { first[Int(groupOfEdge[Int(graph.arcEdge[arc])]) + 1] += 1 }
        for g in 0..<eliminable.count { first[g + 1] += first[g] }
        var cursor = first
        var arcs = [Int32](repeating: 0, count: graph.arcCount)
        for arc in 0..<graph.arcCount {
            let g = Int(groupOfEdge[Int(graph.arcEdge[arc])])
            arcs[Int(cursor[g])] = Int32(arc)
            cursor[g] += 1
        }
        self.groupOfEdge = groupOfEdge; self.eliminable = eliminable; self.lengths = lengths
        groupFirst = first; groupArcs = arcs; graphIdentity = graph.identity
    }

    /// Every edge its own group, all eliminable, lengths = `lengths`
    /// (plain link elimination on the arcs' edges).
    public static func edges(of graph: RoutingGraph, lengths: [Double]) throws -> LinkGroups {
        try LinkGroups(graph: graph, groupOfEdge: (0..<graph.edgeCount).map { Int32($0) },
                       eliminable: Array(repeating: true, count: graph.edgeCount), lengths: lengths)
    }

    public var groupCount: Int { eliminable.count }

    /// Overlap of two paths: the larger of the two shares of length that run
    /// on groups the other path also uses, in [0, 1]. 1 for near-copies that
    /// differ only inside groups; 0 for paths with no group in common.
    /// A path of length 0 shares everything with any path.
    /// - Complexity: O(|a| + |b|).
    public func overlap(_ a: [Int32], _ b: [Int32], graph: RoutingGraph) -> Double {
        overlap(a, groups(of: a, graph: graph), b, groups(of: b, graph: graph), graph: graph)
    }

    /// The groups a path's arcs run on.
    func groups(of arcs: [Int32], graph: RoutingGraph) -> Set<Int32> {
        Set(arcs.map { groupOfEdge[Int(graph.arcEdge[Int($0)])] })
    }

    /// `overlap(_:_:graph:)` with each path's groups (`groups(of:graph:)`) worked out beforehand.
    func overlap(_ a: [Int32], _ ga: Set<Int32>, _ b: [Int32], _ gb: Set<Int32>, graph: RoutingGraph) -> Double {
        func share(_ arcs: [Int32], on other: Set<Int32>) -> Double {
            var shared = 0.0, total = 0.0
            for arc in arcs {
                let row = Int(graph.arcEdge[Int(arc)])
                total += lengths[row]
                if other.contains(groupOfEdge[row]) { shared += lengths[row] }
            }
            return total > 0 ? shared / total : 1
        }
        return max(share(a, on: gb), share(b, on: ga))
    }
}

/// How a choice set of distinct alternatives is built.
public struct ChoiceSetRule: Hashable, Sendable {
    /// At most this many paths (the cheapest first).
    public var size: Int
    /// A path is kept only if its overlap (`LinkGroups.overlap`) with every kept path is at most this.
    public var maxOverlap: Double
    /// A path is kept only if it costs at most `(1 + maxDetour)` times the cheapest.
    public var maxDetour: Double
    /// Shortest-path searches allowed per origin–destination pair (the tree is cut there),
    /// 1 to `maximumSearchLimit`.
    public var searchLimit: Int
    /// The largest `searchLimit`: beyond it the searches of one pair run for minutes
    /// on a continental network, for choice sets of a few routes.
    public static let maximumSearchLimit = 1_000

    public init(size: Int = 4, maxOverlap: Double = 0.8, maxDetour: Double = 0.5, searchLimit: Int = 48) {
        self.size = size; self.maxOverlap = maxOverlap; self.maxDetour = maxDetour; self.searchLimit = searchLimit
    }
}

/// A choice set with what was searched to build it.
public struct DistinctPaths: Sendable {
    /// Kept alternatives, cheapest first (the first is a cheapest path).
    public var paths: [Path]
    /// Edge rows of every path the searches found, kept or not, ascending:
    /// the set is the same under an overlay that only changes other edges
    /// and never makes anything cheaper.
    public var searchedRows: [Int32]
    /// Searches run.
    public var searches: Int
}

/// Choice sets of really different routes by breadth-first link elimination.
///
/// N. Rieser-Schüssler, M. Balmer, K. W. Axhausen, "Route choice sets for very
/// high-resolution data", Transportmetrica A 9(9) (2013) 825–845: from the
/// cheapest path, each link of it is removed in turn and the cheapest path of
/// what remains searched; the paths found are expanded the same way, level by
/// level (breadth first), so every alternative differs from its parent by at
/// least one removed link. Here a "link" is a `LinkGroups` group (a whole
/// border, a sea crossing), so removing one forces a different crossing, not
/// a neighbouring section of the same one. Paths are kept in the order found
/// when they pass the detour and overlap filters of the `ChoiceSetRule`.
/// Cheapest costs from every node to one target under one overlay: the exact A*
/// bound of `distinctPaths`. Grown once per target (one backward Dijkstra) and
/// shared by every origin searched towards it, which gives the same choice sets as
/// growing it per origin–destination pair.
public struct CostsToTarget: Sendable {
    /// External id of the target.
    public let target: Int64
    let index: Int32
    let graphIdentity: UInt64
    /// What the overlay changed (arc → effective cost); empty without one.
    let changes: [Int32: Double]
    let bound: TreeLowerBound
}

extension ShortestPathQuery {
    /// The costs to `target` that `distinctPaths(from:to:rule:groups:overlay:)`
    /// steers by, under `overlay`, for reuse by many origins.
    /// - Throws: `GraphError.unknownNode`, `.overlayFromAnotherGraph`.
    /// - Complexity: one backward Dijkstra, O((n + m) log n); O(n) memory.
    public func costsToTarget(_ target: Int64, overlay: CostOverlay? = nil) throws -> CostsToTarget {
        let t = try nodeIndex(target)
        try validate(overlay)
        let active = overlay.flatMap { $0.isEmpty ? nil : $0 }
        return CostsToTarget(target: target, index: t, graphIdentity: graph.identity, changes: active?.changedCost ?? [:],
                             bound: TreeLowerBound(remaining: tree(.backward, root: t, maxCost: .infinity, overlay: active).distances))
    }

    /// Up to `rule.size` alternatives from `source` to `target`.
    ///
    /// A found path dearer than `(1 + maxDetour) ×` the cheapest is not kept
    /// and not expanded (removing more only makes paths dearer). Ties are
    /// broken by the search (arc order, node index), the same on every run.
    /// - Throws: `GraphError` for unknown nodes, an overlay or groups of another graph,
    ///   a size below one, or a negative/NaN overlap or detour.
    /// - Complexity: one backward tree, then at most `rule.searchLimit` A* searches
    ///   with the exact unrestricted bound (each removal only raises costs, so it stays
    ///   admissible), each stopped once no path within the detour limit remains.
    public func distinctPaths(from source: Int64, to target: Int64, rule: ChoiceSetRule, groups: LinkGroups,
                              overlay: CostOverlay? = nil) throws -> DistinctPaths {
        _ = try nodeIndex(source)
        return try distinctPaths(from: source, to: costsToTarget(target, overlay: overlay), rule: rule, groups: groups,
                                 overlay: overlay)
    }

    /// `distinctPaths(from:to:rule:groups:overlay:)` with the costs to the target
    /// grown beforehand (`costsToTarget`) under the same overlay: the same result,
    /// without the backward tree.
    /// - Throws: as the other form, and `GraphError.mismatchedTargetCosts` when `costs`
    ///   were grown on another graph or under other overlay changes.
    /// - Complexity: at most `rule.searchLimit` A* searches.
    public func distinctPaths(from source: Int64, to costs: CostsToTarget, rule: ChoiceSetRule, groups: LinkGroups,
                              overlay: CostOverlay? = nil) throws -> DistinctPaths {
        let s = try nodeIndex(source), t = costs.index
        try validate(overlay)
        guard groups.graphIdentity == graph.identity else { throw GraphError.overlayFromAnotherGraph }
        guard rule.size >= 1 else { throw GraphError.invalidPathCount(rule.size) }
        guard rule.maxOverlap >= 0, rule.maxDetour >= 0 else {
            throw GraphError.invalidCostBound(rule.maxOverlap.isNaN || rule.maxOverlap < 0 ? rule.maxOverlap : rule.maxDetour)
        }
        let active = overlay.flatMap { $0.isEmpty ? nil : $0 }
        guard costs.graphIdentity == graph.identity, costs.changes == (active?.changedCost ?? [:]) else {
            throw GraphError.mismatchedTargetCosts(target: costs.target)
        }
        if s == t { return DistinctPaths(paths: [graph.path(start: s, arcs: [], overlay: overlay)], searchedRows: [], searches: 0) }
        let toTarget = costs.bound
        guard toTarget.remaining[Int(s)] < .infinity else { return DistinctPaths(paths: [], searchedRows: [], searches: 0) }

        let arcMarks = beginArcMarks()
        // The overlay's changed-arc bits and costs, taken out once: the search loop then tests
        // a bit per arc instead of copying the overlay (and retaining its arrays) per relaxation.
        let changedMask = active?.changedMask ?? []
        let changedCost = active?.changedCost ?? [:]
        var searches = 0
        // Searches after the first only matter up to the detour limit: they stop beyond it
        // (the margin covers rounding in the bound), which changes no path that is kept.
        var maxKey = Double.infinity
        func search(removing removed: [Int32]) -> (arcs: [Int32], cost: Double)? {
            searches += 1
            let generation = nextArcGeneration()
            for g in removed {
                for i in Int(groups.groupFirst[Int(g)])..<Int(groups.groupFirst[Int(g) + 1]) {
                    arcMarks[Int(groups.groupArcs[i])] = generation
                }
            }
            let found = changedMask.withUnsafeBufferPointer { mask in
                let policy = EliminatedArcs(changedMask: active == nil ? nil : mask.baseAddress, changedCost: changedCost,
                                            arcStamp: arcMarks, generation: generation)
                return graph.withAdjacency(.forward) { adjacency in
                    aStar(adjacency, source: s, target: t, bound: toTarget, policy: policy, maxKey: maxKey)
                }
            }
            guard found else { return nil }
            return (arcsFromRoot(forwardSpace, to: t), forwardSpace.distance(t))
        }

        guard let first = search(removing: []) else { return DistinctPaths(paths: [], searchedRows: [], searches: searches) }
        let limit = (1 + rule.maxDetour) * first.cost
        maxKey = limit + 1e-9 * limit
        var kept: [[Int32]] = [first.arcs]
        var keptGroups: [Set<Int32>] = [groups.groups(of: first.arcs, graph: graph)]
        var found: Set<[Int32]> = [first.arcs]
        var searchedRows = Set(first.arcs.map { graph.arcEdge[Int($0)] })
        var level: [(removed: [Int32], arcs: [Int32])] = [([], first.arcs)]
        var tried: Set<[Int32]> = [[]]
        expansion: while !level.isEmpty && kept.count < rule.size {
            var next: [(removed: [Int32], arcs: [Int32])] = []
            for parent in level {
                var seenGroups = Set<Int32>()
                for arc in parent.arcs {
                    let g = groups.groupOfEdge[Int(graph.arcEdge[Int(arc)])]
                    guard groups.eliminable[Int(g)], seenGroups.insert(g).inserted else { continue }
                    let removed = (parent.removed + [g]).sorted()
                    guard tried.insert(removed).inserted else { continue }
                    guard searches < rule.searchLimit else { break expansion }
                    guard let path = search(removing: removed), path.cost <= limit else { continue }
                    for a in path.arcs { searchedRows.insert(graph.arcEdge[Int(a)]) }
                    next.append((removed, path.arcs))
                    guard found.insert(path.arcs).inserted else { continue }
                    let pathGroups = groups.groups(of: path.arcs, graph: graph)
                    if kept.indices.allSatisfy({ groups.overlap(kept[$0], keptGroups[$0], path.arcs, pathGroups, graph: graph) <= rule.maxOverlap }) {
                        kept.append(path.arcs)
                        keptGroups.append(pathGroups)
                        if kept.count == rule.size { break expansion }
                    }
                }
            }
            level = next
        }
        // Cheapest first, ties by edge ids (the first found is a cheapest path, so it stays first).
        let paths = kept.map { graph.path(start: s, arcs: $0, overlay: active) }.sorted { a, b in
            a.totalCost != b.totalCost ? a.totalCost < b.totalCost : a.edges.lexicographicallyPrecedes(b.edges)
        }
        return DistinctPaths(paths: paths, searchedRows: searchedRows.sorted(), searches: searches)
    }
}

extension ShortestPathQuery {
    /// For each of `targets`, a lower bound on the cost of any path from `source` to that
    /// target that runs through one of `arcs` (forward arc indices of this graph), under
    /// `overlay`: the cheapest of `cost(source → tail) + cost(arc) + cost(head → target)`,
    /// `.infinity` when that exceeds `maxCost` or no such path exists. A choice set whose
    /// detour limit lies below this bound cannot contain, nor have searched, a path through
    /// those arcs (`FixedChoiceSets` reuses sets on that ground).
    /// - Throws: `GraphError.unknownNode`, `.overlayFromAnotherGraph`, and
    ///   `.mismatchedTargetCosts` for target costs grown on another graph or under another overlay.
    /// - Complexity: one forward Dijkstra bounded by `maxCost`, then O(|arcs| × |targets|).
    public func cheapestCosts(from source: Int64, via arcs: [Int32], to targets: [CostsToTarget], maxCost: Double,
                              overlay: CostOverlay? = nil) throws -> [Double] {
        let s = try nodeIndex(source)
        try validate(overlay)
        let active = overlay.flatMap { $0.isEmpty ? nil : $0 }
        for costs in targets where costs.graphIdentity != graph.identity || costs.changes != (active?.changedCost ?? [:]) {
            throw GraphError.mismatchedTargetCosts(target: costs.target)
        }
        guard !arcs.isEmpty, !targets.isEmpty else { return Array(repeating: .infinity, count: targets.count) }
        let fromSource = tree(.forward, root: s, maxCost: maxCost, overlay: active).distances
        return targets.map { costs in
            var best = Double.infinity
            for arc in arcs {
                let u = graph.tail(ofArc: arc), v = graph.arcHead[Int(arc)]
                let c = active?.cost(ofArc: arc) ?? graph.cost(ofArc: arc)
                best = min(best, fromSource[Int(u)] + c + costs.bound.remaining[Int(v)])
            }
            return best <= maxCost ? best : .infinity
        }
    }
}

/// Costs under an optional overlay (its changed-arc bits and costs, `CostOverlay`'s
/// storage) with the arcs stamped with the current generation removed.
struct EliminatedArcs: ArcCostPolicy {
    /// One bit per arc, set for the overlay's changed arcs; `nil` without an overlay.
    let changedMask: UnsafePointer<UInt64>?
    let changedCost: [Int32: Double]
    let arcStamp: UnsafeMutablePointer<UInt32>
    let generation: UInt32
    static var mayClose: Bool { true }
    @inline(__always)
    func cost(arc: Int32, head: Int32, base: Double) -> Double {
        if arcStamp[Int(arc)] == generation { return .infinity }
        if let changedMask, changedMask[Int(arc) >> 6] & (1 << (UInt64(arc) & 63)) != 0 { return changedCost[arc]! }
        return base
    }
}
