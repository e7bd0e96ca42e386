import Dispatch

// Node numbering, the first stage of a graph build: with coordinates, nodes are
// ranked by external id and renumbered along the Hilbert curve before any edge
// arrives (`NodeTable`); without, the endpoints of all rows are ranked by
// external id once the rows are in (`NodeTable.rankEndpoints`).

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
            // `ranks` is a permutation (no duplicate got here), so every slot is written once: no zero-fill first.
            let out = [Double](unsafeUninitializedCapacity: n) { out, initialized in
                column.withUnsafeBufferPointer { column in
                    ranks.withUnsafeBufferPointer { ranks in
                        for i in 0..<n { out[Int(ranks[i])] = column[i] }
                    }
                }
                initialized = n
            }
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
                // `order` is a permutation: every slot is written once.
                let newIndex = [Int32](unsafeUninitializedCapacity: n) { out, initialized in
                    order.withUnsafeBufferPointer { order in
                        for i in 0..<n { out[Int(order[i])] = Int32(i) }
                    }
                    initialized = n
                }
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

extension NodeTable {
    /// Distinct endpoint ids in ascending order and a lookup to their rank.
    static func rankEndpoints(_ sources: [Int64], _ targets: [Int64]) -> (IdLookup, [Int64]) {
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
