import CMemoryHints

/// One batch of edge rows as plain arrays.
struct EdgeRowBatch {
    var ids: [Int64], sources: [Int64], targets: [Int64], costs: [Double], reverseCosts: [Double]
    var count: Int { ids.count }
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

    /// Rows expected in all (an estimate, 0 if unknown): the columns are sized for
    /// them at the first batch.
    var expectedCount = 0

    init(nodeLookup: IdLookup?) { self.nodeLookup = nodeLookup }

    /// Sizes the columns the first batch starts for `expectedCount` rows.
    private mutating func reserveExpected(batch k: Int) {
        let n = Swift.max(expectedCount, k)
        guard n > k else { return }
        if nodeLookup != nil {
            sourceIndex.reserveCapacity(n); targetIndex.reserveCapacity(n)
            Self.hintHugePages(&sourceIndex); Self.hintHugePages(&targetIndex)
        } else {
            sourceIds.reserveCapacity(n); targetIds.reserveCapacity(n)
            Self.hintHugePages(&sourceIds); Self.hintHugePages(&targetIds)
        }
        if unitScale != nil { units.reserveCapacity(n); Self.hintHugePages(&units) }
    }

    /// `routeshift_huge_pages` for the capacity of an empty column just
    /// reserved (not yet written, so the hint applies from the first fault).
    private static func hintHugePages<T>(_ column: inout [T]) {
        let bytes = column.capacity * MemoryLayout<T>.stride
        guard column.isEmpty, bytes >= 2 << 20 else { return }
        column.withUnsafeMutableBufferPointer { routeshift_huge_pages($0.baseAddress, bytes) }
    }

    mutating func append(_ table: EdgeTable) throws {
        // The columns as arrays (no copy for a table built in memory): the loops below index them directly.
        let batch = EdgeRowBatch(ids: table.ids.array, sources: table.sources.array, targets: table.targets.array,
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
        if count == 0 { reserveExpected(batch: k) }
        appendIds(batch.ids)
        if case let .direct(base, slots)? = nodeLookup {
            // The common case, without a switch per id: both columns of the batch
            // looked up into plain buffers, then appended whole.
            let span = UInt64(slots.count)
            var known = true
            let (sources, targets) = slots.withUnsafeBufferPointer { slots -> ([Int32], [Int32]) in
                @inline(__always) func slot(_ id: Int64) -> Int32 {
                    let (offset, overflow) = id.subtractingReportingOverflow(base)
                    return !overflow && UInt64(bitPattern: offset) < span ? slots[Int(offset)] : -1
                }
                @inline(__always) func lookUp(_ ids: [Int64]) -> [Int32] {
                    [Int32](unsafeUninitializedCapacity: k) { out, initialized in
                        ids.withUnsafeBufferPointer { ids in
                            var smallest: Int32 = 0
                            let ahead = ArcLayout.prefetchDistance
                            for i in 0..<k {
                                // The slot of an id ahead: ids in file order are random over the nodes.
                                if i + ahead < k {
                                    let (offset, overflow) = ids[i + ahead].subtractingReportingOverflow(base)
                                    if !overflow && UInt64(bitPattern: offset) < span {
                                        routeshift_prefetch(slots.baseAddress! + Int(offset))
                                    }
                                }
                                let v = slot(ids[i])
                                out[i] = v
                                smallest = Swift.min(smallest, v)
                            }
                            if smallest < 0 { known = false }
                        }
                        initialized = k
                    }
                }
                return (lookUp(batch.sources), lookUp(batch.targets))
            }
            if known {
                sourceIndex.append(contentsOf: sources); targetIndex.append(contentsOf: targets)
            } else {
                // Unknown ids: recorded by the general path.
                for i in 0..<k {
                    sourceIndex.append(index(of: batch.sources[i], nodeLookup!))
                    targetIndex.append(index(of: batch.targets[i], nodeLookup!))
                }
            }
        } else if let nodeLookup {
            for i in 0..<k {
                sourceIndex.append(index(of: batch.sources[i], nodeLookup))
                targetIndex.append(index(of: batch.targets[i], nodeLookup))
            }
        } else if count == 0 && sourceIds.capacity < k {
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

    private mutating func appendReverse(_ batch: EdgeRowBatch) {
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
}
