import CMemoryHints

/// Which adjacency a search follows: `forward` computes costs from the root,
/// `backward` (over the reverse adjacency) costs to the root.
public enum SearchDirection: Hashable, Sendable {
    case forward, backward
}

/// Reusable search state for one worker: distance, predecessor and heap
/// arrays sized to the graph once and reset lazily between queries, as OSRM's
/// query heaps are. Not `Sendable`: give each thread its own.
///
/// Every public entry point validates its arguments (node ids, overlay, cost
/// bound) before searching and throws `GraphError` on bad input.
public final class ShortestPathQuery {
    public let graph: RoutingGraph
    let forwardSpace: SearchSpace
    private var backwardStorage: SearchSpace?
    private var markStorage: (stamps: UnsafeMutablePointer<UInt32>, generation: UInt32)?
    private var arcMarkStorage: (stamps: UnsafeMutablePointer<UInt32>, generation: UInt32)?

    /// - Complexity: O(n) memory, allocated here and reused by every query.
    public init(graph: RoutingGraph) {
        self.graph = graph
        forwardSpace = SearchSpace(nodeCount: graph.nodeCount)
    }

    deinit {
        markStorage?.stamps.deallocate()
        arcMarkStorage?.stamps.deallocate()
    }

    /// Second search space, for bidirectional search.
    var backwardSpace: SearchSpace {
        if let space = backwardStorage { return space }
        let space = SearchSpace(nodeCount: graph.nodeCount)
        backwardStorage = space
        return space
    }

    /// A fresh generation of per-node marks (target sets, banned nodes).
    func beginMarks() -> (stamps: UnsafeMutablePointer<UInt32>, generation: UInt32) {
        let capacity = max(graph.nodeCount, 1)
        var marks = markStorage ?? {
            let p = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
            p.initialize(repeating: 0, count: capacity)
            return (p, 0)
        }()
        marks.generation &+= 1
        if marks.generation == 0 {
            marks.stamps.update(repeating: 0, count: capacity)
            marks.generation = 1
        }
        markStorage = marks
        return marks
    }

    /// Per-arc marks (arcs removed by a choice-set search), allocated on first use.
    func beginArcMarks() -> UnsafeMutablePointer<UInt32> {
        if let marks = arcMarkStorage { return marks.stamps }
        let capacity = max(graph.arcCount, 1)
        let p = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        p.initialize(repeating: 0, count: capacity)
        arcMarkStorage = (p, 0)
        return p
    }

    /// A fresh generation of the arc marks: no arc carries it yet.
    func nextArcGeneration() -> UInt32 {
        var marks = arcMarkStorage!
        marks.generation &+= 1
        if marks.generation == 0 {
            marks.stamps.update(repeating: 0, count: max(graph.arcCount, 1))
            marks.generation = 1
        }
        arcMarkStorage = marks
        return marks.generation
    }

    // MARK: Validation

    func nodeIndex(_ id: Int64) throws -> Int32 {
        guard let index = graph.index(of: id) else { throw GraphError.unknownNode(id) }
        return index
    }

    func validate(_ overlay: CostOverlay?) throws {
        if let overlay, overlay.graphIdentity != graph.identity { throw GraphError.overlayFromAnotherGraph }
    }

    func validate(bound: Double) throws {
        guard !bound.isNaN, bound >= 0 else { throw GraphError.invalidCostBound(bound) }
    }

    // MARK: Results

    /// Forward arcs from the root of `space`'s last search to `node`, root first.
    func arcsFromRoot(_ space: SearchSpace, to node: Int32) -> [Int32] {
        var arcs = predecessorArcs(space, from: node) { graph.tail(ofArc: $0) }
        arcs.reverse()
        return arcs
    }

    /// Forward arcs from `node` to the root of a backward search in `space`.
    func arcsToRoot(_ space: SearchSpace, from node: Int32) -> [Int32] {
        predecessorArcs(space, from: node) { graph.arcHead[Int($0)] }
    }

