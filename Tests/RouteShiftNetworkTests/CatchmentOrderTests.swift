import XCTest
import RouteShiftCore
import RouteShiftGraph
@testable import RouteShiftNetwork
import RouteShiftTestSupport

/// `reach` rows come by cost, then node id, whatever the graph's node numbering.
final class CatchmentOrderTests: XCTestCase {
    /// A star whose leaves all cost the same, with ids against the order the graph
    /// numbers them (Hilbert order from the coordinates), and a second ring of distinct costs.
    func testEqualCostsAreOrderedById() throws {
        var table = EdgeTable(), coordinates = NodeCoordinates()
        coordinates.append(id: 1, longitude: 0, latitude: 0)
        let leaves: [Int64] = [90, 20, 70, 40, 10, 60]
        for (i, leaf) in leaves.enumerated() {
            coordinates.append(id: leaf, longitude: Double(i) - 2.5, latitude: Double(i % 3) - 1)
            table.append(id: Int64(100 + i), source: 1, target: leaf, cost: 2.5, reverseCost: 2.5)
            coordinates.append(id: leaf + 1, longitude: Double(i) - 2.5, latitude: 5 + Double(i))
            table.append(id: Int64(200 + i), source: leaf, target: leaf + 1, cost: 1 + Double(i) / 8, reverseCost: -1)
        }
        let graph = try RoutingGraph(edges: table, coordinates: coordinates)
        let network = try RouteNetwork(graph: graph, edges: table, origin: "star")
        let rows = try Catchment.compute(in: network, from: 1)
        // By hand: the root at 0, the six leaves at 2.5 by id, then leaf + 1 at 2.5 + 1 + i/8.
        var expected: [(Int64, Double)] = [(1, 0)] + leaves.sorted().map { ($0, 2.5) }
        expected += leaves.enumerated().map { ($1 + 1, 2.5 + 1 + Double($0) / 8) }.sorted { $0.1 < $1.1 }
        XCTAssertEqual(rows.map(\.node), expected.map(\.0))
        XCTAssertEqual(rows.map(\.cost), expected.map(\.1))
        XCTAssertEqual(rows.first?.edge, nil)
        XCTAssertEqual(rows.dropFirst().first?.edge, 104, "leaf 10 is reached by edge 104")
    }

    /// Property on random networks: the rows are the nodes the tree reaches, each once,
    /// sorted by (cost, id), with the tree's costs.
    func testRowsAreTheReachedNodesSortedByCostThenId() throws {
        for seed in [UInt64(3), 8] {
            let network = try Fixtures.randomGeographicNetwork(n: 200, seed: seed)
            let tree = try ShortestPathQuery(graph: network.graph).shortestPathTree(from: 1)
            let rows = try Catchment.compute(in: network, from: 1)
            let reached = network.graph.nodeIds.filter { tree.cost(at: $0) != nil }
            let expected = reached.map { ($0, tree.cost(at: $0)!) }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            XCTAssertEqual(rows.map(\.node), expected.map(\.0), "seed \(seed)")
            XCTAssertEqual(rows.map(\.cost), expected.map(\.1), "seed \(seed)")
            XCTAssertGreaterThan(rows.count, 100)
        }
    }
}
