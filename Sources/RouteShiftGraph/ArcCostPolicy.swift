/// How a search prices an arc: a compile-time choice, so the plain search loop
/// carries no overlay test at all and the overlay loop is a separate
/// specialisation (no closures or existentials per arc).
protocol ArcCostPolicy {
    /// Whether `cost` may return `.infinity` (arc closed); lets the plain loop drop the test.
    static var mayClose: Bool { get }
    /// Cost of forward arc `arc` into node `head`, whose graph cost is `base`.
    func cost(arc: Int32, head: Int32, base: Double) -> Double
}

/// The graph's own costs.
struct GraphCosts: ArcCostPolicy {
    static var mayClose: Bool { false }
    @inline(__always)
    func cost(arc: Int32, head: Int32, base: Double) -> Double { base }
}

/// Costs under a scenario overlay.
struct OverlayCosts: ArcCostPolicy {
    let overlay: CostOverlay
    static var mayClose: Bool { true }
    @inline(__always)
    func cost(arc: Int32, head: Int32, base: Double) -> Double {
        overlay.isChanged(arc) ? overlay.changedCost[arc]! : base
    }
}

/// Costs under an optional overlay, with some nodes and arcs removed (the
/// spur searches of Yen's algorithm).
struct RestrictedCosts: ArcCostPolicy {
    let overlay: CostOverlay?
    let bannedNodeStamp: UnsafeMutablePointer<UInt32>
    let banGeneration: UInt32
    let bannedArcs: Set<Int32>
    static var mayClose: Bool { true }
    @inline(__always)
    func cost(arc: Int32, head: Int32, base: Double) -> Double {
        if bannedNodeStamp[Int(head)] == banGeneration || bannedArcs.contains(arc) { return .infinity }
        if let overlay, overlay.isChanged(arc) { return overlay.changedCost[arc]! }
        return base
    }
}
