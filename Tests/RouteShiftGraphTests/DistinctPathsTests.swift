import XCTest
@testable import RouteShiftGraph
import RouteShiftTestSupport

/// Choice sets by breadth-first elimination of link groups, on a hand-drawn
/// graph whose distinct routes are known, and properties on random graphs.
final class DistinctPathsTests: XCTestCase {
    /// O = 1, M = 2, D = 3, all one-way, lengths = costs.
    /// Border X, O→M: three parallel sections 101, 102, 103 (cost 10, 10.1, 10.2).
    /// Border Y, O→M: two sections 201, 202 (12, 12.5).
    /// Border Z, M→D: two sections 301, 302 (5, 5.1).
    /// Sea S, O→D: 401 (20); sea T, O→D: 402 (40).
    /// Distinct routes: P1 = X Z (15), P2 = Y Z (17), P3 = S (20), P4 = T (40).
    /// overlap(P1, P2) = max(5/15, 5/17) = 1/3; the sea routes share nothing.
    static let rows: [(id: Int64, from: Int64, to: Int64, cost: Double, group: Int32)] = [
        (101, 1, 2, 10, 0), (102, 1, 2, 10.1, 0), (103, 1, 2, 10.2, 0),
        (201, 1, 2, 12, 1), (202, 1, 2, 12.5, 1),
        (301, 2, 3, 5, 2), (302, 2, 3, 5.1, 2),
        (401, 1, 3, 20, 3), (402, 1, 3, 40, 4),
    ]

    /// The one-way graph of `rows` (lengths = costs) with each row's link group; `eliminable`
    /// per group.
    private func grouped(_ rows: [(id: Int64, from: Int64, to: Int64, cost: Double, group: Int32)],
                         eliminable: [Bool]) throws -> (RoutingGraph, LinkGroups) {
        var table = EdgeTable()
        for r in rows { table.append(id: r.id, source: r.from, target: r.to, cost: r.cost, reverseCost: -1) }
        let graph = try RoutingGraph(edges: table)
        var groupOfEdge = [Int32](repeating: 0, count: graph.edgeCount)
        var lengths = [Double](repeating: 0, count: graph.edgeCount)
        for r in rows {
            let row = Int(graph.edgeRows.row(of: r.id)!)
            groupOfEdge[row] = r.group; lengths[row] = r.cost
        }
        return (graph, try LinkGroups(graph: graph, groupOfEdge: groupOfEdge, eliminable: eliminable, lengths: lengths))
    }

    private func fixture() throws -> (RoutingGraph, LinkGroups) {
        try grouped(Self.rows, eliminable: Array(repeating: true, count: 5))
    }

    /// A random planar graph (40 nodes, 120 edges) with every edge its own group (length: the
    /// larger of its two costs) and its exact distances (Floyd–Warshall).
    private func randomFixture(seed: UInt64) throws
        -> (random: RandomPlanarGraph, graph: RoutingGraph, groups: LinkGroups, exact: [Int64: [Int64: Double]]) {
        let random = RandomPlanarGraph(nodes: 40, edges: 120, seed: seed)
        let graph = try RoutingGraph(edges: random.edges)
        let lengths = (0..<graph.edgeCount).map { max(random.edges.costs[$0], random.edges.reverseCosts[$0], 0) }
        let groups = try LinkGroups.edges(of: graph, lengths: lengths)
        return (random, graph, groups, floydWarshall(random.edges, nodes: random.nodeIds))
    }

    func testKnownSetThroughDifferentBorders() throws {
        let (graph, groups) = try fixture()
        let query = ShortestPathQuery(graph: graph)
        let found = try query.distinctPaths(from: 1, to: 3, rule: ChoiceSetRule(size: 5, maxOverlap: 0.5, maxDetour: 1),
                                            groups: groups)
        // P4 (40) is dearer than (1 + 1) · 15 = 30; the near-copies 102, 103, 202, 302 overlap P1 or P2 fully.
        XCTAssertEqual(found.paths.map(\.edges), [[101, 301], [201, 301], [401]])
        XCTAssertEqual(found.paths.map(\.totalCost), [15, 17, 20])
        // Yen's three cheapest are near-copies of P1.
        XCTAssertEqual(try query.kShortestPaths(from: 1, to: 3, k: 3).map(\.edges), [[101, 301], [101, 302], [102, 301]])
    }

