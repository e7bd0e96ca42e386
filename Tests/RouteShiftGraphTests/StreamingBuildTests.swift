import Dispatch
import XCTest
@testable import RouteShiftGraph
import RouteShiftTestSupport

/// The batch builder against the one-table build and against a naive layout
/// (every arc listed and sorted by its full key), and the lazily derived
/// arrays against the same naive layout.
final class StreamingBuildTests: XCTestCase {
    /// Rows `table[range]` as a table of their own.
    private func slice(_ table: EdgeTable, _ range: Range<Int>) -> EdgeTable {
        var part = EdgeTable()
        part.ids = Column(table.ids[range]); part.sources = Column(table.sources[range])
        part.targets = Column(table.targets[range])
        part.costs = Column(table.costs[range]); part.reverseCosts = Column(table.reverseCosts[range])
        return part
    }

    /// Builds from `table` in batches of random sizes (some empty).
    private func streamed(_ table: EdgeTable, coordinates: NodeCoordinates?, seed: UInt64) throws -> RoutingGraph {
        var rng = SplitMix64(seed: seed)
        return try RoutingGraph(coordinates: coordinates) { deliver in
            var start = 0
            while start < table.count {
                let size = Int.random(in: 0...max(1, table.count / 3), using: &rng)
                let end = min(table.count, start + size)
                try deliver(slice(table, start..<end))
                start = end
            }
        }
    }

    private func assertIdentical(_ a: RoutingGraph, _ b: RoutingGraph, _ message: String, line: UInt = #line) {
        XCTAssertEqual(a.firstArc, b.firstArc, message, line: line)
        XCTAssertEqual(a.arcHead, b.arcHead, message, line: line)
        XCTAssertEqual(a.arcCost.map(\.bitPattern), b.arcCost.map(\.bitPattern), message, line: line)
        XCTAssertEqual(a.arcEdge, b.arcEdge, message, line: line)
        XCTAssertEqual(a.arcBackwardBits, b.arcBackwardBits, message, line: line)
        XCTAssertEqual(a.nodeIds, b.nodeIds, message, line: line)
        XCTAssertEqual(a.edgeIds, b.edgeIds, message, line: line)
        XCTAssertEqual(a.edgeForwardArc, b.edgeForwardArc, message, line: line)
        XCTAssertEqual(a.edgeBackwardArc, b.edgeBackwardArc, message, line: line)
        XCTAssertEqual(a.reverseFirstArc, b.reverseFirstArc, message, line: line)
        XCTAssertEqual(a.reverseArcTail, b.reverseArcTail, message, line: line)
        XCTAssertEqual(a.reverseArcForward, b.reverseArcForward, message, line: line)
        XCTAssertEqual(a.longitudes, b.longitudes, message, line: line)
        XCTAssertEqual(a.latitudes, b.latitudes, message, line: line)
    }

