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
        assert(key >= 0, "heap keys must be neither negative nor NaN")
        order = UInt128((key + 0).bitPattern) << 64 | UInt128(UInt32(bitPattern: node))
    }

    @inline(__always)
    var key: Double { Double(bitPattern: UInt64(truncatingIfNeeded: order >> 64)) }

    @inline(__always)
    var node: Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: order)) }
}

/// An indexed 4-ary min-heap over node indices with decrease-key, a view over
/// storage owned by a `SearchSpace` so it is never re-allocated per query.
///
/// Ties between equal keys go to the smaller node index, so every search pops
/// nodes in the same order on every run (as OSRM's `QueryHeap` does). A 4-ary
/// layout halves the depth of a binary heap and keeps the children of a slot
/// in one cache line (see LaMarca & Ladner 1996).
///
/// Each node's slot is kept in the search space's `heapSlots` (-1 when not
/// in the heap). The heap also lists every node it reaches (`touched`) so the
/// owner can reset exactly those nodes before the next search.
struct QuaternaryHeap {
    let entries: UnsafeMutablePointer<HeapEntry>
    let distances: UnsafeMutablePointer<Double>
    let predecessors: UnsafeMutablePointer<Int32>
    let heapSlots: UnsafeMutablePointer<Int32>
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
    func contains(_ node: Int32) -> Bool { heapSlots[Int(node)] >= 0 }

    /// Labels an unreached node and inserts it.
    @inline(__always)
    mutating func reach(_ node: Int32, distance: Double, predecessor: Int32, key: Double) {
        distances[Int(node)] = distance
        predecessors[Int(node)] = predecessor
        if touchedCount < touchedCapacity { touched[touchedCount] = node }
        touchedCount += 1
        insert(node, key: key)
    }

    /// Gives `node` the smaller tentative `distance` (its old one is
    /// `previous`) and files it under `key`: inserted if it was unreached,
    /// moved up if it is in the heap, inserted again if it had been settled
    /// (only A* with an inconsistent bound reopens a settled node).
    /// - Complexity: O(log₄ n).
    @inline(__always)
    mutating func improve(_ node: Int32, distance: Double, previous: Double, predecessor: Int32, key: Double) {
        if previous == .infinity {
            reach(node, distance: distance, predecessor: predecessor, key: key)
            return
        }
        distances[Int(node)] = distance
        predecessors[Int(node)] = predecessor
        if contains(node) { decreaseKey(node, to: key) } else { insert(node, key: key) }
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
        siftUp(HeapEntry(key: key, node: node), from: Int(heapSlots[Int(node)]))
    }

    /// Removes and returns the entry with the smallest (key, node).
    /// - Complexity: O(4 log₄ n).
    @inline(__always)
    mutating func popMin() -> HeapEntry {
        let top = entries[0]
        heapSlots[Int(top.node)] = -1
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
            heapSlots[Int(p.node)] = Int32(i)
            i = parent
        }
        entries[i] = entry
        heapSlots[Int(entry.node)] = Int32(i)
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
            heapSlots[Int(bestEntry.node)] = Int32(i)
            i = best
        }
        entries[i] = entry
        heapSlots[Int(entry.node)] = Int32(i)
    }
}

/// Per-node search state for one search direction, allocated once per query
/// object and reset lazily: `begin()` restores only the nodes the previous
/// search touched, so starting a search costs O(previously reached), not O(n).
/// A search that reaches more than an eighth of the graph is reset by
/// rewriting every array instead, which is as fast at that size and keeps the
/// touched list (and its memory) small.
///
/// The state is parallel arrays rather than one record per node: the
/// distances, read for every arc relaxed, are packed eight to a cache line;
/// heap slots, written on every heap move, sixteen. A search may also write
/// its distances and predecessors straight into a caller's arrays
/// (`begin(into:predecessors:)`, for whole shortest-path trees), so a tree
/// is built without a second copy of that state; the space's own arrays are
/// then only allocated once a search needs them.
final class SearchSpace {
    let nodeCount: Int
    /// Slot of each node in the heap; -1 when not in it.
    let heapSlots: UnsafeMutablePointer<Int32>
    /// Heap storage, placed so that the four children of every slot
    /// (entries 4i+1 ... 4i+4, 64 bytes) fill exactly one cache line.
    let heapEntries: UnsafeMutablePointer<HeapEntry>
    private let heapBlock: UnsafeMutableRawPointer
    let touched: UnsafeMutablePointer<Int32>
    let touchedCapacity: Int
    /// Nodes reached by the last search, reset by `begin()`.
    private var touchedCount = 0
    /// Whether the last search wrote the space's own distances and predecessors.
    private var lastSearchOwned = false
    private var ownState: (distances: UnsafeMutablePointer<Double>, predecessors: UnsafeMutablePointer<Int32>)?

