import XCTest
@testable import RouteShiftGraph

/// `_validateInvariants()` and the checks of the derived arrays: silent on every
/// graph the builder makes, and naming the broken invariant of a graph put
/// together by hand with one array corrupted.
final class InvariantTests: XCTestCase {
    /// Edges (id, source, target, cost, reverse cost): 1 = 1↔2 (1, 1), 2 = 2→3 (2),
    /// 3 = 1↔3 (4, 3). Nodes 1, 2, 3 get indices 0, 1, 2 (ascending id), so the arcs are
    ///
    ///     node 0: arc 0 → 1 (row 0, forward), arc 1 → 2 (row 2, forward)
    ///     node 1: arc 2 → 0 (row 0, backward), arc 3 → 2 (row 1, forward)
    ///     node 2: arc 4 → 0 (row 2, backward)
    private func triangle() throws -> RoutingGraph {
        var table = EdgeTable()
        table.append(id: 1, source: 1, target: 2, cost: 1, reverseCost: 1)
        table.append(id: 2, source: 2, target: 3, cost: 2, reverseCost: -1)
        table.append(id: 3, source: 1, target: 3, cost: 4, reverseCost: 3)
        return try RoutingGraph(edges: table)
    }

    /// `graph` with the given arrays in place of its own.
    private func replacing(_ graph: RoutingGraph, firstArc: [Int32]? = nil, arcHead: [Int32]? = nil,
                           arcEdge: [Int32]? = nil, arcCosts: ArcCosts? = nil, bits: [UInt64]? = nil,
                           nodeIds: [Int64]? = nil, longitudes: [Double]? = nil, latitudes: [Double]? = nil,
                           isSymmetric: Bool? = nil) -> RoutingGraph {
        RoutingGraph(firstArc: firstArc ?? graph.firstArc, arcHead: arcHead ?? graph.arcHead,
                     arcCosts: arcCosts ?? graph.arcCosts, arcEdge: arcEdge ?? graph.arcEdge,
                     arcBackwardBits: bits ?? graph.arcBackwardBits,
                     nodeIds: nodeIds.map(NodeIdColumn.init) ?? graph.nodeIdColumn, edgeRows: graph.edgeRows,
                     longitudes: longitudes ?? graph.longitudes, latitudes: latitudes ?? graph.latitudes,
                     nodeLookup: graph.nodeLookup, isSymmetric: isSymmetric ?? graph.isSymmetric)
    }

    private func assertBroken(_ invariant: GraphInvariant, _ body: () throws(GraphInvariantViolation) -> Void,
                              line: UInt = #line) {
        do {
            try body()
            XCTFail("expected '\(invariant.rawValue)' to be broken", line: line)
        } catch {
            XCTAssertEqual(error.invariant, invariant, error.description, line: line)
        }
    }

    func testTheHandLaidOutTriangleHoldsItsInvariants() throws {
        let g = try triangle()
        XCTAssertEqual(g.firstArc, [0, 2, 4, 5])
        XCTAssertEqual(g.arcHead, [1, 2, 0, 2, 0])
        XCTAssertEqual(g.arcEdge, [0, 2, 0, 1, 2])
        XCTAssertEqual(g.arcBackwardBits, [0b10100])
        XCTAssertNoThrow(try g._validateInvariants())
        // The derived arrays, checked once built and again through the graph.
        XCTAssertEqual(g.edgeForwardArc, [0, 3, 1])
        XCTAssertEqual(g.edgeBackwardArc, [2, -1, 4])
        XCTAssertEqual(g.reverseFirstArc, [0, 2, 3, 5])
        XCTAssertEqual(g.reverseArcForward, [2, 4, 0, 1, 3])
        XCTAssertEqual(g.reverseArcTail, [1, 2, 0, 0, 1])
        XCTAssertNoThrow(try g._validateInvariants())
    }

