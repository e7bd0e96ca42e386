import RouteShiftGraph

/// The people of an agent simulation as a struct of arrays: one column per
/// attribute, agent `i` at index `i` of each, so a day's pass streams through
/// memory and threads write disjoint ranges.
///
/// 24 bytes per agent (see `bytesPerAgent`); capacity grows by doubling.
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
    /// Journeys: the traveller's class under the entry rules (an index into the simulation's classes).
    var userClass: UnsafeMutablePointer<UInt8>

    public private(set) var count = 0
    private(set) var capacity: Int

    /// Bytes of state per agent.
    public static let bytesPerAgent = 4 + 4 + 4 + 4 + 2 + 1 + 4 + 1

    public init(capacity: Int = 1024) {
        self.capacity = max(capacity, 16)
        node = .allocate(capacity: self.capacity)
        arc = .allocate(capacity: self.capacity)
        onLink = .allocate(capacity: self.capacity)
        path = .allocate(capacity: self.capacity)
        pathStep = .allocate(capacity: self.capacity)
        trips = .allocate(capacity: self.capacity)
        home = .allocate(capacity: self.capacity)
        userClass = .allocate(capacity: self.capacity)
    }

    deinit {
        node.deallocate(); arc.deallocate(); onLink.deallocate(); path.deallocate()
        pathStep.deallocate(); trips.deallocate(); home.deallocate(); userClass.deallocate()
    }

    /// The most agents a store holds: per-location counts are 32-bit.
    public static let maximumCount = Int(Int32.max)

    /// Makes room for `extra` more agents, checking first that they fit in memory.
    /// - Throws: `GraphError.exceedsMemory` when the columns for `count + extra`
    ///   agents would exceed what the process may use (`MemoryBudget`) or
    ///   `maximumCount`, before anything is allocated (an allocation that fails
    ///   would end the process).
    public func reserve(_ extra: Int) throws {
        let (total, overflow) = count.addingReportingOverflow(max(0, extra))
        guard !overflow, total <= Self.maximumCount else {
            let bytes = UInt64(max(0, extra)).multipliedReportingOverflow(by: UInt64(Self.bytesPerAgent))
            throw GraphError.exceedsMemory(what: "the state of \(overflow ? "more than \(Int.max)" : String(total)) agents "
                                           + "(at most \(Self.maximumCount))",
                                           bytes: bytes.overflow ? nil : bytes.partialValue, limit: MemoryBudget.limit)
        }
        guard total > capacity else { return }
        var newCapacity = capacity
        while newCapacity < total { newCapacity = min(newCapacity * 2, Self.maximumCount) }
        try MemoryBudget.require("the state of \(total) agents", factors: [newCapacity], bytesEach: Self.bytesPerAgent)
        grow(to: newCapacity)
    }

    private func grow(to newCapacity: Int) {
        func grow<T>(_ p: inout UnsafeMutablePointer<T>) {
            let q = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
            q.moveInitialize(from: p, count: count)
            p.deallocate()
            p = q
        }
        grow(&node); grow(&arc); grow(&onLink); grow(&path); grow(&pathStep); grow(&trips); grow(&home); grow(&userClass)
        capacity = newCapacity
    }

    /// Adds an agent at location `location`, with no route; `home` is `destination`
    /// (the Flee rules keep the spawning location there, journeys their destination), of class
    /// `userClass`. O(1) amortised.
    public func append(at location: Int32, home destination: Int32? = nil, userClass: UInt8 = 0) {
        // Callers reserve (checked) first; growing here only covers an unreserved append.
        if count == capacity { grow(to: min(capacity * 2, Self.maximumCount)) }
        node[count] = location; arc[count] = -1; onLink[count] = 0; path[count] = -1
        pathStep[count] = 0; trips[count] = 0; home[count] = destination ?? location
        self.userClass[count] = userClass
        count += 1
    }

    /// Bytes allocated for the columns.
    public var allocatedBytes: Int { capacity * Self.bytesPerAgent }

    /// Empties the store, keeping its capacity. O(1).
    func removeAll() { count = 0 }
}
