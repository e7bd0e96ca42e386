import RouteShiftGraph
import RouteShiftNetwork
@testable import RouteShiftSimulation
import XCTest

final class NetworkAttributeTests: XCTestCase {
    /// Hubs, lengths and risks come from the schema's attributes; missing values default.
    func testHubsLengthsAndRisksFromAttributes() throws {
        var table = EdgeTable()
        table.append(id: 1, source: 1, target: 2, cost: 1, reverseCost: 1)
        table.append(id: 2, source: 2, target: 3, cost: 1, reverseCost: -1)
        let graph = try RoutingGraph(edges: table)
        let network = try RouteNetwork(
            graph: graph, edges: table,
            nodeProperties: [1: ["kind": "hub"], 2: ["kind": "border-side"], 3: ["kind": "hub"]],
            edgeProperties: [["length_km": 12.5, "risk": 4], ["kind": "border"]], origin: "test")
        XCTAssertEqual(Assignment.hubs(in: network), [1, 3])
        XCTAssertEqual(Assignment.edgeLengths(in: network), [12.5, 0])
        XCTAssertEqual(Sweep.risks(in: network), [0.004, 0])
    }
}