    func testEveryBuiltGraphHoldsItsInvariants() throws {
        for seed in UInt64(1)...4 {
            let random = RandomPlanarGraph(nodes: 60, edges: 200, seed: seed, idStride: 7)
            var undirected = random.edges
            undirected.reverseCosts = undirected.costs.map { $0 < 0 ? 1 : $0 }
            undirected.costs = undirected.reverseCosts
            for (table, coordinates) in [(random.edges, nil), (random.edges, random.coordinates), (undirected, nil)] {
                let g = try RoutingGraph(edges: table, coordinates: coordinates)
                XCTAssertNoThrow(try g._validateInvariants(), "seed \(seed)")
                _ = (g.reverseFirstArc, g.edgeForwardArc)
                XCTAssertNoThrow(try g._validateInvariants(), "seed \(seed), derived arrays built")
            }
            XCTAssertTrue(try RoutingGraph(edges: undirected).isSymmetric)
        }
    }

    func testOffsetsMustRunFromZeroToTheArcCountWithoutFalling() throws {
        let g = try triangle()
        assertBroken(.offsets) { () throws(GraphInvariantViolation) in try replacing(g, firstArc: [0, 3, 2, 5])._validateInvariants() }
        assertBroken(.offsets) { () throws(GraphInvariantViolation) in try replacing(g, firstArc: [0, 2, 4, 4])._validateInvariants() }
        assertBroken(.offsets) { () throws(GraphInvariantViolation) in try replacing(g, firstArc: [1, 2, 4, 5])._validateInvariants() }
    }

    func testArcColumnsStayInRange() throws {
        let g = try triangle()
        assertBroken(.arcHead) { () throws(GraphInvariantViolation) in try replacing(g, arcHead: [1, 3, 0, 2, 0])._validateInvariants() }
        assertBroken(.arcHead) { () throws(GraphInvariantViolation) in try replacing(g, arcHead: [1, 2, -1, 2, 0])._validateInvariants() }
        assertBroken(.arcEdge) { () throws(GraphInvariantViolation) in try replacing(g, arcEdge: [0, 2, 0, 3, 2])._validateInvariants() }
        assertBroken(.arcColumns) { () throws(GraphInvariantViolation) in try replacing(g, arcEdge: [0, 2, 0, 1])._validateInvariants() }
        assertBroken(.arcCost) { () throws(GraphInvariantViolation) in
            try replacing(g, arcCosts: .exact([1, 4, 1, -2, 3]))._validateInvariants()
        }
        assertBroken(.arcCost) { () throws(GraphInvariantViolation) in
            try replacing(g, arcCosts: .exact([1, .nan, 1, 2, 3]))._validateInvariants()
        }
        assertBroken(.directionBits) { () throws(GraphInvariantViolation) in try replacing(g, bits: [0b110100])._validateInvariants() }
    }

    func testEachRowHasOneArcPerDirectionAndTheyAreTwins() throws {
        let g = try triangle()
        // Arc 3 claimed by row 2, whose forward arc is arc 1.
        assertBroken(.edgeArcs) { () throws(GraphInvariantViolation) in try replacing(g, arcEdge: [0, 2, 0, 2, 2])._validateInvariants() }
        // Arc 0 flipped to backward: row 0 has two backward arcs.
        assertBroken(.edgeArcs) { () throws(GraphInvariantViolation) in try replacing(g, bits: [0b10101])._validateInvariants() }
        // Row 0's backward arc leaves node 1 for node 2 instead of returning to node 0.
        assertBroken(.edgeArcs) { () throws(GraphInvariantViolation) in try replacing(g, arcHead: [1, 2, 2, 2, 0])._validateInvariants() }
    }

    func testArcsOfANodeAreOrderedByHeadThenEdgeId() throws {
        let g = try triangle()
        assertBroken(.arcOrder) { () throws(GraphInvariantViolation) in
            try replacing(g, arcHead: [2, 1, 0, 2, 0], arcEdge: [2, 0, 0, 1, 2])._validateInvariants()
        }
    }

