import XCTest
@testable import RouteShiftGraph
import RouteShiftTestSupport

/// Properties checked on fixed-seed random graphs against answers computed
/// independently (Floyd–Warshall, brute-force path enumeration).
final class RandomGraphTests: XCTestCase {
    func testAllSearchesAgreeWithFloydWarshall() throws {
        var reachable = 0
        for seed in UInt64(1)...6 {
            let (random, graph, truth, query) = try randomCase(nodes: 60, edges: 150, seed: seed)
            let euclidean = ClosureLowerBound { node, target in
                let a = graph.coordinate(of: node)!, b = graph.coordinate(of: target)!
                return ((a.longitude - b.longitude) * (a.longitude - b.longitude)
                    + (a.latitude - b.latitude) * (a.latitude - b.latitude)).squareRoot()
            }
            for s in random.nodeIds.prefix(12) {
                let tree = try query.shortestPathTree(from: s)
                for t in random.nodeIds {
                    let expected = truth[s]![t]!
                    let dijkstra = try query.shortestPath(from: s, to: t)
                    let bidirectional = try query.bidirectionalShortestPath(from: s, to: t)
                    let aStarZero = try query.aStarShortestPath(from: s, to: t, bound: ZeroLowerBound())
                    let aStar = try query.aStarShortestPath(from: s, to: t, bound: euclidean)
                    let found = [dijkstra, bidirectional, aStarZero, aStar]
                    if expected == .infinity {
                        XCTAssertTrue(found.allSatisfy { $0 == nil }, "seed \(seed) \(s)→\(t)")
                        XCTAssertNil(tree.cost(at: t))
                        continue
                    }
                    reachable += 1
                    for path in found {
                        guard let path else { XCTFail("seed \(seed) \(s)→\(t) not found"); continue }
                        XCTAssertEqual(path.totalCost, expected, accuracy: 1e-9, "seed \(seed) \(s)→\(t)")
                        XCTAssertEqual(path.nodes.first, s); XCTAssertEqual(path.nodes.last, t)
                        assertValid(path, in: random.edges)
                    }
                    XCTAssertEqual(tree.cost(at: t)!, expected, accuracy: 1e-9)
                    XCTAssertEqual(aStarZero, dijkstra, "A* with a zero bound settles like Dijkstra")
                }
                // Reverse tree: costs to s equal the column of the matrix.
                let reverse = try query.shortestPathTree(to: s)
                for v in random.nodeIds {
                    let expected = truth[v]![s]!
                    if expected == .infinity { XCTAssertNil(reverse.cost(at: v)) }
                    else {
                        XCTAssertEqual(reverse.cost(at: v)!, expected, accuracy: 1e-9)
                        assertValid(reverse.path(to: v)!, in: random.edges)
                    }
                }
            }
        }
        XCTAssertGreaterThan(reachable, 1000, "most pairs should be connected")
    }

    /// Costs from the nearest of several sources (and to the nearest of several targets) are
    /// the minimum over the set of Floyd–Warshall's row (column), node by node.
    func testCostsToTheNearestOfASetAreTheMinimumOverTheSet() throws {
        for seed in UInt64(11)...16 {
            let (random, graph, truth, query) = try randomCase(nodes: 50, edges: 120, seed: seed)
            // A few roots spread over the graph, a different set per seed.
            let roots = random.nodeIds.indices.filter { ($0 * 7 + Int(seed)) % 13 == 0 }.prefix(Int(seed % 4) + 2).map { random.nodeIds[$0] }
            let forward = try query.costs(.forward, nearestOf: roots + [roots[0]])
            let backward = try query.costs(.backward, nearestOf: roots)
            for v in random.nodeIds {
                let i = Int(graph.index(of: v)!)
                XCTAssertEqual(forward[i], roots.map { truth[$0]![v]! }.min()!, accuracy: 1e-9, "seed \(seed) → \(v)")
                XCTAssertEqual(backward[i], roots.map { truth[v]![$0]! }.min()!, accuracy: 1e-9, "seed \(seed) \(v) →")
            }
            // One root: the tree's own costs.
            let tree = try query.shortestPathTree(from: roots[0])
            let one = try query.costs(.forward, nearestOf: [roots[0]])
            for v in random.nodeIds { XCTAssertEqual(one[Int(graph.index(of: v)!)], tree.cost(at: v) ?? .infinity) }
            XCTAssertEqual(try query.costs(.forward, nearestOf: []), [Double](repeating: .infinity, count: graph.nodeCount))
            XCTAssertThrowsError(try query.costs(.forward, nearestOf: [987_654_321]))
        }
    }