    init(nodeCount: Int) {
        self.nodeCount = nodeCount
        let capacity = max(nodeCount, 1)
        heapSlots = .allocate(capacity: capacity)
        heapSlots.initialize(repeating: -1, count: capacity)
        // Entry 1 at a 64-byte boundary: the block is 64-aligned and entry 0 sits 48 bytes in.
        let stride = MemoryLayout<HeapEntry>.stride
        heapBlock = .allocate(byteCount: (capacity + 3) * stride, alignment: 64)
        heapEntries = (heapBlock + 64 - stride).bindMemory(to: HeapEntry.self, capacity: capacity)
        touchedCapacity = max(capacity / 8, 1024)
        touched = .allocate(capacity: touchedCapacity)
    }

    deinit {
        heapSlots.deallocate(); heapBlock.deallocate(); touched.deallocate()
        if let ownState { ownState.distances.deallocate(); ownState.predecessors.deallocate() }
    }

    /// Tentative cost of each node in the last search that used the space's
    /// own arrays; `.infinity` until reached.
    var distances: UnsafeMutablePointer<Double> { owned().distances }

    /// Forward arc each node was reached by in that search; -1 for the root and unreached nodes.
    var predecessors: UnsafeMutablePointer<Int32> { owned().predecessors }

    private func owned() -> (distances: UnsafeMutablePointer<Double>, predecessors: UnsafeMutablePointer<Int32>) {
        if let ownState { return ownState }
        let capacity = max(nodeCount, 1)
        let state = (distances: UnsafeMutablePointer<Double>.allocate(capacity: capacity),
                     predecessors: UnsafeMutablePointer<Int32>.allocate(capacity: capacity))
        state.distances.initialize(repeating: .infinity, count: capacity)
        state.predecessors.initialize(repeating: -1, count: capacity)
        ownState = state
        return state
    }

    /// Starts a new search in the space's own arrays and returns its empty heap.
    func begin() -> QuaternaryHeap {
        let state = owned()
        resetLastSearch()
        lastSearchOwned = true
        return QuaternaryHeap(entries: heapEntries, distances: state.distances, predecessors: state.predecessors,
                              heapSlots: heapSlots, touched: touched, touchedCapacity: touchedCapacity)
    }

    /// Starts a new search that writes distances and predecessors into the
    /// caller's arrays of `nodeCount` elements, which must hold `.infinity`
    /// and -1 everywhere, and stay valid until `end(_:)`.
    func begin(into distances: UnsafeMutablePointer<Double>, predecessors: UnsafeMutablePointer<Int32>) -> QuaternaryHeap {
        resetLastSearch()
        lastSearchOwned = false
        return QuaternaryHeap(entries: heapEntries, distances: distances, predecessors: predecessors,
                              heapSlots: heapSlots, touched: touched, touchedCapacity: touchedCapacity)
    }

    private func resetLastSearch() {
        let own = lastSearchOwned ? ownState : nil
        if touchedCount > touchedCapacity {
            let capacity = max(nodeCount, 1)
            heapSlots.update(repeating: -1, count: capacity)
            if let own {
                own.distances.update(repeating: .infinity, count: capacity)
                own.predecessors.update(repeating: -1, count: capacity)
            }
        } else {
            for i in 0..<touchedCount {
                let v = Int(touched[i])
                heapSlots[v] = -1
                if let own { own.distances[v] = .infinity; own.predecessors[v] = -1 }
            }
        }
        touchedCount = 0
    }

    /// Records which nodes the search touched so the next `begin()` can reset them.
    @inline(__always)
    func end(_ heap: QuaternaryHeap) { touchedCount = heap.touchedCount }

    @inline(__always)
    func distance(_ v: Int32) -> Double { distances[Int(v)] }

    @inline(__always)
    func predecessor(_ v: Int32) -> Int32 { predecessors[Int(v)] }

    @inline(__always)
    func isReached(_ v: Int32) -> Bool { distances[Int(v)] < .infinity }

    /// Reached and popped: its distance is final (for Dijkstra-like searches).
    @inline(__always)
    func isSettled(_ v: Int32) -> Bool { distances[Int(v)] < .infinity && heapSlots[Int(v)] < 0 }
}
