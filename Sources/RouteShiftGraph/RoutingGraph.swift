#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An immutable directed graph in compressed-sparse-row form, the storage every
/// shortest-path algorithm in this module reads.
///
/// Built once from an `EdgeTable` (pgRouting's edge list: a row with a
/// non-negative `cost` gives the arc source→target, a non-negative
/// `reverseCost` the arc target→source), or from the same rows handed over in
/// batches (`init(coordinates:edgeBatches:)`). External node ids are mapped to
/// dense indices `0..<nodeCount`; with coordinates the indices follow the
/// Hilbert curve, otherwise ascending external id.
///
/// Arcs leaving node `u` are `firstArc[u]..<firstArc[u+1]`, ordered by
/// (head, edge id, forward before backward), so every algorithm sees the same
/// order and breaks ties the same way.
///
/// Only the forward adjacency is stored eagerly. The reverse adjacency (arcs
/// entering each node, ordered by (tail, edge id)), the per-edge arc maps and
/// the list of edge ids are derived on first use and then shared by every copy
/// of the graph, so a graph used only for forward searches never pays for them.
///
/// Self-loops are kept as arcs (they never lie on a shortest or loopless path,
/// since costs are not negative). Parallel edges are kept apart.
///
/// Modelled on OSRM's `StaticGraph` and igraph's indexed edge list.
public struct RoutingGraph: Sendable {
    /// Offsets into the arc arrays, `nodeCount + 1` entries.
    public let firstArc: Column<Int32>
    /// Head (target index) of each forward arc.
    public let arcHead: Column<Int32>
    /// Row of the edge table each forward arc comes from.
    public let arcEdge: Column<Int32>
    /// External id of each node, by index, possibly as offsets.
    let nodeIdColumn: NodeIdColumn

    /// Cost of each forward arc, possibly in compact form.
    let arcCosts: ArcCosts
    /// One bit per forward arc, set when the arc runs target→source of its row.
    let arcBackwardBits: Column<UInt64>
    let edgeRows: EdgeRows
    let longitudes: Column<Double>?
    let latitudes: Column<Double>?
    let nodeLookup: IdLookup
    /// Distinguishes graphs so an overlay cannot be applied to the wrong one.
    let identity: UInt64
    let derived: DerivedArrays
    /// Every row has the same cost both ways (or no arc either way): the arcs
    /// entering a node are then its leaving arcs' twins, in the same order, so a
    /// backward search can read the forward adjacency instead of building the reverse one.
    public let isSymmetric: Bool

    public var nodeCount: Int { nodeIdColumn.count }
    public var arcCount: Int { arcHead.count }
    public var edgeCount: Int { edgeRows.count }
    public var hasCoordinates: Bool { longitudes != nil }

    /// Index of the node with external id `externalId`, or `nil`.
    /// - Complexity: O(1).
    @inline(__always)
    public func index(of externalId: Int64) -> Int32? { nodeLookup.index(of: externalId) }

    /// External id of the node at `index`.
    @inline(__always)
    public func externalId(of index: Int32) -> Int64 { nodeIdColumn[Int(index)] }

    /// External id of each node, by index.
    /// - Complexity: O(nodes) on first use when the ids are kept as offsets
    ///   (see `NodeIdColumn`), O(1) after; prefer `externalId(of:)`.
    public var nodeIds: [Int64] {
        if case let .listed(ids) = nodeIdColumn, !ids.isHeldInPlace { return ids.array }
        return derived.nodeIds(of: self)
    }

    /// The longitude and latitude columns by node index, or `nil` without coordinates:
    /// for loops over many nodes, which then read them without a call per node.
    public func withCoordinateColumns<R>(
        _ body: (_ longitudes: UnsafeBufferPointer<Double>, _ latitudes: UnsafeBufferPointer<Double>) throws -> R
    ) rethrows -> R? {
        guard let longitudes, let latitudes else { return nil }
        return try longitudes.withUnsafeBufferPointer { lon in try latitudes.withUnsafeBufferPointer { lat in try body(lon, lat) } }
    }

    /// Position of the node at `index`, if the graph was built with coordinates.
    public func coordinate(of index: Int32) -> (longitude: Double, latitude: Double)? {
        guard let longitudes, let latitudes else { return nil }
        return (longitudes[Int(index)], latitudes[Int(index)])
    }

    /// Row of the edge table with external id `edgeId`, or `nil`.
    /// - Complexity: O(1).
    public func edgeIndex(of edgeId: Int64) -> Int32? { edgeRows.row(of: edgeId) }