    func testOverlapAndDetourBoundsCutTheSet() throws {
        let (graph, groups) = try fixture()
        let query = ShortestPathQuery(graph: graph)
        // 1/3 > 0.3: P2 shares too much with P1.
        let tight = try query.distinctPaths(from: 1, to: 3, rule: ChoiceSetRule(size: 5, maxOverlap: 0.3, maxDetour: 1),
                                            groups: groups)
        XCTAssertEqual(tight.paths.map(\.edges), [[101, 301], [401]])
        // (1 + 0.2) · 15 = 18 keeps P2 (17), not P3 (20).
        let short = try query.distinctPaths(from: 1, to: 3, rule: ChoiceSetRule(size: 5, maxOverlap: 0.5, maxDetour: 0.2),
                                            groups: groups)
        XCTAssertEqual(short.paths.map(\.edges), [[101, 301], [201, 301]])
        // Size 2 stops at the first two kept.
        let two = try query.distinctPaths(from: 1, to: 3, rule: ChoiceSetRule(size: 2, maxOverlap: 0.5, maxDetour: 1),
                                          groups: groups)
        XCTAssertEqual(two.paths.count, 2)
    }

    func testOverlapByGroups() throws {
        let (graph, groups) = try fixture()
        func arcs(_ ids: [Int64]) -> [Int32] { ids.map { graph.edgeForwardArc[Int(graph.edgeRows.row(of: $0)!)] } }
        XCTAssertEqual(groups.overlap(arcs([101, 301]), arcs([201, 301]), graph: graph), 1.0 / 3, accuracy: 1e-12)
        // Near-copies through other sections of the same borders overlap fully.
        XCTAssertEqual(groups.overlap(arcs([101, 301]), arcs([103, 302]), graph: graph), 1)
        XCTAssertEqual(groups.overlap(arcs([101, 301]), arcs([401]), graph: graph), 0)
    }

    func testClosedCrossingUnderOverlay() throws {
        let (graph, groups) = try fixture()
        var overlay = CostOverlay(graph: graph)
        for id: Int64 in [101, 102, 103] { try overlay.close(edge: id) }
        let found = try ShortestPathQuery(graph: graph)
            .distinctPaths(from: 1, to: 3, rule: ChoiceSetRule(size: 5, maxOverlap: 0.5, maxDetour: 1),
                           groups: groups, overlay: overlay)
        // Best is now P2 (17); limit 34 keeps P3 (20), not P4 (40).
        XCTAssertEqual(found.paths.map(\.edges), [[201, 301], [401]])
        XCTAssertFalse(found.searchedRows.contains(graph.edgeRows.row(of: 101)!))
    }

    /// Every edge its own group: the set's first path is a cheapest one (against
    /// Floyd–Warshall), every path is a valid loopless path within the detour
    /// bound, and no two overlap by more than the bound.
    func testPropertiesOnRandomGraphs() throws {
        for seed: UInt64 in 1...6 {
            let (random, graph, groups, exact) = try randomFixture(seed: seed)
            let query = ShortestPathQuery(graph: graph)
            let rule = ChoiceSetRule(size: 4, maxOverlap: 0.6, maxDetour: 0.5)
            var rng = SplitMix64(seed: seed)
            for _ in 0..<15 {
                let s = random.nodeIds[rng.int(0..<40)], t = random.nodeIds[rng.int(0..<40)]
                guard s != t else { continue }
                let found = try query.distinctPaths(from: s, to: t, rule: rule, groups: groups)
                let best = exact[s]![t]!
                guard best < .infinity else { XCTAssertTrue(found.paths.isEmpty); continue }
                XCTAssertEqual(found.paths[0].totalCost, best, accuracy: 1e-9 * max(1, best))
                for (i, p) in found.paths.enumerated() {
                    XCTAssertEqual(p.nodes.first, s); XCTAssertEqual(p.nodes.last, t)
                    XCTAssertEqual(Set(p.nodes).count, p.nodes.count, "loopless")
                    XCTAssertLessThanOrEqual(p.totalCost, (1 + rule.maxDetour) * best + 1e-9)
                    for q in found.paths[..<i] {
                        XCTAssertLessThanOrEqual(groups.overlap(p.arcs, q.arcs, graph: graph), rule.maxOverlap + 1e-12)
                    }
                }
                XCTAssertLessThanOrEqual(found.searches, rule.searchLimit)
            }
        }
    }

