/// An immutable directed graph in compressed-sparse-row form, the storage every
/// shortest-path algorithm in this module reads.
///
/// Built once from an `EdgeTable` (pgRouting's edge list: a row with a
/// non-negative `cost` gives the arc source→target, a non-negative
/// `reverseCost` the arc target→source). External node ids are mapped to dense
/// indices `0..<nodeCount`; with coordinates the indices follow the Hilbert
/// curve, otherwise ascending external id.
///
/// Arcs leaving node `u` are `firstArc[u]..<firstArc[u+1]`, ordered by
/// (head, edge id, forward before backward), so every algorithm sees the same
/// order and breaks ties the same way. The reverse adjacency lists, for each
/// node, the arcs entering it, ordered by (tail, edge id); `reverseArcForward`
/// gives the matching forward arc index, which is how overlays and paths name
/// an arc whichever direction it was found in.
///
/// Self-loops are kept as arcs (they never lie on a shortest or loopless path,
/// since costs are not negative). Parallel edges are kept apart.
///
/// Modelled on OSRM's `StaticGraph` and igraph's indexed edge list.
public struct RoutingGraph: Sendable {
    /// Offsets into the arc arrays, `nodeCount + 1` entries.
    public let firstArc: [Int32]
    /// Head (target index) of each forward arc.
    public let arcHead: [Int32]
    /// Cost of each forward arc.
    public let arcCost: [Double]
    /// Row of the edge table each forward arc comes from.
    public let arcEdge: [Int32]

    /// Offsets into the reverse arc arrays, `nodeCount + 1` entries.
    public let reverseFirstArc: [Int32]
    /// Tail (source index) of each arc entering a node.
    public let reverseArcTail: [Int32]
    /// Cost of each reverse-adjacency arc (same as the forward arc's).
    public let reverseArcCost: [Double]
    /// Forward arc index of each reverse-adjacency arc.
    public let reverseArcForward: [Int32]

    /// External id of each node, by index.
    public let nodeIds: [Int64]
    /// External id of each edge-table row.
    public let edgeIds: [Int64]
    /// Forward arc of each edge-table row for source→target, or -1.
    public let edgeForwardArc: [Int32]
    /// Forward arc of each edge-table row for target→source, or -1.
    public let edgeBackwardArc: [Int32]

    let longitudes: [Double]?
    let latitudes: [Double]?
    let nodeLookup: IdLookup
    let edgeLookup: IdLookup
    /// Distinguishes graphs so an overlay cannot be applied to the wrong one.
    let identity: UInt64

    public var nodeCount: Int { nodeIds.count }
    public var arcCount: Int { arcHead.count }
    public var edgeCount: Int { edgeIds.count }
    public var hasCoordinates: Bool { longitudes != nil }

    /// Index of the node with external id `externalId`, or `nil`.
    /// - Complexity: O(1).
    @inline(__always)
    public func index(of externalId: Int64) -> Int32? { nodeLookup.index(of: externalId) }

    /// External id of the node at `index`.
    @inline(__always)
    public func externalId(of index: Int32) -> Int64 { nodeIds[Int(index)] }

    /// Position of the node at `index`, if the graph was built with coordinates.
    public func coordinate(of index: Int32) -> (longitude: Double, latitude: Double)? {
        guard let longitudes, let latitudes else { return nil }
        return (longitudes[Int(index)], latitudes[Int(index)])
    }

    /// Row of the edge table with external id `edgeId`, or `nil`.
    /// - Complexity: O(1).
    public func edgeIndex(of edgeId: Int64) -> Int32? { edgeLookup.index(of: edgeId) }

    /// Tail of forward arc `arc`, by binary search over `firstArc`.
    /// - Complexity: O(log n).
    public func tail(ofArc arc: Int32) -> Int32 {
        // Largest u with firstArc[u] <= arc; its range is the non-empty one.
        var low = 0, high = nodeCount - 1
        while low < high {
            let mid = (low + high + 1) >> 1
            if firstArc[mid] <= arc { low = mid } else { high = mid - 1 }
        }
        return Int32(low)
    }