    /// External id of edge-table row `row`.
    /// - Complexity: O(1), without building `edgeIds`.
    @inline(__always)
    public func edgeId(ofRow row: Int32) -> Int64 { edgeRows.id(ofRow: row) }

    /// Cost of forward arc `arc`.
    /// - Complexity: O(1), without building `arcCost`.
    @inline(__always)
    public func cost(ofArc arc: Int32) -> Double { arcCosts[Int(arc)] }

    /// Cost of each forward arc.
    /// - Complexity: O(arcs) on first use when the costs are kept as decimal
    ///   units (see `ArcCosts`), O(1) after; prefer `cost(ofArc:)`.
    public var arcCost: [Double] {
        if case let .exact(costs) = arcCosts, !costs.isHeldInPlace { return costs.array }
        return derived.decodedCosts(of: self)
    }

    /// Whether forward arc `arc` runs target→source of its edge-table row.
    @inline(__always)
    public func isBackward(arc: Int32) -> Bool {
        arcBackwardBits[Int(arc) >> 6] & (1 << (UInt64(arc) & 63)) != 0
    }

    /// External id of each edge-table row.
    /// - Complexity: O(edges) on first use when the ids are consecutive (they
    ///   are then not stored), O(1) after; prefer `edgeId(ofRow:)`.
    public var edgeIds: [Int64] { derived.edgeIds(of: self) }

    /// Forward arc of each edge-table row for source→target, or -1.
    /// - Complexity: O(arcs) on first use, O(1) after.
    public var edgeForwardArc: [Int32] { derived.edgeArcs(of: self).forward }

    /// Forward arc of each edge-table row for target→source, or -1.
    /// - Complexity: O(arcs) on first use, O(1) after.
    public var edgeBackwardArc: [Int32] { derived.edgeArcs(of: self).backward }

    /// Offsets into the reverse arc arrays, `nodeCount + 1` entries.
    /// - Complexity: the reverse adjacency is built on first use, O(nodes + arcs).
    public var reverseFirstArc: [Int32] { derived.reverseAdjacency(of: self).first }
    /// Tail (source index) of each arc entering a node.
    public var reverseArcTail: [Int32] { derived.reverseAdjacency(of: self).tail }
    /// Cost of each reverse-adjacency arc (same as the forward arc's).
    public var reverseArcCost: [Double] { derived.reverseAdjacency(of: self).cost }
    /// Forward arc index of each reverse-adjacency arc.
    public var reverseArcForward: [Int32] { derived.reverseAdjacency(of: self).forward }

    /// The arc of the same row running the other way (from `arcHead[arc]` back to
    /// `tail`), or -1: found among the head's few arcs.
    /// - Complexity: O(degree of the head).
    func twin(of arc: Int32, tail: Int32) -> Int32 {
        let v = Int(arcHead[Int(arc)])
        let row = arcEdge[Int(arc)], backward = isBackward(arc: arc)
        for b in Int(firstArc[v])..<Int(firstArc[v + 1])
        where arcEdge[b] == row && arcHead[b] == tail && isBackward(arc: Int32(b)) != backward {
            return Int32(b)
        }
        return -1
    }

    /// Tail of forward arc `arc`, by binary search over `firstArc`.
    /// - Complexity: O(log n).
    public func tail(ofArc arc: Int32) -> Int32 {
        // Largest u with firstArc[u] <= arc; its range is the non-empty one.
        var low = 0, high = nodeCount - 1
        while low < high {
            let mid = (low + high + 1) >> 1
            if firstArc[mid] <= arc { low = mid } else { high = mid - 1 }
        }
        return Int32(low)
    }

    /// Builds the graph, validating the whole input before any other work.
    ///
    /// - Throws: `GraphError` for mismatched columns, a NaN or infinite cost
    ///   (naming the edge id and value), a duplicate edge id, and, when
    ///   `coordinates` is given, a missing, duplicate or non-finite coordinate.
    /// - Complexity: O(n + m) time: ids are mapped through a direct array when
    ///   dense (a hash map otherwise), arcs are placed by one counting sort on
    ///   their tail and each node's few arcs are then sorted; only runs of
    ///   parallel arcs compare edge ids. Extra memory beyond the graph is one
    ///   cost column and two 32-bit endpoint columns while building.
    public init(edges: EdgeTable, coordinates: NodeCoordinates? = nil) throws {
        try self.init(coordinates: coordinates) { deliver in try deliver(edges) }
    }