    /// Costs to a target grown once are the exact remaining costs (Floyd–Warshall), and
    /// every origin's choice set searched with them is the one the pair alone finds;
    /// costs grown under other overlay changes are refused.
    func testSharedCostsToTarget() throws {
        let (random, graph, groups, exact) = try randomFixture(seed: 11)
        let query = ShortestPathQuery(graph: graph)
        let rule = ChoiceSetRule(size: 4, maxOverlap: 0.6, maxDetour: 0.5)
        var overlay = CostOverlay(graph: graph)
        try overlay.close(edge: graph.edgeId(ofRow: 0))
        for t in random.nodeIds.prefix(5) {
            for o in [nil, overlay] {
                let costs = try query.costsToTarget(t, overlay: o)
                for s in random.nodeIds {
                    if o == nil, let v = graph.index(of: s), let best = exact[s]?[t] {
                        XCTAssertEqual(costs.bound.remaining[Int(v)], best, accuracy: 1e-9 * max(1, best))
                    }
                    let shared = try query.distinctPaths(from: s, to: costs, rule: rule, groups: groups, overlay: o)
                    let alone = try query.distinctPaths(from: s, to: t, rule: rule, groups: groups, overlay: o)
                    XCTAssertEqual(shared.paths.map(\.arcs), alone.paths.map(\.arcs))
                    XCTAssertEqual(shared.paths.map(\.totalCost), alone.paths.map(\.totalCost))
                    XCTAssertEqual(shared.searchedRows, alone.searchedRows)
                }
            }
            let plain = try query.costsToTarget(t)
            XCTAssertThrowsError(try query.distinctPaths(from: random.nodeIds[1], to: plain, rule: rule, groups: groups,
                                                         overlay: overlay)) {
                XCTAssertEqual($0 as? GraphError, .mismatchedTargetCosts(target: t))
            }
        }
    }

    /// An Aegean-like graph where link elimination fills the set before reaching a route
    /// three removed crossings away, and corridor enumeration reaches it. All one-way,
    /// lengths = costs. O = 1, island A = 2, island B = 3, port P = 4, hub H = 5, D = 6,
    /// R = 7, I = 8, C = 9.
    /// Sea S (group 0): O→A 501 (10), O→B 502 (11). Domestic ferries (own groups, not
    /// eliminable): A→P 601 (5), B→P 602 (5). Land border L (group 1): O→P 503 (16).
    /// Legs (group 2, not eliminable): P→H 701 (10). Border Q (group 3): H→D 504 (10).
    /// Border W (group 4): H→R 505 (12), leg R→D 702 (2). Border F (group 5): O→I 506 (30),
    /// leg I→D 703 (10). Border K (group 6): H→C 507 (15), leg C→D 704 (4).
    /// Routes, by the crossings they use: S Q: 501 601 701 504 = 35 (via B: 36, the same
    /// crossings); L Q: 503 701 504 = 36; S W: 501 601 701 505 702 = 39; L W: 40;
    /// F: 506 703 = 40; S K: 501 601 701 507 704 = 44; L K: 45.
    /// Cheapest through each group: S 35, L 36, Q 35, W 39, F 40, K 44.
    static let aegean: [(id: Int64, from: Int64, to: Int64, cost: Double, group: Int32)] = [
        (501, 1, 2, 10, 0), (502, 1, 3, 11, 0), (601, 2, 4, 5, 7), (602, 3, 4, 5, 8), (503, 1, 4, 16, 1),
        (701, 4, 5, 10, 2), (504, 5, 6, 10, 3), (505, 5, 7, 12, 4), (702, 7, 6, 2, 9),
        (506, 1, 8, 30, 5), (703, 8, 6, 10, 10), (507, 5, 9, 15, 6), (704, 9, 6, 4, 11),
    ]