    /// The layout every build must produce, from a sort of all arcs by
    /// (tail, head, edge id, direction); node numbering is taken from `graph`.
    private func assertNaiveLayout(_ graph: RoutingGraph, _ table: EdgeTable, _ message: String, line: UInt = #line) {
        struct Arc { var tail, head: Int32; var id: Int64; var backward: Bool; var cost: Double; var row: Int32 }
        var arcs: [Arc] = []
        for r in 0..<table.count {
            let s = graph.index(of: table.sources[r])!, t = graph.index(of: table.targets[r])!
            if table.costs[r] >= 0 { arcs.append(Arc(tail: s, head: t, id: table.ids[r], backward: false, cost: table.costs[r], row: Int32(r))) }
            if table.reverseCosts[r] >= 0 {
                arcs.append(Arc(tail: t, head: s, id: table.ids[r], backward: true, cost: table.reverseCosts[r], row: Int32(r)))
            }
        }
        arcs.sort { ($0.tail, $0.head, $0.id, $0.backward ? 1 : 0) < ($1.tail, $1.head, $1.id, $1.backward ? 1 : 0) }
        var first = [Int32](repeating: 0, count: graph.nodeCount + 1)
        for arc in arcs { first[Int(arc.tail) + 1] += 1 }
        for u in 0..<graph.nodeCount { first[u + 1] += first[u] }
        XCTAssertEqual(graph.firstArc.array, first, message, line: line)
        XCTAssertEqual(graph.arcHead.array, arcs.map(\.head), message, line: line)
        XCTAssertEqual(graph.arcEdge.array, arcs.map(\.row), message, line: line)
        XCTAssertEqual(graph.arcCost.map(\.bitPattern), arcs.map(\.cost.bitPattern), message, line: line)
        XCTAssertEqual((0..<arcs.count).map { graph.isBackward(arc: Int32($0)) }, arcs.map(\.backward), message, line: line)
        XCTAssertEqual(graph.edgeIds, table.ids.array, message, line: line)
        for r in 0..<table.count {
            XCTAssertEqual(graph.edgeIndex(of: table.ids[r]), Int32(r), message, line: line)
            XCTAssertEqual(graph.edgeId(ofRow: Int32(r)), table.ids[r], message, line: line)
            let forward = arcs.indices.first { arcs[$0].row == r && !arcs[$0].backward }
            let backward = arcs.indices.first { arcs[$0].row == r && arcs[$0].backward }
            XCTAssertEqual(graph.edgeForwardArc[r], forward.map(Int32.init) ?? -1, message, line: line)
            XCTAssertEqual(graph.edgeBackwardArc[r], backward.map(Int32.init) ?? -1, message, line: line)
        }
        // Reverse adjacency: arcs by (head, tail, edge id, direction).
        let byHead = arcs.indices.sorted {
            let a = arcs[$0], b = arcs[$1]
            return (a.head, a.tail, a.id, a.backward ? 1 : 0) < (b.head, b.tail, b.id, b.backward ? 1 : 0)
        }
        var reverseFirst = [Int32](repeating: 0, count: graph.nodeCount + 1)
        for arc in arcs { reverseFirst[Int(arc.head) + 1] += 1 }
        for u in 0..<graph.nodeCount { reverseFirst[u + 1] += reverseFirst[u] }
        XCTAssertEqual(graph.reverseFirstArc, reverseFirst, message, line: line)
        XCTAssertEqual(graph.reverseArcForward, byHead.map(Int32.init), message, line: line)
        XCTAssertEqual(graph.reverseArcTail, byHead.map { arcs[$0].tail }, message, line: line)
        XCTAssertEqual(graph.reverseArcCost.map(\.bitPattern), byHead.map { arcs[$0].cost.bitPattern }, message, line: line)
    }

    /// Variants of one random graph: listed ids, consecutive ids, reverse cost
    /// equal to the cost, no reverse arcs, parallel edges and self-loops.
    private func variants(seed: UInt64) -> [(String, EdgeTable)] {
        let random = RandomPlanarGraph(nodes: 40, edges: 120, seed: seed)
        var rng = SplitMix64(seed: seed &* 31)
        var base = random.edges
        // Parallel edges (some with smaller ids than the original) and self-loops.
        for k in 0..<12 {
            let r = Int.random(in: 0..<base.count, using: &rng)
            base.append(id: k % 2 == 0 ? 1 + Int64(k) : 90_000 + Int64(k), source: base.sources[r], target: base.targets[r],
                        cost: base.costs[r] + 0.5, reverseCost: base.reverseCosts[r])
        }
        base.append(id: 77, source: random.nodeIds[3], target: random.nodeIds[3], cost: 0.25, reverseCost: 0.25)
        var consecutive = base
        consecutive.ids = Column((0..<base.count).map { 1 + Int64($0) })
        var undirected = consecutive
        undirected.reverseCosts = Column(undirected.costs.map { $0 < 0 ? 0.75 : $0 })
        undirected.costs = undirected.reverseCosts
        var directed = base
        directed.reverseCosts = Column(directed.reverseCosts.map { _ in -1 })
        var brokenRun = consecutive
        brokenRun.ids[brokenRun.count - 5] = 1_000_000
        return [("listed", base), ("consecutive", consecutive), ("undirected", undirected),
                ("directed", directed), ("consecutive then not", brokenRun)]
    }

