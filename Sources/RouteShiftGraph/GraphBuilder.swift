#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

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
    /// - Throws: `GraphError` as `init(edges:coordinates:)`, and whatever
    ///   `edgeBatches` throws.
    /// - Complexity: O(n + m) time; extra memory beyond the graph is about
    ///   16 bytes per edge (coordinates given, one cost column).
    public init(coordinates: consuming NodeCoordinates? = nil,
                edgeBatches: (_ deliver: (EdgeTable) throws -> Void) throws -> Void) throws {
        var nodes: NodeTable?
        // Consumed, so the caller's columns can go once the nodes are ranked.
        if let given = consume coordinates { nodes = try NodeTable(coordinates: given) }
        var rows = EdgeAccumulator(nodeLookup: nodes?.error == nil ? nodes?.lookup : nil)
        try edgeBatches { batch in try rows.append(batch) }
        self = try rows.build(nodes: &nodes)
    }
}

/// One batch of edge rows as plain arrays.
struct EdgeColumns {
    var ids: [Int64], sources: [Int64], targets: [Int64], costs: [Double], reverseCosts: [Double]
    var count: Int { ids.count }
}

/// Nodes given with coordinates, ranked by external id and renumbered along the
/// Hilbert curve before any edge arrives, so edges can be stored by node index.
struct NodeTable {
    var lookup: IdLookup
    var ids: [Int64]
    var longitudes: [Double]
    var latitudes: [Double]
    /// A coordinate problem (mismatched columns, non-finite value), reported in
    /// the same order as for a table; the nodes are then unusable.
    var error: GraphError?
    /// The second mention of a node id, reported after edge-id problems.
    var duplicate: GraphError?

    /// `parallel` runs the independent passes side by side (default: for
    /// 65,536 nodes or more on a machine with several processors); the table
    /// does not depend on it.
    init(coordinates: NodeCoordinates, parallel: Bool? = nil) throws {
        lookup = .direct(base: 0, slots: [])
        ids = []; longitudes = []; latitudes = []
        for (name, count) in [("longitude", coordinates.longitudes.count), ("latitude", coordinates.latitudes.count)]
        where count != coordinates.count {
            error = GraphError.columnLengthMismatch(column: name, count: count, expected: coordinates.count)
            return
        }
        for i in 0..<coordinates.count
        where !coordinates.longitudes[i].isFinite || !coordinates.latitudes[i].isFinite {
            error = GraphError.invalidCoordinate(nodeId: coordinates.ids[i], longitude: coordinates.longitudes[i],
                                                 latitude: coordinates.latitudes[i])
            return
        }
        let n = coordinates.count
        guard n < Int(Int32.max) else { throw GraphError.tooLarge("\(n) nodes") }
        // Rank by external id: `rank[i]` for coordinate row i, ids ascending in `sorted`.
        var rank = [Int32](repeating: 0, count: n)
        var sorted: [Int64] = []
        sorted.reserveCapacity(n)
        if let low = coordinates.ids.min(), let high = coordinates.ids.max(),
           let span = IdLookup.directSpan(low: low, high: high, entries: n) {
            var slots = [Int32](repeating: -1, count: span)
            for i in 0..<n {
                let offset = Int(coordinates.ids[i] - low)
                if slots[offset] >= 0 {
                    if duplicate == nil { duplicate = .duplicateCoordinate(nodeId: coordinates.ids[i]) }
                } else {
                    slots[offset] = 0
                }
            }
            var next: Int32 = 0
            for offset in 0..<span where slots[offset] == 0 {
                slots[offset] = next
                sorted.append(low + Int64(offset))
                next += 1
            }
            for i in 0..<n { rank[i] = slots[Int(coordinates.ids[i] - low)] }
            lookup = .direct(base: low, slots: Column(slots))
        } else {
            var map = [Int64: Int32](minimumCapacity: n)
            for id in coordinates.ids {
                if map.updateValue(0, forKey: id) != nil, duplicate == nil { duplicate = .duplicateCoordinate(nodeId: id) }
            }
            sorted = map.keys.sorted()
            for (r, id) in sorted.enumerated() { map[id] = Int32(r) }
            for i in 0..<n { rank[i] = map[coordinates.ids[i]]! }
            lookup = .hashed(map)
        }
        if duplicate != nil { return }
        // Independent passes run as tasks side by side (each writes its own
        // array from start to end, so the threads never share a cache line).
        let parallel = parallel ?? (n >= ArcLayout.parallelGrain && ArcLayout.threads > 1)
        let ranks = rank
        rank = []
        nonisolated(unsafe) var lon: [Double] = [], lat: [Double] = []
        Self.tasks(2, parallel: parallel) { task in
            let column = task == 0 ? coordinates.longitudes : coordinates.latitudes
            var out = [Double](repeating: 0, count: n)
            for i in 0..<n { out[Int(ranks[i])] = column[i] }
            if task == 0 { lon = out } else { lat = out }
        }
        // Hilbert order, ties by external id (the radix sort is stable over rank order).
        let order = HilbertCurve.stableOrder(of: HilbertCurve.positions(longitudes: lon, latitudes: lat))
        nonisolated(unsafe) var remapped = lookup
        lookup = .direct(base: 0, slots: [])  // so `remapped` holds the only reference and remaps in place
        nonisolated(unsafe) var orderedIds: [Int64] = [], orderedLongitudes: [Double] = []
        nonisolated(unsafe) var orderedLatitudes: [Double] = []
        let byId = sorted, lonByRank = lon, latByRank = lat
        Self.tasks(4, parallel: parallel) { task in
            switch task {
            case 0:
                var newIndex = [Int32](repeating: 0, count: n)
                for i in 0..<n { newIndex[Int(order[i])] = Int32(i) }
                remapped.remap(newIndex)
            case 1: orderedIds = order.map { byId[Int($0)] }
            case 2: orderedLongitudes = order.map { lonByRank[Int($0)] }
            default: orderedLatitudes = order.map { latByRank[Int($0)] }
            }
        }
        lookup = remapped
        sorted = []; lon = []; lat = []
        ids = orderedIds
        longitudes = orderedLongitudes
        latitudes = orderedLatitudes
    }

