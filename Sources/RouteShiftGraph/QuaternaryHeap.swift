/// One heap slot: a key and a node index packed into one 128-bit integer,
/// the key's bits above the node's. Keys are never negative (nor NaN), and
/// for non-negative doubles the IEEE 754 bit patterns sort like the values,
/// so one unsigned 128-bit comparison orders entries by (key, node): no
/// branch for the tie-break, and the compiler can select children with
/// conditional moves instead of hard-to-predict jumps.
struct HeapEntry {
    var order: UInt128

    /// `key + 0` turns a -0 key into +0, whose bits sort first.
    @inline(__always)
    init(key: Double, node: Int32) {
        order = UInt128((key + 0).bitPattern) << 64 | UInt128(UInt32(bitPattern: node))
    }

    @inline(__always)
    var key: Double { Double(bitPattern: UInt64(truncatingIfNeeded: order >> 64)) }

    @inline(__always)
    var node: Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: order)) }
}

/// Everything a search keeps per node, in one 16-byte record so that
/// relaxing an arc touches one cache line of search state: the tentative
/// distance (`.infinity` until reached), the node's heap slot (-1 when not in
/// the heap) and the forward arc it was reached by (-1 for the root).
struct NodeLabel {
    var distance: Double
    var heapSlot: Int32
    var predecessor: Int32

    static let unreached = NodeLabel(distance: .infinity, heapSlot: -1, predecessor: -1)
}

/// An indexed 4-ary min-heap over node indices with decrease-key, a view over
/// storage owned by a `SearchSpace` so it is never re-allocated per query.
///
/// Ties between equal keys go to the smaller node index, so every search pops
/// nodes in the same order on every run (as OSRM's `QueryHeap` does). A 4-ary
/// layout halves the depth of a binary heap and keeps the children of a slot
/// in one cache line (see LaMarca & Ladner 1996).
///
/// Slots live in the nodes' `NodeLabel`s. The heap also lists every node it
/// reaches (`touched`) so the owner can reset exactly those labels before the
/// next search.
struct QuaternaryHeap {
    let entries: UnsafeMutablePointer<HeapEntry>
    let labels: UnsafeMutablePointer<NodeLabel>
    let touched: UnsafeMutablePointer<Int32>
    /// Capacity of `touched`; past it nodes are counted but not listed.
    let touchedCapacity: Int
    var count: Int = 0
    var touchedCount: Int = 0

    @inline(__always)
    static func precedes(_ a: HeapEntry, _ b: HeapEntry) -> Bool { a.order < b.order }

    @inline(__always)
    var isEmpty: Bool { count == 0 }

    @inline(__always)
    var minKey: Double { count > 0 ? entries[0].key : .infinity }

    @inline(__always)
    func contains(_ node: Int32) -> Bool { labels[Int(node)].heapSlot >= 0 }

    /// Labels an unreached node and inserts it.
    @inline(__always)
    mutating func reach(_ node: Int32, distance: Double, predecessor: Int32, key: Double) {
        labels[Int(node)].distance = distance
        labels[Int(node)].predecessor = predecessor
        if touchedCount < touchedCapacity { touched[touchedCount] = node }
        touchedCount += 1
        insert(node, key: key)
    }

    /// - Complexity: O(log₄ n).
    @inline(__always)
    mutating func insert(_ node: Int32, key: Double) {
        let slot = count
        count += 1
        siftUp(HeapEntry(key: key, node: node), from: slot)
    }

    /// Lowers the key of a node already in the heap.
    /// - Complexity: O(log₄ n).
    @inline(__always)
    mutating func decreaseKey(_ node: Int32, to key: Double) {
        siftUp(HeapEntry(key: key, node: node), from: Int(labels[Int(node)].heapSlot))
    }

    /// Removes and returns the entry with the smallest (key, node).
    /// - Complexity: O(4 log₄ n).
    @inline(__always)
    mutating func popMin() -> HeapEntry {
        let top = entries[0]
        labels[Int(top.node)].heapSlot = -1
        count -= 1
        if count > 0 { siftDown(entries[count], from: 0) }
        return top
    }

