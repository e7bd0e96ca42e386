import XCTest
@testable import RouteShiftGraph

/// pgRouting's documentation sample network (the `edges` table of the sample
/// data, vertices numbered as `pgr_extractVertices` numbers them).
///
///   (2)─17─(4)         (9)        (14)
///                       │14        │18
///               (8)─12─▶(12)─13─▶(17)   (13)
///                │10     ▲11       │15
///   (1)─6─(3)─7─(7)──8──(11)──9──(16)
///                │4      ▲5        │16
///               (6)─◀2──(10)◀─3──(15)
///                │1
///               (5)
///
/// Arrows mark one-way edges (2, 3 run only target→source; 5, 11, 12, 13
/// only source→target); all costs are 1.
final class PgRoutingSampleTests: XCTestCase {
    static let rows: [(id: Int64, source: Int64, target: Int64, cost: Double, reverseCost: Double)] = [
        (1, 5, 6, 1, 1), (2, 6, 10, -1, 1), (3, 10, 15, -1, 1), (4, 6, 7, 1, 1),
        (5, 10, 11, 1, -1), (6, 1, 3, 1, 1), (7, 3, 7, 1, 1), (8, 7, 11, 1, 1),
        (9, 11, 16, 1, 1), (10, 7, 8, 1, 1), (11, 11, 12, 1, -1), (12, 8, 12, 1, -1),
        (13, 12, 17, 1, -1), (14, 8, 9, 1, 1), (15, 16, 17, 1, 1), (16, 15, 16, 1, 1),
        (17, 2, 4, 1, 1), (18, 13, 14, 1, 1),
    ]

    static func table() -> EdgeTable {
        var e = EdgeTable()
        for r in rows { e.append(id: r.id, source: r.source, target: r.target, cost: r.cost, reverseCost: r.reverseCost) }
        return e
    }

    func testDocumentedDirectedDijkstraSixToTen() throws {
        // pgr_dijkstra(edges sql, 6, 10) on the directed graph:
        // nodes 6, 7, 11, 16, 15, 10 by edges 4, 8, 9, 16, 3; agg_cost 5.
        // By hand: 10 can only be entered from 15 (edge 3), 15 only from 16,
        // 16 from 11 or 17, and 6 reaches 11 in two steps via 7.
        let query = ShortestPathQuery(graph: try RoutingGraph(edges: Self.table()))
        let path = try XCTUnwrap(query.shortestPath(from: 6, to: 10))
        XCTAssertEqual(path.nodes, [6, 7, 11, 16, 15, 10])
        XCTAssertEqual(path.edges, [4, 8, 9, 16, 3])
        XCTAssertEqual(path.totalCost, 5)
        XCTAssertEqual(try query.bidirectionalShortestPath(from: 6, to: 10)?.edges, [4, 8, 9, 16, 3])
    }

    func testHandComputedPaths() throws {
        let query = ShortestPathQuery(graph: try RoutingGraph(edges: Self.table()))
        // 12 cannot step back to 8 or 11 (edges 11, 12 are one-way into 12).
        XCTAssertEqual(try query.shortestPath(from: 12, to: 7)?.nodes, [12, 17, 16, 11, 7])
        XCTAssertEqual(try query.shortestPath(from: 10, to: 5)?.edges, [2, 1])
        XCTAssertEqual(try query.cost(from: 5, to: 10), 6)
        XCTAssertEqual(try query.cost(from: 6, to: 17), 4)   // three different paths of cost 4
        XCTAssertNil(try query.shortestPath(from: 6, to: 2))  // 2–4 and 13–14 are separate components
        XCTAssertEqual(try query.shortestPath(from: 2, to: 4)?.edges, [17])
        let fromSix = try query.shortestPathTree(from: 6).reachedNodes()
        XCTAssertEqual(fromSix.map(\.node), [6, 5, 7, 3, 8, 11, 1, 9, 12, 16, 15, 17, 10])
        XCTAssertEqual(fromSix.map(\.cost), [0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5])
    }

    func testKShortestSixToSeventeen() throws {
        // Exactly three paths 6→17 cost 4 (the fewest edges possible):
        // 6-7-11-16-17 (4,8,9,15), 6-7-11-12-17 (4,8,11,13), 6-7-8-12-17 (4,10,12,13),
        // equal in cost and so ordered by their edge ids.
        let query = ShortestPathQuery(graph: try RoutingGraph(edges: Self.table()))
        let paths = try query.kShortestPaths(from: 6, to: 17, k: 3)
        XCTAssertEqual(paths.map(\.edges), [[4, 8, 9, 15], [4, 8, 11, 13], [4, 10, 12, 13]])
        XCTAssertEqual(paths.map(\.totalCost), [4, 4, 4])
    }
}
