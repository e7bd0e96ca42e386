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
            let order = costOrder(distances, graph: graph)
            entries.reserveCapacity(entries.count + order.count)
            for key in order {
                let v = key.node, arc = arcs[Int(v)]
                let c = graph.coordinate(of: v)
                entries.append(Entry(
                    start: root, node: graph.externalId(of: v), cost: Double(bitPattern: key.cost),
                    edge: arc < 0 ? nil : graph.edgeId(ofRow: graph.arcEdge[Int(arc)]),
                    coordinate: c.map { Coordinate(longitude: $0.longitude, latitude: $0.latitude) }))
            }
        }
        return entries
    }

    /// The reached nodes (finite distance) by cost, then external id.
    ///
    /// A non-negative double's bits order like the double, so the (cost bits, node) keys
    /// are sorted by a least-significant-digit radix sort on the bits (11-bit digits,
    /// skipping the digits every key shares: costs of one network span few exponents),
    /// which is stable, so equal costs stay in index order; each run of equal costs is
    /// then ordered by id.
    /// - Complexity: O(n) for the keys and at most 6 passes over them, plus the sort of
    ///   each run of equal costs.
    static func costOrder(_ distances: [Double], graph: RoutingGraph) -> [(cost: UInt64, node: Int32)] {
        var keys: [(cost: UInt64, node: Int32)] = []
        for v in 0..<distances.count where distances[v] < .infinity {
            keys.append((distances[v].bitPattern, Int32(v)))
        }
        let bits = 11, buckets = 1 << bits
        var spare = keys
        var counts = [Int](repeating: 0, count: buckets)
        for shift in stride(from: 0, to: 64, by: bits) {
            counts.withUnsafeMutableBufferPointer { c in
                for i in 0..<buckets { c[i] = 0 }
                keys.withUnsafeBufferPointer { k in for key in k { c[Int((key.cost >> UInt64(shift)) & UInt64(buckets - 1))] += 1 } }
            }
            if counts.contains(keys.count) { continue }  // one digit for every key: nothing to move
            var total = 0
            for i in 0..<buckets { let n = counts[i]; counts[i] = total; total += n }
            counts.withUnsafeMutableBufferPointer { c in
                spare.withUnsafeMutableBufferPointer { out in
                    keys.withUnsafeBufferPointer { k in
                        for key in k {
                            let digit = Int((key.cost >> UInt64(shift)) & UInt64(buckets - 1))
                            out[c[digit]] = key
                            c[digit] += 1
                        }
                    }
                }
            }
            swap(&keys, &spare)
        }
        var start = 0
        while start < keys.count {
            var end = start + 1
            while end < keys.count, keys[end].cost == keys[start].cost { end += 1 }
            if end - start > 1 {
                keys[start..<end].sort { graph.externalId(of: $0.node) < graph.externalId(of: $1.node) }
            }
            start = end
        }
        return keys
    }
}
