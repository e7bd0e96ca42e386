import RouteShiftGraph

/// Reachability within a cost bound from one node (pgRouting's
/// `pgr_drivingDistance`): one Dijkstra search, bounded by `maxCost`.
public enum Catchment {
    public struct Entry: Hashable, Sendable {
        public var node: Int64
        public var cost: Double
        /// Last edge on the node's shortest path; `nil` for the start node.
        public var edge: Int64?
    }

    /// Reached nodes ordered by cost, then node id.
    ///
    /// - Parameter reverse: search arcs backwards (nodes that can reach `root`).
    /// - Complexity: O((n + m) log n) for the reached part of the graph.
    public static func compute(in network: RouteNetwork, from root: Int64, maxCost: Double = .infinity,
                               reverse: Bool = false, overlay: CostOverlay? = nil) throws -> [Entry] {
        let query = ShortestPathQuery(graph: network.graph)
        let tree = reverse
            ? try query.shortestPathTree(to: root, maxCost: maxCost, overlay: overlay)
            : try query.shortestPathTree(from: root, maxCost: maxCost, overlay: overlay)
        var entries: [Entry] = []
        for (node, cost) in tree.reachedNodes() {
            let index = Int(network.graph.index(of: node)!)
            let arc = tree.predecessorArcs[index]
            let edge: Int64? = arc < 0 ? nil : network.graph.edgeId(ofRow: network.graph.arcEdge[Int(arc)])
            entries.append(Entry(node: node, cost: cost, edge: edge))
        }
        entries.sort { $0.cost != $1.cost ? $0.cost < $1.cost : $0.node < $1.node }
        return entries
    }
}
