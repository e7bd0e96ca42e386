/// A route through the graph in external ids.
///
/// `nodes` has one more element than `edges` and `arcCosts`; a path from a node
/// to itself has one node and no edges. `totalCost` is the left-to-right sum of
/// `arcCosts`, the same order in which a search accumulates distances.
public struct Path: Hashable, Sendable, CustomStringConvertible {
    public let nodes: [Int64]
    public let edges: [Int64]
    public let arcCosts: [Double]
    public let totalCost: Double
    /// Forward arc indices, for callers that work on the graph's arrays.
    public let arcs: [Int32]

    public init(nodes: [Int64], edges: [Int64], arcCosts: [Double], arcs: [Int32]) {
        self.nodes = nodes
        self.edges = edges
        self.arcCosts = arcCosts
        self.arcs = arcs
        self.totalCost = arcCosts.reduce(0, +)
    }

    public var description: String {
        "Path(cost: \(totalCost), nodes: \(nodes), edges: \(edges))"
    }
}

extension RoutingGraph {
    /// The path along forward arcs `arcs` starting at node index `start`, costed
    /// under `overlay` if given: the one place arcs become a `Path`.
    /// - Complexity: O(arcs).
    public func path(start: Int32, arcs: [Int32], overlay: CostOverlay?) -> Path {
        var nodes = [externalId(of: start)]
        var edges: [Int64] = [], costs: [Double] = []
        nodes.reserveCapacity(arcs.count + 1); edges.reserveCapacity(arcs.count); costs.reserveCapacity(arcs.count)
        for arc in arcs {
            nodes.append(externalId(of: arcHead[Int(arc)]))
            edges.append(edgeId(ofRow: arcEdge[Int(arc)]))
            costs.append(overlay?.cost(ofArc: arc) ?? cost(ofArc: arc))
        }
        return Path(nodes: nodes, edges: edges, arcCosts: costs, arcs: arcs)
    }
}
