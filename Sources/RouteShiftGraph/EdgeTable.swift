/// A directed-or-undirected edge list in pgRouting's shape, the input a
/// `RoutingGraph` is built from.
///
/// Each row is one edge with external id `id`, endpoints `source` and `target`
/// (external node ids), `cost` for source→target and `reverseCost` for
/// target→source. As in pgRouting, a negative cost means "no edge in that
/// direction"; NaN and infinite costs are rejected at build time.
///
/// Columns are parallel arrays (structure of arrays) so that loaders can append
/// cheaply and the graph builder can scan each column once; a table read from a
/// compiled network keeps its columns in the mapped file (see `Column`).
public struct EdgeTable: Sendable {
    public var ids: Column<Int64> = []
    public var sources: Column<Int64> = []
    public var targets: Column<Int64> = []
    public var costs: Column<Double> = []
    public var reverseCosts: Column<Double> = []

    public init() {}

    public var count: Int { ids.count }

    public mutating func reserveCapacity(_ n: Int) {
        ids.reserveCapacity(n); sources.reserveCapacity(n); targets.reserveCapacity(n)
        costs.reserveCapacity(n); reverseCosts.reserveCapacity(n)
    }

    public mutating func append(id: Int64, source: Int64, target: Int64, cost: Double, reverseCost: Double) {
        ids.append(id); sources.append(source); targets.append(target)
        costs.append(cost); reverseCosts.append(reverseCost)
    }

    /// The same rows as an undirected table, like pgRouting's `directed => false`:
    /// each row can be travelled both ways at the cheaper of its non-negative
    /// costs (a row with neither stays absent).
    /// - Complexity: O(rows).
    public func undirected() -> EdgeTable {
        var out = self
        let both = Column(zip(costs, reverseCosts).map { c, r in c < 0 ? r : (r < 0 ? c : Swift.min(c, r)) })
        out.costs = both
        out.reverseCosts = both
        return out
    }
}
