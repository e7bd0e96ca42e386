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
        var entries: [Entry] = []
        try forEach(in: network, from: roots, maxCost: maxCost, reverse: reverse, overlay: overlay) { reached in
            entries.reserveCapacity(entries.count + reached.order.count)
            let arcs = reached.tree.predecessorArcs
            for key in reached.order {
                let v = key.node, arc = arcs[Int(v)]
                let c = graph.coordinate(of: v)
                entries.append(Entry(
                    start: reached.root, node: graph.externalId(of: v), cost: Double(bitPattern: key.cost),
                    edge: arc < 0 ? nil : graph.edgeId(ofRow: graph.arcEdge[Int(arc)]),
                    coordinate: c.map { Coordinate(longitude: $0.longitude, latitude: $0.latitude) }))
            }
        }
        return entries
    }

    /// One start node's catchment as its search left it: the tree and the reached
    /// nodes in row order (by cost, then id), for writers that go through a million
    /// rows without building an `Entry` for each.
    public struct Reached: Sendable {
        /// The start node (external id).
        public let root: Int64
        public let tree: ShortestPathTree
        /// The reached nodes by cost, then external id: each node's index and its cost's bits.
        public let order: [(cost: UInt64, node: Int32)]
    }

    /// Calls `body` with the catchment of each of `roots` in turn (in the given order);
    /// each tree is released before the next search, so the memory is one tree's.
    /// - Complexity: one bounded search per root, plus the cost order of what it reaches.
    public static func forEach(in network: RouteNetwork, from roots: [Int64], maxCost: Double = .infinity,
                               reverse: Bool = false, overlay: CostOverlay? = nil,
                               _ body: (Reached) throws -> Void) throws {
        let graph = network.graph
        let query = ShortestPathQuery(graph: graph)
        for root in roots {
            let tree = reverse
                ? try query.shortestPathTree(to: root, maxCost: maxCost, overlay: overlay)
                : try query.shortestPathTree(from: root, maxCost: maxCost, overlay: overlay)
            try body(Reached(root: root, tree: tree, order: costOrder(tree.distances, graph: graph)))
        }
    }

    /// The reached nodes (finite distance) by cost, then external id.
    ///
    /// A bucket sort by value: the costs scaled to [0, buckets) (a multiplication, which
    /// keeps their order) pick one of about a quarter as many buckets as there are
    /// reached nodes, filled in one counting pass and one scatter; each bucket, a
    /// handful of keys, is then sorted by (cost, external id).
    /// - Complexity: O(n) for the counting and the scatter, plus the sort of each bucket
    ///   (expected O(1) keys each for costs spread over their range; O(k log k) for a
    ///   bucket of k equal costs).
    static func costOrder(_ distances: [Double], graph: RoutingGraph) -> [(cost: UInt64, node: Int32)] {
        var reached = 0, top = 0.0
        for d in distances where d < .infinity {
            reached += 1
            top = Swift.max(top, d)
        }
        guard reached > 0 else { return [] }
        let buckets = Swift.max(1, reached / 4)
        let scale = top > 0 ? Double(buckets - 1) / top : 0
        @inline(__always) func bucket(_ d: Double) -> Int { Swift.min(buckets - 1, Int(d * scale)) }
        var next = [Int](repeating: 0, count: buckets + 1)
        next.withUnsafeMutableBufferPointer { next in
            for d in distances where d < .infinity { next[bucket(d) + 1] += 1 }
            for b in 0..<buckets { next[b + 1] += next[b] }
        }
        let bounds = next  // bucket b is bounds[b]..<bounds[b + 1]
        let keys = [(cost: UInt64, node: Int32)](unsafeUninitializedCapacity: reached) { out, count in
            next.withUnsafeMutableBufferPointer { next in
                distances.withUnsafeBufferPointer { distances in
                    for v in 0..<distances.count where distances[v] < .infinity {
                        let b = bucket(distances[v])
                        (out.baseAddress! + next[b]).initialize(to: (distances[v].bitPattern, Int32(v)))
                        next[b] += 1
                    }
                }
            }
            count = reached
            @inline(__always) func precedes(_ a: (cost: UInt64, node: Int32), _ b: (cost: UInt64, node: Int32)) -> Bool {
                a.cost != b.cost ? a.cost < b.cost : graph.externalId(of: a.node) < graph.externalId(of: b.node)
            }
            for b in 0..<buckets {
                let low = bounds[b], high = bounds[b + 1]
                if high - low <= 1 { continue }
                if high - low <= 16 {
                    for i in (low + 1)..<high {  // insertion sort
                        let key = out[i]
                        var j = i
                        while j > low, precedes(key, out[j - 1]) { out[j] = out[j - 1]; j -= 1 }
                        out[j] = key
                    }
                } else {
                    out[low..<high].sort(by: precedes)
                }
            }
        }
        return keys
    }
}