    /// Builds the graph, validating the whole input before any other work.
    ///
    /// - Throws: `GraphError` for mismatched columns, a NaN or infinite cost
    ///   (naming the edge id and value), a duplicate edge id, and, when
    ///   `coordinates` is given, a missing, duplicate or non-finite coordinate.
    /// - Complexity: O(n + m) time: ids are mapped through a direct array when
    ///   dense (a hash map otherwise), arcs are placed by two counting-sort
    ///   passes (by head, then by tail) and the reverse adjacency by one more.
    ///   Only runs of parallel arcs between the same pair of nodes are
    ///   compared. Peak extra memory is about 12 bytes per arc.
    public init(edges: EdgeTable, coordinates: NodeCoordinates? = nil) throws {
        let m = edges.count
        for (name, count) in [("source", edges.sources.count), ("target", edges.targets.count),
                              ("cost", edges.costs.count), ("reverse_cost", edges.reverseCosts.count)]
        where count != m {
            throw GraphError.columnLengthMismatch(column: name, count: count, expected: m)
        }
        for i in 0..<m {
            let c = edges.costs[i], r = edges.reverseCosts[i]
            if !c.isFinite { throw GraphError.nonFiniteCost(edgeId: edges.ids[i], column: "cost", value: c) }
            if !r.isFinite { throw GraphError.nonFiniteCost(edgeId: edges.ids[i], column: "reverse_cost", value: r) }
        }
        if let coordinates {
            for (name, count) in [("longitude", coordinates.longitudes.count), ("latitude", coordinates.latitudes.count)]
            where count != coordinates.count {
                throw GraphError.columnLengthMismatch(column: name, count: count, expected: coordinates.count)
            }
            for i in 0..<coordinates.count
            where !coordinates.longitudes[i].isFinite || !coordinates.latitudes[i].isFinite {
                throw GraphError.invalidCoordinate(nodeId: coordinates.ids[i], longitude: coordinates.longitudes[i],
                                                   latitude: coordinates.latitudes[i])
            }
        }
        guard m < Int(Int32.max) / 2 else { throw GraphError.tooLarge("\(m) edges") }
        let edgeLookup = try IdLookup.unique(edges.ids)

        // Nodes: the endpoints plus any coordinate-only ids, ranked by external id.
        var (nodeLookup, sortedIds) = Self.rankNodes(edges: edges, extra: coordinates?.ids ?? [])
        let n = sortedIds.count
        guard n < Int(Int32.max) else { throw GraphError.tooLarge("\(n) nodes") }

        var longitudes: [Double]? = nil, latitudes: [Double]? = nil
        if let coordinates {
            var lon = [Double](repeating: .nan, count: n), lat = [Double](repeating: .nan, count: n)
            for i in 0..<coordinates.count {
                let r = Int(nodeLookup.index(of: coordinates.ids[i])!)
                guard lon[r].isNaN else { throw GraphError.duplicateCoordinate(nodeId: coordinates.ids[i]) }
                lon[r] = coordinates.longitudes[i]; lat[r] = coordinates.latitudes[i]
            }
            for r in 0..<n where lon[r].isNaN { throw GraphError.missingCoordinate(nodeId: sortedIds[r]) }
            // Hilbert order, ties by external id (the radix sort is stable over rank order).
            let order = HilbertCurve.stableOrder(of: HilbertCurve.positions(longitudes: lon, latitudes: lat))
            var newIndex = [Int32](repeating: 0, count: n)
            for i in 0..<n { newIndex[Int(order[i])] = Int32(i) }
            nodeLookup.remap(newIndex)
            sortedIds = order.map { sortedIds[Int($0)] }
            longitudes = order.map { lon[Int($0)] }
            latitudes = order.map { lat[Int($0)] }
        }

        var source = [Int32](repeating: 0, count: m), target = [Int32](repeating: 0, count: m)
        for i in 0..<m {
            source[i] = nodeLookup.index(of: edges.sources[i])!
            target[i] = nodeLookup.index(of: edges.targets[i])!
        }

        let csr = Self.buildForward(n: n, source: source, target: target, edges: edges)
        source = []; target = []
        let reverse = Self.buildReverse(n: n, firstArc: csr.firstArc, arcHead: csr.arcHead, arcCost: csr.arcCost)

        self.firstArc = csr.firstArc
        self.arcHead = csr.arcHead
        self.arcCost = csr.arcCost
        self.arcEdge = csr.arcEdge
        self.edgeForwardArc = csr.edgeForwardArc
        self.edgeBackwardArc = csr.edgeBackwardArc
        self.reverseFirstArc = reverse.first
        self.reverseArcTail = reverse.tail
        self.reverseArcCost = reverse.cost
        self.reverseArcForward = reverse.forward
        self.nodeIds = sortedIds
        self.edgeIds = edges.ids
        self.longitudes = longitudes
        self.latitudes = latitudes
        self.nodeLookup = nodeLookup
        self.edgeLookup = edgeLookup
        self.identity = UInt64.random(in: 1...UInt64.max)
    }

