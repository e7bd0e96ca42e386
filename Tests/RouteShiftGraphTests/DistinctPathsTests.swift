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

    private func fixture() throws -> (RoutingGraph, LinkGroups) {
        var table = EdgeTable()
        for r in Self.rows { table.append(id: r.id, source: r.from, target: r.to, cost: r.cost, reverseCost: -1) }
        let graph = try RoutingGraph(edges: table)
        var groupOfEdge = [Int32](repeating: 0, count: graph.edgeCount)
        var lengths = [Double](repeating: 0, count: graph.edgeCount)
        for r in Self.rows {
            let row = Int(graph.edgeRows.row(of: r.id)!)
            groupOfEdge[row] = r.group; lengths[row] = r.cost
        }
        let groups = try LinkGroups(graph: graph, groupOfEdge: groupOfEdge, eliminable: Array(repeating: true, count: 5),
                                    lengths: lengths)
        return (graph, groups)
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
            let random = RandomPlanarGraph(nodes: 40, edges: 120, seed: seed)
            let graph = try RoutingGraph(edges: random.edges)
            let lengths = (0..<graph.edgeCount).map { max(random.edges.costs[$0], random.edges.reverseCosts[$0], 0) }
            let groups = try LinkGroups.edges(of: graph, lengths: lengths)
            let exact = floydWarshall(random.edges, nodes: random.nodeIds)
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
        let random = RandomPlanarGraph(nodes: 40, edges: 120, seed: 11)
        let graph = try RoutingGraph(edges: random.edges)
        let lengths = (0..<graph.edgeCount).map { max(random.edges.costs[$0], random.edges.reverseCosts[$0], 0) }
        let groups = try LinkGroups.edges(of: graph, lengths: lengths)
        let exact = floydWarshall(random.edges, nodes: random.nodeIds)
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