    /// Runs `body(0..<count)` as tasks on the processors (in turn on this
    /// thread when not `parallel`).
    private static func tasks(_ count: Int, parallel: Bool, _ body: @Sendable (Int) -> Void) {
        if parallel { DispatchQueue.concurrentPerform(iterations: count, execute: body) } else { (0..<count).forEach(body) }
    }
}

/// Edge rows in compact columns, gathered batch by batch until the build.
struct EdgeAccumulator {
    /// Set when nodes (and so node indices) are known before the edges.
    let nodeLookup: IdLookup?
    var count = 0

    /// Endpoints as node indices (with `nodeLookup`), -1 for an unknown id.
    var sourceIndex: [Int32] = [], targetIndex: [Int32] = []
    /// Smallest endpoint id that `nodeLookup` does not know.
    var missingNode: Int64?
    /// Endpoints as external ids (without `nodeLookup`).
    var sourceIds: [Int64] = [], targetIds: [Int64] = []

    /// Costs as decimal units of `powersOfTen[unitScale]` while every cost so
    /// far is such a decimal and no reverse cost differs from its cost (half
    /// the memory of doubles); `UInt32.max` marks a negative cost (no arc).
    var units: [UInt32] = []
    var unitScale: Int? = 0
    /// Costs as doubles once `unitScale` is `nil`.
    var costs: [Double] = []
    var reverse: ReverseCosts = .sameAsCost
    /// First id when the ids so far are consecutive; `nil` once `ids` holds them.
    var firstId: Int64?
    var ids: [Int64] = []
    /// The largest cost so far and its edge: a path of n - 1 such arcs must
    /// still have a finite cost (see `build`).
    var largestCost = 0.0
    var largestCostEdge: Int64 = 0

    /// How the reverse costs are kept.
    enum ReverseCosts {
        /// Bit for bit equal to `costs` (undirected rows).
        case sameAsCost
        /// All negative: no row has a target→source arc.
        case none
        case listed([Double])
    }

    init(nodeLookup: IdLookup?) { self.nodeLookup = nodeLookup }

