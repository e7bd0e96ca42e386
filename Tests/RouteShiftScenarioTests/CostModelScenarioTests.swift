import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftScenarioFixtures
@testable import RouteShiftScenario
@testable import RouteShiftSimulation
import XCTest

/// Cost-model parameters and interventions as a scenario sets them.
final class CostModelScenarioTests: XCTestCase {
    func twoEdgeNetwork() throws -> RouteNetwork { try ScenarioFixtures.twoEdgeNetwork() }

    func testSurveillanceInterventionRecostsThroughTheOverlay() throws {
        let network = try twoEdgeNetwork()
        let costed = try CostModel.apply(.init(), to: network)
        let scenario = Scenario(name: "s", demand: .inline([DemandEntry(origin: "a", destination: "c", flow: 1)]),
                                interventions: [Intervention(action: .surveillance(costMultiplier: 2, detectionProbability: 0.8),
                                                             targets: [.segment("SEA-X-001")])])
        let resolved = try ScenarioResolver(costed: costed).resolve(scenario)
        // Detection 800·0.8/0.2 = 3200 instead of 800, then doubled: 2·(3633.5 − 800 + 3200).
        let cost = try ShortestPathQuery(graph: costed.graph).cost(from: 2, to: 3, overlay: resolved.overlay)!
        XCTAssertEqual(cost, 12067, accuracy: 1e-9)
        XCTAssertEqual(resolved.status, [1: .surveillance])
    }

    func testFileKeysSetEveryParameter() throws {
        let keys = CostModel.Parameters.fileKeys.map(\.key).filter { $0 != "detection_probability" }
        let yaml = "name: x\ndemand: d.csv\ncost_model:\n" + keys.map { "  \($0): 7\n" }.joined()
        let p = try ScenarioParser.parse(yaml).costModel
        for (key, set) in CostModel.Parameters.fileKeys where key != "detection_probability" {
            var q = CostModel.Parameters()
            set(&q, 7)
            XCTAssertNotEqual(q, CostModel.Parameters(), key)
        }
        XCTAssertEqual(p.valueOfLife, 7)
        XCTAssertEqual(p.landSpeedKmh, 7)
    }
}