    @inline(__always)
    private func siftUp(_ entry: HeapEntry, from start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) >> 2
            let p = entries[parent]
            guard Self.precedes(entry, p) else { break }
            entries[i] = p
            labels[Int(p.node)].heapSlot = Int32(i)
            i = parent
        }
        entries[i] = entry
        labels[Int(entry.node)].heapSlot = Int32(i)
    }

    /// Moves `entry` down from `start`. A slot with all four children picks
    /// the smallest by a tournament of three comparisons whose results are
    /// used as values, not branches.
    @inline(__always)
    private func siftDown(_ entry: HeapEntry, from start: Int) {
        var i = start
        while true {
            let first = 4 * i + 1
            var best: Int
            var bestEntry: HeapEntry
            if first + 3 < count {
                let c0 = entries[first], c1 = entries[first + 1], c2 = entries[first + 2], c3 = entries[first + 3]
                let low01 = c1.order < c0.order, low23 = c3.order < c2.order
                let m01 = low01 ? c1 : c0, m23 = low23 ? c3 : c2
                let i01 = low01 ? first + 1 : first, i23 = low23 ? first + 3 : first + 2
                let low = m23.order < m01.order
                best = low ? i23 : i01
                bestEntry = low ? m23 : m01
            } else {
                if first >= count { break }
                best = first
                bestEntry = entries[first]
                var c = first + 1
                while c < count {
                    let e = entries[c]
                    if Self.precedes(e, bestEntry) { best = c; bestEntry = e }
                    c += 1
                }
            }
            guard Self.precedes(bestEntry, entry) else { break }
            entries[i] = bestEntry
            labels[Int(bestEntry.node)].heapSlot = Int32(i)
            i = best
        }
        entries[i] = entry
        labels[Int(entry.node)].heapSlot = Int32(i)
    }
}

/// Per-node search state for one search direction, allocated once per query
/// object and reset lazily: `begin()` restores only the labels the previous
/// search touched, so starting a search costs O(previously reached), not O(n).
/// A search that reaches more than an eighth of the graph is reset by
/// rewriting every label instead, which is as fast at that size and keeps the
/// touched list (and its memory) small.
final class SearchSpace {
    let nodeCount: Int
    let labels: UnsafeMutablePointer<NodeLabel>
    let heapEntries: UnsafeMutablePointer<HeapEntry>
    let touched: UnsafeMutablePointer<Int32>
    let touchedCapacity: Int
    /// Nodes reached by the last search, reset by `begin()`.
    private var touchedCount = 0

    init(nodeCount: Int) {
        self.nodeCount = nodeCount
        let capacity = max(nodeCount, 1)
        labels = .allocate(capacity: capacity)
        labels.initialize(repeating: .unreached, count: capacity)
        heapEntries = .allocate(capacity: capacity)
        touchedCapacity = max(capacity / 8, 1024)
        touched = .allocate(capacity: touchedCapacity)
    }

    deinit {
        labels.deallocate(); heapEntries.deallocate(); touched.deallocate()
    }

    /// Starts a new search and returns its empty heap.
    func begin() -> QuaternaryHeap {
        if touchedCount > touchedCapacity {
            labels.update(repeating: .unreached, count: max(nodeCount, 1))
        } else {
            for i in 0..<touchedCount { labels[Int(touched[i])] = .unreached }
        }
        touchedCount = 0
        return QuaternaryHeap(entries: heapEntries, labels: labels, touched: touched, touchedCapacity: touchedCapacity)
    }

    /// Records which nodes the search touched so the next `begin()` can reset them.
    @inline(__always)
    func end(_ heap: QuaternaryHeap) { touchedCount = heap.touchedCount }

    @inline(__always)
    func distance(_ v: Int32) -> Double { labels[Int(v)].distance }

    @inline(__always)
    func predecessor(_ v: Int32) -> Int32 { labels[Int(v)].predecessor }

    @inline(__always)
    func isReached(_ v: Int32) -> Bool { labels[Int(v)].distance < .infinity }

    /// Reached and popped: its distance is final (for Dijkstra-like searches).
    @inline(__always)
    func isSettled(_ v: Int32) -> Bool { labels[Int(v)].distance < .infinity && labels[Int(v)].heapSlot < 0 }
}