    mutating func append(_ table: EdgeTable) throws {
        // The columns as arrays (no copy for a table built in memory): the loops below index them directly.
        let batch = EdgeColumns(ids: table.ids.array, sources: table.sources.array, targets: table.targets.array,
                                costs: table.costs.array, reverseCosts: table.reverseCosts.array)
        let k = batch.count
        for (name, c) in [("source", batch.sources.count), ("target", batch.targets.count),
                          ("cost", batch.costs.count), ("reverse_cost", batch.reverseCosts.count)]
        where c != k {
            throw GraphError.columnLengthMismatch(column: name, count: c, expected: k)
        }
        for i in 0..<k {
            let c = batch.costs[i], r = batch.reverseCosts[i]
            if !c.isFinite { throw GraphError.nonFiniteCost(edgeId: batch.ids[i], column: "cost", value: c) }
            if !r.isFinite { throw GraphError.nonFiniteCost(edgeId: batch.ids[i], column: "reverse_cost", value: r) }
            if Swift.max(c, r) > largestCost { largestCost = Swift.max(c, r); largestCostEdge = batch.ids[i] }
        }
        guard k > 0 else { return }
        appendIds(batch.ids)
        if case let .direct(base, slots)? = nodeLookup {
            // The common case, without a switch per id.
            let span = UInt64(slots.count)
            slots.withUnsafeBufferPointer { slots in
                @inline(__always) func slot(_ id: Int64) -> Int32 {
                    let (offset, overflow) = id.subtractingReportingOverflow(base)
                    return !overflow && UInt64(bitPattern: offset) < span ? slots[Int(offset)] : -1
                }
                for i in 0..<k {
                    let si = slot(batch.sources[i]), ti = slot(batch.targets[i])
                    if si < 0 || ti < 0 {
                        // Unknown ids: recorded by the general path.
                        sourceIndex.append(index(of: batch.sources[i], nodeLookup!))
                        targetIndex.append(index(of: batch.targets[i], nodeLookup!))
                    } else {
                        sourceIndex.append(si); targetIndex.append(ti)
                    }
                }
            }
        } else if let nodeLookup {
            for i in 0..<k {
                sourceIndex.append(index(of: batch.sources[i], nodeLookup))
                targetIndex.append(index(of: batch.targets[i], nodeLookup))
            }
        } else if count == 0 {
            sourceIds = batch.sources; targetIds = batch.targets
        } else {
            sourceIds.append(contentsOf: batch.sources); targetIds.append(contentsOf: batch.targets)
        }
        appendReverse(batch)
        if unitScale != nil {
            appendUnits(batch.costs)
        } else if count == 0 {
            costs = batch.costs
        } else {
            costs.append(contentsOf: batch.costs)
        }
        count += k
    }

    @inline(__always)
    private mutating func index(of id: Int64, _ lookup: IdLookup) -> Int32 {
        if let index = lookup.index(of: id) { return index }
        missingNode = min(missingNode ?? id, id)
        return -1
    }

    private mutating func appendIds(_ batch: [Int64]) {
        if count == 0 { firstId = batch[0] }
        if let first = firstId {
            var consecutive = true
            for i in 0..<batch.count {
                let (expected, overflow) = first.addingReportingOverflow(Int64(count + i))
                if overflow || batch[i] != expected { consecutive = false; break }
            }
            if consecutive { return }
            ids = (0..<count).map { first + Int64($0) }
            firstId = nil
        }
        if ids.isEmpty { ids = batch } else { ids.append(contentsOf: batch) }
    }

    static let powersOfTen: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

    /// Whether `c` is `Double(m) / scale` bit for bit for an integer `m`
    /// below `UInt32.max` (so -0.0, which an integer cannot carry, is not).
    @inline(__always)
    static func isDecimal(_ c: Double, scale: Double, limit: Double = Double(UInt32.max - 1)) -> Bool {
        let m = (c * scale).rounded()
        return m >= 0 && m <= limit && (Double(UInt32(m)) / scale).bitPattern == c.bitPattern
    }

