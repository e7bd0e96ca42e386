import XCTest
import RouteShiftGeoJSON
import RouteShiftNetwork
import RouteShiftScenarioFixtures
@testable import RouteShiftReports
@testable import RouteShiftSimulation

/// The files a simulation writes keep the contract that readers (maps, notebooks) rely on.
final class OutputContractTests: XCTestCase {
    func testReportFilesFollowTheSimulationOutputContract() throws {
        let report = try ScenarioFixtures.simulate("""
        name: contract
        demand:
          - {origin: izmir, destination: vienna, flow: 100}
        interventions:
          - close: HU-RS
        """)
        let files = try ReportFiles.render(report)
        XCTAssertEqual(files.map(\.name), SimulationOutput.File.all)
        func features(_ name: String) throws -> [Feature] {
            try GeoJSON.decodeFeatureCollection(files.first { $0.name == name }!.bytes).features
        }
        let segments = try features(SimulationOutput.File.segments)
        XCTAssertEqual(segments.count, report.segments.count)
        for f in segments {
            XCTAssertTrue(SimulationOutput.isSegment(f.properties), "\(f.properties)")
            XCTAssertFalse(SimulationOutput.isRoute(f.properties))
            XCTAssertEqual(Set(f.properties.keys), Set(SimulationOutput.Segment.columns))
            let status = try XCTUnwrap(f.properties[SimulationOutput.Segment.status]?.stringValue)
            XCTAssertNotNil(EdgeStatus(label: status), status)
        }
        // The closed border's sections read back as closed.
        let closed = segments.filter { $0.properties["border"]?.stringValue == "HU-RS" }
        XCTAssertFalse(closed.isEmpty)
        XCTAssertTrue(closed.allSatisfy { EdgeStatus(label: $0.properties["status"]!.stringValue!)!.isClosed })
        let routes = try features(SimulationOutput.File.routes)
        XCTAssertFalse(routes.isEmpty)
        for f in routes { XCTAssertTrue(SimulationOutput.isRoute(f.properties), "\(f.properties)") }
        let csv = String(decoding: files.first { $0.name == SimulationOutput.File.segmentsCSV }!.bytes, as: UTF8.self)
        XCTAssertEqual(csv.split(separator: "\n").first.map(String.init), SimulationOutput.Segment.columns.joined(separator: ","))
        let summary = try GeoJSON.decodeJSON(files.first { $0.name == SimulationOutput.File.summary }!.bytes)
        XCTAssertEqual(summary.objectValue?["schema"]?.stringValue, SimulationOutput.schema)
    }
}