    /// The predecessor arcs of `space` from `node` to its root, in that order; `towardsRoot`
    /// gives the end of an arc nearer the root (the tail in a forward search, the head in a
    /// backward one).
    private func predecessorArcs(_ space: SearchSpace, from node: Int32, towardsRoot: (Int32) -> Int32) -> [Int32] {
        var arcs: [Int32] = []
        var v = node
        while true {
            let arc = space.predecessor(v)
            if arc < 0 { break }
            arcs.append(arc)
            v = towardsRoot(arc)
        }
        return arcs
    }
}

/// Raw views of one adjacency (forward or reverse) for the search loops.
struct AdjacencyView {
    let first: UnsafePointer<Int32>
    let neighbour: UnsafePointer<Int32>
    /// Costs as doubles, or `nil` when they are decimal `units`.
    let costs: UnsafePointer<Double>?
    let units: UnsafePointer<UInt32>?
    let scale: Double
    /// Forward arc index of each slot; `nil` when the slots are the forward arcs.
    let forwardArc: UnsafePointer<Int32>?

    /// Cost of the arc in `slot`, read as the loops specialised on one
    /// storage form read it (`DoubleCostColumn`, `DecimalCostColumn`).
    @inline(__always)
    func cost(_ slot: Int) -> Double {
        if let costs { return DoubleCostColumn(costs: costs)[slot] }
        return DecimalCostColumn(units: units.unsafelyUnwrapped, scale: scale)[slot]
    }

    /// Starts loading the arcs of the node the heap will most likely settle
    /// next (its top), and the arc offsets of the four after it (the top's
    /// children), while the current node's arcs are relaxed. On graphs larger
    /// than the caches these loads are the search's main stall; a prefetch
    /// is only a hint and changes no result.
    @inline(__always)
    func prefetchArcs(following heap: QuaternaryHeap) {
        guard !heap.isEmpty else { return }
        let next = Int(first[Int(heap.entries[0].node)])
        routeshift_prefetch(neighbour + next)
        if let costs { routeshift_prefetch(costs + next) } else { routeshift_prefetch(units.unsafelyUnwrapped + next) }
        if let forwardArc { routeshift_prefetch(forwardArc + next) }
        if heap.count > 4 {
            for k in 1...4 { routeshift_prefetch(first + Int(heap.entries[k].node)) }
        }
    }

    @inline(__always)
    func arcId(_ slot: Int) -> Int32 {
        if let forwardArc { return forwardArc[slot] }
        return Int32(truncatingIfNeeded: slot)
    }
}

extension RoutingGraph {
    /// Base address of a buffer; an empty buffer (no arcs) gets a dangling but never-read pointer.
    private static func address<T>(_ buffer: UnsafeBufferPointer<T>) -> UnsafePointer<T> {
        buffer.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<T>.alignment)!
    }

    func withAdjacency<R>(_ direction: SearchDirection, _ body: (AdjacencyView) throws -> R) rethrows -> R {
        switch direction {
        case .forward:
            return try firstArc.withUnsafeBufferPointer { first in
                try arcHead.withUnsafeBufferPointer { head in
                    switch arcCosts {
                    case let .exact(costs):
                        return try costs.withUnsafeBufferPointer { cost in
                            try body(AdjacencyView(first: first.baseAddress!, neighbour: Self.address(head),
                                                   costs: Self.address(cost), units: nil, scale: 1, forwardArc: nil))
                        }
                    case let .decimal(units, scale):
                        return try units.withUnsafeBufferPointer { units in
                            try body(AdjacencyView(first: first.baseAddress!, neighbour: Self.address(head),
                                                   costs: nil, units: Self.address(units), scale: scale, forwardArc: nil))
                        }
                    }
                }
            }
        case .backward:
            let reverse = derived.reverseAdjacency(of: self)
            return try reverse.first.withUnsafeBufferPointer { first in
                try reverse.tail.withUnsafeBufferPointer { tail in
                    try reverse.cost.withUnsafeBufferPointer { cost in
                        try reverse.forward.withUnsafeBufferPointer { forward in
                            try body(AdjacencyView(first: first.baseAddress!, neighbour: Self.address(tail),
                                                   costs: Self.address(cost), units: nil, scale: 1,
                                                   forwardArc: Self.address(forward)))
                        }
                    }
                }
            }
        }
    }
}

/// Query objects own mutable search state; each worker makes its own.
@available(*, unavailable)
extension ShortestPathQuery: Sendable {}