    /// With every row the same cost both ways the backward search reads the forward
    /// adjacency and turns leaving arcs into their twins: costs against Floyd–Warshall,
    /// and each path's arcs really join its nodes (parallel edges and self-loops included).
    func testBidirectionalOnSymmetricGraphsAgreesWithFloydWarshall() throws {
        for seed in UInt64(11)...16 {
            let random = RandomPlanarGraph(nodes: 50, edges: 140, seed: seed)
            var edges = random.edges
            for i in 0..<edges.count { edges.reverseCosts[i] = edges.costs[i] }
            // A parallel copy of one edge and a self-loop, at the same cost both ways.
            edges.append(id: 10_000, source: edges.sources[0], target: edges.targets[0], cost: edges.costs[0],
                         reverseCost: edges.costs[0])
            edges.append(id: 10_001, source: edges.sources[1], target: edges.sources[1], cost: 0.5, reverseCost: 0.5)
            let graph = try RoutingGraph(edges: edges, coordinates: random.coordinates)
            XCTAssertTrue(graph.isSymmetric)
            let truth = floydWarshall(edges, nodes: random.nodeIds)
            let query = ShortestPathQuery(graph: graph)
            for s in random.nodeIds.prefix(10) {
                for t in random.nodeIds {
                    let expected = truth[s]![t]!
                    let path = try query.bidirectionalShortestPath(from: s, to: t)
                    guard expected < .infinity else { XCTAssertNil(path); continue }
                    guard let path else { XCTFail("seed \(seed) \(s)→\(t) not found"); continue }
                    XCTAssertEqual(path.totalCost, expected, accuracy: 1e-9, "seed \(seed) \(s)→\(t)")
                    XCTAssertEqual(path.nodes.first, s); XCTAssertEqual(path.nodes.last, t)
                    assertValid(path, in: edges)
                }
            }
        }
        // One asymmetric row and the graph is not treated as symmetric.
        var edges = RandomPlanarGraph(nodes: 20, edges: 40, seed: 3).edges
        for i in 0..<edges.count { edges.reverseCosts[i] = edges.costs[i] }
        edges.reverseCosts[5] += 1
        XCTAssertFalse(try RoutingGraph(edges: edges).isSymmetric)
    }

    func testYenMatchesBruteForceEnumeration() throws {
        var compared = 0
        for seed in UInt64(10)...30 {
            let random = RandomPlanarGraph(nodes: 7, edges: 14, seed: seed)
            let graph = try RoutingGraph(edges: random.edges)
            let query = ShortestPathQuery(graph: graph)
            let used = Array(Set(random.edges.sources + random.edges.targets)).sorted()
            for (s, t) in [(used[0], used[used.count - 1]), (used[used.count / 2], used[1])] {
                let all = simplePathCosts(random.edges, from: s, to: t).sorted()
                let k = 8
                let paths = try query.kShortestPaths(from: s, to: t, k: k)
                XCTAssertEqual(paths.count, min(k, all.count), "seed \(seed)")
                compared += paths.count
                for (path, cost) in zip(paths, all) {
                    XCTAssertEqual(path.totalCost, cost, accuracy: 1e-9, "seed \(seed) \(s)→\(t)")
                    XCTAssertEqual(Set(path.nodes).count, path.nodes.count, "loopless")
                    assertValid(path, in: random.edges)
                }
                XCTAssertEqual(Set(paths.map(\.edges)).count, paths.count, "no duplicates")
                for (a, b) in zip(paths, paths.dropFirst()) {
                    XCTAssertTrue(a.totalCost < b.totalCost
                        || (a.totalCost == b.totalCost && a.edges.lexicographicallyPrecedes(b.edges)))
                }
            }
        }
        XCTAssertGreaterThan(compared, 100, "the random graphs should have many alternative paths")
    }