    func testSymmetryNodeIdsAndCoordinates() throws {
        let g = try triangle()
        assertBroken(.symmetry) { () throws(GraphInvariantViolation) in try replacing(g, isSymmetric: true)._validateInvariants() }
        assertBroken(.nodeIds) { () throws(GraphInvariantViolation) in try replacing(g, nodeIds: [1, 3, 2])._validateInvariants() }
        assertBroken(.coordinates) { () throws(GraphInvariantViolation) in
            try replacing(g, longitudes: [0, 0], latitudes: [0, 0, 0])._validateInvariants()
        }
        assertBroken(.coordinates) { () throws(GraphInvariantViolation) in
            try replacing(g, longitudes: [0, .infinity, 0], latitudes: [0, 0, 0])._validateInvariants()
        }
        assertBroken(.coordinates) { () throws(GraphInvariantViolation) in
            try replacing(g, longitudes: [0, 0, 0])._validateInvariants()
        }
    }

    func testReverseAdjacencyMustMirrorTheForwardArcs() throws {
        let g = try triangle()
        let valid = ReverseAdjacency(first: [0, 2, 3, 5], tail: [1, 2, 0, 0, 1], cost: [1, 3, 1, 4, 2], forward: [2, 4, 0, 1, 3])
        XCTAssertNoThrow(try g._validateReverseAdjacency(valid))
        func with(_ change: (inout ReverseAdjacency) -> Void) -> ReverseAdjacency {
            var r = valid
            change(&r)
            return r
        }
        assertBroken(.reverseOffsets) { () throws(GraphInvariantViolation) in
            try g._validateReverseAdjacency(with { $0.first = [0, 4, 3, 5] })
        }
        // Entry 0 under node 0 names arc 1, which enters node 2.
        assertBroken(.reverseArcs) { () throws(GraphInvariantViolation) in
            try g._validateReverseAdjacency(with { $0.forward = [1, 4, 0, 2, 3] })
        }
        assertBroken(.reverseArcs) { () throws(GraphInvariantViolation) in
            try g._validateReverseAdjacency(with { $0.forward = [2, 2, 0, 1, 3] })
        }
        assertBroken(.reverseArcs) { () throws(GraphInvariantViolation) in
            try g._validateReverseAdjacency(with { $0.tail[1] = 1 })
        }
        assertBroken(.reverseArcs) { () throws(GraphInvariantViolation) in
            try g._validateReverseAdjacency(with { $0.cost[3] = 4.5 })
        }
        // Node 0's two entries swapped, tails and costs with them: listed out of order.
        assertBroken(.reverseArcs) { () throws(GraphInvariantViolation) in
            try g._validateReverseAdjacency(with { $0.forward = [4, 2, 0, 1, 3]; $0.tail = [2, 1, 0, 0, 1]; $0.cost = [3, 1, 1, 4, 2] })
        }
    }

    func testEdgeArcMapsNameEveryArcOnce() throws {
        let g = try triangle()
        XCTAssertNoThrow(try g._validateEdgeArcs(forward: [0, 3, 1], backward: [2, -1, 4]))
        assertBroken(.edgeArcs) { () throws(GraphInvariantViolation) in try g._validateEdgeArcs(forward: [0, -1, 1], backward: [2, -1, 4]) }
        assertBroken(.edgeArcs) { () throws(GraphInvariantViolation) in try g._validateEdgeArcs(forward: [2, 3, 1], backward: [2, -1, 4]) }
        assertBroken(.edgeArcs) { () throws(GraphInvariantViolation) in try g._validateEdgeArcs(forward: [0, 3, 1], backward: [2, 3, 4]) }
        assertBroken(.edgeArcs) { () throws(GraphInvariantViolation) in try g._validateEdgeArcs(forward: [0, 3], backward: [2, -1, 4]) }
    }
}
