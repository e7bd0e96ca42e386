import XCTest
@testable import RouteShiftGraph
import RouteShiftTestSupport


/// A random planar-embedded graph: points in the unit square, each edge costs
/// at least the Euclidean distance between its endpoints (so that distance is
/// an admissible A* bound), some edges one-way.
struct RandomPlanarGraph {
    var edges = EdgeTable()
    var coordinates = NodeCoordinates()
    var x: [Int64: Double] = [:]
    var y: [Int64: Double] = [:]
    let nodeIds: [Int64]

    init(nodes: Int, edges edgeCount: Int, seed: UInt64, idStride: Int64 = 1, idOffset: Int64 = 100) {
        var rng = SplitMix64(seed: seed)
        nodeIds = (0..<nodes).map { idOffset + Int64($0) * idStride }
        for id in nodeIds {
            let px = Double.random(in: 0..<1, using: &rng), py = Double.random(in: 0..<1, using: &rng)
            x[id] = px; y[id] = py
            coordinates.append(id: id, longitude: px, latitude: py)
        }
        for e in 0..<edgeCount {
            let a = nodeIds[Int.random(in: 0..<nodes, using: &rng)]
            // Mostly near neighbours (by id) so paths are long, some long jumps.
            var b = nodeIds[Int.random(in: 0..<nodes, using: &rng)]
            if b == a { b = nodeIds[(nodeIds.firstIndex(of: a)! + 1) % nodes] }
            let length = ((x[a]! - x[b]!) * (x[a]! - x[b]!) + (y[a]! - y[b]!) * (y[a]! - y[b]!)).squareRoot()
            let cost = length * Double.random(in: 1...2, using: &rng)
            let kind = Int.random(in: 0..<4, using: &rng)
            let reverse = kind == 0 ? -1 : (kind == 1 ? length * 1.5 : cost)
            let forward = kind == 2 ? -1 : cost
            edges.append(id: 5000 + Int64(e) * 3, source: a, target: b, cost: forward, reverseCost: reverse)
        }
    }

    func euclidean(_ a: Int64, _ b: Int64) -> Double {
        ((x[a]! - x[b]!) * (x[a]! - x[b]!) + (y[a]! - y[b]!) * (y[a]! - y[b]!)).squareRoot()
    }
}

/// A fixed-seed random planar graph with its routing graph, Floyd–Warshall's costs between
/// every two of its nodes (the independent answer) and a query on it.
func randomCase(nodes: Int, edges: Int, seed: UInt64) throws
    -> (random: RandomPlanarGraph, graph: RoutingGraph, truth: [Int64: [Int64: Double]], query: ShortestPathQuery) {
    let random = RandomPlanarGraph(nodes: nodes, edges: edges, seed: seed)
    let graph = try RoutingGraph(edges: random.edges, coordinates: random.coordinates)
    return (random, graph, floydWarshall(random.edges, nodes: random.nodeIds), ShortestPathQuery(graph: graph))
}

/// All-pairs cheapest costs by Floyd–Warshall straight from an edge table,
/// sharing no code with the graph module.
func floydWarshall(_ edges: EdgeTable, nodes: [Int64]) -> [Int64: [Int64: Double]] {
    let position = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1, $0) })
    let n = nodes.count
    var d = [[Double]](repeating: [Double](repeating: .infinity, count: n), count: n)
    for i in 0..<n { d[i][i] = 0 }
    for e in 0..<edges.count {
        let s = position[edges.sources[e]]!, t = position[edges.targets[e]]!
        if edges.costs[e] >= 0 { d[s][t] = min(d[s][t], edges.costs[e]) }
        if edges.reverseCosts[e] >= 0 { d[t][s] = min(d[t][s], edges.reverseCosts[e]) }
    }
    for k in 0..<n { for i in 0..<n where d[i][k] < .infinity { for j in 0..<n {
        let via = d[i][k] + d[k][j]
        if via < d[i][j] { d[i][j] = via }
    } } }
    var result: [Int64: [Int64: Double]] = [:]
    for i in 0..<n { for j in 0..<n { result[nodes[i], default: [:]][nodes[j]] = d[i][j] } }
    return result
}

/// Checks that `path` is a real walk in `edges` from its first to its last node
/// and that its costs add up.
func assertValid(_ path: Path, in edges: EdgeTable, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(path.nodes.count, path.edges.count + 1, file: file, line: line)
    var total = 0.0
    for (k, id) in path.edges.enumerated() {
        guard let e = edges.ids.firstIndex(of: id) else { return XCTFail("edge \(id) not in table", file: file, line: line) }
        let (a, b) = (path.nodes[k], path.nodes[k + 1])
        let cost: Double
        if edges.sources[e] == a && edges.targets[e] == b && edges.costs[e] >= 0 {
            cost = edges.costs[e]
        } else if edges.targets[e] == a && edges.sources[e] == b && edges.reverseCosts[e] >= 0 {
            cost = edges.reverseCosts[e]
        } else {
            return XCTFail("edge \(id) does not lead \(a)→\(b)", file: file, line: line)
        }
        XCTAssertEqual(path.arcCosts[k], cost, file: file, line: line)
        total += cost
    }
    XCTAssertEqual(path.totalCost, total, accuracy: 1e-9, file: file, line: line)
}
