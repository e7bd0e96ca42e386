/// One heap slot: a node index and its key, kept together for locality.
struct HeapEntry {
    var key: Double
    var node: Int32
}

/// An indexed 4-ary min-heap over node indices with decrease-key, a view over
/// storage owned by a `SearchSpace` so it is never re-allocated per query.
///
/// Ties between equal keys go to the smaller node index, so every search pops
/// nodes in the same order on every run (as OSRM's `QueryHeap` does). A 4-ary
/// layout halves the depth of a binary heap and keeps the children of a slot
/// in one cache line (see LaMarca & Ladner 1996).
///
/// `positions[v]` is the slot of `v`, or -1 when `v` is not in the heap. The
/// owner restores every position to -1 before the next search.
struct QuaternaryHeap {
    let entries: UnsafeMutablePointer<HeapEntry>
    let positions: UnsafeMutablePointer<Int32>
    var count: Int

    @inline(__always)
    static func precedes(_ a: HeapEntry, _ b: HeapEntry) -> Bool {
        a.key < b.key || (a.key == b.key && a.node < b.node)
    }

    @inline(__always)
    var isEmpty: Bool { count == 0 }

    @inline(__always)
    var minKey: Double { count > 0 ? entries[0].key : .infinity }

    @inline(__always)
    func contains(_ node: Int32) -> Bool { positions[Int(node)] >= 0 }

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
        siftUp(HeapEntry(key: key, node: node), from: Int(positions[Int(node)]))
    }

    /// Removes and returns the entry with the smallest (key, node).
    /// - Complexity: O(4 log₄ n).
    @inline(__always)
    mutating func popMin() -> HeapEntry {
        let top = entries[0]
        positions[Int(top.node)] = -1
        count -= 1
        if count > 0 { siftDown(entries[count], from: 0) }
        return top
    }

    /// Empties the heap, restoring the positions of the nodes left in it.
    mutating func removeAll() {
        for i in 0..<count { positions[Int(entries[i].node)] = -1 }
        count = 0
    }

    @inline(__always)
    private func siftUp(_ entry: HeapEntry, from start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) >> 2
            let p = entries[parent]
            guard Self.precedes(entry, p) else { break }
            entries[i] = p
            positions[Int(p.node)] = Int32(i)
            i = parent
        }
        entries[i] = entry
        positions[Int(entry.node)] = Int32(i)
    }

    @inline(__always)
    private func siftDown(_ entry: HeapEntry, from start: Int) {
        var i = start
        while true {
            let first = 4 * i + 1
            if first >= count { break }
            var best = first
            var bestEntry = entries[first]
            let last = min(first + 4, count)
            var c = first + 1
            while c < last {
                let e = entries[c]
                if Self.precedes(e, bestEntry) { best = c; bestEntry = e }
                c += 1
            }
            guard Self.precedes(bestEntry, entry) else { break }
            entries[i] = bestEntry
            positions[Int(bestEntry.node)] = Int32(i)
            i = best
        }
        entries[i] = entry
        positions[Int(entry.node)] = Int32(i)
    }
}

/// Per-node search state for one search direction, allocated once per query
/// object and reset lazily: a node's distance and predecessor are valid only
/// when its stamp equals the current generation, so starting a search costs
/// O(heap leftovers), not O(n).
final class SearchSpace {
    let nodeCount: Int
    let distance: UnsafeMutablePointer<Double>
    /// Forward arc through which the node was reached, -1 for the root.
    let predecessor: UnsafeMutablePointer<Int32>
    let stamp: UnsafeMutablePointer<UInt32>
    let heapEntries: UnsafeMutablePointer<HeapEntry>
    let heapPositions: UnsafeMutablePointer<Int32>
    private(set) var generation: UInt32 = 0
    /// Entries left in the heap by the last search, cleared by `begin()`.
    var leftover: Int = 0

    init(nodeCount: Int) {
        self.nodeCount = nodeCount
        let capacity = max(nodeCount, 1)
        distance = .allocate(capacity: capacity)
        predecessor = .allocate(capacity: capacity)
        stamp = .allocate(capacity: capacity)
        stamp.initialize(repeating: 0, count: capacity)
        heapEntries = .allocate(capacity: capacity)
        heapPositions = .allocate(capacity: capacity)
        heapPositions.initialize(repeating: -1, count: capacity)
    }

    deinit {
        distance.deallocate(); predecessor.deallocate(); stamp.deallocate()
        heapEntries.deallocate(); heapPositions.deallocate()
    }

    /// Starts a new search and returns its empty heap.
    func begin() -> QuaternaryHeap {
        var heap = QuaternaryHeap(entries: heapEntries, positions: heapPositions, count: leftover)
        heap.removeAll()
        leftover = 0
        generation &+= 1
        if generation == 0 {
            stamp.update(repeating: 0, count: max(nodeCount, 1))
            generation = 1
        }
        return heap
    }

    /// Records where the search stopped so the next `begin()` can clean up.
    @inline(__always)
    func end(_ heap: QuaternaryHeap) { leftover = heap.count }

    @inline(__always)
    func isReached(_ v: Int32) -> Bool { stamp[Int(v)] == generation }

    /// Reached and popped: its distance is final (for Dijkstra-like searches).
    @inline(__always)
    func isSettled(_ v: Int32) -> Bool { stamp[Int(v)] == generation && heapPositions[Int(v)] < 0 }
}
