import RouteShiftCore
import RouteShiftGraph

/// Reachability within a cost bound from one or several nodes (pgRouting's
/// `pgr_drivingDistance`, with an array of start nodes): one Dijkstra search
/// per start node, bounded by `maxCost`.
public enum Catchment {
    public struct Entry: Hashable, Sendable {
        /// The start node whose search reached `node` (pgRouting's `from_v`).
        public var start: Int64
        public var node: Int64
        public var cost: Double
        /// Last edge on the node's shortest path; `nil` for the start node.
        public var edge: Int64?
        /// The node's position, when the network has coordinates.
        public var coordinate: Coordinate?
    }

    /// Reached nodes ordered by cost, then node id.
    ///
    /// - Parameter reverse: search arcs backwards (nodes that can reach `root`).
    /// - Complexity: O((n + m) log n) for the reached part of the graph.
    public static func compute(in network: RouteNetwork, from root: Int64, maxCost: Double = .infinity,
                               reverse: Bool = false, overlay: CostOverlay? = nil) throws -> [Entry] {
        try compute(in: network, from: [root], maxCost: maxCost, reverse: reverse, overlay: overlay)
    }

    /// The catchment of each of `roots` in turn (in the given order), each
    /// ordered by cost, then node id; the load and the search state are shared.
    /// - Complexity: one bounded search per root.
    public static func compute(in network: RouteNetwork, from roots: [Int64], maxCost: Double = .infinity,
                               reverse: Bool = false, overlay: CostOverlay? = nil) throws -> [Entry] {
        let graph = network.graph
        let query = ShortestPathQuery(graph: graph)
        var entries: [Entry] = []
        for root in roots {
            let tree = reverse
                ? try query.shortestPathTree(to: root, maxCost: maxCost, overlay: overlay)
                : try query.shortestPathTree(from: root, maxCost: maxCost, overlay: overlay)
            let first = entries.count
            let distances = tree.distances, arcs = tree.predecessorArcs
            for v in 0..<distances.count where distances[v] < .infinity {
                let arc = arcs[v]
                let c = graph.coordinate(of: Int32(v))
                entries.append(Entry(
                    start: root, node: graph.externalId(of: Int32(v)), cost: distances[v],
                    edge: arc < 0 ? nil : graph.edgeId(ofRow: graph.arcEdge[Int(arc)]),
                    coordinate: c.map { Coordinate(longitude: $0.longitude, latitude: $0.latitude) }))
            }
            entries[first...].sort { $0.cost != $1.cost ? $0.cost < $1.cost : $0.node < $1.node }
        }
        return entries
    }
}