    /// Appends costs as units, raising the scale when a cost needs more
    /// decimals (`10m / 10^(k+1)` is the same real as `m / 10^k`, so the
    /// rows already stored stay exact); falls back to doubles for good when
    /// a cost is no such decimal or the units would overflow.
    private mutating func appendUnits(_ batch: [Double]) {
        var k = unitScale!
        var i = 0
        while i < batch.count {
            let c = batch[i]
            if c < 0 { units.append(.max); i += 1; continue }
            if Self.isDecimal(c, scale: Self.powersOfTen[k]) {
                units.append(UInt32((c * Self.powersOfTen[k]).rounded()))
                i += 1
                continue
            }
            if k + 1 < Self.powersOfTen.count && units.allSatisfy({ $0 == .max || $0 <= (UInt32.max - 1) / 10 }) {
                for j in units.indices where units[j] != .max { units[j] *= 10 }
                k += 1
                continue
            }
            unitScale = k
            units.removeLast(units.count - count)
            leaveUnits()
            costs.append(contentsOf: batch)
            return
        }
        unitScale = k
    }

    /// Turns the units back into the doubles they stand for.
    private mutating func leaveUnits() {
        guard let k = unitScale else { return }
        let scale = Self.powersOfTen[k]
        costs = units.map { $0 == .max ? -1 : Double($0) / scale }
        units = []
        unitScale = nil
    }

    private mutating func appendReverse(_ batch: EdgeColumns) {
        let k = batch.count
        if count == 0 {
            if (0..<k).allSatisfy({ batch.reverseCosts[$0].bitPattern == batch.costs[$0].bitPattern }) {
                reverse = .sameAsCost
            } else if batch.reverseCosts.allSatisfy({ $0 < 0 }) {
                reverse = .none
            } else {
                reverse = .listed(batch.reverseCosts)
                leaveUnits()
            }
            return
        }
        switch reverse {
        case .sameAsCost:
            if (0..<k).allSatisfy({ batch.reverseCosts[$0].bitPattern == batch.costs[$0].bitPattern }) { return }
            leaveUnits()
            reverse = .listed(costs + batch.reverseCosts)
        case .none:
            if batch.reverseCosts.allSatisfy({ $0 < 0 }) { return }
            reverse = .listed([Double](repeating: -1, count: count) + batch.reverseCosts)
        case .listed(var list):
            reverse = .none
            list.append(contentsOf: batch.reverseCosts)
            reverse = .listed(list)
        }
    }

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
            (nodeLookup, nodeIds) = Self.rankNodes(sourceIds, targetIds)
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
        return RoutingGraph(firstArc: Column(layout.firstArc), arcHead: Column(layout.arcHead), arcCosts: layout.arcCosts,
                            arcEdge: Column(layout.arcEdge), arcBackwardBits: Column(layout.backwardBits),
                            nodeIds: nodeIdColumn, edgeRows: edgeRows, longitudes: longitudes.map(Column.init),
                            latitudes: latitudes.map(Column.init), nodeLookup: nodeLookup,
                            isSymmetric: symmetric)
    }

    /// Distinct endpoint ids in ascending order and a lookup to their rank.
    private static func rankNodes(_ sources: [Int64], _ targets: [Int64]) -> (IdLookup, [Int64]) {
        let entries = sources.count + targets.count
        guard entries > 0 else { return (.direct(base: 0, slots: []), []) }
        var low = Int64.max, high = Int64.min
        for column in [sources, targets] {
            for id in column { low = min(low, id); high = max(high, id) }
        }
        if let span = IdLookup.directSpan(low: low, high: high, entries: entries) {
            var slots = [Int32](repeating: -1, count: span)
            for column in [sources, targets] {
                for id in column { slots[Int(id - low)] = 0 }
            }
            var sorted: [Int64] = []
            var rank: Int32 = 0
            for offset in 0..<span where slots[offset] == 0 {
                slots[offset] = rank
                sorted.append(low + Int64(offset))
                rank += 1
            }
            return (.direct(base: low, slots: Column(slots)), sorted)
        }
        var map = [Int64: Int32](minimumCapacity: entries / 2)
        for column in [sources, targets] {
            for id in column { map[id] = 0 }
        }
        let sorted = map.keys.sorted()
        for (rank, id) in sorted.enumerated() { map[id] = Int32(rank) }
        return (.hashed(map), sorted)
    }
}