    private func aegean() throws -> (RoutingGraph, LinkGroups) {
        try grouped(Self.aegean, eliminable: (0..<12).map { [0, 1, 3, 4, 5, 6].contains($0) })
    }

    func testCorridorsGiveTheCheapestRouteThroughEachCrossing() throws {
        let (graph, groups) = try aegean()
        let query = ShortestPathQuery(graph: graph)
        // Overlap 1 keeps everything the crossing filter keeps; limit (1 + 0.3) · 35 = 45.5.
        let rule = ChoiceSetRule(size: 5, maxOverlap: 1, maxDetour: 0.3, generation: .corridors)
        let found = try query.distinctPaths(from: 1, to: 6, rule: rule, groups: groups)
        // Candidates cheapest first: S and Q both give S Q (35, once), L 36, W 39 (S W), F 40,
        // K 44 (S K). The route via B (36) uses the crossings of S Q and is never a candidate.
        XCTAssertEqual(found.paths.map(\.edges), [[501, 601, 701, 504], [503, 701, 504], [501, 601, 701, 505, 702],
                                                  [506, 703], [501, 601, 701, 507, 704]])
        XCTAssertEqual(found.paths.map(\.totalCost), [35, 36, 39, 40, 44])
        // Size 3 keeps the three cheapest of those.
        var three = rule; three.size = 3
        XCTAssertEqual(try query.distinctPaths(from: 1, to: 6, rule: three, groups: groups).paths.map(\.totalCost), [35, 36, 39])
        // A detour limit of (1 + 0.1) · 35 = 38.5 leaves S Q and L Q.
        var short = rule; short.maxDetour = 0.1
        XCTAssertEqual(try query.distinctPaths(from: 1, to: 6, rule: short, groups: groups).paths.map(\.totalCost), [35, 36])
        // overlap(S Q, S K) = max(25/35, 25/44) = 5/7 and overlap(S Q, L Q) = 20/35 = 4/7 (legs
        // group 2 and Q shared): a bound of 0.6 drops S W (25/35 shared) and S K, keeps L Q and F.
        var tight = rule; tight.maxOverlap = 0.6
        XCTAssertEqual(try query.distinctPaths(from: 1, to: 6, rule: tight, groups: groups).paths.map(\.edges),
                       [[501, 601, 701, 504], [503, 701, 504], [506, 703]])
    }

    func testLinkEliminationOnTheSameGraphMissesTheDeepRoute() throws {
        let (graph, groups) = try aegean()
        let query = ShortestPathQuery(graph: graph)
        // From S Q: removing S gives L Q (36), removing Q gives S W (39); S K is the cheapest
        // only with Q, W and F removed (F, 40, is the cheapest without Q and W): the third
        // level. With three searches only the first level is searched: S Q, L Q, S W.
        let rule = ChoiceSetRule(size: 5, maxOverlap: 1, maxDetour: 0.3, searchLimit: 3, generation: .linkElimination)
        let found = try query.distinctPaths(from: 1, to: 6, rule: rule, groups: groups)
        XCTAssertEqual(found.paths.map(\.totalCost), [35, 36, 39])
        XCTAssertEqual(found.searches, 3)
    }

    func testCrossingsAreTheEliminableGroupsInOrder() throws {
        let (graph, groups) = try aegean()
        func arcs(_ ids: [Int64]) -> [Int32] { ids.map { graph.edgeForwardArc[Int(graph.edgeRows.row(of: $0)!)] } }
        // Via island A or B: the same sequence (sea S, border Q); the ferries and legs do not count.
        XCTAssertEqual(groups.crossings(arcs([501, 601, 701, 504]), graph: graph), [0, 3])
        XCTAssertEqual(groups.crossings(arcs([502, 602, 701, 504]), graph: graph), [0, 3])
        XCTAssertEqual(groups.crossings(arcs([503, 701, 505, 702]), graph: graph), [1, 4])
    }