    init(firstArc: Column<Int32>, arcHead: Column<Int32>, arcCosts: ArcCosts, arcEdge: Column<Int32>,
         arcBackwardBits: Column<UInt64>, nodeIds: NodeIdColumn, edgeRows: EdgeRows, longitudes: Column<Double>?,
         latitudes: Column<Double>?, nodeLookup: IdLookup,
         isSymmetric: Bool = false) {
        self.isSymmetric = isSymmetric
        self.firstArc = firstArc
        self.arcHead = arcHead
        self.arcCosts = arcCosts
        self.arcEdge = arcEdge
        self.arcBackwardBits = arcBackwardBits
        self.nodeIdColumn = nodeIds
        self.edgeRows = edgeRows
        self.longitudes = longitudes
        self.latitudes = latitudes
        self.nodeLookup = nodeLookup
        self.identity = UInt64.random(in: 1...UInt64.max)
        self.derived = DerivedArrays()
    }
}

/// External ids of the edge-table rows: not stored at all when they are
/// consecutive (`first`, `first + 1`, …), as in pgRouting exports.
enum EdgeRows: Sendable {
    case consecutive(first: Int64, count: Int)
    case listed(ids: Column<Int64>, lookup: IdLookup)

    var count: Int {
        switch self {
        case let .consecutive(_, count): return count
        case let .listed(ids, _): return ids.count
        }
    }

    @inline(__always)
    func id(ofRow row: Int32) -> Int64 {
        switch self {
        case let .consecutive(first, _): return first + Int64(row)
        case let .listed(ids, _): return ids[Int(row)]
        }
    }

    func row(of id: Int64) -> Int32? {
        switch self {
        case let .consecutive(first, count):
            let (offset, overflow) = id.subtractingReportingOverflow(first)
            guard !overflow, offset >= 0, offset < Int64(count) else { return nil }
            return Int32(offset)
        case let .listed(_, lookup):
            return lookup.index(of: id)
        }
    }
}

/// Arc costs, stored as doubles or, when every cost is a decimal with few
/// digits (as in files written with a fixed number of decimals), as unsigned
/// 32-bit integer units: half the memory of the largest array of the graph.
///
/// The decimal form is only used when `Double(units[a]) / scale` is bit for
/// bit the cost for every arc (checked at build time), so both forms give
/// the same doubles; one IEEE division of two exact values is correctly
/// rounded, which is also how a decimal is parsed (Clinger 1990).
enum ArcCosts: Sendable {
    case exact(Column<Double>)
    case decimal(units: Column<UInt32>, scale: Double)

    @inline(__always)
    subscript(arc: Int) -> Double {
        switch self {
        case let .exact(costs): return costs[arc]
        case let .decimal(units, scale): return Double(units[arc]) / scale
        }
    }

    var count: Int {
        switch self {
        case let .exact(costs): return costs.count
        case let .decimal(units, _): return units.count
        }
    }
}

/// External node ids by index: 32-bit offsets from the smallest id when the
/// ids span less than 2^32 (half the memory), the ids themselves otherwise.
enum NodeIdColumn: Sendable {
    case offsets(base: Int64, Column<UInt32>)
    case listed(Column<Int64>)

    init(_ ids: [Int64]) {
        if let low = ids.min(), let high = ids.max() {
            let (span, overflow) = high.subtractingReportingOverflow(low)
            if !overflow && span < Int64(UInt32.max) {
                self = .offsets(base: low, Column(ids.map { UInt32(truncatingIfNeeded: $0 &- low) }))
                return
            }
        }
        self = .listed(Column(ids))
    }

    @inline(__always)
    subscript(index: Int) -> Int64 {
        switch self {
        case let .offsets(base, offsets): return base + Int64(offsets[index])
        case let .listed(ids): return ids[index]
        }
    }

    var count: Int {
        switch self {
        case let .offsets(_, offsets): return offsets.count
        case let .listed(ids): return ids.count
        }
    }
}

/// The reverse adjacency: for each node, the arcs entering it.
struct ReverseAdjacency: Sendable {
    var first: [Int32], tail: [Int32], cost: [Double], forward: [Int32]
}

