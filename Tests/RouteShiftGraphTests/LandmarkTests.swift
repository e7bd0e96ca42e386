import XCTest
@testable import RouteShiftGraph
import RouteShiftTestSupport

/// ALT landmark bounds against Floyd–Warshall on fixed-seed random graphs.
final class LandmarkTests: XCTestCase {
    /// The bound never exceeds the true cost (the triangle inequality, with the Float
    /// rounding taken off), is infinite only where the target cannot be reached, and A*
    /// with it finds the cheapest cost, on directed and on symmetric graphs, with and
    /// without closures.
    func testBoundIsAdmissibleAndAStarFindsTheCheapestPath() throws {
        var reachable = 0, informative = 0
        for seed in UInt64(21)...26 {
            let random = RandomPlanarGraph(nodes: 60, edges: 150, seed: seed)
            var edges = random.edges
            if seed % 2 == 0 {  // every edge both ways at one cost: a symmetric graph
                for i in 0..<edges.count {
                    let c = max(edges.costs[i], edges.reverseCosts[i])
                    edges.costs[i] = c; edges.reverseCosts[i] = c
                }
            }
            let graph = try RoutingGraph(edges: edges, coordinates: random.coordinates)
            XCTAssertEqual(graph.isSymmetric, seed % 2 == 0)
            let landmarks = Landmarks(graph: graph, count: 4)
            XCTAssertEqual(landmarks.count, 4)
            XCTAssertEqual(Set(landmarks.nodes.array).count, 4, "four different landmarks")
            XCTAssertEqual(landmarks.toLandmark == nil, graph.isSymmetric)
            let truth = floydWarshall(edges, nodes: random.nodeIds)
            let query = ShortestPathQuery(graph: graph)
            var closures = CostOverlay(graph: graph)
            try closures.close(edge: edges.ids[3]); try closures.close(edge: edges.ids[7])
            try closures.multiplyCost(ofEdge: edges.ids[9], by: 3)
            XCTAssertTrue(closures.neverLowersCosts)
            for t in random.nodeIds.prefix(8) {
                let target = graph.index(of: t)!
                let bound = landmarks.bound(to: target)
                for s in random.nodeIds {
                    let exact = truth[s]![t]!
                    let h = bound.lowerBound(from: graph.index(of: s)!, to: target)
                    if exact == .infinity {
                        XCTAssertNil(try query.aStarShortestPath(from: s, to: t, bound: bound))
                        continue
                    }
                    reachable += 1
                    XCTAssertLessThanOrEqual(h, exact, "seed \(seed) \(s)→\(t)")
                    if h > 0.5 * exact { informative += 1 }
                    let path = try XCTUnwrap(try query.aStarShortestPath(from: s, to: t, bound: bound))
                    XCTAssertEqual(path.totalCost, exact, accuracy: 1e-9, "seed \(seed) \(s)→\(t)")
                    assertValid(path, in: edges)
                    let closed = try query.aStarShortestPath(from: s, to: t, bound: bound, overlay: closures)
                    let dijkstra = try query.shortestPath(from: s, to: t, overlay: closures)
                    XCTAssertEqual(closed?.totalCost, dijkstra?.totalCost, "seed \(seed) \(s)→\(t) with closures")
                }
            }
        }
        XCTAssertGreaterThan(reachable, 800)
        XCTAssertGreaterThan(informative, reachable / 4, "the bound should carry information")
        var lowered = CostOverlay(graph: try RoutingGraph(edges: RandomPlanarGraph(nodes: 10, edges: 20, seed: 1).edges))
        try lowered.multiplyCost(ofEdge: 5000, by: 0.5)
        XCTAssertFalse(lowered.neverLowersCosts)
    }

    /// Landmarks are the graph's own: stored ones are checked against it.
    func testStoredLandmarksAreChecked() throws {
        let random = RandomPlanarGraph(nodes: 30, edges: 80, seed: 4)
        let graph = try RoutingGraph(edges: random.edges)
        let landmarks = Landmarks(graph: graph, count: 3)
        XCTAssertTrue(landmarks.belong(to: graph))
        XCTAssertFalse(landmarks.belong(to: try RoutingGraph(edges: random.edges)))
        XCTAssertNoThrow(try Landmarks(graph: graph, nodes: landmarks.nodes, fromLandmark: landmarks.fromLandmark,
                                       toLandmark: landmarks.toLandmark))
        XCTAssertThrowsError(try Landmarks(graph: graph, nodes: [0, 30], fromLandmark: landmarks.fromLandmark,
                                           toLandmark: landmarks.toLandmark))
        XCTAssertThrowsError(try Landmarks(graph: graph, nodes: landmarks.nodes,
                                           fromLandmark: Column(Array(landmarks.fromLandmark.array.dropLast())),
                                           toLandmark: landmarks.toLandmark))
        XCTAssertThrowsError(try Landmarks(graph: graph, nodes: landmarks.nodes, fromLandmark: landmarks.fromLandmark,
                                           toLandmark: nil), "a directed graph needs both directions")
    }
}
