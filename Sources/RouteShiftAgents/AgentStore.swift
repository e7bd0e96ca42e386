/// The people of an agent simulation as a struct of arrays: one column per
/// attribute, agent `i` at index `i` of each, so a day's pass streams through
/// memory and threads write disjoint ranges.
///
/// 23 bytes per agent (see `bytesPerAgent`); capacity grows by doubling.
public final class AgentStore: @unchecked Sendable {
    /// Location index where the agent is, or where its current link starts.
    var node: UnsafeMutablePointer<Int32>
    /// Directed link index the agent is on, or -1 when at a location.
    var arc: UnsafeMutablePointer<Int32>
    /// km travelled on the current link.
    var onLink: UnsafeMutablePointer<Float>
    /// Planned route (an interned path), or -1 when the agent has none.
    var path: UnsafeMutablePointer<Int32>
    /// Next position in `path`.
    var pathStep: UnsafeMutablePointer<UInt16>
    /// Links completed so far, saturating at 255 (Flee's `places_travelled` - 1); failed
    /// attempts at the current crossing for journeys.
    var trips: UnsafeMutablePointer<UInt8>
    /// Location the agent was spawned at (Flee rules), or its destination (journeys).
    var home: UnsafeMutablePointer<Int32>

    public private(set) var count = 0
    private(set) var capacity: Int

    /// Bytes of state per agent.
    public static let bytesPerAgent = 4 + 4 + 4 + 4 + 2 + 1 + 4

    public init(capacity: Int = 1024) {
        self.capacity = max(capacity, 16)
        node = .allocate(capacity: self.capacity)
        arc = .allocate(capacity: self.capacity)
        onLink = .allocate(capacity: self.capacity)
        path = .allocate(capacity: self.capacity)
        pathStep = .allocate(capacity: self.capacity)
        trips = .allocate(capacity: self.capacity)
        home = .allocate(capacity: self.capacity)
    }

    deinit {
        node.deallocate(); arc.deallocate(); onLink.deallocate(); path.deallocate()
        pathStep.deallocate(); trips.deallocate(); home.deallocate()
        destination.deallocate(); spareInt32.deallocate(); spareFloat.deallocate()
        spareUInt16.deallocate(); spareUInt8.deallocate()
    }

    /// Makes room for `extra` more agents.
    public func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var newCapacity = capacity
        while newCapacity < count + extra { newCapacity *= 2 }
        func grow<T>(_ p: inout UnsafeMutablePointer<T>) {
            let q = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
            q.moveInitialize(from: p, count: count)
            p.deallocate()
            p = q
        }
        grow(&node); grow(&arc); grow(&onLink); grow(&path); grow(&pathStep); grow(&trips); grow(&home)
        capacity = newCapacity
    }

    /// Adds an agent at location `location`, with no route; `home` is `destination`
    /// (the Flee rules keep the spawning location there, journeys their destination). O(1) amortised.
    public func append(at location: Int32, home destination: Int32? = nil) {
        reserve(1)
        node[count] = location; arc[count] = -1; onLink[count] = 0; path[count] = -1
        pathStep[count] = 0; trips[count] = 0; home[count] = destination ?? location
        count += 1
    }

    /// Bytes allocated for the columns.
    public var allocatedBytes: Int { capacity * Self.bytesPerAgent + sortCapacity * Self.sortScratchBytesPerAgent }

    /// Bytes per agent of the scratch `sortByNode` keeps between calls: each person's new
    /// position, and one spare column of each element width the columns are swapped through.
    public static let sortScratchBytesPerAgent = 4 + 4 + 4 + 2 + 1

    private var sortCapacity = 0
    private var destination = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var spareInt32 = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var spareFloat = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var spareUInt16 = UnsafeMutablePointer<UInt16>.allocate(capacity: 1)
    private var spareUInt8 = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

    /// Reorders the agents by `node` (stable: ties keep their order), so the people of one
    /// location, and those on links leaving it, are contiguous and a pass over them reads each
    /// location's tables once. A counting sort (Cormen et al., Introduction to Algorithms, 8.2):
    /// one histogram pass, then each column scattered into a spare of its width and swapped with
    /// it, so no allocation after the first call at a given size.
    ///
    /// - Complexity: O(agents + locationCount) time; `sortScratchBytesPerAgent` bytes per agent kept.
    public func sortByNode(locationCount: Int) {
        guard count > 1 else { return }
        if sortCapacity < capacity {
            destination.deallocate(); spareInt32.deallocate(); spareFloat.deallocate()
            spareUInt16.deallocate(); spareUInt8.deallocate()
            destination = .allocate(capacity: capacity); spareInt32 = .allocate(capacity: capacity)
            spareFloat = .allocate(capacity: capacity); spareUInt16 = .allocate(capacity: capacity)
            spareUInt8 = .allocate(capacity: capacity)
            sortCapacity = capacity
        }
        var next = [Int](repeating: 0, count: locationCount + 1)
        for i in 0..<count { next[Int(node[i]) + 1] += 1 }
        for l in 0..<locationCount { next[l + 1] += next[l] }
        var sorted = true
        for i in 0..<count {
            let j = next[Int(node[i])]
            next[Int(node[i])] = j + 1
            destination[i] = Int32(j)
            if j != i { sorted = false }
        }
        guard !sorted else { return }
        let n = count, to = destination
        func scatter<T>(_ column: inout UnsafeMutablePointer<T>, _ spare: inout UnsafeMutablePointer<T>) {
            for i in 0..<n { spare[Int(to[i])] = column[i] }
            swap(&column, &spare)
        }
        scatter(&node, &spareInt32); scatter(&arc, &spareInt32); scatter(&path, &spareInt32); scatter(&home, &spareInt32)
        scatter(&onLink, &spareFloat); scatter(&pathStep, &spareUInt16); scatter(&trips, &spareUInt8)
    }
}