/// The forward arcs laid out from compact rows.
///
/// One counting sort by tail places each arc (head, row, direction) in row
/// order within its node; each node's arcs are then sorted by (head, edge id,
/// direction); last, costs are gathered into arc order. The endpoint columns
/// are released before the cost array is allocated, so the peak is the graph
/// plus one cost column.
struct ArcLayout {
    var firstArc: [Int32] = []
    var arcHead: [Int32] = []
    var arcEdge: [Int32] = []
    var arcCosts: ArcCosts = .exact([])
    var backwardBits: [UInt64] = []

    init(nodeCount n: Int, rows: inout EdgeAccumulator, edgeRows: EdgeRows, threads: Int) {
        let m = rows.count
        let hasBackward: Bool, reverseListed: [Double]
        switch rows.reverse {
        case .sameAsCost: hasBackward = true; reverseListed = []
        case .none: hasBackward = false; reverseListed = []
        case .listed(let list): hasBackward = true; reverseListed = list
        }
        let costs = rows.costs, units = rows.units, unitScale = rows.unitScale
        rows.costs = []; rows.units = []; rows.reverse = .none
        // With units the reverse costs are never listed: backward arcs mirror forward ones.
        let useUnits = unitScale != nil

        // Rows are cut into one slice per thread; each thread counts and then
        // places its slice's arcs, behind those of the slices before it at
        // every node, so the layout is the one-thread layout. The direction
        // rides in bit 30 of the arc's row (rows are below 2^30) until the
        // bits are packed, so no two threads write the same word.
        let threads = max(1, threads)
        var cursors = (0..<threads).map { _ in [Int32](repeating: 0, count: n + 1) }
        let counts = cursors.withUnsafeMutableBufferPointer { cursors -> [Int] in
            nonisolated(unsafe) let output = cursors
            let rows = rows
            var totals = [Int](repeating: 0, count: threads)
            totals.withUnsafeMutableBufferPointer { totalsBuffer in
                nonisolated(unsafe) let totals = totalsBuffer
                DispatchQueue.concurrentPerform(iterations: threads) { t in
                    output[t].withUnsafeMutableBufferPointer { count in
                        Self.withColumns(costs, units, reverseListed, rows.sourceIndex, rows.targetIndex) { cost, unit, reverse, source, target in
                            var total = 0
                            for i in Self.share(t, of: m, among: threads) {
                                let forward = useUnits ? unit[i] != .max : cost[i] >= 0
                                if forward { count[Int(source[i])] += 1; total += 1 }
                                if hasBackward && (reverse.isEmpty ? forward : reverse[i] >= 0) {
                                    count[Int(target[i])] += 1; total += 1
                                }
                            }
                            totals[t] = total
                        }
                    }
                }
            }
            return totals
        }
        let arcTotal = counts.reduce(0, +)
        // Each thread's count becomes its cursor: where its next arc at each node goes.
        var running: Int32 = 0
        for u in 0...n {
            for t in 0..<threads {
                let k = cursors[t][u]
                cursors[t][u] = running
                running += k
            }
        }

        var head = [Int32](repeating: 0, count: arcTotal)
        var edge = [Int32](repeating: 0, count: arcTotal)
        head.withUnsafeMutableBufferPointer { head in
            edge.withUnsafeMutableBufferPointer { edge in
                cursors.withUnsafeMutableBufferPointer { cursors in
                    nonisolated(unsafe) let head = head, edge = edge, cursors = cursors
                    let rows = rows
                    DispatchQueue.concurrentPerform(iterations: threads) { t in
                        cursors[t].withUnsafeMutableBufferPointer { cursor in
                            Self.withColumns(costs, units, reverseListed, rows.sourceIndex, rows.targetIndex) { cost, unit, reverse, source, target in
                                for i in Self.share(t, of: m, among: threads) {
                                    let s = Int(source[i]), t = Int(target[i])
                                    let forward = useUnits ? unit[i] != .max : cost[i] >= 0
                                    if forward {
                                        let p = Int(cursor[s]); cursor[s] += 1
                                        head[p] = Int32(t); edge[p] = Int32(i)
                                    }
                                    if hasBackward && (reverse.isEmpty ? forward : reverse[i] >= 0) {
                                        let p = Int(cursor[t]); cursor[t] += 1
                                        head[p] = Int32(s); edge[p] = Int32(i) | Self.backwardFlag
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        rows.sourceIndex = []; rows.targetIndex = []
        // The last thread's cursors now stand at the end of each node's arcs.
        var first = cursors.removeLast()
        cursors = []
        for u in stride(from: n, to: 0, by: -1) { first[u] = first[u - 1] }
        first[0] = 0

        Self.sortEachNode(first: first, head: &head, edge: &edge, edgeRows: edgeRows, threads: threads)
        let bits = Self.packDirections(&edge, threads: threads)

        if let unitScale {
            // Units are gathered as they are; a backward arc's cost is its row's cost.
            arcCosts = .decimal(units: Column([UInt32](unsafeUninitializedCapacity: arcTotal) { out, initialized in
                units.withUnsafeBufferPointer { unit in
                    edge.withUnsafeBufferPointer { edge in
                        nonisolated(unsafe) let out = out, unit = unit, edge = edge
                        DispatchQueue.concurrentPerform(iterations: threads) { t in
                            for p in Self.share(t, of: arcTotal, among: threads) { out[p] = unit[Int(edge[p])] }
                        }
                    }
                }
                initialized = arcTotal
            }), scale: EdgeAccumulator.powersOfTen[unitScale])
            firstArc = first; arcHead = head; arcEdge = edge; backwardBits = bits
            return
        }
        let scale = Self.decimalScale(costs, reverseListed, hasBackward: hasBackward)
        costs.withUnsafeBufferPointer { cost in
            reverseListed.withUnsafeBufferPointer { reverse in
                edge.withUnsafeBufferPointer { edge in
                    bits.withUnsafeBufferPointer { bits in
                        @inline(__always) func costOfArc(_ p: Int) -> Double {
                            let r = Int(edge[p])
                            let backward = bits[p >> 6] & (1 << UInt64(p & 63)) != 0
                            return backward && !reverse.isEmpty ? reverse[r] : cost[r]
                        }
                        if let scale {
                            arcCosts = .decimal(units: Column([UInt32](unsafeUninitializedCapacity: arcTotal) { out, initialized in
                                for p in 0..<arcTotal { out[p] = UInt32((costOfArc(p) * scale).rounded()) }
                                initialized = arcTotal
                            }), scale: scale)
                        } else {
                            arcCosts = .exact(Column([Double](unsafeUninitializedCapacity: arcTotal) { out, initialized in
                                for p in 0..<arcTotal { out[p] = costOfArc(p) }
                                initialized = arcTotal
                            }))
                        }
                    }
                }
            }
        }
        firstArc = first; arcHead = head; arcEdge = edge; backwardBits = bits
    }

    /// The smallest power of ten `scale` (up to 10^9) such that every arc cost
    /// `c` is `Double(m) / scale` bit for bit with `m = (c * scale).rounded()`
    /// an unsigned 32-bit integer (arc costs are not negative); `nil` when
    /// there is none.
    ///
    /// Raising the scale keeps earlier costs exact: `10m / 10^(k+1)` is the
    /// same real number as `m / 10^k`, and a correctly rounded division of
    /// exact operands gives the same double. So one pass suffices, raising
    /// the scale when a cost needs it and checking the range at the end.
    static func decimalScale(_ costs: [Double], _ reverse: [Double], hasBackward: Bool) -> Double? {
        let powers = EdgeAccumulator.powersOfTen
        var k = 0
        var largest = 0.0
        @inline(__always) func fits(_ c: Double, _ scale: Double) -> Bool {
            EdgeAccumulator.isDecimal(c, scale: scale, limit: Double(UInt32.max))
        }
        for column in [costs, hasBackward ? reverse : []] {
            for c in column where c >= 0 {
                largest = max(largest, c)
                while !fits(c, powers[k]) {
                    k += 1
                    if k == powers.count { return nil }
                }
            }
        }
        return (largest * powers[k]).rounded() <= Double(UInt32.max) ? powers[k] : nil
    }

    /// Marks a backward arc in its `edge` entry until `packDirections`.
    static let backwardFlag: Int32 = 1 << 30

    /// Threads for the layout: one per processor.
    static let threads: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Items (rows, nodes) worth a thread of their own: smaller passes run
    /// on the calling thread, and the layout gives each thread at least this many rows.
    static let parallelGrain = 65_536

    /// Thread `t`'s part of `0..<count` when `threads` share it evenly.
    @inline(__always)
    static func share(_ t: Int, of count: Int, among threads: Int) -> Range<Int> {
        (count * t / threads)..<(count * (t + 1) / threads)
    }

    /// Calls `body` with the buffers of five columns.
    @inline(__always)
    private static func withColumns<R>(
        _ costs: [Double], _ units: [UInt32], _ reverse: [Double], _ source: [Int32], _ target: [Int32],
        _ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<UInt32>, UnsafeBufferPointer<Double>,
                 UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Int32>) -> R
    ) -> R {
        costs.withUnsafeBufferPointer { c in
            units.withUnsafeBufferPointer { u in
                reverse.withUnsafeBufferPointer { r in
                    source.withUnsafeBufferPointer { s in
                        target.withUnsafeBufferPointer { t in body(c, u, r, s, t) }
                    }
                }
            }
        }
    }

    /// Takes the direction flags out of `edge` into one bit per arc.
    private static func packDirections(_ edge: inout [Int32], threads: Int) -> [UInt64] {
        let arcTotal = edge.count
        let words = (arcTotal + 63) / 64
        var bits = [UInt64](repeating: 0, count: words)
        bits.withUnsafeMutableBufferPointer { bits in
            edge.withUnsafeMutableBufferPointer { edge in
                nonisolated(unsafe) let bits = bits, edge = edge
                DispatchQueue.concurrentPerform(iterations: threads) { t in
                    for w in share(t, of: words, among: threads) {
                        var word: UInt64 = 0
                        for p in (w * 64)..<min(arcTotal, w * 64 + 64) where edge[p] & backwardFlag != 0 {
                            word |= 1 << UInt64(p & 63)
                            edge[p] &= ~backwardFlag
                        }
                        bits[w] = word
                    }
                }
            }
        }
        return bits
    }

    /// Orders each node's arcs by (head, edge id, forward before backward).
    /// Arcs arrive in row order, forward before backward within a row, so when
    /// ids ascend with the row a stable sort by head is enough; nodes have few
    /// arcs, so insertion sort, with a general sort for the rare long lists.
    /// `edge` still carries the direction flags; nodes are split among threads.
    private static func sortEachNode(first: [Int32], head: inout [Int32], edge: inout [Int32],
                                     edgeRows: EdgeRows, threads: Int) {
        var ascending = true
        if case let .listed(ids, _) = edgeRows {
            ascending = zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 }
        }
        let idsAscend = ascending
        let n = first.count - 1
        head.withUnsafeMutableBufferPointer { head in
            edge.withUnsafeMutableBufferPointer { edge in
                first.withUnsafeBufferPointer { first in
                    nonisolated(unsafe) let head = head, edge = edge, first = first
                    DispatchQueue.concurrentPerform(iterations: threads) { t in
                        for u in share(t, of: n, among: threads) {
                            let a = Int(first[u]), b = Int(first[u + 1])
                            guard b - a > 1 else { continue }
                            if idsAscend && b - a <= 32 {
                                // Stable insertion sort on head.
                                var i = a + 1
                                while i < b {
                                    let h = head[i], e = edge[i]
                                    var j = i
                                    while j > a && head[j - 1] > h {
                                        head[j] = head[j - 1]; edge[j] = edge[j - 1]
                                        j -= 1
                                    }
                                    if j != i { head[j] = h; edge[j] = e }
                                    i += 1
                                }
                                continue
                            }
                            var run: [(head: Int32, id: Int64, backward: Bool, row: Int32)] = (a..<b).map { p in
                                let row = edge[p] & ~backwardFlag
                                return (head[p], edgeRows.id(ofRow: row), edge[p] & backwardFlag != 0, edge[p])
                            }
                            run.sort { ($0.head, $0.id, $0.backward ? 1 : 0) < ($1.head, $1.id, $1.backward ? 1 : 0) }
                            for (k, arc) in run.enumerated() {
                                head[a + k] = arc.head; edge[a + k] = arc.row
                            }
                        }
                    }
                }
            }
        }
    }
}
