import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGeodesy
import RouteShiftGraph
@testable import RouteShiftNetwork
import RouteShiftTestSupport


enum Fixtures {
    /// A random geographic network: `n` points in a 10°×10° box, each joined to a few
    /// random others, cost = geodesic km × a factor in [1, 2] (so the geodesic bound holds).
    static func randomGeographicNetwork(n: Int, seed: UInt64) throws -> RouteNetwork {
        var rng = SplitMix64(seed: seed)
        var coords = NodeCoordinates()
        var points: [Coordinate] = []
        for i in 0..<n {
            let c = Coordinate(longitude: Double.random(in: 0..<10, using: &rng), latitude: Double.random(in: 40..<50, using: &rng))
            points.append(c)
            coords.append(id: Int64(i + 1), longitude: c.longitude, latitude: c.latitude)
        }
        var table = EdgeTable()
        var id: Int64 = 1
        for i in 0..<n {
            for _ in 0..<3 {
                let j = Int.random(in: 0..<n, using: &rng)
                guard j != i else { continue }
                let km = Geodesic.wgs84.distance(from: points[i], to: points[j]) / 1000
                let forward = km * Double.random(in: 1...2, using: &rng)
                let backward = Bool.random(using: &rng) ? km * Double.random(in: 1...2, using: &rng) : -1
                table.append(id: id, source: Int64(i + 1), target: Int64(j + 1), cost: forward, reverseCost: backward)
                id += 1
            }
        }
        let graph = try RoutingGraph(edges: table, coordinates: coords)
        return try RouteNetwork(graph: graph, edges: table, origin: "random-\(seed)")
    }
}