    /// Costs of every simple path (as an arc sequence) by depth-first search.
    private func simplePathCosts(_ edges: EdgeTable, from s: Int64, to t: Int64) -> [Double] {
        var arcs: [Int64: [(Int64, Double)]] = [:]
        for e in 0..<edges.count {
            if edges.costs[e] >= 0 { arcs[edges.sources[e], default: []].append((edges.targets[e], edges.costs[e])) }
            if edges.reverseCosts[e] >= 0 { arcs[edges.targets[e], default: []].append((edges.sources[e], edges.reverseCosts[e])) }
        }
        var costs: [Double] = []
        var onPath: Set<Int64> = [s]
        func visit(_ u: Int64, _ cost: Double) {
            if u == t { costs.append(cost); return }
            for (v, c) in arcs[u] ?? [] where !onPath.contains(v) {
                onPath.insert(v); visit(v, cost + c); onPath.remove(v)
            }
        }
        visit(s, 0)
        return costs
    }

    func testHilbertNumberingPreservesDistances() throws {
        let random = RandomPlanarGraph(nodes: 80, edges: 200, seed: 42)
        let plain = try RoutingGraph(edges: random.edges)
        let curved = try RoutingGraph(edges: random.edges, coordinates: random.coordinates)
        XCTAssertEqual(plain.nodeIds, random.nodeIds, "without coordinates nodes follow external id")
        XCTAssertNotEqual(curved.nodeIds, plain.nodeIds, "with coordinates the order changes")
        XCTAssertEqual(Set(curved.nodeIds), Set(plain.nodeIds))
        for (i, id) in curved.nodeIds.enumerated() {
            XCTAssertEqual(curved.index(of: id), Int32(i))
            XCTAssertEqual(curved.externalId(of: Int32(i)), id)
            let c = try XCTUnwrap(curved.coordinate(of: Int32(i)))
            XCTAssertEqual(c.longitude, random.x[id]); XCTAssertEqual(c.latitude, random.y[id])
        }
        // Consecutive indices follow the curve: positions are nondecreasing.
        let keys = HilbertCurve.positions(longitudes: (0..<curved.nodeCount).map { curved.coordinate(of: Int32($0))!.longitude },
                                          latitudes: (0..<curved.nodeCount).map { curved.coordinate(of: Int32($0))!.latitude })
        XCTAssertEqual(keys, keys.sorted())
        let a = ShortestPathQuery(graph: plain), b = ShortestPathQuery(graph: curved)
        for s in random.nodeIds.prefix(20) {
            let ta = try a.shortestPathTree(from: s), tb = try b.shortestPathTree(from: s)
            for t in random.nodeIds { XCTAssertEqual(ta.cost(at: t), tb.cost(at: t)) }
            XCTAssertEqual(ta.reachedNodes().map(\.node), tb.reachedNodes().map(\.node))
        }
    }

    /// The radix sort of curve positions is the stable sort, on keys with many
    /// ties, keys spread over all 32 bits, and sizes around its pass widths.
    func testStableOrderIsTheStableSort() {
        var random = SplitMix64(seed: 20261202)
        for n in [0, 1, 2, 7, 2048, 5000, 70_000] {
            for spread: UInt64 in [4, 1 << 11, 1 << 22, 1 << 32] {
                let keys = (0..<n).map { _ in UInt32(truncatingIfNeeded: random.next() % spread) }
                let expected = (0..<n).sorted { (keys[$0], $0) < (keys[$1], $1) }.map(Int32.init)
                XCTAssertEqual(HilbertCurve.stableOrder(of: keys), expected, "n \(n), spread \(spread)")
            }
        }
    }

    func testHilbertCurveFirstLevel() {
        // The order-1 curve visits (0,0), (0,1), (1,1), (1,0); at full resolution
        // each quadrant holds a quarter of the 2^32 positions. The first and last
        // quadrants are flipped, so the last one is entered at (side-1, half-1).
        let half = HilbertCurve.side / 2
        XCTAssertEqual(HilbertCurve.position(x: 0, y: 0), 0)
        XCTAssertEqual(HilbertCurve.position(x: 0, y: half), 1 << 30)
        XCTAssertEqual(HilbertCurve.position(x: half, y: half), 2 << 30)
        XCTAssertEqual(HilbertCurve.position(x: HilbertCurve.side - 1, y: half - 1), 3 << 30)
        XCTAssertEqual(HilbertCurve.position(x: HilbertCurve.side - 1, y: 0), UInt32.max)
    }

