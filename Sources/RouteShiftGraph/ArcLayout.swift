#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

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
            arcCosts = .decimal(units: [UInt32](unsafeUninitializedCapacity: arcTotal) { out, initialized in
                units.withUnsafeBufferPointer { unit in
                    edge.withUnsafeBufferPointer { edge in
                        nonisolated(unsafe) let out = out, unit = unit, edge = edge
                        DispatchQueue.concurrentPerform(iterations: threads) { t in
                            for p in Self.share(t, of: arcTotal, among: threads) { out[p] = unit[Int(edge[p])] }
                        }
                    }
                }
                initialized = arcTotal
            }, scale: EdgeAccumulator.powersOfTen[unitScale])
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
                            arcCosts = .decimal(units: [UInt32](unsafeUninitializedCapacity: arcTotal) { out, initialized in
                                for p in 0..<arcTotal { out[p] = UInt32((costOfArc(p) * scale).rounded()) }
                                initialized = arcTotal
                            }, scale: scale)
                        } else {
                            arcCosts = .exact([Double](unsafeUninitializedCapacity: arcTotal) { out, initialized in
                                for p in 0..<arcTotal { out[p] = costOfArc(p) }
                                initialized = arcTotal
                            })
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
