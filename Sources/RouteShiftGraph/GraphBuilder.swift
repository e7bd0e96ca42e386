// Building a `RoutingGraph` takes three stages, each in its own file:
//
// 1. node numbering (NodeNumbering.swift): external node ids ranked, and with
//    coordinates renumbered along the Hilbert curve before any edge arrives;
// 2. edge columns (EdgeColumns.swift): the rows kept batch by batch in compact
//    columns (node indices, consecutive ids, decimal cost units);
// 3. CSR layout (ArcLayout.swift): one counting sort of the arcs by tail, each
//    node's arcs sorted, costs gathered into arc order.
//
// `EdgeAccumulator.build` below validates what only the whole input shows and
// runs stage 3 on the result of stages 1 and 2; in builds with internal checks
// the graph's invariants are checked before it is returned.

extension RoutingGraph {
    /// Builds the graph from edge rows handed over in batches, for inputs too
    /// large to hold as one `EdgeTable` beside the graph (a file read in chunks).
    ///
    /// `edgeBatches` is called once and passes batches, in row order, to its
    /// argument; the builder keeps them in compact form (32-bit node indices
    /// when coordinates are given, no id column when the ids are consecutive,
    /// one cost column when every reverse cost equals the cost or none gives
    /// an arc), so a batch may be reused as soon as the call returns. The
    /// result is the graph `init(edges:coordinates:)` builds from all the rows
    /// in one table, array for array.
    ///
    /// `expectedEdges`, when known (an estimate is fine), sizes the compact
    /// columns once instead of letting them grow by doubling (each growth
    /// copies and touches the columns anew); the graph does not depend on it.
    ///
    /// - Throws: `GraphError` as `init(edges:coordinates:)`, and whatever
    ///   `edgeBatches` throws.
    /// - Complexity: O(n + m) time; extra memory beyond the graph is about
    ///   16 bytes per edge (coordinates given, one cost column).
    public init(coordinates: consuming NodeCoordinates? = nil, expectedEdges: Int = 0,
                edgeBatches: (_ deliver: (EdgeTable) throws -> Void) throws -> Void) throws {
        var nodes: NodeTable?
        // Consumed, so the caller's columns can go once the nodes are ranked.
        if let given = consume coordinates { nodes = try NodeTable(coordinates: given) }
        var rows = EdgeAccumulator(nodeLookup: nodes?.error == nil ? nodes?.lookup : nil)
        rows.expectedCount = max(0, min(expectedEdges, Int(Int32.max) / 2))
        try edgeBatches { batch in try rows.append(batch) }
        self = try rows.build(nodes: &nodes)
    }
}

extension EdgeAccumulator {
    /// Validates what only the whole input shows, then lays out the arcs.
    /// Errors come in the same order as the checks of a one-table build.
    /// `threads` lays the arcs out on that many threads (default: one per
    /// processor for large inputs); the result does not depend on it.
    mutating func build(nodes: inout NodeTable?, threads: Int? = nil) throws -> RoutingGraph {
        let m = count
        if let error = nodes?.error { throw error }
        guard m < Int(Int32.max) / 2 else { throw GraphError.tooLarge("\(m) edges") }
        let edgeRows: EdgeRows
        if let firstId {
            edgeRows = .consecutive(first: firstId, count: m)
        } else {
            edgeRows = .listed(ids: Column(ids), lookup: try IdLookup.unique(ids))
        }
        ids = []
        if let duplicate = nodes?.duplicate { throw duplicate }

        var nodeIds: [Int64], nodeLookup: IdLookup
        var longitudes: [Double]?, latitudes: [Double]?
        if var table = nodes {
            if let missingNode { throw GraphError.missingCoordinate(nodeId: missingNode) }
            nodes = nil
            nodeIds = table.ids; table.ids = []
            longitudes = table.longitudes; table.longitudes = []
            latitudes = table.latitudes; table.latitudes = []
            nodeLookup = table.lookup
        } else {
            (nodeLookup, nodeIds) = NodeTable.rankEndpoints(sourceIds, targetIds)
            guard nodeIds.count < Int(Int32.max) else { throw GraphError.tooLarge("\(nodeIds.count) nodes") }
            sourceIndex = sourceIds.map { nodeLookup.index(of: $0)! }
            sourceIds = []
            targetIndex = targetIds.map { nodeLookup.index(of: $0)! }
            targetIds = []
        }

        let nodeCount = nodeIds.count
        // A simple path has at most n - 1 arcs; if that many of the dearest
        // arc could overflow to infinity, a search would report "no path"
        // where one exists, so such costs are rejected up front.
        if largestCost * Double(Swift.max(1, nodeCount - 1)) == .infinity {
            throw GraphError.costSumOverflow(edgeId: largestCostEdge, value: largestCost, nodeCount: nodeCount)
        }
        let nodeIdColumn = NodeIdColumn(nodeIds)
        nodeIds = []
        var symmetric = false
        if case .sameAsCost = reverse { symmetric = true }
        let layout = ArcLayout(nodeCount: nodeCount, rows: &self, edgeRows: edgeRows,
                               threads: threads ?? min(ArcLayout.threads, max(1, m / ArcLayout.parallelGrain)))
        let graph = RoutingGraph(firstArc: Column(layout.firstArc), arcHead: layout.arcHead,
                                 arcCosts: layout.arcCosts, arcEdge: Column(layout.arcEdge),
                                 arcBackwardBits: Column(layout.backwardBits), nodeIds: nodeIdColumn, edgeRows: edgeRows,
                                 longitudes: longitudes.map(Column.init), latitudes: latitudes.map(Column.init),
                                 nodeLookup: nodeLookup, isSymmetric: symmetric)
        graph._checkInvariants()
        return graph
    }
}
