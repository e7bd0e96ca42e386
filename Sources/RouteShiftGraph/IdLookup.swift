/// External 64-bit id to dense 32-bit index.
///
/// Ids that are nearly contiguous (span below four times the number of
/// entries) use a direct array: one load per lookup and no hashing. Sparse ids
/// fall back to a hash map.
enum IdLookup: Sendable {
    case direct(base: Int64, slots: Column<Int32>)
    case hashed([Int64: Int32])

    @inline(__always)
    func index(of id: Int64) -> Int32? {
        switch self {
        case let .direct(base, slots):
            let (offset, overflow) = id.subtractingReportingOverflow(base)
            guard !overflow, offset >= 0, offset < Int64(slots.count) else { return nil }
            let index = slots[Int(offset)]
            return index >= 0 ? index : nil
        case let .hashed(map):
            return map[id]
        }
    }

    /// Whether ids spanning `low...high` with `entries` occurrences are dense
    /// enough for a direct array; returns the span if so.
    static func directSpan(low: Int64, high: Int64, entries: Int) -> Int? {
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, span >= 0, span < Int64(Int32.max),
              span < 4 * Int64(entries) + 1024 else { return nil }
        return Int(span) + 1
    }

    /// Index of each id by position, rejecting duplicates.
    /// - Complexity: O(n) (direct) or O(n) expected (hashed).
    static func unique(_ ids: [Int64]) throws -> IdLookup {
        guard let low = ids.min(), let high = ids.max() else { return .direct(base: 0, slots: []) }
        if let span = directSpan(low: low, high: high, entries: ids.count) {
            var slots = [Int32](repeating: -1, count: span)
            for i in 0..<ids.count {
                let offset = Int(ids[i] - low)
                guard slots[offset] < 0 else { throw GraphError.duplicateEdgeId(ids[i]) }
                slots[offset] = Int32(i)
            }
            return .direct(base: low, slots: Column(slots))
        }
        var map = [Int64: Int32](minimumCapacity: ids.count)
        for i in 0..<ids.count {
            guard map.updateValue(Int32(i), forKey: ids[i]) == nil else { throw GraphError.duplicateEdgeId(ids[i]) }
        }
        return .hashed(map)
    }

    /// Renumbers every stored index through `newIndex`.
    mutating func remap(_ newIndex: [Int32]) {
        switch self {
        case .direct(let base, var slots):
            self = .direct(base: 0, slots: [])
            for i in 0..<slots.count where slots[i] >= 0 { slots[i] = newIndex[Int(slots[i])] }
            self = .direct(base: base, slots: slots)
        case .hashed(var map):
            self = .hashed([:])
            for (key, value) in map { map[key] = newIndex[Int(value)] }
            self = .hashed(map)
        }
    }
}
