import XCTest
@testable import RouteShiftGraph

/// A graph small enough to solve on paper.
///
///            e10: 2 (one-way)
///       (1) ─────────────────▶ (2)
///        │ ▲                  │ ▲      e12: 1 both ways between 2 and 3
///  e11: 5│ │e16: 7 (5→1 only) │ │      e13: 2→4, 4 (one-way)
///        ▼ │                  ▼ │      e14: 3→4, 1 (one-way)
///       (3)│◀─────────────────┘ │      e15: 4→5 costs 3, 5→4 costs 2
///        │ │                    │      e19: self-loop 3→3, 1
///   e14  │ └──────(5)           │
///        ▼         ▲▼ e15       │
///       (4) ◀──────┘ ───────────┘ e13
///
/// Costs from 1, by hand:
///   d(2) = 2 (e10)
///   d(3) = min(5 via e11, 2 + 1 via e10,e12) = 3
///   d(4) = min(2 + 4 via e13, 3 + 1 via e14) = 4
///   d(5) = 4 + 3 = 7
/// Costs from 5: d(4) = 2 (e15 backward), d(1) = 7 (e16), d(2) = 9,
///   d(3) = min(7 + 5, 9 + 1) = 10.
/// Costs to 4: from 3: 1, from 2: 1 + 1 = 2, from 1: 4, from 5: 2.
/// Loopless paths 1 → 4: 1-2-3-4 (e10 e12 e14) = 4, 1-2-4 (e10 e13) = 6,
///   1-3-4 (e11 e14) = 6, 1-3-2-4 (e11 e12 e13) = 10; the two of cost 6 are
///   ordered by edge ids, [10, 13] before [11, 14].
final class HandDrawnGraphTests: XCTestCase {
    static func table() -> EdgeTable {
        var e = EdgeTable()
        e.append(id: 10, source: 1, target: 2, cost: 2, reverseCost: -1)
        e.append(id: 11, source: 1, target: 3, cost: 5, reverseCost: -1)
        e.append(id: 12, source: 2, target: 3, cost: 1, reverseCost: 1)
        e.append(id: 13, source: 2, target: 4, cost: 4, reverseCost: -1)
        e.append(id: 14, source: 3, target: 4, cost: 1, reverseCost: -1)
        e.append(id: 15, source: 4, target: 5, cost: 3, reverseCost: 2)
        e.append(id: 16, source: 5, target: 1, cost: 7, reverseCost: -1)
        e.append(id: 19, source: 3, target: 3, cost: 1, reverseCost: -1)
        return e
    }

    var graph: RoutingGraph!
    var query: ShortestPathQuery!

    override func setUpWithError() throws {
        graph = try RoutingGraph(edges: Self.table())
        query = ShortestPathQuery(graph: graph)
    }

    func testDistancesFromOne() throws {
        let tree = try query.shortestPathTree(from: 1)
        let expected: [Int64: Double] = [1: 0, 2: 2, 3: 3, 4: 4, 5: 7]
        for (node, cost) in expected { XCTAssertEqual(tree.cost(at: node), cost, "node \(node)") }
        XCTAssertEqual(tree.path(to: 5)?.edges, [10, 12, 14, 15])
        XCTAssertEqual(tree.path(to: 5)?.nodes, [1, 2, 3, 4, 5])
        XCTAssertEqual(tree.path(to: 1)?.nodes, [1])
    }

    func testDistancesFromFive() throws {
        let expected: [Int64: Double] = [5: 0, 4: 2, 1: 7, 2: 9, 3: 10]
        for (node, cost) in expected { XCTAssertEqual(try query.cost(from: 5, to: node), cost, "node \(node)") }
        let path = try XCTUnwrap(query.shortestPath(from: 5, to: 3))
        XCTAssertEqual(path.nodes, [5, 1, 2, 3])
        XCTAssertEqual(path.edges, [16, 10, 12])
        XCTAssertEqual(path.arcCosts, [7, 2, 1])
        XCTAssertEqual(path.totalCost, 10)
    }

    func testOneToOneMatchesBidirectionalAndAStar() throws {
        let path = try XCTUnwrap(query.shortestPath(from: 1, to: 4))
        XCTAssertEqual(path.edges, [10, 12, 14])
        XCTAssertEqual(path.totalCost, 4)
        XCTAssertEqual(try query.bidirectionalShortestPath(from: 1, to: 4)?.totalCost, 4)
        XCTAssertEqual(try query.aStarShortestPath(from: 1, to: 4, bound: ZeroLowerBound())?.edges, [10, 12, 14])
    }

