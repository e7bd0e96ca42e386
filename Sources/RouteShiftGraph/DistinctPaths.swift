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
    /// The arcs of the eliminable groups, group by group in `groupArcs` order, with their
    /// tails and heads: the arcs a corridor search prices. Group `crossingGroups[j]` has
    /// `crossingArcs[crossingFirst[j] ..< crossingFirst[j + 1]]`.
    let crossingGroups: [Int32]
    let crossingFirst: [Int32]
    let crossingArcs: [Int32]
    let crossingTails: [Int32]
    let crossingHeads: [Int32]
    /// Tail node of each forward arc (the graph finds it by binary search).
    let tailOfArc: [Int32]
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
        var tailOfArc = [Int32](repeating: 0, count: graph.arcCount)
        for u in 0..<graph.nodeCount {
            for arc in Int(graph.firstArc[u])..<Int(graph.firstArc[u + 1]) { tailOfArc[arc] = Int32(u) }
        }
        var crossingGroups: [Int32] = [], crossingFirst: [Int32] = [0]
        var crossingArcs: [Int32] = [], crossingTails: [Int32] = [], crossingHeads: [Int32] = []
        for g in 0..<eliminable.count where eliminable[g] && first[g + 1] > first[g] {
            crossingGroups.append(Int32(g))
            for i in Int(first[g])..<Int(first[g + 1]) {
                let arc = arcs[i]
                crossingArcs.append(arc)
                crossingTails.append(tailOfArc[Int(arc)])
                crossingHeads.append(graph.arcHead[Int(arc)])
            }
            crossingFirst.append(Int32(crossingArcs.count))
        }
        self.groupOfEdge = groupOfEdge; self.eliminable = eliminable; self.lengths = lengths
        groupFirst = first; groupArcs = arcs; graphIdentity = graph.identity
        self.crossingGroups = crossingGroups; self.crossingFirst = crossingFirst
        self.crossingArcs = crossingArcs; self.crossingTails = crossingTails; self.crossingHeads = crossingHeads
        self.tailOfArc = tailOfArc
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

    /// The eliminable groups `arcs` run on, in the order met, each run of one group once:
    /// the border sequence of a path (a border crossed by two sections in a row counts once).
    /// - Complexity: O(|arcs|).
    public func crossings(_ arcs: [Int32], graph: RoutingGraph) -> [Int32] {
        var out: [Int32] = []
        for arc in arcs {
            let g = groupOfEdge[Int(graph.arcEdge[Int(arc)])]
            if eliminable[Int(g)], out.last != g { out.append(g) }
        }
        return out
    }
}

/// How a choice set of distinct alternatives is built.
public struct ChoiceSetRule: Hashable, Sendable {
    /// How candidate routes are found.
    public enum Generation: String, Hashable, Sendable, CaseIterable {
        /// The cheapest route through each crossing (`LinkGroups` group: a border, a sea
        /// crossing) within the detour limit, cheapest first: every border the network
        /// offers within reach is tried, however many cheaper routes there are.
        case corridors
        /// Breadth-first link elimination (Rieser-Schüssler, Balmer & Axhausen 2013), kept
        /// in the order found: the routes one, two, … removed crossings away from the cheapest.
        case linkElimination
    }
    /// How candidates are found (`corridors` by default).
    public var generation: Generation
    /// At most this many paths (the cheapest first).
    public var size: Int
    /// A path is kept only if its overlap (`LinkGroups.overlap`) with every kept path is at most this.
    public var maxOverlap: Double
    /// A path is kept only if it costs at most `(1 + maxDetour)` times the cheapest.
    public var maxDetour: Double
    /// Shortest-path searches allowed per origin–destination pair by `linkElimination`
    /// (the tree is cut there), 1 to `maximumSearchLimit`; `corridors` runs one.
    public var searchLimit: Int
    /// A path is kept only if the crossings it uses (`LinkGroups.crossings`: its eliminable
    /// groups, in the order it meets them) differ from those of every kept path: two ways
    /// through the same border sequence are one route, whatever island, port or section
    /// they touch in between.
    public var distinctCrossings: Bool
    /// The largest `searchLimit`: beyond it the searches of one pair run for minutes
    /// on a continental network, for choice sets of a few routes.
    public static let maximumSearchLimit = 1_000

