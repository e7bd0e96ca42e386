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
            let distances = tree.distances, arcs = tree.predecessorArcs
            // Sorted as 16-byte keys, not as entries: a non-negative double's bits order like the
            // double, and ids are unique, so (cost bits, id) is the order (cost, then node id).
            var keys: [(cost: UInt64, id: Int64)] = []
            for v in 0..<distances.count where distances[v] < .infinity {
                keys.append((distances[v].bitPattern, graph.externalId(of: Int32(v))))
            }
            keys.sort { $0.cost != $1.cost ? $0.cost < $1.cost : $0.id < $1.id }
            entries.reserveCapacity(entries.count + keys.count)
            for key in keys {
                let v = graph.index(of: key.id)!  // an id of this graph
                let arc = arcs[Int(v)]
                let c = graph.coordinate(of: v)
                entries.append(Entry(
                    start: root, node: key.id, cost: Double(bitPattern: key.cost),
                    edge: arc < 0 ? nil : graph.edgeId(ofRow: graph.arcEdge[Int(arc)]),
                    coordinate: c.map { Coordinate(longitude: $0.longitude, latitude: $0.latitude) }))
            }
        }
        return entries
    }
}