    func testBatchesGiveTheOneTableGraph() throws {
        for seed in UInt64(1)...4 {
            let random = RandomPlanarGraph(nodes: 40, edges: 120, seed: seed)
            for (name, table) in variants(seed: seed) {
                for coordinates in [nil, random.coordinates] {
                    let message = "seed \(seed) \(name) coordinates \(coordinates != nil)"
                    let whole = try RoutingGraph(edges: table, coordinates: coordinates)
                    assertNaiveLayout(whole, table, message)
                    for batchSeed in UInt64(0)..<3 {
                        assertIdentical(try streamed(table, coordinates: coordinates, seed: batchSeed), whole, message)
                    }
                    let single = try RoutingGraph(coordinates: coordinates) { deliver in
                        for r in 0..<table.count { try deliver(slice(table, r..<(r + 1))) }
                    }
                    assertIdentical(single, whole, message)
                }
            }
        }
    }

    /// The node table's side-by-side passes give the table the sequential
    /// passes give, for dense ids (direct lookup) and sparse ones (hashed).
    func testNodeTableTasksGiveTheSequentialTable() throws {
        var rng = SplitMix64(seed: 2026)
        for stride in [Int64(1), 1_000_003] {
            var coordinates = NodeCoordinates()
            for k in (0..<3_000).shuffled(using: &rng) {
                coordinates.append(id: 50 + Int64(k) * stride,
                                   longitude: Double(rng.next() % 100_000) / 1000 - 20,
                                   latitude: Double(rng.next() % 100_000) / 2000 + 10)
            }
            let sequential = try NodeTable(coordinates: coordinates, parallel: false)
            let tasks = try NodeTable(coordinates: coordinates, parallel: true)
            XCTAssertEqual(tasks.ids, sequential.ids, "stride \(stride)")
            XCTAssertEqual(tasks.longitudes, sequential.longitudes)
            XCTAssertEqual(tasks.latitudes, sequential.latitudes)
            XCTAssertEqual(Set(tasks.ids), Set(coordinates.ids))
            for (i, id) in tasks.ids.enumerated() {
                XCTAssertEqual(tasks.lookup.index(of: id), Int32(i))
                XCTAssertEqual(sequential.lookup.index(of: id), Int32(i))
            }
            // The i-th node is at its own coordinate.
            let given = Dictionary(uniqueKeysWithValues: coordinates.ids.indices.map {
                (coordinates.ids[$0], (coordinates.longitudes[$0], coordinates.latitudes[$0]))
            })
            for (i, id) in tasks.ids.enumerated() {
                XCTAssertEqual(given[id]!.0, tasks.longitudes[i]); XCTAssertEqual(given[id]!.1, tasks.latitudes[i])
            }
        }
    }

    func testLayoutOnSeveralThreadsIsTheOneThreadLayout() throws {
        for seed in UInt64(1)...3 {
            let random = RandomPlanarGraph(nodes: 40, edges: 120, seed: seed)
            for (name, table) in variants(seed: seed) {
                for coordinates in [nil, random.coordinates] {
                    let whole = try RoutingGraph(edges: table, coordinates: coordinates)
                    for threads in [2, 3, 7, 200] {
                        var nodes = try coordinates.map { try NodeTable(coordinates: $0) }
                        var rows = EdgeAccumulator(nodeLookup: nodes?.lookup)
                        try rows.append(table)
                        assertIdentical(try rows.build(nodes: &nodes, threads: threads), whole,
                                        "seed \(seed) \(name) coordinates \(coordinates != nil) threads \(threads)")
                    }
                }
            }
        }
    }

    func testConsecutiveIdsAreNotStored() throws {
        let table = variants(seed: 2)[1].1
        let graph = try RoutingGraph(edges: table)
        guard case .consecutive(first: 1, count: table.count) = graph.edgeRows else { return XCTFail("\(graph.edgeRows)") }
        XCTAssertNil(graph.edgeIndex(of: 0))
        XCTAssertNil(graph.edgeIndex(of: Int64(table.count) + 1))
        XCTAssertNil(graph.edgeIndex(of: Int64.min))
        XCTAssertEqual(graph.edgeIndex(of: Int64(table.count)), Int32(table.count - 1))
        if case .consecutive = try RoutingGraph(edges: variants(seed: 2)[0].1).edgeRows { XCTFail("listed ids kept") }
    }