    /// Distinct node ids in ascending order and a lookup to their rank.
    private static func rankNodes(edges: EdgeTable, extra: [Int64]) -> (IdLookup, [Int64]) {
        let entries = 2 * edges.count + extra.count
        guard entries > 0 else { return (.direct(base: 0, slots: []), []) }
        var low = Int64.max, high = Int64.min
        for column in [edges.sources, edges.targets, extra] {
            for id in column { low = min(low, id); high = max(high, id) }
        }
        if let span = IdLookup.directSpan(low: low, high: high, entries: entries) {
            var slots = [Int32](repeating: -1, count: span)
            for column in [edges.sources, edges.targets, extra] {
                for id in column { slots[Int(id - low)] = 0 }
            }
            var sorted: [Int64] = []
            var rank: Int32 = 0
            for offset in 0..<span where slots[offset] == 0 {
                slots[offset] = rank
                sorted.append(low + Int64(offset))
                rank += 1
            }
            return (.direct(base: low, slots: slots), sorted)
        }
        var map = [Int64: Int32](minimumCapacity: entries / 2)
        for column in [edges.sources, edges.targets, extra] {
            for id in column { map[id] = 0 }
        }
        let sorted = map.keys.sorted()
        for (rank, id) in sorted.enumerated() { map[id] = Int32(rank) }
        return (.hashed(map), sorted)
    }

    private struct ForwardArcs {
        var firstArc: [Int32], arcHead: [Int32], arcCost: [Double], arcEdge: [Int32]
        var edgeForwardArc: [Int32], edgeBackwardArc: [Int32]
    }

