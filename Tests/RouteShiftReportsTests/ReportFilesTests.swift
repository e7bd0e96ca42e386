import Foundation
import RouteShiftScenarioFixtures
@testable import RouteShiftReports
import RouteShiftScenario
import RouteShiftSimulation
import XCTest

/// The report files of one simulation: names, bytes, number formatting.
final class ReportFilesTests: XCTestCase {
    let demand = """
    demand:
      - {origin: izmir, destination: vienna, flow: 1000}
      - {origin: izmir, destination: budapest, flow: 300}
      - {origin: athens, destination: vienna, flow: 200}
    assignment: {method: all-or-nothing}
    """

    func testReportFilesAreDeterministicAndAtomic() throws {
        let yaml = "name: close HU-RS\n\(demand)\ninterventions:\n  - close: HU-RS\n"
        let a = try ReportFiles.render(ScenarioFixtures.simulate(yaml))
        let b = try ReportFiles.render(ScenarioFixtures.simulate(yaml))
        XCTAssertEqual(a.map(\.name), ReportFiles.names)
        for (x, y) in zip(a, b) { XCTAssertEqual(x.bytes, y.bytes, x.name) }

        let dir = try ScenarioFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ReportFiles.write(ScenarioFixtures.simulate(yaml), to: dir + "/out")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/out").sorted(), ReportFiles.names)
        let od = try String(contentsOfFile: dir + "/out/od.csv", encoding: .utf8)
        XCTAssertTrue(od.hasPrefix("origin,destination,demand,"))
        XCTAssertTrue(od.contains("\nizmir,budapest,300.000,300.000,300.000,0.000,0.000,,300.000,"), od)
    }

    func testFixedFormatting() {
        XCTAssertEqual(ReportFiles.fixed(-0.0001, 3), "0.000")
        XCTAssertEqual(ReportFiles.fixed(2.5, 1), "2.5")
        XCTAssertEqual(ReportFiles.fixed(-1.25, 1), "-1.2")
    }
}

/// Checked-in expected outputs for the Hungary–Serbia closure on the fixture network
/// (all-or-nothing, so every figure is exact and independent of the logit's internals).
/// After an intended format change, regenerate with `ROUTESHIFT_UPDATE_GOLDEN=1`.
final class GoldenReportTests: XCTestCase {
    func testCloseHungarySerbiaMatchesGoldenFiles() throws {
        let scenario = try ScenarioParser.parse("""
        name: Hungary–Serbia border closed
        demand:
          - {origin: izmir, destination: vienna, flow: 1000}
          - {origin: izmir, destination: budapest, flow: 300}
          - {origin: athens, destination: vienna, flow: 200}
        assignment: {method: all-or-nothing}
        interventions:
          - close: HU-RS
          - surveillance: {segment: BG-RS-001, cost_multiplier: 1.5}
        """, file: "close-hu-rs.yaml")
        let report = try Simulation.run(scenario: scenario, network: ScenarioFixtures.network)
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/golden")
        for file in try ReportFiles.render(report) where ["summary.json", "od.csv", "segments.csv"].contains(file.name) {
            let text = String(decoding: file.bytes, as: UTF8.self)
                .replacingOccurrences(of: ScenarioFixtures.networkPath, with: "balkans.geojson")
            let url = golden.appendingPathComponent("close-hu-rs." + file.name)
            if ProcessInfo.processInfo.environment["ROUTESHIFT_UPDATE_GOLDEN"] != nil {
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
            XCTAssertEqual(text, try String(contentsOf: url, encoding: .utf8), file.name)
        }
    }
}
