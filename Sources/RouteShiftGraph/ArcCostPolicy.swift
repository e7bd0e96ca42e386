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

/// How a search loop reads the graph's cost column; one specialisation per
/// storage form (see `ArcCosts`), chosen once per search.
protocol ArcCostColumn {
    subscript(slot: Int) -> Double { get }
}

/// Costs stored as doubles.
struct DoubleCostColumn: ArcCostColumn {
    let costs: UnsafePointer<Double>
    @inline(__always)
    subscript(slot: Int) -> Double { costs[slot] }
}

/// Costs stored as decimal units: one correctly rounded division each, the
/// same double the decimal text parses to.
struct DecimalCostColumn: ArcCostColumn {
    let units: UnsafePointer<UInt32>
    let scale: Double
    @inline(__always)
    subscript(slot: Int) -> Double { Double(units[slot]) / scale }
}