    func testDerivedArraysAreBuiltOnceAndShared() throws {
        let random = RandomPlanarGraph(nodes: 60, edges: 200, seed: 9)
        let graph = try RoutingGraph(edges: random.edges, coordinates: random.coordinates)
        let copies = [RoutingGraph](repeating: graph, count: 8)
        var tails = [[Int32]](repeating: [], count: copies.count)
        var forwards = [[Int32]](repeating: [], count: copies.count)
        tails.withUnsafeMutableBufferPointer { tails in
            forwards.withUnsafeMutableBufferPointer { forwards in
                nonisolated(unsafe) let tails = tails, forwards = forwards
                DispatchQueue.concurrentPerform(iterations: copies.count) { i in
                    tails[i] = copies[i].reverseArcTail
                    forwards[i] = copies[i].edgeForwardArc
                }
            }
        }
        XCTAssertTrue(tails.allSatisfy { $0 == tails[0] })
        XCTAssertTrue(forwards.allSatisfy { $0 == forwards[0] })
        assertNaiveLayout(graph, random.edges, "shared")
    }

    func testBatchErrorsNameTheRow() throws {
        let table = variants(seed: 3)[0].1
        var bad = table
        bad.costs[100] = .nan
        XCTAssertThrowsError(try streamed(bad, coordinates: nil, seed: 1)) { error in
            guard case .nonFiniteCost(let id, "cost", _)? = error as? GraphError else { return XCTFail("\(error)") }
            XCTAssertEqual(id, table.ids[100])
        }
        var ragged = slice(table, 0..<10)
        ragged.targets.removeLast()
        XCTAssertThrowsError(try RoutingGraph { deliver in try deliver(slice(table, 0..<5)); try deliver(ragged) }) { error in
            XCTAssertEqual(error as? GraphError, .columnLengthMismatch(column: "target", count: 9, expected: 10))
        }
        // Missing coordinates: the smallest missing id, whatever the batch order.
        let random = RandomPlanarGraph(nodes: 40, edges: 120, seed: 3)
        var partial = NodeCoordinates()
        for i in 0..<random.coordinates.count where i % 7 != 3 {
            partial.append(id: random.coordinates.ids[i], longitude: random.coordinates.longitudes[i],
                           latitude: random.coordinates.latitudes[i])
        }
        let smallestMissing = Set(table.sources + table.targets).subtracting(partial.ids).min()!
        XCTAssertThrowsError(try streamed(table, coordinates: partial, seed: 2)) { error in
            XCTAssertEqual(error as? GraphError, .missingCoordinate(nodeId: smallestMissing))
        }
        let failure = GraphError.unknownEdge(5)
        XCTAssertThrowsError(try RoutingGraph { _ in throw failure }) { XCTAssertEqual($0 as? GraphError, failure) }
    }

