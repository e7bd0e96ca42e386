import RouteShiftGraph
import RouteShiftNetwork

/// How one crossing (edge of kind border, sea or ferry) is used before and after the scenario.
public struct SegmentDisplacement: Hashable, Sendable {
    public var row: Int
    public var edgeId: Int64
    /// `segment` attribute, or the edge id as text.
    public var segment: String
    public var border: String?
    public var kind: NetworkSchema.EdgeKind
    public var route: String?
    public var baselineFlow: Double
    public var scenarioFlow: Double
    /// What the scenario does to the crossing; `closedInNetwork` when the network itself has it closed.
    public var status: EdgeStatus

    public var change: Double { scenarioFlow - baselineFlow }
    /// Change relative to the baseline flow; `nil` when the baseline carries nothing.
    public var relativeChange: Double? { baselineFlow > 0 ? change / baselineFlow : nil }
}

/// One OD pair's journeys under one assignment.
public struct JourneyState: Hashable, Sendable {
    public var assigned: Double
    public var stranded: Double
    /// Chose not to go this period (the logit's outside option).
    public var suppressed: Double
    /// Flow-weighted means over the paths used, per person arriving.
    public var meanDistanceKm: Double
    public var meanCost: Double
    /// Expected deaths per person arriving: Σ risk/1000 along the path, flow-weighted.
    public var meanRisk: Double
    /// Expected deaths of the whole flow: Σ_paths flow · Σ_edges risk/1000.
    public var expectedFatalities: Double
    /// Paths used, most used first.
    public var paths: [PathFlow]
}

/// One OD pair before and after.
public struct ODDisplacement: Hashable, Sendable {
    public var origin: Int64
    public var destination: Int64
    public var originName: String
    public var destinationName: String
    public var demand: Double
    public var baseline: JourneyState
    public var scenario: JourneyState
    /// Flow that leaves its baseline path: Σ_paths max(0, baseline − scenario flow); includes newly stranded flow.
    public var displaced: Double
    /// Where the scenario's stranded flow is held up: the last hub of the baseline route still reachable.
    public var strandedAt: String?
}

/// Flow of journeys using a public route label (a journey using two labels counts for both).
public struct RouteLabelFlow: Hashable, Sendable {
    public var route: String
    public var baselineFlow: Double
    public var scenarioFlow: Double
}

/// Network-wide totals.
public struct DisplacementTotals: Hashable, Sendable {
    public var demand: Double
    public var displaced: Double
    public var baselineStranded: Double
    public var scenarioStranded: Double
    /// Flow that chose not to go (the outside option); assigned + stranded + suppressed = demand.
    public var baselineSuppressed: Double
    public var scenarioSuppressed: Double
    /// Person-kilometres, generalised cost and expected deaths of all arriving flow.
    public var baselinePersonKm: Double
    public var scenarioPersonKm: Double
    public var baselineCost: Double
    public var scenarioCost: Double
    public var baselineFatalities: Double
    public var scenarioFatalities: Double
    public var baselineAssigned: Double
    public var scenarioAssigned: Double

    /// Means per arriving person (0 when nobody arrives).
    public var baselineMeanKm: Double { baselineAssigned > 0 ? baselinePersonKm / baselineAssigned : 0 }
    public var scenarioMeanKm: Double { scenarioAssigned > 0 ? scenarioPersonKm / scenarioAssigned : 0 }
    public var baselineMeanCost: Double { baselineAssigned > 0 ? baselineCost / baselineAssigned : 0 }
    public var scenarioMeanCost: Double { scenarioAssigned > 0 ? scenarioCost / scenarioAssigned : 0 }
    public var baselineMeanRisk: Double { baselineAssigned > 0 ? baselineFatalities / baselineAssigned : 0 }
    public var scenarioMeanRisk: Double { scenarioAssigned > 0 ? scenarioFatalities / scenarioAssigned : 0 }
}

/// Everything `Simulation.run` measures; the writers in `ReportFiles` only format it.
public struct SimulationReport: Sendable {
    public var scenario: Scenario
    public var costed: CostedNetwork
    public var resolved: ResolvedScenario
    public var baseline: AssignmentResult
    public var result: AssignmentResult
    /// Border, sea and ferry edges, by segment id then edge id.
    public var segments: [SegmentDisplacement]
    /// In demand order.
    public var ods: [ODDisplacement]
    public var totals: DisplacementTotals
    /// Stranded flow by hub name (`(unknown)` when no hub of the baseline route is reachable), by flow descending.
    public var strandedByHub: [(hub: String, flow: Double)]
    /// By label.
    public var routeFlows: [RouteLabelFlow]
    /// Segments gaining the most flow (positive change only), largest first.
    public var topAbsorbing: [SegmentDisplacement]

    public var network: RouteNetwork { costed.network }
}
