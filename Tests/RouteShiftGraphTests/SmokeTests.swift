import XCTest
@testable import RouteShiftGraph
final class SmokeTests: XCTestCase {
    func testTiny() throws {
        var e = EdgeTable()
        e.append(id: 1, source: 10, target: 20, cost: 1, reverseCost: -1)
        let g = try RoutingGraph(edges: e)
        let q = ShortestPathQuery(graph: g)
        XCTAssertEqual(try q.cost(from: 10, to: 20), 1)
    }
}
