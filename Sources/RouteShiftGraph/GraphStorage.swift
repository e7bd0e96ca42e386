import Dispatch

/// The arrays a `RoutingGraph` is made of, as they are stored: what a compiled
/// network writes, and what it hands back (mapped from the file, not copied) to
/// use the graph again without building it.
public struct GraphStorage: Sendable {
    /// Arc costs as doubles, or as integer units of `1 / scale` (see `RoutingGraph`).
    public enum Costs: Sendable {
        case exact(Column<Double>)
        case decimal(units: Column<UInt32>, scale: Double)
    }

    /// External node ids by index: offsets from `base`, or the ids.
    public enum NodeIds: Sendable {
        case offsets(base: Int64, Column<UInt32>)
        case listed(Column<Int64>)
    }

    /// External edge ids by row: `first`, `first + 1`, …, or the ids.
    public enum EdgeIds: Sendable {
        case consecutive(first: Int64, count: Int)
        case listed(Column<Int64>)
    }

    public var firstArc: Column<Int32>
    public var arcHead: Column<Int32>
    public var arcEdge: Column<Int32>
    /// One bit per arc, set when the arc runs target→source of its row.
    public var arcBackwardBits: Column<UInt64>
    public var costs: Costs
    public var nodeIds: NodeIds
    public var edgeIds: EdgeIds
    public var longitudes: Column<Double>?
    public var latitudes: Column<Double>?
    /// The direct id → index table (`slots[id - base]`, -1 for no node), or `nil`
    /// when the ids are too sparse for one (the lookup is then hashed from the ids).
    public var nodeSlots: Column<Int32>?
    public var nodeSlotBase: Int64
    /// Every row costs the same both ways (see `RoutingGraph.isSymmetric`).
    public var isSymmetric: Bool

    public init(firstArc: Column<Int32>, arcHead: Column<Int32>, arcEdge: Column<Int32>,
                arcBackwardBits: Column<UInt64>, costs: Costs, nodeIds: NodeIds, edgeIds: EdgeIds,
                longitudes: Column<Double>?, latitudes: Column<Double>?, nodeSlots: Column<Int32>?,
                nodeSlotBase: Int64, isSymmetric: Bool) {
        self.firstArc = firstArc; self.arcHead = arcHead; self.arcEdge = arcEdge
        self.arcBackwardBits = arcBackwardBits; self.costs = costs; self.nodeIds = nodeIds; self.edgeIds = edgeIds
        self.longitudes = longitudes; self.latitudes = latitudes
        self.nodeSlots = nodeSlots; self.nodeSlotBase = nodeSlotBase; self.isSymmetric = isSymmetric
    }
}

extension RoutingGraph {
    /// The graph's arrays, to store them (see `init(storage:)`).
    public var storage: GraphStorage {
        let costs: GraphStorage.Costs
        switch arcCosts {
        case let .exact(c): costs = .exact(c)
        case let .decimal(units, scale): costs = .decimal(units: units, scale: scale)
        }
        let nodes: GraphStorage.NodeIds
        switch nodeIdColumn {
        case let .offsets(base, offsets): nodes = .offsets(base: base, offsets)
        case let .listed(ids): nodes = .listed(ids)
        }
        let edges: GraphStorage.EdgeIds
        switch edgeRows {
        case let .consecutive(first, count): edges = .consecutive(first: first, count: count)
        case let .listed(ids, _): edges = .listed(ids)
        }
        var slots: Column<Int32>?, base: Int64 = 0
        if case let .direct(b, s) = nodeLookup { slots = s; base = b }
        return GraphStorage(firstArc: firstArc, arcHead: arcHead, arcEdge: arcEdge, arcBackwardBits: arcBackwardBits,
                            costs: costs, nodeIds: nodes, edgeIds: edges, longitudes: longitudes, latitudes: latitudes,
                            nodeSlots: slots, nodeSlotBase: base, isSymmetric: isSymmetric)
    }

