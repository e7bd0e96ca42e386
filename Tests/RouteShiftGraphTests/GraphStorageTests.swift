import XCTest
@testable import RouteShiftGraph

/// `RoutingGraph.init(storage:)` uses stored arrays as they are, after checking
/// that they fit together: every inconsistency is a `GraphError`, never a trap.
final class GraphStorageTests: XCTestCase {
    private func inconsistent(_ storage: GraphStorage, _ what: String, line: UInt = #line) {
        XCTAssertThrowsError(try RoutingGraph(storage: storage), what, line: line) { error in
            guard case .inconsistentStorage? = error as? GraphError else {
                return XCTFail("\(what): \(error)", line: line)
            }
        }
    }

    func testStoredArraysGiveTheSameGraphAndSearches() throws {
        let random = RandomPlanarGraph(nodes: 60, edges: 200, seed: 5)
        let built = try RoutingGraph(edges: random.edges, coordinates: random.coordinates)
        let stored = try RoutingGraph(storage: built.storage)
        XCTAssertEqual(stored.nodeIds, built.nodeIds)
        XCTAssertEqual(stored.edgeIds, built.edgeIds)
        for id in random.nodeIds { XCTAssertEqual(stored.index(of: id), built.index(of: id)) }
        for source in random.nodeIds.prefix(5) {
            // The distances of the built graph are the independent answer here.
            let a = try ShortestPathQuery(graph: built).shortestPathTree(from: source)
            let b = try ShortestPathQuery(graph: stored).shortestPathTree(from: source)
            XCTAssertEqual(a.distances, b.distances)
            for target in random.nodeIds.suffix(5) {
                XCTAssertEqual(try ShortestPathQuery(graph: stored).bidirectionalShortestPath(from: source, to: target)?.totalCost,
                               try ShortestPathQuery(graph: built).shortestPath(from: source, to: target)?.totalCost)
            }
        }
    }

    func testEveryInconsistencyIsAGraphError() throws {
        // Exact costs (not decimal units) and sparse ids (hashed lookup) in one graph, dense in the other.
        var random = RandomPlanarGraph(nodes: 30, edges: 90, seed: 8)
        random.edges.costs = Column(random.edges.costs.map { $0 < 0 ? $0 : $0 + 1e-13 })
        let exact = try RoutingGraph(edges: random.edges, coordinates: random.coordinates)
        guard case .exact = exact.storage.costs else { return XCTFail("expected exact costs") }
        let good = exact.storage
        XCTAssertNoThrow(try RoutingGraph(storage: good))
        let n = exact.nodeCount, arcs = exact.arcCount, m = exact.edgeCount

        var s = good
        s.arcHead[3] = Int32(n)
        inconsistent(s, "head past the nodes")
        s = good; s.arcHead[0] = -1
        inconsistent(s, "negative head")
        s = good; s.arcEdge[arcs - 1] = Int32(m)
        inconsistent(s, "row past the edges")
        s = good; s.firstArc[1] = s.firstArc[2] + 1
        inconsistent(s, "offsets not ascending")
        s = good; s.firstArc[n] = Int32(arcs - 1)
        inconsistent(s, "last offset short of the arcs")
        s = good; s.firstArc.removeLast()
        inconsistent(s, "one offset missing")
        s = good; s.arcEdge.removeLast()
        inconsistent(s, "one arc row missing")
        s = good; s.arcBackwardBits.append(0)
        inconsistent(s, "direction bits")
        if case var .exact(costs) = good.costs {
            costs[2] = .nan; s = good; s.costs = .exact(costs)
            inconsistent(s, "NaN cost")
            costs[2] = -1; s = good; s.costs = .exact(costs)
            inconsistent(s, "negative cost")
            costs.removeLast(); s = good; s.costs = .exact(costs)
            inconsistent(s, "one cost missing")
        }
        s = good; s.latitudes![0] = .infinity
        inconsistent(s, "infinite latitude")
        s = good; s.longitudes = nil
        inconsistent(s, "latitudes without longitudes")
        // Two slots swapped: each id would find the other's node.
        s = good
        let base = good.nodeSlotBase
        let slots = try XCTUnwrap(good.nodeSlots)
        let a = Int(exact.externalId(of: 0) - base), b = Int(exact.externalId(of: 1) - base)
        s.nodeSlots![a] = slots[b]; s.nodeSlots![b] = slots[a]
        inconsistent(s, "swapped lookup slots")
        s = good; s.nodeSlots![a] = -2
        inconsistent(s, "slot below -1")
        s = good; s.edgeIds = .consecutive(first: .max - 1, count: m)
        inconsistent(s, "edge id range overflows")
        s = good; s.edgeIds = .consecutive(first: 1, count: m - 1)
        inconsistent(s, "fewer edge rows than the arcs name")
    }

    func testSparseIdsWithoutSlotsAreHashedAndDuplicatesRejected() throws {
        let random = RandomPlanarGraph(nodes: 20, edges: 50, seed: 3, idStride: 1_000_003)
        let built = try RoutingGraph(edges: random.edges, coordinates: random.coordinates)
        var s = built.storage
        XCTAssertNil(s.nodeSlots, "sparse ids have no direct table")
        let stored = try RoutingGraph(storage: s)
        for id in random.nodeIds { XCTAssertEqual(stored.index(of: id), built.index(of: id)) }
        s.nodeIds = .listed(Column(Array(repeating: random.nodeIds[0], count: built.nodeCount)))
        inconsistent(s, "one id for every node")
    }

    /// A graph wrongly marked symmetric (arcs one way only) cannot make the
    /// bidirectional search read outside its arrays: the missing twin is an error.
    func testAWrongSymmetricFlagIsAnErrorNotATrap() throws {
        var table = EdgeTable()
        table.append(id: 1, source: 10, target: 30, cost: 1, reverseCost: -1)
        table.append(id: 2, source: 20, target: 30, cost: 1, reverseCost: -1)
        let oneWay = try RoutingGraph(edges: table)
        XCTAssertFalse(oneWay.isSymmetric)
        XCTAssertNil(try ShortestPathQuery(graph: oneWay).bidirectionalShortestPath(from: 20, to: 10))
        var s = oneWay.storage
        s.isSymmetric = true
        let marked = try RoutingGraph(storage: s)
        XCTAssertEqual(try ShortestPathQuery(graph: marked).bidirectionalShortestPath(from: 10, to: 30)?.totalCost, 1)
        // Searching back from 10 along its leaving arcs meets the search from 20 at 30; 30 → 10 has no arc.
        XCTAssertThrowsError(try ShortestPathQuery(graph: marked).bidirectionalShortestPath(from: 20, to: 10)) { error in
            guard case .inconsistentStorage? = error as? GraphError else { return XCTFail("\(error)") }
        }
    }
}
