/// A directed-or-undirected edge list in pgRouting's shape, the input a
/// `RoutingGraph` is built from.
///
/// Each row is one edge with external id `id`, endpoints `source` and `target`
/// (external node ids), `cost` for source→target and `reverseCost` for
/// target→source. As in pgRouting, a negative cost means "no edge in that
/// direction"; NaN and infinite costs are rejected at build time.
///
/// Columns are parallel arrays (structure of arrays) so that loaders can append
/// cheaply and the graph builder can scan each column once.
public struct EdgeTable: Sendable {
    public var ids: [Int64] = []
    public var sources: [Int64] = []
    public var targets: [Int64] = []
    public var costs: [Double] = []
    public var reverseCosts: [Double] = []

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
}