/// Arrays derived from the forward adjacency on first use and cached for every
/// copy of the graph.
///
/// `@unchecked Sendable`: the cached values are only read or written while
/// `lock` is held, and each is immutable once stored.
final class DerivedArrays: @unchecked Sendable {
    private let lock = GraphLock()
    private var reverse: ReverseAdjacency?
    private var arcsOfEdges: (forward: [Int32], backward: [Int32])?
    private var ids: [Int64]?
    private var costs: [Double]?
    private var nodeIdList: [Int64]?

    func nodeIds(of graph: RoutingGraph) -> [Int64] {
        lock.withLock {
            if let nodeIdList { return nodeIdList }
            let built = (0..<graph.nodeCount).map { graph.nodeIdColumn[$0] }
            nodeIdList = built
            return built
        }
    }

    func decodedCosts(of graph: RoutingGraph) -> [Double] {
        lock.withLock {
            if let costs { return costs }
            let arcCosts = graph.arcCosts
            let built = (0..<arcCosts.count).map { arcCosts[$0] }
            costs = built
            return built
        }
    }

    func reverseAdjacency(of graph: RoutingGraph) -> ReverseAdjacency {
        let (adjacency, isNew) = lock.withLock { () -> (ReverseAdjacency, Bool) in
            if let reverse { return (reverse, false) }
            let built = Self.buildReverse(graph)
            reverse = built
            return (built, true)
        }
        // Outside the lock: the check reads the graph, never this cache.
        if isNew { graph._checkReverseAdjacency(adjacency) }
        return adjacency
    }

    func edgeArcs(of graph: RoutingGraph) -> (forward: [Int32], backward: [Int32]) {
        let (arcs, isNew) = lock.withLock { () -> ((forward: [Int32], backward: [Int32]), Bool) in
            if let arcsOfEdges { return (arcsOfEdges, false) }
            var forward = [Int32](repeating: -1, count: graph.edgeCount)
            var backward = [Int32](repeating: -1, count: graph.edgeCount)
            for a in 0..<graph.arcCount {
                let row = Int(graph.arcEdge[a])
                if graph.isBackward(arc: Int32(a)) { backward[row] = Int32(a) } else { forward[row] = Int32(a) }
            }
            arcsOfEdges = (forward, backward)
            return ((forward, backward), true)
        }
        if isNew { graph._checkEdgeArcs(forward: arcs.forward, backward: arcs.backward) }
        return arcs
    }

    /// The reverse adjacency and the edge → arc maps if they are built, without building them.
    func built() -> (reverse: ReverseAdjacency?, edgeArcs: (forward: [Int32], backward: [Int32])?) {
        lock.withLock { (reverse, arcsOfEdges) }
    }

    func edgeIds(of graph: RoutingGraph) -> [Int64] {
        if case let .listed(ids, _) = graph.edgeRows, !ids.isHeldInPlace { return ids.array }
        return lock.withLock {
            if let ids { return ids }
            let built = (0..<graph.edgeCount).map { graph.edgeRows.id(ofRow: Int32($0)) }
            ids = built
            return built
        }
    }

    /// One counting sort of the forward arcs by head; scanning forward arcs in
    /// (tail, head, edge id) order leaves each bucket ordered by (tail, edge id).
    private static func buildReverse(_ graph: RoutingGraph) -> ReverseAdjacency {
        let n = graph.nodeCount, arcTotal = graph.arcCount
        let firstArc = graph.firstArc, arcHead = graph.arcHead, arcCosts = graph.arcCosts
        var first = [Int32](repeating: 0, count: n + 1)
        for h in arcHead { first[Int(h) + 1] += 1 }
        for u in 0..<n { first[u + 1] += first[u] }
        var cursor = first
        var tail = [Int32](repeating: 0, count: arcTotal)
        var cost = [Double](repeating: 0, count: arcTotal)
        var forward = [Int32](repeating: 0, count: arcTotal)
        for u in 0..<n {
            for a in Int(firstArc[u])..<Int(firstArc[u + 1]) {
                let h = Int(arcHead[a])
                let p = Int(cursor[h]); cursor[h] += 1
                tail[p] = Int32(u); cost[p] = arcCosts[a]; forward[p] = Int32(a)
            }
        }
        return ReverseAdjacency(first: first, tail: tail, cost: cost, forward: forward)
    }
}

/// A pthread mutex. This module has no Foundation, and `Synchronization.Mutex`
/// would need macOS 15.
final class GraphLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        // returns 0 on success; a default mutex can only fail for lack of memory. The call
        // stays outside the precondition: at -Ounchecked a precondition's condition is not evaluated.
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