    /// The corridor sets keep the properties of any choice set on random graphs: the first
    /// is a cheapest path (Floyd–Warshall), all are loopless, within the detour, pairwise
    /// within the overlap bound, with distinct crossing sequences, and a group crossed once.
    func testCorridorPropertiesOnRandomGraphs() throws {
        for seed: UInt64 in 1...6 {
            let (random, graph, groups, exact) = try randomFixture(seed: seed)
            let query = ShortestPathQuery(graph: graph)
            let rule = ChoiceSetRule(size: 5, maxOverlap: 0.7, maxDetour: 0.5, generation: .corridors)
            var rng = SplitMix64(seed: seed)
            for _ in 0..<15 {
                let s = random.nodeIds[rng.int(0..<40)], t = random.nodeIds[rng.int(0..<40)]
                guard s != t else { continue }
                let found = try query.distinctPaths(from: s, to: t, rule: rule, groups: groups)
                let best = exact[s]![t]!
                guard best < .infinity else { XCTAssertTrue(found.paths.isEmpty); continue }
                XCTAssertEqual(found.paths[0].totalCost, best, accuracy: 1e-9 * max(1, best))
                XCTAssertEqual(Set(found.paths.map { groups.crossings($0.arcs, graph: graph) }).count, found.paths.count)
                for (i, p) in found.paths.enumerated() {
                    XCTAssertEqual(p.nodes.first, s); XCTAssertEqual(p.nodes.last, t)
                    XCTAssertEqual(Set(p.nodes).count, p.nodes.count, "loopless")
                    XCTAssertLessThanOrEqual(p.totalCost, (1 + rule.maxDetour) * best + 1e-9)
                    for q in found.paths[..<i] {
                        XCTAssertLessThanOrEqual(groups.overlap(p.arcs, q.arcs, graph: graph), rule.maxOverlap + 1e-12)
                    }
                }
            }
        }
    }

    /// Corridor sets of one origin found together (one forward tree bounded by the largest
    /// detour limit) equal the sets found pair by pair, and both equal the rule written out
    /// plainly (`PlainCorridors`: quadratic Dijkstra from the origin and to the target over
    /// the arcs, every group priced, the filters applied one by one), on random graphs with
    /// groups of several edges, some not eliminable, with and without an overlay.
    func testCorridorSetsOfOneOriginEqualPairByPairAndThePlainRule() throws {
        for seed: UInt64 in 1...3 {
            let random = RandomPlanarGraph(nodes: 30, edges: 90, seed: seed)
            let graph = try RoutingGraph(edges: random.edges)
            var rng = SplitMix64(seed: seed &+ 100)
            let groupCount = 24
            let groupOfEdge = (0..<graph.edgeCount).map { _ in Int32(rng.int(0..<groupCount)) }
            let eliminable = (0..<groupCount).map { $0 % 4 != 0 }
            let lengths = (0..<graph.edgeCount).map { max(random.edges.costs[$0], random.edges.reverseCosts[$0], 0) }
            let groups = try LinkGroups(graph: graph, groupOfEdge: groupOfEdge, eliminable: eliminable, lengths: lengths)
            var overlay = CostOverlay(graph: graph)
            try overlay.close(edge: graph.edgeIds[rng.int(0..<graph.edgeCount)])
            try overlay.multiplyCost(ofEdge: graph.edgeIds[rng.int(0..<graph.edgeCount)], by: 3)
            let query = ShortestPathQuery(graph: graph)
            let nodes = random.nodeIds.filter { graph.index(of: $0) != nil }
            for o in [nil, overlay] as [CostOverlay?] {
                let plain = PlainCorridors(graph: graph, groups: groups, overlay: o)
                let targets = try nodes.map { try query.costsToTarget($0, overlay: o) }
                for (size, overlap, detour) in [(4, 0.8, 0.5), (8, 1.0, 2.0), (3, 0.5, 0.2)] {
                    let rule = ChoiceSetRule(size: size, maxOverlap: overlap, maxDetour: detour, generation: .corridors)
                    for s in nodes.prefix(5) {
                        let together = try query.distinctPaths(from: s, to: targets, rule: rule, groups: groups, overlay: o)
                        XCTAssertEqual(together.count, targets.count)
                        for (t, (costs, set)) in zip(nodes, zip(targets, together)) {
                            let alone = try query.distinctPaths(from: s, to: costs, rule: rule, groups: groups, overlay: o)
                            XCTAssertEqual(set.paths.map(\.edges), alone.paths.map(\.edges), "\(s) → \(t), seed \(seed)")
                            XCTAssertEqual(set.paths.map(\.totalCost), alone.paths.map(\.totalCost))
                            XCTAssertEqual(set.searchedRows, alone.searchedRows)
                            guard s != t else { continue }
                            XCTAssertEqual(set.paths.map(\.edges), plain.paths(from: s, to: t, rule: rule),
                                           "\(s) → \(t), seed \(seed), rule \(rule)")
                        }
                    }
                }
            }
        }
    }

