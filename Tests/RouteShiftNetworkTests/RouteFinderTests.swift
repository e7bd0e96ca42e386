import XCTest
import RouteShiftCore
import RouteShiftGraph
@testable import RouteShiftNetwork
import RouteShiftTestSupport

final class RouteFinderTests: XCTestCase {
    /// A* with the geodesic bound, bidirectional Dijkstra and plain Dijkstra must agree
    /// on every query: the bound is admissible only if it never exceeds the true cost.
    func testAlgorithmsAgreeOnRandomGeographicNetworks() throws {
        for seed in [UInt64(1), 7, 42] {
            let network = try Fixtures.randomGeographicNetwork(n: 150, seed: seed)
            let finder = RouteFinder(network: network)
            var rng = SplitMix64(seed: seed &+ 100)
            var reachablePairs = 0
            for _ in 0..<60 {
                let a = Int64.random(in: 1...150, using: &rng), b = Int64.random(in: 1...150, using: &rng)
                let d = try finder.shortestPath(from: a, to: b, algorithm: .dijkstra)?.totalCost
                let bi = try finder.shortestPath(from: a, to: b, algorithm: .bidirectional)?.totalCost
                let astar = try finder.shortestPath(from: a, to: b, algorithm: .astar)?.totalCost
                XCTAssertEqual(d == nil, astar == nil)
                XCTAssertEqual(d == nil, bi == nil)
                if let d, let bi, let astar {
                    reachablePairs += 1
                    XCTAssertEqual(astar, d, accuracy: 1e-9 * max(1, d), "seed \(seed) \(a)→\(b)")
                    XCTAssertEqual(bi, d, accuracy: 1e-9 * max(1, d), "seed \(seed) \(a)→\(b)")
                }
            }
            XCTAssertGreaterThan(reachablePairs, 20)
        }
    }

    /// The bound itself: never above the exact one-to-all cost from any node to a target.
    func testGeodesicBoundIsAdmissible() throws {
        let network = try Fixtures.randomGeographicNetwork(n: 120, seed: 5)
        let bound = try XCTUnwrap(GeodesicLowerBound(network: network))
        XCTAssertGreaterThan(bound.costPerKm, 0.99)  // factors are ≥ 1 per geodesic km
        let query = ShortestPathQuery(graph: network.graph)
        for target in [Int64(1), 60, 120] {
            let tree = try query.shortestPathTree(to: target)
            let t = network.graph.index(of: target)!
            for (node, cost) in tree.reachedNodes() {
                let u = network.graph.index(of: node)!
                XCTAssertLessThanOrEqual(bound.lowerBound(from: u, to: t), cost + 1e-9)
            }
        }
    }

    func testKRoutesAreSortedLooplessAndDescribed() throws {
        let network = try Fixtures.randomGeographicNetwork(n: 80, seed: 9)
        let finder = RouteFinder(network: network)
        let routes = try finder.routes(from: 1, to: 40, k: 4)
        XCTAssertFalse(routes.isEmpty)
        for (i, r) in routes.enumerated() {
            XCTAssertEqual(r.rank, i + 1)
            XCTAssertEqual(Set(r.nodes).count, r.nodes.count, "loopless")
            XCTAssertEqual(r.steps.map(\.cost).reduce(0, +), r.cost, accuracy: 1e-9)
            // Length: each straight edge's geodesic length, summed.
            let km = r.steps.compactMap(\.lengthKm).reduce(0, +)
            XCTAssertEqual(try XCTUnwrap(r.lengthKm), km, accuracy: 1e-9)
            XCTAssertEqual(r.geometry?.count, r.nodes.count)
            if i > 0 { XCTAssertGreaterThanOrEqual(r.cost, routes[i - 1].cost) }
        }
    }

    func testClosureResolutionBySegmentAndBorder() throws {
        // Three edges with segment attributes; a border closes all its sections, either pair order.
        var table = EdgeTable()
        table.append(id: 10, source: 1, target: 2, cost: 1, reverseCost: 1)
        table.append(id: 11, source: 2, target: 3, cost: 1, reverseCost: 1)
        table.append(id: 12, source: 1, target: 3, cost: 5, reverseCost: 5)
        let graph = try RoutingGraph(edges: table)
        let network = try RouteNetwork(
            graph: graph, edges: table, nodeNames: [1: "a", 2: "b", 3: "c"],
            edgeProperties: [["segment": "HU-RS-001", "border": "HU-RS"], ["segment": "HU-RS-002", "border": "HU-RS"],
                             ["segment": "HR-RS-001", "border": "HR-RS"]],
            origin: "fixture")
        XCTAssertEqual(try network.resolveEdges("HU-RS-002"), [1])
        XCTAssertEqual(try network.resolveEdges("rs-hu"), [0, 1])
        XCTAssertEqual(try network.resolveEdges("12"), [2])
        XCTAssertThrowsError(try network.resolveEdges("HU-RS-02")) { error in
            let e = error as! InputError
            XCTAssertEqual(e.location, InputLocation())  // the caller knows where the text came from
            XCTAssertEqual(e.message, "unknown edge, segment, border or hub 'HU-RS-02'")
            XCTAssertEqual(e.suggestions.first, "HU-RS-002")  // one insertion away; HU-RS-001 needs two edits
        }
        XCTAssertEqual(try network.resolveNode("B"), 2)
        XCTAssertThrowsError(try network.resolveNode("d")) { error in
            XCTAssertEqual((error as! InputError).suggestions, ["a", "b", "c"])
        }
    }
}