    /// The classic `xy2d` (Hilbert curve cell to position), written out here as the
    /// reference for the table-driven conversion.
    private func classicHilbert(x: UInt32, y: UInt32) -> UInt32 {
        let side = HilbertCurve.side
        var x = x, y = y, d: UInt64 = 0, s = side >> 1
        while s > 0 {
            let rx: UInt32 = x & s != 0 ? 1 : 0, ry: UInt32 = y & s != 0 ? 1 : 0
            d += UInt64(s) * UInt64(s) * UInt64((3 * rx) ^ ry)
            if ry == 0 {
                if rx == 1 { x = side - 1 - x; y = side - 1 - y }
                swap(&x, &y)
            }
            s >>= 1
        }
        return UInt32(d)
    }

    func testHilbertTableMatchesTheClassicConversion() {
        var random = SplitMix64(seed: 16)
        let side = UInt64(HilbertCurve.side)
        for _ in 0..<200_000 {
            let x = UInt32(random.next() % side), y = UInt32(random.next() % side)
            XCTAssertEqual(HilbertCurve.position(x: x, y: y), classicHilbert(x: x, y: y), "(\(x), \(y))")
        }
        for x in stride(from: UInt32(0), to: HilbertCurve.side, by: 4099) {
            for y in [0, 1, HilbertCurve.side / 2 - 1, HilbertCurve.side / 2, HilbertCurve.side - 1] {
                XCTAssertEqual(HilbertCurve.position(x: x, y: y), classicHilbert(x: x, y: y), "(\(x), \(y))")
            }
        }
        // Neighbouring positions are neighbouring cells: the curve is continuous.
        var cells = [UInt32: (UInt32, UInt32)]()
        for x in UInt32(0)..<64 { for y in UInt32(0)..<64 { cells[HilbertCurve.position(x: x << 10, y: y << 10) >> 20] = (x, y) } }
        XCTAssertEqual(cells.count, 4096)
        for p in UInt32(1)..<4096 {
            let (a, b) = (cells[p - 1]!, cells[p]!)
            XCTAssertEqual(abs(Int(a.0) - Int(b.0)) + abs(Int(a.1) - Int(b.1)), 1, "step \(p)")
        }
    }

