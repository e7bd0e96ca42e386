import Foundation
@testable import RouteShiftBatch
import RouteShiftCore
import RouteShiftNetwork
@testable import RouteShiftReports
@testable import RouteShiftScenario
@testable import RouteShiftSimulation

/// The Balkan fixture network (Fixtures/balkans.geojson), hubs only:
///
///     izmir ─SEA-GR-TR-001─ lesvos ─ferry─ athens ─ thessaloniki ─GR-MK-001─ skopje ─MK-RS-001─ belgrade
///     izmir ─ edirne ─BG-TR-001─ sofia ─BG-RS-001─ belgrade
///     belgrade ─HU-RS-001 / HU-RS-002─ budapest ─AT-HU-001─ vienna
///     belgrade ─HR-RS-001─ zagreb ─HR-SI-001─ ljubljana ─AT-SI-001─ vienna
enum ScenarioFixtures {
    static var networkPath: String {
        Bundle.module.url(forResource: "balkans", withExtension: "geojson", subdirectory: "Fixtures")!.path
    }

    static let network: RouteNetwork = try! GeoJSONNetwork.read(path: networkPath)

    static func costed(_ p: CostModel.Parameters = .init()) throws -> CostedNetwork {
        try CostModel.apply(p, to: network)
    }

    /// A fresh directory under the temporary directory.
    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rs-scen-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Parses `yaml` and resolves it against the fixture network.
    static func resolve(_ yaml: String, file: String = "scenario.yaml") throws -> ResolvedScenario {
        let scenario = try ScenarioParser.parse(yaml, file: file)
        return try ScenarioResolver(costed: try ScenarioResolver.costed(scenario, network: network)).resolve(scenario)
    }

    /// Runs `yaml` on the fixture network.
    static func simulate(_ yaml: String) throws -> SimulationReport {
        try Simulation.run(resolve(yaml))
    }

    static func row(ofSegment id: String) -> Int {
        (0..<network.edgeCount).first { network.edgeString("segment", row: $0) == id }!
    }
}