    func testRejectsBadGroups() throws {
        let (graph, _) = try fixture()
        XCTAssertThrowsError(try LinkGroups(graph: graph, groupOfEdge: Array(repeating: 7, count: graph.edgeCount),
                                            eliminable: [true], lengths: Array(repeating: 1, count: graph.edgeCount))) {
            XCTAssertEqual($0 as? GraphError, .invalidGroup(edgeId: graph.edgeId(ofRow: 0), group: 7))
        }
        XCTAssertThrowsError(try LinkGroups(graph: graph, groupOfEdge: [0], eliminable: [true], lengths: [1])) {
            XCTAssertEqual($0 as? GraphError, .columnLengthMismatch(column: "groupOfEdge", count: 1, expected: graph.edgeCount))
        }
    }
}

/// The corridor rule of `distinctPaths` spelled out with nothing shared with the library's
/// search: quadratic Dijkstra over the arcs (forward from the origin, backward to the target),
/// for every eliminable group its cheapest arc `d(s, u) + c + d(v, t)` within the detour
/// limit, cheapest first (ties by group); a candidate (the two tree paths joined) is passed
/// over when already seen, when it visits a node twice or crosses one group twice, when its
/// crossing sequence was met before, or when it overlaps a kept path by more than the bound.
private final class PlainCorridors {
    let graph: RoutingGraph, groups: LinkGroups
    let tail: [Int], head: [Int], cost: [Double], group: [Int]
    private var forwardTrees: [Int: (distance: [Double], arc: [Int])] = [:]
    private var backwardTrees: [Int: (distance: [Double], arc: [Int])] = [:]

    init(graph: RoutingGraph, groups: LinkGroups, overlay: CostOverlay?) {
        self.graph = graph; self.groups = groups
        var tail = [Int](repeating: 0, count: graph.arcCount)
        for u in 0..<graph.nodeCount { for a in Int(graph.firstArc[u])..<Int(graph.firstArc[u + 1]) { tail[a] = u } }
        self.tail = tail
        head = (0..<graph.arcCount).map { Int(graph.arcHead[$0]) }
        cost = (0..<graph.arcCount).map { overlay?.cost(ofArc: Int32($0)) ?? graph.cost(ofArc: Int32($0)) }
        group = (0..<graph.arcCount).map { Int(groups.groupOfEdge[Int(graph.arcEdge[$0])]) }
    }

    private func dijkstra(_ root: Int, forward: Bool) -> (distance: [Double], arc: [Int]) {
        let n = graph.nodeCount
        var distance = [Double](repeating: .infinity, count: n), arcOf = [Int](repeating: -1, count: n)
        var done = [Bool](repeating: false, count: n)
        distance[root] = 0
        while true {
            var u = -1
            for v in 0..<n where !done[v] && distance[v] < .infinity && (u < 0 || distance[v] < distance[u]) { u = v }
            guard u >= 0 else { break }
            done[u] = true
            for a in 0..<graph.arcCount where cost[a] < .infinity && (forward ? tail[a] : head[a]) == u {
                let v = forward ? head[a] : tail[a]
                if distance[u] + cost[a] < distance[v] { distance[v] = distance[u] + cost[a]; arcOf[v] = a }
            }
        }
        return (distance, arcOf)
    }