    /// Forward CSR by two stable counting sorts of arc codes (edge row × 2 +
    /// direction): by head, then by tail. The result is ordered by (tail, head,
    /// edge row, direction); runs of parallel arcs are then reordered by edge id.
    private static func buildForward(n: Int, source: [Int32], target: [Int32], edges: EdgeTable) -> ForwardArcs {
        let m = source.count
        let costs = edges.costs, reverseCosts = edges.reverseCosts
        var headStart = [Int32](repeating: 0, count: n + 1)
        var degree = [Int32](repeating: 0, count: n + 1)
        var arcTotal = 0
        for i in 0..<m {
            if costs[i] >= 0 { headStart[Int(target[i]) + 1] += 1; degree[Int(source[i]) + 1] += 1; arcTotal += 1 }
            if reverseCosts[i] >= 0 { headStart[Int(source[i]) + 1] += 1; degree[Int(target[i]) + 1] += 1; arcTotal += 1 }
        }
        for u in 0..<n { headStart[u + 1] += headStart[u]; degree[u + 1] += degree[u] }
        let firstArc = degree

        // Pass 1: codes bucketed by head, in edge-row order within a bucket.
        var byHead = [Int32](repeating: 0, count: arcTotal)
        for i in 0..<m {
            if costs[i] >= 0 {
                let h = Int(target[i]); byHead[Int(headStart[h])] = Int32(i << 1); headStart[h] += 1
            }
            if reverseCosts[i] >= 0 {
                let h = Int(source[i]); byHead[Int(headStart[h])] = Int32(i << 1 | 1); headStart[h] += 1
            }
        }
        headStart = []

        // Pass 2: stable placement by tail.
        var cursor = firstArc
        var arcHead = [Int32](repeating: 0, count: arcTotal)
        var arcCost = [Double](repeating: 0, count: arcTotal)
        var arcEdge = [Int32](repeating: 0, count: arcTotal)
        var edgeForwardArc = [Int32](repeating: -1, count: m)
        var edgeBackwardArc = [Int32](repeating: -1, count: m)
        for code in byHead {
            let i = Int(code >> 1)
            let isBackward = code & 1 == 1
            let tail = Int(isBackward ? target[i] : source[i])
            let p = Int(cursor[tail]); cursor[tail] += 1
            arcHead[p] = isBackward ? source[i] : target[i]
            arcCost[p] = isBackward ? reverseCosts[i] : costs[i]
            arcEdge[p] = Int32(i)
            if isBackward { edgeBackwardArc[i] = Int32(p) } else { edgeForwardArc[i] = Int32(p) }
        }
        byHead = []; cursor = []

        // Parallel arcs (same tail and head) sit in edge-row order; reorder by edge id.
        let ids = edges.ids
        for u in 0..<n {
            var a = Int(firstArc[u])
            let end = Int(firstArc[u + 1])
            while a < end {
                var b = a + 1
                while b < end && arcHead[b] == arcHead[a] { b += 1 }
                if b - a > 1 {
                    var run: [(id: Int64, backward: Bool, row: Int32, cost: Double)] = (a..<b).map { p in
                        let row = arcEdge[p]
                        return (ids[Int(row)], edgeBackwardArc[Int(row)] == Int32(p), row, arcCost[p])
                    }
                    run.sort { ($0.id, $0.backward ? 1 : 0) < ($1.id, $1.backward ? 1 : 0) }
                    for (k, arc) in run.enumerated() {
                        let p = a + k
                        arcEdge[p] = arc.row; arcCost[p] = arc.cost
                        if arc.backward { edgeBackwardArc[Int(arc.row)] = Int32(p) } else { edgeForwardArc[Int(arc.row)] = Int32(p) }
                    }
                }
                a = b
            }
        }
        return ForwardArcs(firstArc: firstArc, arcHead: arcHead, arcCost: arcCost, arcEdge: arcEdge,
                           edgeForwardArc: edgeForwardArc, edgeBackwardArc: edgeBackwardArc)
    }

    /// Reverse CSR by one counting sort of the forward arcs by head; scanning
    /// forward arcs in (tail, head, edge id) order leaves each bucket ordered by
    /// (tail, edge id).
    private static func buildReverse(n: Int, firstArc: [Int32], arcHead: [Int32], arcCost: [Double])
        -> (first: [Int32], tail: [Int32], cost: [Double], forward: [Int32]) {
        let arcTotal = arcHead.count
        var first = [Int32](repeating: 0, count: n + 1)
        for h in arcHead { first[Int(h) + 1] += 1 }
        for u in 0..<n { first[u + 1] += first[u] }
        var cursor = first
        var tail = [Int32](repeating: 0, count: arcTotal)
        var cost = [Double](repeating: 0, count: arcTotal)
        var forward = [Int32](repeating: 0, count: arcTotal)
        for u in 0..<n {
            for a in Int(firstArc[u])..<Int(firstArc[u + 1]) {
                let h = Int(arcHead[a])
                let p = Int(cursor[h]); cursor[h] += 1
                tail[p] = Int32(u); cost[p] = arcCost[a]; forward[p] = Int32(a)
            }
        }
        return (first, tail, cost, forward)
    }
}
