import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGeodesy
import RouteShiftGraph

/// One traversed edge of a route, in travel order.
public struct RouteStep: Hashable, Sendable {
    public var edgeId: Int64
    public var from: Int64
    public var to: Int64
    /// Whether the edge was used source→target (`false`: target→source).
    public var isForward: Bool
    public var cost: Double
    public var aggregateCost: Double
    /// Geodesic length in km, when the network knows edge geometry or node coordinates.
    public var lengthKm: Double?
}

/// A path described for people and notebooks: names, lengths and geometry.
public struct RouteDescription: Hashable, Sendable {
    /// 1 for the shortest path, 2 for the next alternative, …
    public var rank: Int
    public var from: Int64
    public var to: Int64
    public var cost: Double
    public var lengthKm: Double?
    public var steps: [RouteStep]
    /// Nodes in travel order, `steps.count + 1` of them.
    public var nodes: [Int64]
    /// The route's polyline in travel order, when edges have geometry.
    public var geometry: [Coordinate]?
}

extension RouteNetwork {
    /// Geodesic length in km of edge row `row`: its `length_km` attribute, else
    /// the length of its geometry on WGS84 (Karney's algorithm via PROJ).
    public func lengthKm(ofEdgeRow row: Int) -> Double? {
        if let km = edgeAttributes?.lengthKm[row] { return km }
        guard let line = geometry(ofEdgeRow: row) else { return nil }
        return Geodesic.wgs84.length(of: line) / 1000
    }

    /// Describes `path` (from a query on this network's graph) as rank `rank`.
    public func describe(_ path: Path, rank: Int) -> RouteDescription {
        var steps: [RouteStep] = []
        steps.reserveCapacity(path.arcs.count)
        var total = 0.0
        var length: Double? = 0
        var line: [Coordinate]? = []
        for (i, arc) in path.arcs.enumerated() {
            let row = Int(graph.arcEdge[Int(arc)])
            let forward = graph.edgeForwardArc[row] == arc
            let cost = path.arcCosts[i]
            total += cost
            let km = lengthKm(ofEdgeRow: row)
            if let km, let l = length { length = l + km } else { length = nil }
            if var g = geometry(ofEdgeRow: row), line != nil {
                if !forward { g.reverse() }
                if let last = line!.last, last == g.first { g.removeFirst() }
                line!.append(contentsOf: g)
            } else {
                line = nil
            }
            steps.append(RouteStep(edgeId: path.edges[i], from: path.nodes[i], to: path.nodes[i + 1],
                                   isForward: forward, cost: cost, aggregateCost: total, lengthKm: km))
        }
        if path.arcs.isEmpty { line = coordinate(ofNode: path.nodes[0]).map { [$0] } }
        return RouteDescription(rank: rank, from: path.nodes.first!, to: path.nodes.last!, cost: path.totalCost,
                                lengthKm: length, steps: steps, nodes: path.nodes, geometry: line)
    }
}