    func testDecimalCostsAreKeptAsExactUnits() throws {
        XCTAssertEqual(ArcLayout.decimalScale([1, 2.5, 0.125], [], hasBackward: false), 1000)
        XCTAssertEqual(ArcLayout.decimalScale([3, -1, 7], [0.5], hasBackward: true), 10)
        XCTAssertEqual(ArcLayout.decimalScale([3, 7], [-2.75], hasBackward: true), 1)
        XCTAssertNil(ArcLayout.decimalScale([0.1 + 0.2], [], hasBackward: false), "17 significant digits")
        XCTAssertNil(ArcLayout.decimalScale([-0.0], [], hasBackward: false), "the sign of zero needs a double")
        XCTAssertNil(ArcLayout.decimalScale([500_000_000.5], [], hasBackward: false), "out of 32-bit range")
        XCTAssertEqual(ArcLayout.decimalScale([4_294_967.295], [], hasBackward: false), 1000)
        XCTAssertNil(ArcLayout.decimalScale([4_294_967.296], [], hasBackward: false), "needs 10^3, then too large")

        // Costs with three decimals: decimal units, same searches as Floyd–Warshall.
        var random = RandomPlanarGraph(nodes: 50, edges: 160, seed: 21)
        random.edges.costs = Column(random.edges.costs.map { $0 < 0 ? $0 : ($0 * 1000).rounded() / 1000 })
        random.edges.reverseCosts = Column(random.edges.reverseCosts.map { $0 < 0 ? $0 : ($0 * 1000).rounded() / 1000 })
        let graph = try RoutingGraph(edges: random.edges, coordinates: random.coordinates)
        guard case .decimal(_, 1000) = graph.arcCosts else { return XCTFail("expected decimal units") }
        assertNaiveLayout(graph, random.edges, "decimal")
        let truth = floydWarshall(random.edges, nodes: random.nodeIds)
        let query = ShortestPathQuery(graph: graph)
        for s in random.nodeIds.prefix(10) {
            let tree = try query.shortestPathTree(from: s), reverse = try query.shortestPathTree(to: s)
            for t in random.nodeIds {
                XCTAssertEqual(tree.cost(at: t) ?? .infinity, truth[s]![t]!, accuracy: 1e-9)
                XCTAssertEqual(reverse.cost(at: t) ?? .infinity, truth[t]![s]!, accuracy: 1e-9)
                let path = try query.bidirectionalShortestPath(from: s, to: t)
                XCTAssertEqual(path?.totalCost ?? .infinity, truth[s]![t]!, accuracy: 1e-9)
                if let path { assertValid(path, in: random.edges) }
            }
        }
    }

    func testUnitScaleRisesAndFallsBackAcrossBatches() throws {
        let random = RandomPlanarGraph(nodes: 40, edges: 150, seed: 33)
        var table = random.edges
        table.ids = Column((0..<table.count).map { 1 + Int64($0) })
        // Whole numbers first, then one and three decimals, some negative.
        for r in 0..<table.count {
            let c = (table.costs[r] * 1000).rounded()
            table.costs[r] = r % 9 == 4 ? -1 : (r < 50 ? c : r < 100 ? c / 10 : c / 1000)
        }
        table.reverseCosts = table.costs
        for (name, last) in [("decimal", 2.5), ("not decimal", 0.1 + 0.2), ("negative zero", -0.0)] {
            var variant = table
            variant.costs[variant.count - 1] = last; variant.reverseCosts[variant.count - 1] = last
            let whole = try RoutingGraph(edges: variant, coordinates: random.coordinates)
            if name == "decimal" {
                guard case .decimal(_, 1000) = whole.arcCosts else { return XCTFail("\(name): \(whole.arcCosts)") }
            } else if case .decimal = whole.arcCosts {
                XCTFail("\(name) needs doubles")
            }
            assertNaiveLayout(whole, variant, name)
            for seed in UInt64(0)..<4 {
                assertIdentical(try streamed(variant, coordinates: random.coordinates, seed: seed), whole, name)
            }
        }
    }

    func testNodeIdsAsOffsetsOrListed() throws {
        for (ids, offsets) in [([Int64(-3_000_000_000), -2_000_000_000, 5], true), ([Int64(-7_000_000_000), 5], false),
                               ([Int64.min, 0, Int64.max], false), ([Int64(0), Int64(UInt32.max)], false)] {
            var e = EdgeTable()
            for k in 1..<ids.count { e.append(id: Int64(k), source: ids[k - 1], target: ids[k], cost: 1, reverseCost: 1) }
            let graph = try RoutingGraph(edges: e)
            XCTAssertEqual(graph.nodeIds, ids)
            XCTAssertEqual((0..<graph.nodeCount).map { graph.externalId(of: Int32($0)) }, ids)
            if case .offsets = graph.nodeIdColumn { XCTAssertTrue(offsets, "\(ids)") } else { XCTAssertFalse(offsets, "\(ids)") }
            let path = try ShortestPathQuery(graph: graph).shortestPath(from: ids[0], to: ids[ids.count - 1])
            XCTAssertEqual(path?.nodes, ids)
        }
    }
}
