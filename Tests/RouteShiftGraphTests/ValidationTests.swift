import XCTest
@testable import RouteShiftGraph

final class ValidationTests: XCTestCase {
    private func table(cost: Double = 1, reverseCost: Double = 1) -> EdgeTable {
        var e = EdgeTable()
        e.append(id: 1, source: 1, target: 2, cost: 1, reverseCost: 1)
        e.append(id: 42, source: 2, target: 3, cost: cost, reverseCost: reverseCost)
        return e
    }

    private func assertBuildError(_ edges: EdgeTable, coordinates: NodeCoordinates? = nil, _ expected: GraphError,
                                  mentions: String, line: UInt = #line) {
        XCTAssertThrowsError(try RoutingGraph(edges: edges, coordinates: coordinates), line: line) { error in
            guard let error = error as? GraphError else { return XCTFail("\(error)", line: line) }
            if case .nonFiniteCost(_, _, let v) = expected, v.isNaN {
                guard case .nonFiniteCost(let id, let column, let value) = error else { return XCTFail("\(error)", line: line) }
                XCTAssertEqual(id, 42, line: line); XCTAssertEqual(column, "cost", line: line); XCTAssertTrue(value.isNaN, line: line)
            } else {
                XCTAssertEqual(error, expected, line: line)
            }
            XCTAssertTrue(error.description.contains(mentions), error.description, line: line)
        }
    }

    func testNonFiniteCostsNameEdgeAndValue() {
        assertBuildError(table(cost: .nan), .nonFiniteCost(edgeId: 42, column: "cost", value: .nan), mentions: "edge 42: cost is nan")
        assertBuildError(table(reverseCost: .infinity), .nonFiniteCost(edgeId: 42, column: "reverse_cost", value: .infinity),
                         mentions: "edge 42: reverse_cost is inf")
        assertBuildError(table(cost: -.infinity), .nonFiniteCost(edgeId: 42, column: "cost", value: -.infinity),
                         mentions: "-inf")
    }

    func testNegativeCostMeansNoArc() throws {
        let graph = try RoutingGraph(edges: table(cost: -1, reverseCost: -3))
        XCTAssertEqual(graph.arcCount, 2)
        XCTAssertNil(try ShortestPathQuery(graph: graph).cost(from: 1, to: 3))
    }

    func testDuplicateEdgeIds() {
        var e = table()
        e.append(id: 42, source: 3, target: 4, cost: 1, reverseCost: 1)
        assertBuildError(e, .duplicateEdgeId(42), mentions: "42")
        var sparse = EdgeTable()
        sparse.append(id: 1 << 40, source: 1, target: 2, cost: 1, reverseCost: 1)
        sparse.append(id: -5, source: 1, target: 2, cost: 1, reverseCost: 1)
        sparse.append(id: 1 << 40, source: 2, target: 1, cost: 1, reverseCost: 1)
        assertBuildError(sparse, .duplicateEdgeId(1 << 40), mentions: "\(1 << 40)")
    }

    func testColumnLengths() {
        var e = table()
        e.costs.append(3)
        assertBuildError(e, .columnLengthMismatch(column: "cost", count: 3, expected: 2), mentions: "cost")
    }

    func testCoordinateErrors() {
        var missing = NodeCoordinates()
        missing.append(id: 1, longitude: 0, latitude: 0); missing.append(id: 3, longitude: 1, latitude: 1)
        assertBuildError(table(), coordinates: missing, .missingCoordinate(nodeId: 2), mentions: "node 2")
        var duplicate = missing
        duplicate.append(id: 2, longitude: 0, latitude: 1); duplicate.append(id: 1, longitude: 0, latitude: 0)
        assertBuildError(table(), coordinates: duplicate, .duplicateCoordinate(nodeId: 1), mentions: "node 1")
        var bad = missing
        bad.append(id: 2, longitude: .infinity, latitude: 1)
        assertBuildError(table(), coordinates: bad, .invalidCoordinate(nodeId: 2, longitude: .infinity, latitude: 1), mentions: "node 2")
    }

    func testCoordinateOnlyNodesAreIsolated() throws {
        var c = NodeCoordinates()
        for (id, x) in [(1, 0.0), (2, 1.0), (3, 2.0), (9, 5.0)] { c.append(id: Int64(id), longitude: x, latitude: 0) }
        let graph = try RoutingGraph(edges: table(), coordinates: c)
        XCTAssertEqual(graph.nodeCount, 4)
        XCTAssertNil(try ShortestPathQuery(graph: graph).cost(from: 1, to: 9))
    }

    func testEmptyGraph() throws {
        let graph = try RoutingGraph(edges: EdgeTable())
        XCTAssertEqual(graph.nodeCount, 0)
        XCTAssertEqual(graph.firstArc, [0])
        XCTAssertThrowsError(try ShortestPathQuery(graph: graph).shortestPath(from: 1, to: 2)) {
            XCTAssertEqual($0 as? GraphError, .unknownNode(1))
        }
    }
}
