/// Which arcs of an edge an overlay change applies to. `forward` is
/// source→target as in the edge table, `backward` is target→source.
public enum TravelDirection: String, Hashable, Sendable, CaseIterable {
    case both, forward, backward
}

/// A scenario's changes to arc costs (closures, surveillance multipliers,
/// override costs) applied on top of a `RoutingGraph` without rebuilding it.
///
/// Changes apply in call order to the current cost of each arc: `close` makes
/// the arc absent, `multiplyCost` scales it, `setCost` replaces it (and so
/// reopens a closed arc), `restore` returns to the graph's cost. Only arcs the
/// graph has can be changed: an overlay never adds an arc.
///
/// Storage is one bit per arc plus a hash map for changed arcs, so the search
/// loop pays one bit test per arc and a lookup only on changed arcs.
public struct CostOverlay: Sendable {
    let graphIdentity: UInt64
    /// Base costs, so changes compose without the graph at hand.
    private let baseCosts: ArcCosts
    private let edgeArcs: (forward: [Int32], backward: [Int32])
    private let arcEdge: Column<Int32>
    private let edgeRows: EdgeRows
    private(set) var changedMask: [UInt64]
    /// Effective cost of each changed forward arc; `.infinity` when closed.
    private(set) var changedCost: [Int32: Double] = [:]

    /// An overlay with no changes for `graph`.
    /// - Complexity: O(arcs / 64).
    public init(graph: RoutingGraph) {
        graphIdentity = graph.identity
        baseCosts = graph.arcCosts
        edgeArcs = (graph.edgeForwardArc, graph.edgeBackwardArc)
        arcEdge = graph.arcEdge
        edgeRows = graph.edgeRows
        changedMask = [UInt64](repeating: 0, count: (graph.arcCount + 63) / 64)
    }

    /// Whether no arc has been changed.
    public var isEmpty: Bool { changedCost.isEmpty }

    /// Makes the edge impassable in `direction`.
    /// - Throws: `GraphError.unknownEdge`, or `.absentDirection` when a single
    ///   direction is named and the edge has no arc that way.
    public mutating func close(edge edgeId: Int64, direction: TravelDirection = .both) throws {
        for arc in try arcs(of: edgeId, direction) { change(arc, to: .infinity) }
    }

    /// Multiplies the edge's current cost in `direction` by `factor`.
    /// - Throws: as `close`, and `.invalidOverlayValue` unless `factor` is finite and not negative.
    public mutating func multiplyCost(ofEdge edgeId: Int64, by factor: Double, direction: TravelDirection = .both) throws {
        guard factor.isFinite, factor >= 0 else { throw GraphError.invalidOverlayValue(edgeId: edgeId, value: factor) }
        for arc in try arcs(of: edgeId, direction) { change(arc, to: cost(ofArc: arc) * factor) }
    }

    /// Replaces the edge's cost in `direction` with `cost` (reopening it if closed).
    /// - Throws: as `close`, and `.invalidOverlayValue` unless `cost` is finite and not negative.
    public mutating func setCost(ofEdge edgeId: Int64, to cost: Double, direction: TravelDirection = .both) throws {
        guard cost.isFinite, cost >= 0 else { throw GraphError.invalidOverlayValue(edgeId: edgeId, value: cost) }
        for arc in try arcs(of: edgeId, direction) { change(arc, to: cost) }
    }

    /// Returns the edge to the graph's own cost in `direction`.
    public mutating func restore(edge edgeId: Int64, direction: TravelDirection = .both) throws {
        for arc in try arcs(of: edgeId, direction) {
            changedCost[arc] = nil
            changedMask[Int(arc) >> 6] &= ~(1 << (UInt64(arc) & 63))
        }
    }

    /// The effective cost of forward arc `arc`, `.infinity` if closed.
    @inline(__always)
    public func cost(ofArc arc: Int32) -> Double {
        if changedMask[Int(arc) >> 6] & (1 << (UInt64(arc) & 63)) != 0 { return changedCost[arc]! }
        return baseCosts[Int(arc)]
    }

    /// Whether no changed arc costs less than in the graph (closures and raised costs
    /// only): bounds computed on the graph's costs, such as `Landmarks`, then stay admissible.
    /// - Complexity: O(changed arcs).
    public var neverLowersCosts: Bool {
        changedCost.allSatisfy { arc, cost in cost >= baseCosts[Int(arc)] }
    }

    /// Whether forward arc `arc` has been changed (the fast pre-test of `cost(ofArc:)`).
    @inline(__always)
    func isChanged(_ arc: Int32) -> Bool {
        changedMask[Int(arc) >> 6] & (1 << (UInt64(arc) & 63)) != 0
    }

    /// Edge ids whose arcs are closed in at least one direction, ascending.
    public var closedEdges: [Int64] {
        let rows = Set(changedCost.filter { $0.value == .infinity }.keys.map { arcEdge[Int($0)] })
        return rows.map { edgeRows.id(ofRow: $0) }.sorted()
    }

    private mutating func change(_ arc: Int32, to cost: Double) {
        changedCost[arc] = cost
        changedMask[Int(arc) >> 6] |= 1 << (UInt64(arc) & 63)
    }

    private func arcs(of edgeId: Int64, _ direction: TravelDirection) throws -> [Int32] {
        guard let row = edgeRows.row(of: edgeId).map(Int.init) else { throw GraphError.unknownEdge(edgeId) }
        let forward = edgeArcs.forward[row], backward = edgeArcs.backward[row]
        switch direction {
        case .both: return [forward, backward].filter { $0 >= 0 }
        case .forward:
            guard forward >= 0 else { throw GraphError.absentDirection(edgeId: edgeId, direction: .forward) }
            return [forward]
        case .backward:
            guard backward >= 0 else { throw GraphError.absentDirection(edgeId: edgeId, direction: .backward) }
            return [backward]
        }
    }
}