    public init(size: Int = 4, maxOverlap: Double = 0.8, maxDetour: Double = 0.5, searchLimit: Int = 48,
                distinctCrossings: Bool = true, generation: Generation = .corridors) {
        self.generation = generation
        self.size = size; self.maxOverlap = maxOverlap; self.maxDetour = maxDetour; self.searchLimit = searchLimit
        self.distinctCrossings = distinctCrossings
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
/// when they pass the detour and overlap filters of the `ChoiceSetRule` and, with
/// `distinctCrossings`, use a border sequence no kept path uses (the "different
/// border sequence" criterion: variants through another island or port of one
/// sea crossing are the same route). The first path found with a sequence is the
/// cheapest with it: it was found by removing groups that none of the sequence's
/// paths uses, so they were all candidates of that search.
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
    /// Per node, the first arc of its cheapest path to the target (-1: the target, or unreached).
    let toward: [Int32]

    /// Forward arcs of the tree's cheapest path from node index `v` to the target.
    func arcs(from v: Int32, graph: RoutingGraph) -> [Int32] {
        var arcs: [Int32] = [], u = v
        while toward[Int(u)] >= 0 {
            arcs.append(toward[Int(u)])
            u = graph.arcHead[Int(toward[Int(u)])]
        }
        return arcs
    }
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
        let backward = tree(.backward, root: t, maxCost: .infinity, overlay: active)
        return CostsToTarget(target: target, index: t, graphIdentity: graph.identity, changes: active?.changedCost ?? [:],
                             bound: TreeLowerBound(remaining: backward.distances), toward: backward.predecessorArcs)
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
        try distinctPaths(from: source, to: [costs], rule: rule, groups: groups, overlay: overlay)[0]
    }

    /// The choice sets from `source` to each of `targets` (costs grown beforehand under the
    /// same overlay), in `targets` order: what `distinctPaths(from:to:rule:groups:overlay:)`
    /// gives pair by pair. Corridor enumeration grows one forward tree from `source`, bounded
    /// by the largest detour limit of the targets, and shares it: a Dijkstra tree bounded
    /// higher has the same costs and tree paths at every node within the lower bound (the
    /// same nodes are settled in the same order up to it), and no arc beyond a target's limit
    /// can be its candidate, so each set is the one its own tree gives.
    /// - Throws: as the single-target form.
    /// - Complexity: corridors: one bounded forward Dijkstra, then per target O(A_g) over the
    ///   crossings' arcs within reach and O(L) per candidate; link elimination: its searches per target.
    public func distinctPaths(from source: Int64, to targets: [CostsToTarget], rule: ChoiceSetRule, groups: LinkGroups,
                              overlay: CostOverlay? = nil) throws -> [DistinctPaths] {
        let s = try nodeIndex(source)
        try validate(overlay)
        guard groups.graphIdentity == graph.identity else { throw GraphError.overlayFromAnotherGraph }
        guard rule.size >= 1 else { throw GraphError.invalidPathCount(rule.size) }
        guard rule.maxOverlap >= 0, rule.maxDetour >= 0 else {
            throw GraphError.invalidCostBound(rule.maxOverlap.isNaN || rule.maxOverlap < 0 ? rule.maxOverlap : rule.maxDetour)
        }
        let active = overlay.flatMap { $0.isEmpty ? nil : $0 }
        let changes = active?.changedCost ?? [:]
        for costs in targets where costs.graphIdentity != graph.identity || costs.changes != changes {
            throw GraphError.mismatchedTargetCosts(target: costs.target)
        }
        // Pairs with nothing to search: the origin itself, or a target it cannot reach.
        let trivial = targets.map { costs -> DistinctPaths? in
            if s == costs.index { return DistinctPaths(paths: [graph.path(start: s, arcs: [], overlay: overlay)], searchedRows: [], searches: 0) }
            if !(costs.bound.remaining[Int(s)] < .infinity) { return DistinctPaths(paths: [], searchedRows: [], searches: 0) }
            return nil
        }
        if rule.generation == .corridors {
            return corridorPaths(from: s, to: targets, skipping: trivial, rule: rule, groups: groups, overlay: active)
        }
        return zip(targets, trivial).map { costs, known in
            known ?? eliminationPaths(from: s, to: costs, rule: rule, groups: groups, overlay: active)
        }
    }