    func testReverseAdjacencyMirrorsForward() throws {
        for seed in UInt64(3)...5 {
            let random = RandomPlanarGraph(nodes: 50, edges: 160, seed: seed)
            let graph = try RoutingGraph(edges: random.edges, coordinates: random.coordinates)
            XCTAssertEqual(graph.firstArc.count, graph.nodeCount + 1)
            XCTAssertEqual(graph.reverseFirstArc.count, graph.nodeCount + 1)
            XCTAssertEqual(graph.reverseArcTail.count, graph.arcCount)
            var forward: [String] = [], backward: [String] = []
            for u in 0..<graph.nodeCount {
                let range = Int(graph.firstArc[u])..<Int(graph.firstArc[u + 1])
                for a in range {
                    forward.append("\(u) \(graph.arcHead[a]) \(graph.arcCost[a]) \(graph.arcEdge[a])")
                    XCTAssertEqual(graph.tail(ofArc: Int32(a)), Int32(u))
                }
                // Arcs of a node ordered by (head, edge id).
                let keys = range.map { (Int(graph.arcHead[$0]), graph.edgeIds[Int(graph.arcEdge[$0])]) }
                XCTAssertTrue(zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 })
                let reverseRange = Int(graph.reverseFirstArc[u])..<Int(graph.reverseFirstArc[u + 1])
                for r in reverseRange {
                    let a = Int(graph.reverseArcForward[r])
                    XCTAssertEqual(graph.arcHead[a], Int32(u))
                    XCTAssertEqual(graph.tail(ofArc: Int32(a)), graph.reverseArcTail[r])
                    XCTAssertEqual(graph.arcCost[a], graph.reverseArcCost[r])
                    backward.append("\(graph.reverseArcTail[r]) \(u) \(graph.reverseArcCost[r]) \(graph.arcEdge[a])")
                }
            }
            XCTAssertEqual(forward.sorted(), backward.sorted())
            // Every usable direction of every row is exactly one arc.
            var expected = 0
            for e in 0..<random.edges.count {
                if random.edges.costs[e] >= 0 {
                    expected += 1
                    let a = Int(graph.edgeForwardArc[e])
                    XCTAssertEqual(graph.externalId(of: graph.arcHead[a]), random.edges.targets[e])
                    XCTAssertEqual(graph.arcCost[a], random.edges.costs[e])
                } else { XCTAssertEqual(graph.edgeForwardArc[e], -1) }
                if random.edges.reverseCosts[e] >= 0 {
                    expected += 1
                    let a = Int(graph.edgeBackwardArc[e])
                    XCTAssertEqual(graph.externalId(of: graph.arcHead[a]), random.edges.sources[e])
                    XCTAssertEqual(graph.arcCost[a], random.edges.reverseCosts[e])
                } else { XCTAssertEqual(graph.edgeBackwardArc[e], -1) }
            }
            XCTAssertEqual(graph.arcCount, expected)
        }
    }

    /// Bounded trees (catchments) against Floyd–Warshall: exactly the nodes
    /// within the bound are reached, at their true cost, by tree paths of that
    /// cost; the rest carry no cost and no predecessor. Trees and one-to-one
    /// searches alternate on one query object, as the CLI's workers use them.
    func testBoundedTreesMatchFloydWarshall() throws {
        for seed in UInt64(21)...24 {
            let (random, graph, truth, query) = try randomCase(nodes: 80, edges: 200, seed: seed)
            for (k, s) in random.nodeIds.prefix(10).enumerated() {
                let bound = [0.0, 0.3, 0.7, 1.5, .infinity][k % 5]
                let forward = try query.shortestPathTree(from: s, maxCost: bound)
                let backward = try query.shortestPathTree(to: s, maxCost: bound)
                _ = try query.shortestPath(from: s, to: random.nodeIds.last!)
                for t in random.nodeIds {
                    let v = Int(graph.index(of: t)!)
                    for (tree, expected) in [(forward, truth[s]![t]!), (backward, truth[t]![s]!)] {
                        if expected <= bound, expected < .infinity {
                            let cost = try XCTUnwrap(tree.cost(at: t), "seed \(seed) \(s)–\(t) within \(bound)")
                            XCTAssertEqual(cost, expected, accuracy: 1e-9)
                            XCTAssertEqual(try XCTUnwrap(tree.path(to: t)).totalCost, cost, accuracy: 1e-9)
                        } else {
                            XCTAssertNil(tree.cost(at: t), "seed \(seed) \(s)–\(t) beyond \(bound)")
                            XCTAssertEqual(tree.predecessorArcs[v], -1)
                        }
                    }
                }
            }
        }
    }

    /// A bound that breaks the contract (negative, NaN) is treated as 0,
    /// so A* still returns cheapest paths instead of misordering its heap.
    func testAStarToleratesNegativeAndNaNBounds() throws {
        for seed in UInt64(31)...34 {
            let (random, _, truth, query) = try randomCase(nodes: 60, edges: 150, seed: seed)
            let broken = ClosureLowerBound { node, _ in
                switch node % 3 {
                case 0: return -Double(node) - 1
                case 1: return .nan
                default: return -0.0
                }
            }
            for s in random.nodeIds.prefix(8) {
                for t in random.nodeIds {
                    let path = try query.aStarShortestPath(from: s, to: t, bound: broken)
                    let expected = truth[s]![t]!
                    if expected == .infinity { XCTAssertNil(path); continue }
                    XCTAssertEqual(try XCTUnwrap(path, "seed \(seed) \(s)→\(t)").totalCost, expected, accuracy: 1e-9,
                                   "seed \(seed) \(s)→\(t)")
                }
            }
        }
    }

    func testReusedQueryMatchesFreshQueries() throws {
        let random = RandomPlanarGraph(nodes: 70, edges: 180, seed: 7)
        let graph = try RoutingGraph(edges: random.edges, coordinates: random.coordinates)
        var overlay = CostOverlay(graph: graph)
        for e in stride(from: 0, to: random.edges.count, by: 9) { try overlay.close(edge: random.edges.ids[e]) }
        try overlay.multiplyCost(ofEdge: random.edges.ids[1], by: 3)
        let reused = ShortestPathQuery(graph: graph)
        var rng = SplitMix64(seed: 99)
        for round in 0..<150 {
            let s = random.nodeIds.randomElement(using: &rng)!, t = random.nodeIds.randomElement(using: &rng)!
            let o: CostOverlay? = round % 3 == 0 ? overlay : nil
            let fresh = { ShortestPathQuery(graph: graph) }
            switch round % 6 {
            case 0: XCTAssertEqual(try reused.shortestPath(from: s, to: t, overlay: o), try fresh().shortestPath(from: s, to: t, overlay: o))
            case 1: XCTAssertEqual(try reused.bidirectionalShortestPath(from: s, to: t, overlay: o),
                                   try fresh().bidirectionalShortestPath(from: s, to: t, overlay: o))
            case 2: XCTAssertEqual(try reused.aStarShortestPath(from: s, to: t, bound: ZeroLowerBound(), overlay: o),
                                   try fresh().aStarShortestPath(from: s, to: t, bound: ZeroLowerBound(), overlay: o))
            case 3: XCTAssertEqual(try reused.shortestPathTree(from: s, maxCost: 0.8, overlay: o).distances,
                                   try fresh().shortestPathTree(from: s, maxCost: 0.8, overlay: o).distances)
            case 4: XCTAssertEqual(try reused.kShortestPaths(from: s, to: t, k: 4, overlay: o),
                                   try fresh().kShortestPaths(from: s, to: t, k: 4, overlay: o))
            default: XCTAssertEqual(try reused.costMatrix(sources: [s, t], targets: random.nodeIds, overlay: o),
                                    try fresh().costMatrix(sources: [s, t], targets: random.nodeIds, overlay: o))
            }
        }
    }

    func testParallelMatrixEqualsOneToOne() throws {
        let random = RandomPlanarGraph(nodes: 90, edges: 260, seed: 11)
        let graph = try RoutingGraph(edges: random.edges, coordinates: random.coordinates)
        let sources = Array(random.nodeIds.prefix(9)), targets = Array(random.nodeIds.suffix(15))
        let matrix = try CostMatrix.compute(graph: graph, sources: sources, targets: targets, workers: 3)
        XCTAssertEqual(matrix, try CostMatrix.compute(graph: graph, sources: sources, targets: targets, workers: 1))
        let query = ShortestPathQuery(graph: graph)
        for (i, s) in sources.enumerated() {
            for (j, t) in targets.enumerated() {
                XCTAssertEqual(matrix[i, j], try query.cost(from: s, to: t) ?? .infinity)
            }
        }
    }

    func testSparseIdsUseHashLookupWithSameResults() throws {
        let dense = RandomPlanarGraph(nodes: 40, edges: 100, seed: 5)
        let sparse = RandomPlanarGraph(nodes: 40, edges: 100, seed: 5, idStride: 1_000_003, idOffset: -7_000_000_000)
        let a = try RoutingGraph(edges: dense.edges), b = try RoutingGraph(edges: sparse.edges)
        if case .hashed = b.nodeLookup {} else { XCTFail("sparse ids should use the hash lookup") }
        if case .direct = a.nodeLookup {} else { XCTFail("dense ids should use the direct lookup") }
        let qa = ShortestPathQuery(graph: a), qb = ShortestPathQuery(graph: b)
        for i in 0..<10 {
            let ta = try qa.shortestPathTree(from: dense.nodeIds[i]), tb = try qb.shortestPathTree(from: sparse.nodeIds[i])
            XCTAssertEqual(ta.distances, tb.distances)
        }
        XCTAssertNil(b.index(of: 12345))
        XCTAssertNil(a.index(of: Int64.min))
    }
}
