import Foundation
import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftScenario
import RouteShiftSimulation

/// The Balkan fixture network (Fixtures/balkans.geojson), hubs only:
///
///     izmir ─SEA-GR-TR-001─ lesvos ─ferry─ athens ─ thessaloniki ─GR-MK-001─ skopje ─MK-RS-001─ belgrade
///     izmir ─ edirne ─BG-TR-001─ sofia ─BG-RS-001─ belgrade
///     belgrade ─HU-RS-001 / HU-RS-002─ budapest ─AT-HU-001─ vienna
///     belgrade ─HR-RS-001─ zagreb ─HR-SI-001─ ljubljana ─AT-SI-001─ vienna
public enum ScenarioFixtures {
    public static var networkPath: String {
        Bundle.module.url(forResource: "balkans", withExtension: "geojson", subdirectory: "Fixtures")!.path
    }

    public static let network: RouteNetwork = try! GeoJSONNetwork.read(path: networkPath)

    /// Scenario lines of three pairs on the fixture network, all or nothing (Izmir → Vienna 1,000,
    /// Izmir → Budapest 300, Athens → Vienna 200: 1,500 through Hungary–Serbia section 001 in
    /// the baseline), for a scenario to add its name and interventions to.
    public static let threePairDemand = """
    demand:
      - {origin: izmir, destination: vienna, flow: 1000}
      - {origin: izmir, destination: budapest, flow: 300}
      - {origin: athens, destination: vienna, flow: 200}
    assignment: {method: all-or-nothing}
    """

    public static func costed(_ p: CostModel.Parameters = .init()) throws -> CostedNetwork {
        try CostModel.apply(p, to: network)
    }

    /// Parses `yaml` and resolves it against the fixture network.
    public static func resolve(_ yaml: String, file: String = "scenario.yaml") throws -> ResolvedScenario {
        let scenario = try ScenarioParser.parse(yaml, file: file)
        return try ScenarioResolver(costed: try ScenarioResolver.costed(scenario, network: network)).resolve(scenario)
    }

    /// Runs `yaml` on the fixture network.
    public static func simulate(_ yaml: String) throws -> SimulationReport {
        try Simulation.run(resolve(yaml))
    }

    public static func row(ofSegment id: String) -> Int {
        (0..<network.edgeCount).first { network.edgeString("segment", row: $0) == id }!
    }

    /// Two edges: a 100 km land leg 1→2 (one-way) and a 50 km sea crossing 2→3
    /// with risk 10 per 1,000 and high surveillance.
    public static func twoEdgeNetwork() throws -> RouteNetwork {
        var table = EdgeTable()
        table.append(id: 1, source: 1, target: 2, cost: 1, reverseCost: -1)
        table.append(id: 2, source: 2, target: 3, cost: 1, reverseCost: 1)
        return try RouteNetwork(
            graph: RoutingGraph(edges: table), edges: table, nodeNames: [1: "a", 2: "b", 3: "c"],
            edgeProperties: [
                ["kind": "leg", "mode": "land", "length_km": 100],
                ["kind": "sea", "mode": "sea", "length_km": 50, "risk": 10, "surveillance": "high", "segment": "SEA-X-001"],
            ], origin: "two-edge")
    }
}

/// The observation fixture (Fixtures/observations-mini): a network and tables small
/// enough to work every figure out by hand. The only way from Belgrade to Berlin is the
/// Hungary–Serbia section HU-RS-001; everyone from Syria, Turkey, Afghanistan and Iran
/// crosses Izmir → Mytilene and then HU-RS-001.
public enum ObservationFixtures {
    public static var directory: String { Bundle.module.path(forResource: "Fixtures/observations-mini", ofType: nil)! }

    public static func load() throws -> (RouteNetwork, ObservationData) {
        (try NetworkSource.load(directory + "/network.geojson"), try ObservationData.load(directory: directory))
    }

    public static func scenario(_ yaml: String) throws -> Scenario {
        try ScenarioParser.parse(yaml, file: "/tmp/period-test.yaml")
    }

    /// The scenario `yaml` run period by period on the fixture's network and tables.
    public static func runPeriods(_ yaml: String, workers: Int? = nil) throws -> PeriodRun {
        let (network, data) = try load()
        return try Simulation.runPeriods(scenario: scenario(yaml), network: network, observations: data, workers: workers)
    }
}
