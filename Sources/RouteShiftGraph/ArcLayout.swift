#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CMemoryHints
import Dispatch

/// The forward arcs laid out from compact rows.
///
/// One counting sort by tail places each arc (head, row, direction) in row
/// order within its node, packed in one 64-bit word (head in the high half,
/// row·2 + direction in the low half: one scattered write per arc instead of
/// one per column); each node's arcs are then sorted by (head, edge id,
/// direction), which for ids ascending with the row is the packed word's own
/// order; the words are then split into the head, row and direction columns,
/// the heads compacted into the words' own memory; last, costs are gathered
/// into arc order. The endpoint columns are released before the cost array is
/// allocated, so the peak is the graph plus one cost column.
struct ArcLayout {
    var firstArc: [Int32] = []
    var arcHead = Column<Int32>([])
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
                            let slice = Self.share(t, of: m, among: threads)
                            for i in slice {
                                // The counters of rows ahead, so the increments below hit the cache.
                                if i + Self.prefetchDistance < slice.upperBound {
                                    routeshift_prefetch_write(count.baseAddress! + Int(source[i + Self.prefetchDistance]))
                                    routeshift_prefetch_write(count.baseAddress! + Int(target[i + Self.prefetchDistance]))
                                }
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

        let packed = PackedArcs(count: arcTotal)
        cursors.withUnsafeMutableBufferPointer { cursors in
            nonisolated(unsafe) let words = packed.words, cursors = cursors
            let rows = rows
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                cursors[t].withUnsafeMutableBufferPointer { cursor in
                    Self.withColumns(costs, units, reverseListed, rows.sourceIndex, rows.targetIndex) { cost, unit, reverse, source, target in
                        let slice = Self.share(t, of: m, among: threads)
                        let far = Self.prefetchDistance, near = Self.prefetchDistance / 2
                        for i in slice {
                            // Two stages ahead: the cursors of the row `far` ahead, then the arc
                            // slots those cursors (now cached) point at for the row `near` ahead.
                            if i + far < slice.upperBound {
                                routeshift_prefetch_write(cursor.baseAddress! + Int(source[i + far]))
                                routeshift_prefetch_write(cursor.baseAddress! + Int(target[i + far]))
                            }
                            if i + near < slice.upperBound {
                                routeshift_prefetch_write(words.baseAddress! + Int(cursor[Int(source[i + near])]))
                                routeshift_prefetch_write(words.baseAddress! + Int(cursor[Int(target[i + near])]))
                            }
                            let s = Int(source[i]), t = Int(target[i])
                            let forward = useUnits ? unit[i] != .max : cost[i] >= 0
                            let row = UInt64(i) << 1
                            if forward {
                                let p = Int(cursor[s]); cursor[s] += 1
                                words[p] = UInt64(UInt32(t)) << 32 | row
                            }
                            if hasBackward && (reverse.isEmpty ? forward : reverse[i] >= 0) {
                                let p = Int(cursor[t]); cursor[t] += 1
                                words[p] = UInt64(UInt32(s)) << 32 | row | 1
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

        Self.sortEachNode(first: first, packed: packed, edgeRows: edgeRows, threads: threads)
        let (edge, bits) = Self.unpack(packed, threads: threads)
        let head = packed.compactHeads()

        if let unitScale {
            // Units are gathered as they are; a backward arc's cost is its row's cost.
            arcCosts = .decimal(units: Column([UInt32](unsafeUninitializedCapacity: arcTotal) { out, initialized in
                routeshift_huge_pages(out.baseAddress, arcTotal * 4)
                units.withUnsafeBufferPointer { unit in
                    edge.withUnsafeBufferPointer { edge in
                        nonisolated(unsafe) let out = out, unit = unit, edge = edge
                        DispatchQueue.concurrentPerform(iterations: threads) { t in
                            let slice = Self.share(t, of: arcTotal, among: threads)
                            for p in slice {
                                if p + Self.prefetchDistance < slice.upperBound {
                                    routeshift_prefetch(unit.baseAddress! + Int(edge[p + Self.prefetchDistance]))
                                }
                                out[p] = unit[Int(edge[p])]
                            }
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

    /// Rows (or arcs) ahead that the layout's scattered reads and writes are
    /// prefetched: the counters, cursors and arc slots of rows in file order
    /// are random over the nodes, so without a hint each is a cache miss the
    /// loop waits for. A hint only: the layout does not depend on it.
    static let prefetchDistance = 16

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

    /// Splits the sorted words into the row column and the direction bits (one
    /// per arc); the heads stay in the words for `compactHeads`.
    private static func unpack(_ packed: PackedArcs, threads: Int) -> (edge: [Int32], bits: [UInt64]) {
        let arcTotal = packed.count
        let words = (arcTotal + 63) / 64
        var bits = [UInt64](repeating: 0, count: words)
        let edge = [Int32](unsafeUninitializedCapacity: arcTotal) { edge, initialized in
            routeshift_huge_pages(edge.baseAddress, arcTotal * 4)
            bits.withUnsafeMutableBufferPointer { bits in
                nonisolated(unsafe) let bits = bits, edge = edge, arcs = packed.words
                DispatchQueue.concurrentPerform(iterations: threads) { t in
                    for w in share(t, of: words, among: threads) {
                        var word: UInt64 = 0
                        for p in (w * 64)..<min(arcTotal, w * 64 + 64) {
                            let v = arcs[p]
                            word |= (v & 1) << UInt64(p & 63)
                            edge[p] = Int32(truncatingIfNeeded: (v & 0xFFFF_FFFF) >> 1)
                        }
                        bits[w] = word
                    }
                }
            }
            initialized = arcTotal
        }
        return (edge, bits)
    }

    /// Orders each node's arcs by (head, edge id, forward before backward).
    /// When ids ascend with the row that is the order of the packed words
    /// (head, row, direction); nodes have few arcs, so insertion sort, with a
    /// general sort for the rare long lists. Nodes are split among threads.
    private static func sortEachNode(first: [Int32], packed: PackedArcs, edgeRows: EdgeRows, threads: Int) {
        var ascending = true
        if case let .listed(ids, _) = edgeRows {
            ascending = zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 }
        }
        let idsAscend = ascending
        let n = first.count - 1
        first.withUnsafeBufferPointer { first in
            nonisolated(unsafe) let arcs = packed.words, first = first
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                for u in share(t, of: n, among: threads) {
                    let a = Int(first[u]), b = Int(first[u + 1])
                    guard b - a > 1 else { continue }
                    if idsAscend {
                        if b - a <= 32 {
                            var i = a + 1
                            while i < b {
                                let v = arcs[i]
                                var j = i
                                while j > a && arcs[j - 1] > v {
                                    arcs[j] = arcs[j - 1]
                                    j -= 1
                                }
                                if j != i { arcs[j] = v }
                                i += 1
                            }
                        } else {
                            var run = UnsafeMutableBufferPointer(rebasing: arcs[a..<b])
                            run.sort()
                        }
                        continue
                    }
                    var run: [(head: UInt64, id: Int64, word: UInt64)] = (a..<b).map { p in
                        let v = arcs[p]
                        return (v >> 32, edgeRows.id(ofRow: Int32(truncatingIfNeeded: (v & 0xFFFF_FFFF) >> 1)), v)
                    }
                    run.sort { ($0.head, $0.id, $0.word & 1) < ($1.head, $1.id, $1.word & 1) }
                    for (k, arc) in run.enumerated() { arcs[a + k] = arc.word }
                }
            }
        }
    }
}

/// The arcs of a layout as 64-bit words (head << 32 | row << 1 | backward), in
/// memory of its own that becomes the head column: `compactHeads` moves each
/// word's head to the front, shrinks the allocation to them, and hands it to a
/// column that frees it when the last copy goes.
final class PackedArcs: @unchecked Sendable {
    let count: Int
    private(set) var words: UnsafeMutableBufferPointer<UInt64>
    private var memory: UnsafeMutableRawPointer?

    /// Room for `count` words, not initialized (the layout writes each once).
    init(count: Int) {
        self.count = count
        memory = malloc(max(1, count) * 8)
        precondition(memory != nil, "out of memory laying out \(count) arcs")
        routeshift_huge_pages(memory, count * 8)  // written at random by the layout
        words = UnsafeMutableBufferPointer(start: memory!.bindMemory(to: UInt64.self, capacity: count), count: count)
    }

    /// The heads, in place of the words (which are gone after this call).
    /// Head p is stored at byte 4p while word p is read at byte 8p, so in one
    /// forward pass no word is overwritten before it is read.
    func compactHeads() -> Column<Int32> {
        guard let base = memory else { return Column([]) }
        memory = nil
        words = UnsafeMutableBufferPointer(start: nil, count: 0)
        for p in 0..<count {
            let head = UInt32(truncatingIfNeeded: base.load(fromByteOffset: 8 * p, as: UInt64.self) >> 32)
            base.storeBytes(of: head, toByteOffset: 4 * p, as: UInt32.self)
        }
        let shrunk = realloc(base, max(1, count) * 4) ?? base
        let heads = shrunk.bindMemory(to: Int32.self, capacity: count)
        return Column(unsafeRegion: UnsafeBufferPointer(start: heads, count: count), owner: HeapBlock(shrunk))
    }

    deinit { free(memory) }
}

/// Memory from `malloc`, freed with the last reference.
final class HeapBlock: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    init(_ base: UnsafeMutableRawPointer) { self.base = base }
    deinit { free(base) }
}
