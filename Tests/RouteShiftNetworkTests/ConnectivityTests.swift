import XCTest
import RouteShiftGraph
@testable import RouteShiftNetwork

final class ConnectivityTests: XCTestCase {
    func testHandDrawnComponents() throws {
        // 1⇄2→3⇄4, 5→1, 6 alone (self-loop):
        // strong: {1,2}, {3,4}, {5}, {6} = 4; weak: {1..5}, {6} = 2.
        var t = EdgeTable()
        t.append(id: 1, source: 1, target: 2, cost: 1, reverseCost: 1)
        t.append(id: 2, source: 2, target: 3, cost: 1, reverseCost: -1)
        t.append(id: 3, source: 3, target: 4, cost: 1, reverseCost: 1)
        t.append(id: 4, source: 5, target: 1, cost: 1, reverseCost: -1)
        t.append(id: 5, source: 6, target: 6, cost: 1, reverseCost: -1)
        let g = try RoutingGraph(edges: t)
        let weak = Connectivity.weakComponents(g), strong = Connectivity.strongComponents(g)
        XCTAssertEqual(weak.count, 2); XCTAssertEqual(weak.largest, 5)
        XCTAssertEqual(strong.count, 4); XCTAssertEqual(strong.largest, 2)
    }

    /// Tarjan's labels must match mutual reachability computed by one search per node.
    func testStrongComponentsMatchMutualReachability() throws {
        for seed in [UInt64(3), 11] {
            let network = try Fixtures.randomGeographicNetwork(n: 60, seed: seed)
            let g = network.graph
            let strong = Connectivity.strongComponents(g)
            let query = ShortestPathQuery(graph: g)
            var reach: [[Bool]] = []
            for u in 0..<g.nodeCount {
                let tree = try query.shortestPathTree(fromIndex: Int32(u))
                reach.append(tree.distances.map { $0 < .infinity })
            }
            for u in 0..<g.nodeCount {
                for v in 0..<g.nodeCount {
                    XCTAssertEqual(strong.label[u] == strong.label[v], reach[u][v] && reach[v][u])
                }
            }
        }
    }
}