    func testReverseTreeGivesCostsToTarget() throws {
        let tree = try query.shortestPathTree(to: 4)
        let expected: [Int64: Double] = [4: 0, 3: 1, 2: 2, 1: 4, 5: 2]
        for (node, cost) in expected { XCTAssertEqual(tree.cost(at: node), cost, "node \(node)") }
        XCTAssertEqual(tree.path(to: 1)?.nodes, [1, 2, 3, 4])
        XCTAssertEqual(tree.path(to: 5)?.edges, [15])
    }

    func testCatchmentBound() throws {
        let tree = try query.shortestPathTree(from: 1, maxCost: 3)
        XCTAssertEqual(tree.reachedNodes().map(\.node), [1, 2, 3])
        XCTAssertEqual(tree.reachedNodes().map(\.cost), [0, 2, 3])
        XCTAssertNil(tree.cost(at: 4))
        XCTAssertThrowsError(try query.shortestPathTree(from: 1, maxCost: -1)) {
            XCTAssertEqual($0 as? GraphError, .invalidCostBound(-1))
        }
        XCTAssertThrowsError(try query.shortestPathTree(from: 1, maxCost: .nan)) {
            guard case .invalidCostBound(let v)? = $0 as? GraphError else { return XCTFail("\($0)") }
            XCTAssertTrue(v.isNaN)
        }
    }

    func testClosureForcesDetour() throws {
        var overlay = CostOverlay(graph: graph)
        try overlay.close(edge: 14)
        let path = try XCTUnwrap(query.shortestPath(from: 1, to: 4, overlay: overlay))
        XCTAssertEqual(path.edges, [10, 13])
        XCTAssertEqual(path.totalCost, 6)
        XCTAssertEqual(try query.bidirectionalShortestPath(from: 1, to: 4, overlay: overlay)?.totalCost, 6)
        XCTAssertEqual(try query.aStarShortestPath(from: 1, to: 4, bound: ZeroLowerBound(), overlay: overlay)?.totalCost, 6)
        XCTAssertEqual(overlay.closedEdges, [14])
        // The graph itself is untouched.
        XCTAssertEqual(try query.cost(from: 1, to: 4), 4)
        try overlay.restore(edge: 14)
        XCTAssertEqual(try query.cost(from: 1, to: 4, overlay: overlay), 4)
    }

    func testOneDirectionalClosure() throws {
        var overlay = CostOverlay(graph: graph)
        try overlay.close(edge: 15, direction: .backward)   // 5→4 closed, 4→5 open
        XCTAssertEqual(try query.cost(from: 5, to: 4, overlay: overlay), 11)  // 5→1→2→3→4
        XCTAssertEqual(try query.cost(from: 4, to: 5, overlay: overlay), 3)
        var forwardClosed = CostOverlay(graph: graph)
        try forwardClosed.close(edge: 15, direction: .forward)
        XCTAssertNil(try query.shortestPath(from: 1, to: 5, overlay: forwardClosed))
        XCTAssertEqual(try query.cost(from: 5, to: 4, overlay: forwardClosed), 2)
        XCTAssertThrowsError(try overlay.close(edge: 10, direction: .backward)) { error in
            XCTAssertEqual(error as? GraphError, .absentDirection(edgeId: 10, direction: .backward))
        }
        XCTAssertThrowsError(try overlay.close(edge: 99)) { error in
            XCTAssertEqual(error as? GraphError, .unknownEdge(99))
        }
    }