    /// The graph made of `storage`'s arrays, used as they are (no copy, no build).
    ///
    /// Storage is input: before anything else every count is checked against the
    /// others and every index against what it indexes (arc offsets ascending and
    /// within the arcs, heads within the nodes, rows within the edges, lookup slots
    /// naming the node that has that id), costs finite and not negative,
    /// coordinates finite. Values that cannot break the graph's structure (which
    /// cost an arc has) are taken as stored.
    ///
    /// - Throws: `GraphError.inconsistentStorage` saying what does not fit,
    ///   `GraphError.duplicateEdgeId` for listed edge ids.
    /// - Complexity: O(n + m) sequential reads, with no allocation beyond the
    ///   lookups of sparse ids (hashed).
    public init(storage s: GraphStorage) throws {
        func fail(_ what: String) -> GraphError { .inconsistentStorage(what) }
        let n: Int
        switch s.nodeIds {
        case let .offsets(_, offsets): n = offsets.count
        case let .listed(ids): n = ids.count
        }
        let arcs = s.arcHead.count
        guard n < Int(Int32.max), arcs < Int(Int32.max) else { throw GraphError.tooLarge("\(n) nodes, \(arcs) arcs") }
        let m: Int
        switch s.edgeIds {
        case let .consecutive(first, count):
            guard count >= 0, count < Int(Int32.max), !first.addingReportingOverflow(Int64(count)).overflow else {
                throw fail("edge id range")
            }
            m = count
        case let .listed(ids): m = ids.count
        }
        guard s.firstArc.count == n + 1 else { throw fail("\(s.firstArc.count) arc offsets for \(n) nodes") }
        guard s.arcEdge.count == arcs else { throw fail("\(s.arcEdge.count) arc rows for \(arcs) arcs") }
        guard s.arcBackwardBits.count == (arcs + 63) / 64 else { throw fail("arc direction bits") }
        let costCount: Int
        switch s.costs {
        case let .exact(c): costCount = c.count
        case let .decimal(units, scale):
            guard scale.isFinite, scale > 0 else { throw fail("cost scale \(scale)") }
            costCount = units.count
        }
        guard costCount == arcs else { throw fail("\(costCount) arc costs for \(arcs) arcs") }
        guard (s.longitudes == nil) == (s.latitudes == nil),
              (s.longitudes?.count ?? n) == n, (s.latitudes?.count ?? n) == n else { throw fail("node coordinates") }

        // The scans read different arrays: side by side on large graphs (the search that follows
        // waits for them). Each task writes only its own flag.
        let failures = UnsafeMutableBufferPointer<String?>.allocate(capacity: 5)
        failures.initialize(repeating: nil)
        defer { failures.deinitialize(); failures.deallocate() }
        let parallel = arcs >= ArcLayout.parallelGrain && ArcLayout.threads > 1
        nonisolated(unsafe) let checks: [() -> String?] = [
            {
                (try? Self.validateOffsets(s.firstArc, nodes: n, arcs: arcs, as: .offsets, name: "firstArc")) == nil
                    ? "arc offsets not ascending from 0 to \(arcs)" : nil
            },
            { Self.allBelow(s.arcHead, n) ? nil : "an arc head outside the \(n) nodes" },
            { Self.allBelow(s.arcEdge, m) ? nil : "an arc row outside the \(m) edges" },
            {
                guard case let .exact(costs) = s.costs else { return nil }
                let ok = costs.withUnsafeBufferPointer { c in c.allSatisfy { $0.isFinite && $0 >= 0 } }
                return ok ? nil : "an arc cost that is negative or not finite"
            },
            {
                guard let lon = s.longitudes, let lat = s.latitudes else { return nil }
                let ok = lon.withUnsafeBufferPointer { x in lat.withUnsafeBufferPointer { y in
                    zip(x, y).allSatisfy { $0.isFinite && $1.isFinite }
                } }
                return ok ? nil : "a node coordinate that is not finite"
            },
        ]
        if parallel {
            nonisolated(unsafe) let slots = failures
            DispatchQueue.concurrentPerform(iterations: checks.count) { slots[$0] = checks[$0]() }
        } else {
            for (i, check) in checks.enumerated() { failures[i] = check() }
        }
        if let failure = failures.compactMap({ $0 }).first { throw fail(failure) }

        let nodeIdColumn: NodeIdColumn
        switch s.nodeIds {
        case let .offsets(base, offsets):
            guard !base.addingReportingOverflow(Int64(UInt32.max)).overflow else { throw fail("node id base") }
            nodeIdColumn = .offsets(base: base, offsets)
        case let .listed(ids): nodeIdColumn = .listed(ids)
        }
        let lookup: IdLookup
        if let slots = s.nodeSlots {
            // A bijection: each node's slot names it, and no other slot is used.
            let ok = slots.withUnsafeBufferPointer { slot -> Bool in
                var used = 0, bad = 0
                for v in slot {
                    used &+= v >= 0 ? 1 : 0
                    bad &+= (v < -1 || Int(v) >= n) ? 1 : 0
                }
                guard used == n, bad == 0 else { return false }
                let base = s.nodeSlotBase, span = Int64(slot.count)
                @inline(__always) func names(_ id: Int64, _ i: Int) -> Bool {
                    let (offset, overflow) = id.subtractingReportingOverflow(base)
                    return !overflow && offset >= 0 && offset < span && slot[Int(offset)] == Int32(truncatingIfNeeded: i)
                }
                switch s.nodeIds {
                case let .offsets(idBase, offsets):
                    return offsets.withUnsafeBufferPointer { o in (0..<n).allSatisfy { names(idBase &+ Int64(o[$0]), $0) } }
                case let .listed(ids):
                    return ids.withUnsafeBufferPointer { ids in (0..<n).allSatisfy { names(ids[$0], $0) } }
                }
            }
            guard ok else { throw fail("node lookup does not match the node ids") }
            lookup = .direct(base: s.nodeSlotBase, slots: slots)
        } else {
            var map = [Int64: Int32](minimumCapacity: n)
            for i in 0..<n {
                guard map.updateValue(Int32(i), forKey: nodeIdColumn[i]) == nil else {
                    throw fail("node id \(nodeIdColumn[i]) listed twice")
                }
            }
            lookup = .hashed(map)
        }
        let edgeRows: EdgeRows
        switch s.edgeIds {
        case let .consecutive(first, count): edgeRows = .consecutive(first: first, count: count)
        case let .listed(ids): edgeRows = .listed(ids: ids, lookup: try IdLookup.unique(ids.array))
        }
        let costs: ArcCosts
        switch s.costs {
        case let .exact(c): costs = .exact(c)
        case let .decimal(units, scale): costs = .decimal(units: units, scale: scale)
        }
        self.init(firstArc: s.firstArc, arcHead: s.arcHead, arcCosts: costs, arcEdge: s.arcEdge,
                  arcBackwardBits: s.arcBackwardBits, nodeIds: nodeIdColumn, edgeRows: edgeRows,
                  longitudes: s.longitudes, latitudes: s.latitudes, nodeLookup: lookup, isSymmetric: s.isSymmetric)
    }

    /// Whether every value is in `0..<bound`.
    private static func allBelow(_ column: Column<Int32>, _ bound: Int) -> Bool {
        column.withUnsafeBufferPointer { values in
            // As unsigned, a negative value is above any bound; a running maximum vectorises.
            var largest: UInt32 = 0
            for v in values { largest = Swift.max(largest, UInt32(bitPattern: v)) }
            return values.isEmpty || Int(largest) < bound
        }
    }
}
