import RouteShiftGraph
import RouteShiftNetwork

/// A scenario checked against a costed network: demand as node ids, the
/// interventions as a `CostOverlay` and capacities by edge row.
public struct ResolvedScenario: Sendable {
    public var scenario: Scenario
    public var costed: CostedNetwork
    public var demand: [Demand]
    public var overlay: CostOverlay
    /// People per period, by edge row.
    public var capacities: [Int: Double]
    /// What the scenario does to each edge row it touches; untouched rows are `open`.
    public var status: [Int: EdgeStatus]

    public init(scenario: Scenario, costed: CostedNetwork, demand: [Demand], overlay: CostOverlay,
                capacities: [Int: Double], status: [Int: EdgeStatus]) {
        self.scenario = scenario; self.costed = costed; self.demand = demand; self.overlay = overlay
        self.capacities = capacities; self.status = status
    }
}