    func testMultiplierAndOverrideCost() throws {
        var surveillance = CostOverlay(graph: graph)
        try surveillance.multiplyCost(ofEdge: 14, by: 2)
        let detour = try XCTUnwrap(query.shortestPath(from: 1, to: 4, overlay: surveillance))
        XCTAssertEqual(detour.edges, [10, 12, 14])
        XCTAssertEqual(detour.arcCosts, [2, 1, 2])
        XCTAssertEqual(detour.totalCost, 5)
        var override = CostOverlay(graph: graph)
        try override.setCost(ofEdge: 13, to: 0.5)
        XCTAssertEqual(try query.shortestPath(from: 1, to: 4, overlay: override)?.edges, [10, 13])
        XCTAssertEqual(try query.cost(from: 1, to: 4, overlay: override), 2.5)
        // Setting a cost reopens a closed arc.
        var reopened = CostOverlay(graph: graph)
        try reopened.close(edge: 13); try reopened.setCost(ofEdge: 13, to: 0.5)
        XCTAssertEqual(try query.cost(from: 1, to: 4, overlay: reopened), 2.5)
        XCTAssertThrowsError(try override.multiplyCost(ofEdge: 13, by: .nan)) {
            guard case .invalidOverlayValue(13, let v)? = $0 as? GraphError else { return XCTFail("\($0)") }
            XCTAssertTrue(v.isNaN)
        }
        XCTAssertThrowsError(try override.setCost(ofEdge: 13, to: -1)) {
            XCTAssertEqual($0 as? GraphError, .invalidOverlayValue(edgeId: 13, value: -1))
        }
    }

    func testYenHandEnumeratedPaths() throws {
        let paths = try query.kShortestPaths(from: 1, to: 4, k: 10)
        XCTAssertEqual(paths.map(\.edges), [[10, 12, 14], [10, 13], [11, 14], [11, 12, 13]])
        XCTAssertEqual(paths.map(\.totalCost), [4, 6, 6, 10])
        XCTAssertEqual(try query.kShortestPaths(from: 1, to: 4, k: 2).map(\.edges), [[10, 12, 14], [10, 13]])
        XCTAssertEqual(try query.kShortestPaths(from: 3, to: 3, k: 3).map(\.nodes), [[3]])
        XCTAssertThrowsError(try query.kShortestPaths(from: 1, to: 4, k: 0)) {
            XCTAssertEqual($0 as? GraphError, .invalidPathCount(0))
        }
        var overlay = CostOverlay(graph: graph)
        try overlay.close(edge: 12)
        XCTAssertEqual(try query.kShortestPaths(from: 1, to: 4, k: 10, overlay: overlay).map(\.edges), [[10, 13], [11, 14]])
    }

    func testUnreachableAndUnknown() throws {
        var e = Self.table()
        e.append(id: 30, source: 8, target: 9, cost: 1, reverseCost: 1)
        let g = try RoutingGraph(edges: e)
        let q = ShortestPathQuery(graph: g)
        XCTAssertNil(try q.shortestPath(from: 1, to: 9))
        XCTAssertNil(try q.bidirectionalShortestPath(from: 1, to: 9))
        XCTAssertNil(try q.aStarShortestPath(from: 1, to: 9, bound: ZeroLowerBound()))
        XCTAssertEqual(try q.kShortestPaths(from: 1, to: 9, k: 3), [])
        XCTAssertNil(try q.cost(from: 1, to: 9))
        XCTAssertThrowsError(try q.shortestPath(from: 1, to: 77)) { error in
            XCTAssertEqual(error as? GraphError, .unknownNode(77))
        }
        XCTAssertThrowsError(try q.shortestPath(from: 1, to: 4, overlay: CostOverlay(graph: graph))) { error in
            XCTAssertEqual(error as? GraphError, .overlayFromAnotherGraph)
        }
    }

    func testCostMatrix() throws {
        let matrix = try query.costMatrix(sources: [1, 5], targets: [4, 3, 1, 4])
        XCTAssertEqual(matrix.costs, [4, 3, 0, 4, 2, 10, 7, 2])
        let parallel = try CostMatrix.compute(graph: graph, sources: [1, 5], targets: [4, 3, 1, 4], workers: 2)
        XCTAssertEqual(parallel, matrix)
        XCTAssertEqual(matrix.cost(from: 5, to: 3), 10)
    }

    func testArcOrderAndSelfLoop() {
        // Node 3 (index 2) has arcs to 2 (e12), to 3 (e19 self-loop) and to 4 (e14), in head order.
        let three = Int(graph.index(of: 3)!)
        let arcs = Int(graph.firstArc[three])..<Int(graph.firstArc[three + 1])
        XCTAssertEqual(arcs.map { graph.externalId(of: graph.arcHead[$0]) }, [2, 3, 4])
        XCTAssertEqual(arcs.map { graph.edgeIds[Int(graph.arcEdge[$0])] }, [12, 19, 14])
    }
}