    /// Breadth-first link elimination from `s` to the target of `costs` (reachable, not `s`).
    func eliminationPaths(from s: Int32, to costs: CostsToTarget, rule: ChoiceSetRule, groups: LinkGroups,
                          overlay active: CostOverlay?) -> DistinctPaths {
        let t = costs.index, toTarget = costs.bound
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
        var sequences: Set<[Int32]> = rule.distinctCrossings ? [groups.crossings(first.arcs, graph: graph)] : []
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
                    // The first path of a border sequence is its cheapest: later ones are the same route.
                    if rule.distinctCrossings, !sequences.insert(groups.crossings(path.arcs, graph: graph)).inserted { continue }
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
    /// Corridor enumeration: the cheapest path through each crossing, as via-node alternatives
    /// (I. Abraham, D. Delling, A. V. Goldberg, R. F. Werneck, "Alternative routes in road
    /// networks", ACM JEA 18 (2013) 1.3) with a crossing group in place of the via node.
    ///
    /// One forward tree from the origin (bounded by the detour limit) and the target's
    /// backward tree give, for every arc `u → v` of an eliminable group, the cheapest cost of
    /// a path through it, `d(s, u) + c(u, v) + d(v, t)`; each group's cheapest arc (ties by arc
    /// index) within `(1 + maxDetour) ×` the cheapest path is a candidate, its path the two tree
    /// paths joined. Candidates are taken cheapest first (ties by group), after the cheapest
    /// path itself; one that visits a node twice, crosses one group twice (out and back: a
    /// detour to touch a border, which fails the local optimality of Abraham et al.), repeats
    /// a kept path, repeats a kept border
    /// sequence (`distinctCrossings`) or overlaps a kept path by more than `maxOverlap` is
    /// passed over. So a border within reach gets a place unless cheaper, distinct routes fill
    /// the set, whatever the number of crossings between it and the cheapest path.
    ///
    /// The forward tree is grown once for all `targets` (bounded by the largest of their
    /// limits, see `distinctPaths(from:to:rule:groups:overlay:)` for many targets), and
    /// `d(s, u) + c(u, v)` once per crossing arc within that bound; a target then adds its
    /// `d(v, t)` (the same sum, in the same order, as one pair alone).
    ///
    /// `searchedRows` are the rows of every candidate path looked at: the set is the same under
    /// costs that change no such row and make nothing cheaper within the limit (see
    /// `FixedChoiceSets.build(reusing:)`), since then no candidate looked at changes and
    /// every other one only gets dearer.
    /// - Complexity: one bounded forward Dijkstra, O((n + m) log n), O(A_g) over the groups'
    ///   arcs, then per target O(A_g) over those within reach and O(L) per candidate (tree walks
    ///   and overlap tests).
    func corridorPaths(from s: Int32, to targets: [CostsToTarget], skipping known: [DistinctPaths?], rule: ChoiceSetRule,
                       groups: LinkGroups, overlay active: CostOverlay?) -> [DistinctPaths] {
        // Each target's detour limit, with the margin that covers rounding in the sums.
        let margins = zip(targets, known).map { costs, known -> Double in
            guard known == nil else { return -.infinity }
            let limit = (1 + rule.maxDetour) * costs.bound.remaining[Int(s)]
            return limit + 1e-9 * limit
        }
        let reach = margins.max() ?? -.infinity
        guard reach >= 0 else { return known.map { $0! } }
        let fromSource = tree(.forward, root: s, maxCost: reach, overlay: active)
        let d = fromSource.distances
        // d(s, u) + c(u, v) of the crossing arcs within reach, group by group.
        var viaGroup: [Int32] = [], viaFirst: [Int32] = [0], viaArc: [Int32] = [], viaHead: [Int32] = [], viaCost: [Double] = []
        for j in groups.crossingGroups.indices {
            for i in Int(groups.crossingFirst[j])..<Int(groups.crossingFirst[j + 1]) {
                let du = d[Int(groups.crossingTails[i])]
                guard du < .infinity else { continue }
                let arc = groups.crossingArcs[i]
                let c = active.map { $0.cost(ofArc: arc) } ?? graph.cost(ofArc: arc)
                let via = du + c
                guard via <= reach else { continue }
                viaArc.append(arc); viaHead.append(groups.crossingHeads[i]); viaCost.append(via)
            }
            if viaArc.count > Int(viaFirst.last!) { viaGroup.append(groups.crossingGroups[j]); viaFirst.append(Int32(viaArc.count)) }
        }
        return graph.arcHead.withUnsafeBufferPointer { head in
            graph.arcEdge.withUnsafeBufferPointer { edge in
                groups.tailOfArc.withUnsafeBufferPointer { tail in
                    fromSource.predecessorArcs.withUnsafeBufferPointer { reachedBy in
                        var scratch = CorridorScratch(groups: groups, edgeCount: graph.edgeCount)
                        let view = CorridorView(head: head, edge: edge, tail: tail, reachedBy: reachedBy, groups: groups)
                        return targets.indices.map { k in
                            if let set = known[k] { return set }
                            return corridorSet(from: s, to: targets[k], margin: margins[k], rule: rule, view: view,
                                               viaGroup: viaGroup, viaFirst: viaFirst, viaArc: viaArc, viaHead: viaHead,
                                               viaCost: viaCost, overlay: active, scratch: &scratch)
                        }
                    }
                }
            }
        }
    }

    /// One target's corridor set from `s` (see `corridorPaths`): its candidates from the crossing
    /// arcs within reach (`via…`, d(s, u) + c(u, v) group by group), then the filters in order.
    /// The candidate paths are built in one reused buffer and tested with per-node, per-group and
    /// per-row stamps instead of sets: the same tests in the same order, the same sums of the
    /// same lengths (so the same overlaps to the last bit), the same result.
    private func corridorSet(from s: Int32, to costs: CostsToTarget, margin: Double, rule: ChoiceSetRule,
                             view: CorridorView, viaGroup: [Int32], viaFirst: [Int32], viaArc: [Int32],
                             viaHead: [Int32], viaCost: [Double], overlay active: CostOverlay?,
                             scratch: inout CorridorScratch) -> DistinctPaths {
        let groups = view.groups
        // Each eliminable group's cheapest arc and cost through it (arcs beyond the limit cannot be).
        var candidates: [(cost: Double, group: Int32, arc: Int32)] = []
        costs.bound.remaining.withUnsafeBufferPointer { toTarget in
            viaCost.withUnsafeBufferPointer { viaCost in
                viaHead.withUnsafeBufferPointer { viaHead in
                    for j in viaGroup.indices {
                        var bestCost = Double.infinity, bestArc: Int32 = -1
                        for i in Int(viaFirst[j])..<Int(viaFirst[j + 1]) where viaCost[i] <= margin {
                            let total = viaCost[i] + toTarget[Int(viaHead[i])]
                            if total < bestCost { bestCost = total; bestArc = viaArc[i] }
                        }
                        if bestArc >= 0, bestCost <= margin { candidates.append((bestCost, viaGroup[j], bestArc)) }
                    }
                }
            }
        }
        candidates.sort { ($0.cost, $0.group) < ($1.cost, $1.group) }
        scratch.beginTarget()
        let firstArcs = costs.arcs(from: s, graph: graph)
        var kept: [[Int32]] = []
        scratch.keep(firstArcs, view: view, into: &kept)
        // A repeated candidate is passed over by the crossing-sequence test or, without it, by
        // the overlap test (a path overlaps itself fully), unless the overlap bound is 1 or more:
        // only then are the paths seen kept to pass repeats over.
        var found: Set<[Int32]>? = !rule.distinctCrossings && rule.maxOverlap >= 1 ? [firstArcs] : nil
        var sequences: Set<[Int32]> = rule.distinctCrossings ? [groups.crossings(firstArcs, graph: graph)] : []
        for a in firstArcs { scratch.search(row: view.edge[Int(a)]) }
        var arcs: [Int32] = []
        costs.toward.withUnsafeBufferPointer { toward in
            for candidate in candidates {
                guard kept.count < rule.size else { break }
                let arc = candidate.arc
                let u = view.tail[Int(arc)], v = view.head[Int(arc)]
                // The tree path s → u (walked back, then reversed), the arc, the tree path v → t.
                arcs.removeAll(keepingCapacity: true)
                var w = u
                while view.reachedBy[Int(w)] >= 0 {
                    let a = view.reachedBy[Int(w)]
                    arcs.append(a)
                    w = view.tail[Int(a)]
                }
                arcs.reverse()
                arcs.append(arc)
                w = v
                while toward[Int(w)] >= 0 {
                    let a = toward[Int(w)]
                    arcs.append(a)
                    w = view.head[Int(a)]
                }
                for a in arcs { scratch.search(row: view.edge[Int(a)]) }
                if found != nil, !found!.insert(arcs).inserted { continue }
                let (nodes, generation) = beginMarks()
                nodes[Int(s)] = generation
                guard arcs.allSatisfy({ arc in
                    let w = Int(view.head[Int(arc)])
                    defer { nodes[w] = generation }
                    return nodes[w] != generation
                }) else { continue }
                // Crossing one group twice (out and back) is a detour to touch it, not a route via it.
                guard scratch.crossesEachGroupOnce(arcs, view: view) else { continue }
                if rule.distinctCrossings, !sequences.insert(groups.crossings(arcs, graph: graph)).inserted { continue }
                if scratch.overlapsAtMost(rule.maxOverlap, arcs, kept: kept, view: view) {
                    scratch.keep(arcs, view: view, into: &kept)
                }
            }
        }
        scratch.endTarget(kept, view: view)
        // Rows of candidates after the set was full do not steer it: a change on them moves
        // only those candidates, behind the kept ones.
        let paths = kept.map { graph.path(start: s, arcs: $0, overlay: active) }.sorted { a, b in
            a.totalCost != b.totalCost ? a.totalCost < b.totalCost : a.edges.lexicographicallyPrecedes(b.edges)
        }
        return DistinctPaths(paths: paths, searchedRows: scratch.searchedRows(), searches: 1)
    }
}

/// The graph's and groups' arrays a corridor search reads per arc, as raw buffers.
struct CorridorView {
    let head: UnsafeBufferPointer<Int32>
    let edge: UnsafeBufferPointer<Int32>
    let tail: UnsafeBufferPointer<Int32>
    /// The origin's forward tree: the arc each node is reached by (-1: the origin, unreached).
    let reachedBy: UnsafeBufferPointer<Int32>
    let groups: LinkGroups
    @inline(__always) func group(ofArc arc: Int32) -> Int { Int(groups.groupOfEdge[Int(edge[Int(arc)])]) }
}

/// Per-search marks of the corridor filters, reused from target to target: the rows looked at,
/// the groups a candidate crosses, and which kept paths use each group.
struct CorridorScratch {
    private var rowStamp: [UInt32]
    private var rows: [Int32] = []
    private var rowGeneration: UInt32 = 0
    private var groupStamp: [UInt32]
    private var groupGeneration: UInt32 = 0
    /// Bit i: kept path i uses the group (paths beyond 64 are tested with `keptGroups`).
    private var keptBits: [UInt64]
    private var keptGroups: [Set<Int32>] = []
    /// Length of each kept path, summed in arc order as `LinkGroups.overlap` sums it.
    private var keptLength: [Double] = []

