import RouteShiftCore
import RouteShiftGeodesy
import RouteShiftGraph

/// Single-path algorithms; all return the same cost, they differ in work done.
public enum PathAlgorithm: String, CaseIterable, Sendable {
    /// The default: `landmarks` when the network holds landmark distances for its
    /// graph (a compiled `.rsnet` cache does) and the overlay never lowers a cost,
    /// otherwise `bidirectional`.
    case automatic = "auto"
    /// Dijkstra (1959) with early exit at the target.
    case dijkstra
    /// Bidirectional Dijkstra (Pohl 1971), searching from both ends until the
    /// frontiers meet: needs no set-up and settles far fewer nodes than
    /// one-directional Dijkstra on road-like networks.
    case bidirectional
    /// A* with landmark bounds (ALT, Goldberg & Harrelson 2005, see `Landmarks`):
    /// a few reads per node, no geometry; needs the network's `landmarks` (falls
    /// back to `bidirectional` without them, or when the overlay lowers a cost).
    case landmarks
    /// A* (Hart, Nilsson, Raphael 1968) guided by the geodesic lower bound;
    /// falls back to Dijkstra when the network has no coordinates. Its set-up
    /// calibrates the bound with one geodesic per arc, O(arcs), so it pays off
    /// only over many queries on one `RouteFinder`.
    case astar
}

/// Answers route queries on one network. Not thread-safe: it owns reusable
/// search state, so make one per task.
///
/// Queries without an overlay route on `network.baseOverlay(includeClosed:)`:
/// the edges the network marks `closed` are absent unless `includeClosed`. An
/// overlay passed to a query is used as given; start it from
/// `network.baseOverlay()` to keep the network's own closures.
public final class RouteFinder {
    public let network: RouteNetwork
    /// What a query without an overlay routes on (`nil`: the graph's own costs).
    public let baseOverlay: CostOverlay?
    private let query: ShortestPathQuery
    private lazy var lowerBound: GeodesicLowerBound? = GeodesicLowerBound(network: network)

    /// - Complexity: O(E) to find the edges marked closed.
    public init(network: RouteNetwork, includeClosed: Bool = false) {
        self.network = network
        baseOverlay = network.baseOverlay(includeClosed: includeClosed)
        query = ShortestPathQuery(graph: network.graph)
    }

    /// Up to `k` loopless paths in increasing cost (Yen 1971 when `k > 1`),
    /// described with names, lengths and geometry. Empty when no path exists.
    public func routes(from source: Int64, to target: Int64, k: Int = 1, algorithm: PathAlgorithm = .automatic,
                       overlay: CostOverlay? = nil) throws -> [RouteDescription] {
        let overlay = overlay ?? baseOverlay
        let paths: [Path]
        if k > 1 {
            paths = try query.kShortestPaths(from: source, to: target, k: k, overlay: overlay)
        } else {
            paths = try shortestPath(from: source, to: target, algorithm: algorithm, overlay: overlay).map { [$0] } ?? []
        }
        return paths.enumerated().map { network.describe($0.element, rank: $0.offset + 1) }
    }

    /// The shortest path by the chosen algorithm.
    public func shortestPath(from source: Int64, to target: Int64, algorithm: PathAlgorithm,
                             overlay: CostOverlay? = nil) throws -> Path? {
        let overlay = overlay ?? baseOverlay
        switch algorithm {
        case .automatic, .landmarks:
            if let landmarks = network.landmarks, landmarks.belong(to: network.graph),
               overlay?.neverLowersCosts ?? true, let t = network.graph.index(of: target) {
                return try query.aStarShortestPath(from: source, to: target, bound: landmarks.bound(to: t), overlay: overlay)
            }
            return try query.bidirectionalShortestPath(from: source, to: target, overlay: overlay)
        case .dijkstra:
            return try query.shortestPath(from: source, to: target, overlay: overlay)
        case .bidirectional:
            return try query.bidirectionalShortestPath(from: source, to: target, overlay: overlay)
        case .astar:
            guard let bound = lowerBound else { return try query.shortestPath(from: source, to: target, overlay: overlay) }
            return try query.aStarShortestPath(from: source, to: target, bound: bound, overlay: overlay)
        }
    }
}

/// Admissible A* bound for networks whose costs grow with distance: the
/// geodesic distance to the target (Karney's algorithm via PROJ) times the
/// smallest cost per km of any edge. No path can be shorter than the geodesic
/// and every edge costs at least that rate per km of its own geodesic chord,
/// so the bound never overestimates (Hart, Nilsson, Raphael 1968). It is built
/// from the graph's own costs: closures keep it admissible, but an overlay that
/// lowers costs below them needs `.dijkstra`.
public struct GeodesicLowerBound: CostLowerBound {
    private let longitudes: [Double]
    private let latitudes: [Double]
    /// Minimum over edges of cost / chord length (km); 0 when some edge is free.
    public let costPerKm: Double
    private let geodesic = Geodesic.wgs84

    /// `nil` when the network lacks coordinates.
    public init?(network: RouteNetwork) {
        let graph = network.graph
        guard graph.hasCoordinates else { return nil }
        var lon = [Double](), lat = [Double]()
        lon.reserveCapacity(graph.nodeCount); lat.reserveCapacity(graph.nodeCount)
        for i in 0..<graph.nodeCount {
            let c = graph.coordinate(of: Int32(i))!
            lon.append(c.longitude); lat.append(c.latitude)
        }
        longitudes = lon; latitudes = lat
        var rate = Double.infinity
        for u in 0..<graph.nodeCount {
            let a = Coordinate(longitude: lon[u], latitude: lat[u])
            for arc in Int(graph.firstArc[u])..<Int(graph.firstArc[u + 1]) {
                let v = Int(graph.arcHead[arc])
                let km = Geodesic.wgs84.inverse(from: a, to: Coordinate(longitude: lon[v], latitude: lat[v])).distance / 1000
                // A zero-length chord bounds nothing; skipping it keeps the minimum valid.
                guard km > 1e-9 else { continue }
                rate = min(rate, graph.cost(ofArc: Int32(arc)) / km)
            }
        }
        costPerKm = rate.isFinite ? max(0, rate * (1 - 1e-12)) : 0
    }

    public func lowerBound(from node: Int32, to target: Int32) -> Double {
        guard costPerKm > 0 else { return 0 }
        let a = Coordinate(longitude: longitudes[Int(node)], latitude: latitudes[Int(node)])
        let b = Coordinate(longitude: longitudes[Int(target)], latitude: latitudes[Int(target)])
        return geodesic.inverse(from: a, to: b).distance / 1000 * costPerKm
    }
}