    /// Edge ids of the kept paths from `source` to `target`, cheapest first.
    func paths(from source: Int64, to target: Int64, rule: ChoiceSetRule) -> [[Int64]] {
        let s = Int(graph.index(of: source)!), t = Int(graph.index(of: target)!)
        if forwardTrees[s] == nil { forwardTrees[s] = dijkstra(s, forward: true) }
        if backwardTrees[t] == nil { backwardTrees[t] = dijkstra(t, forward: false) }
        let from = forwardTrees[s]!, to = backwardTrees[t]!
        guard to.distance[s] < .infinity else { return [] }
        let (tail, head, cost, group) = (self.tail, self.head, self.cost, self.group)
        func arcs(to v: Int) -> [Int] { var p: [Int] = [], u = v; while from.arc[u] >= 0 { p.insert(from.arc[u], at: 0); u = tail[from.arc[u]] }; return p }
        func arcs(from v: Int) -> [Int] { var p: [Int] = [], u = v; while to.arc[u] >= 0 { p.append(to.arc[u]); u = head[to.arc[u]] }; return p }
        func total(_ p: [Int]) -> Double { p.reduce(0) { $0 + cost[$1] } }
        func crossings(_ p: [Int]) -> [Int] {
            var out: [Int] = []
            for a in p where groups.eliminable[group[a]] && out.last != group[a] { out.append(group[a]) }
            return out
        }
        func length(_ a: Int) -> Double { groups.lengths[Int(graph.arcEdge[a])] }
        func overlap(_ a: [Int], _ b: [Int]) -> Double {
            func share(_ x: [Int], on y: [Int]) -> Double {
                let other = Set(y.map { group[$0] })
                let whole = x.reduce(0.0) { $0 + length($1) }
                let shared = x.filter { other.contains(group[$0]) }.reduce(0.0) { $0 + length($1) }
                return whole > 0 ? shared / whole : 1
            }
            return max(share(a, on: b), share(b, on: a))
        }
        let limit = (1 + rule.maxDetour) * to.distance[s]
        var best = [(cost: Double, arc: Int)](repeating: (.infinity, -1), count: groups.groupCount)
        for a in 0..<graph.arcCount where groups.eliminable[group[a]] {
            let c = from.distance[tail[a]] + cost[a] + to.distance[head[a]]
            if c < best[group[a]].cost { best[group[a]] = (c, a) }
        }
        let candidates = best.indices.filter { best[$0].arc >= 0 && best[$0].cost <= limit + 1e-9 * limit }
            .sorted { (best[$0].cost, $0) < (best[$1].cost, $1) }.map { best[$0].arc }
        let first = arcs(from: s)
        var kept = [first], seen: Set<[Int]> = [first], sequences: Set<[Int]> = [crossings(first)]
        for c in candidates where kept.count < rule.size {
            let p = arcs(to: tail[c]) + [c] + arcs(from: head[c])
            guard seen.insert(p).inserted else { continue }
            let nodes = [s] + p.map { head[$0] }
            guard Set(nodes).count == nodes.count else { continue }
            let crossed = p.map { group[$0] }.filter { groups.eliminable[$0] }
            guard Set(crossed).count == crossed.count else { continue }
            guard !rule.distinctCrossings || sequences.insert(crossings(p)).inserted else { continue }
            if kept.allSatisfy({ overlap($0, p) <= rule.maxOverlap }) { kept.append(p) }
        }
        let edges = { (p: [Int]) in p.map { self.graph.edgeIds[Int(self.graph.arcEdge[$0])] } }
        return kept.sorted { total($0) != total($1) ? total($0) < total($1) : edges($0).lexicographicallyPrecedes(edges($1)) }.map(edges)
    }
}