    init(groups: LinkGroups, edgeCount: Int) {
        rowStamp = [UInt32](repeating: 0, count: edgeCount)
        groupStamp = [UInt32](repeating: 0, count: groups.groupCount)
        keptBits = [UInt64](repeating: 0, count: groups.groupCount)
    }

    mutating func beginTarget() {
        rows.removeAll(keepingCapacity: true)
        rowGeneration &+= 1
        if rowGeneration == 0 {
            for i in rowStamp.indices { rowStamp[i] = 0 }
            rowGeneration = 1
        }
        keptGroups.removeAll(keepingCapacity: true)
        keptLength.removeAll(keepingCapacity: true)
    }

    /// Clears the kept paths' group bits.
    mutating func endTarget(_ kept: [[Int32]], view: CorridorView) {
        for path in kept.prefix(64) { for a in path { keptBits[view.group(ofArc: a)] = 0 } }
    }

    @inline(__always) mutating func search(row: Int32) {
        if rowStamp[Int(row)] != rowGeneration { rowStamp[Int(row)] = rowGeneration; rows.append(row) }
    }

    /// The rows looked at, ascending.
    func searchedRows() -> [Int32] { rows.sorted() }

    /// A fresh stamp of the group marks.
    private mutating func nextGroupGeneration() -> UInt32 {
        groupGeneration &+= 1
        if groupGeneration == 0 {
            for i in groupStamp.indices { groupStamp[i] = 0 }
            groupGeneration = 1
        }
        return groupGeneration
    }

