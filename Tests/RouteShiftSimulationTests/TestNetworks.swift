import RouteShiftGraph
@testable import RouteShiftSimulation
import RouteShiftTestSupport

/// Small graphs with known answers, and a seeded generator for random ones.
enum TestNetworks {
    /// Edges as (id, source, target, cost, reverseCost).
    static func graph(_ rows: [(Int64, Int64, Int64, Double, Double)]) throws -> RoutingGraph {
        var table = EdgeTable()
        for r in rows { table.append(id: r.0, source: r.1, target: r.2, cost: r.3, reverseCost: r.4) }
        return try RoutingGraph(edges: table)
    }

    /// Two disjoint routes 1→2→4 (cost 1 + 1) and 1→3→4 (cost 2 + 2), one-way.
    static func twoRoutes() throws -> RoutingGraph {
        try graph([(10, 1, 2, 1, -1), (11, 2, 4, 1, -1), (20, 1, 3, 2, -1), (21, 3, 4, 2, -1)])
    }


    /// A random connected-ish graph of `nodes` nodes: a ring plus `extra` random
    /// edges, costs in [1, 10) with random digits (so equal-cost ties are
    /// practically impossible), some one-way.
    static func random(nodes: Int, extra: Int, seed: UInt64) throws -> (RoutingGraph, [Demand]) {
        var rng = SplitMix64(seed: seed)
        var rows: [(Int64, Int64, Int64, Double, Double)] = []
        var id: Int64 = 1
        for u in 0..<nodes {
            rows.append((id, Int64(u), Int64((u + 1) % nodes), 1 + 9 * rng.unit(), 1 + 9 * rng.unit())); id += 1
        }
        for _ in 0..<extra {
            let u = rng.int(0..<nodes), v = rng.int(0..<nodes)
            let back = rng.unit() < 0.3 ? -1 : 1 + 9 * rng.unit()
            rows.append((id, Int64(u), Int64(v), 1 + 9 * rng.unit(), back)); id += 1
        }
        let graph = try graph(rows)
        var demand: [Demand] = []
        for _ in 0..<(nodes * 2) {
            demand.append(Demand(origin: Int64(rng.int(0..<nodes)), destination: Int64(rng.int(0..<nodes)),
                                 flow: Double(rng.int(0..<100)) + rng.unit()))
        }
        return (graph, demand)
    }
}