    /// Whether `arcs` cross no eliminable group twice.
    mutating func crossesEachGroupOnce(_ arcs: [Int32], view: CorridorView) -> Bool {
        let stamp = nextGroupGeneration()
        for a in arcs {
            let g = view.group(ofArc: a)
            guard view.groups.eliminable[g] else { continue }
            if groupStamp[g] == stamp { return false }
            groupStamp[g] = stamp
        }
        return true
    }

    mutating func keep(_ arcs: [Int32], view: CorridorView, into kept: inout [[Int32]]) {
        let i = kept.count
        var total = 0.0
        for a in arcs { total += view.groups.lengths[Int(view.edge[Int(a)])] }
        if i < 64 {
            for a in arcs { keptBits[view.group(ofArc: a)] |= 1 << UInt64(i) }
        } else {
            keptGroups.append(Set(arcs.map { Int32(view.group(ofArc: $0)) }))
        }
        keptLength.append(total)
        kept.append(arcs)
    }

    /// Whether `LinkGroups.overlap` of `arcs` with every kept path is at most `bound`: the
    /// larger of the two shares of length on groups the other uses, summed in the same order.
    mutating func overlapsAtMost(_ bound: Double, _ arcs: [Int32], kept: [[Int32]], view: CorridorView) -> Bool {
        let lengths = view.groups.lengths
        let stamp = nextGroupGeneration()
        var total = 0.0
        for a in arcs {
            total += lengths[Int(view.edge[Int(a)])]
            groupStamp[view.group(ofArc: a)] = stamp
        }
        for (i, other) in kept.enumerated() {
            // Share of `arcs` on the kept path's groups.
            var shared = 0.0
            for a in arcs {
                let g = view.group(ofArc: a)
                let uses = i < 64 ? keptBits[g] & (1 << UInt64(i)) != 0 : keptGroups[i - 64].contains(Int32(g))
                if uses { shared += lengths[Int(view.edge[Int(a)])] }
            }
            let mine = total > 0 ? shared / total : 1
            // Share of the kept path on the groups of `arcs`.
            var theirs = 0.0
            for a in other where groupStamp[view.group(ofArc: a)] == stamp { theirs += lengths[Int(view.edge[Int(a)])] }
            let theirShare = keptLength[i] > 0 ? theirs / keptLength[i] : 1
            guard max(theirShare, mine) <= bound else { return false }
        }
        return true
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
    /// - Complexity: one forward Dijkstra bounded by `maxCost`, O(|arcs| log n), then O(|arcs| × |targets|).
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
        // d(s, u) + c(u, v) of each arc once; each target adds d(v, t) (the same sums, in the same order).
        let heads = arcs.map { graph.arcHead[Int($0)] }
        let via = arcs.map { arc in fromSource[Int(graph.tail(ofArc: arc))] + (active?.cost(ofArc: arc) ?? graph.cost(ofArc: arc)) }
        return targets.map { costs in
            var best = Double.infinity
            costs.bound.remaining.withUnsafeBufferPointer { remaining in
                for k in arcs.indices { best = min(best, via[k] + remaining[Int(heads[k])]) }
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
