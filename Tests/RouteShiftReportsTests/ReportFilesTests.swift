import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftScenarioFixtures
@testable import RouteShiftReports
import RouteShiftScenario
import RouteShiftSimulation
import XCTest
import RouteShiftTestSupport

/// The report files of one simulation: names, bytes, number formatting.
final class ReportFilesTests: XCTestCase {
    let demand = ScenarioFixtures.threePairDemand

    func testReportFilesAreDeterministicAndAtomic() throws {
        let yaml = "name: close HU-RS\n\(demand)\ninterventions:\n  - close: HU-RS\n"
        let a = try ReportFiles.render(ScenarioFixtures.simulate(yaml))
        let b = try ReportFiles.render(ScenarioFixtures.simulate(yaml))
        XCTAssertEqual(a.map(\.name), ReportFiles.names)
        for (x, y) in zip(a, b) { XCTAssertEqual(x.bytes, y.bytes, x.name) }

        let dir = try TemporaryDirectory("rs-scen")
        try ReportFiles.write(ScenarioFixtures.simulate(yaml), to: dir.path("out"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path("out")).sorted(), ReportFiles.names)
        let od = try String(contentsOfFile: dir.path("out/od.csv"), encoding: .utf8)
        XCTAssertTrue(od.hasPrefix("origin,destination,demand,"))
        XCTAssertTrue(od.contains("\nizmir,budapest,300.000,300.000,300.000,0.000,0.000,,300.000,"), od)
    }

    /// routes.geojson is written straight into bytes; the generic writer (a Feature per main
    /// path, `GeoJSON.encode`) is the independent answer it must equal byte for byte. The
    /// scenario uses the logit, so paths of one pair share edges and end points.
    func testRoutesGeoJSONEqualsTheGenericFeatureWriter() throws {
        let yaml = """
        name: logit with a closure
        demand:
          - {origin: izmir, destination: vienna, flow: 1000}
          - {origin: athens, destination: budapest, flow: 250}
        assignment: {method: logit, k: 3}
        interventions:
          - close: HU-RS
        """
        let report = try ScenarioFixtures.simulate(yaml)
        let graph = report.costed.graph, network = report.network
        var features: [Feature] = []
        for r in ReportFiles.routeRows(report) {
            var line: [Coordinate] = []
            for arc in r.path.path.arcs {
                let row = Int(graph.arcEdge[Int(arc)])
                var part = network.geometry(ofEdgeRow: row) ?? []
                if graph.edgeForwardArc[row] != arc { part.reverse() }
                if let last = line.last, let first = part.first, last == first { part.removeFirst() }
                line += part
            }
            features.append(Feature(geometry: line.count >= 2 ? .lineString(line) : nil, properties: [
                "origin": .string(r.od.originName), "destination": .string(r.od.destinationName), "phase": .string(r.phase),
                "rank": .number(Double(r.rank)), "flow": ReportFiles.number(r.path.flow, 3),
                "distance_km": ReportFiles.number(r.km, 1), "cost": ReportFiles.number(r.path.path.totalCost, 2),
                "risk": ReportFiles.number(r.risk, 6), "expected_fatalities": ReportFiles.number(r.risk * r.path.flow, 4),
                "segments": .array(r.segments.map(JSONValue.string)), "routes": .array(r.labels.map(JSONValue.string)),
            ]))
        }
        XCTAssertGreaterThan(features.count, 4)
        for precision in [6, 3] {
            let expected = try GeoJSON.encode(FeatureCollection(features: features),
                                              options: GeoJSONWriterOptions(coordinatePrecision: precision)) + [10]
            // The same bytes and file order whatever the number of threads rendering the files.
            for workers in [1, 2, 3] {
                let files = try ReportFiles.render(report, coordinatePrecision: precision, workers: workers)
                XCTAssertEqual(files.map(\.name), ["od.csv", "report.md", "routes.csv", "routes.geojson", "segments.csv",
                                                    "segments.geojson", "summary.json"])
                let got = files.first { $0.name == "routes.geojson" }!.bytes
                XCTAssertEqual(String(decoding: got, as: UTF8.self), String(decoding: expected, as: UTF8.self), "\(workers) threads")
            }
        }
    }

    func testFixedFormatting() {
        XCTAssertEqual(ReportFiles.fixed(-0.0001, 3), "0.000")
        XCTAssertEqual(ReportFiles.fixed(2.5, 1), "2.5")
        XCTAssertEqual(ReportFiles.fixed(-1.25, 1), "-1.2")
        // Beyond 10^15 there are no decimals left: the shortest form that reads back as the same double.
        XCTAssertEqual(ReportFiles.fixed(1e300, 2), "1e+300")
        XCTAssertEqual(Double(ReportFiles.fixed(-1.7976931348623157e308, 2)), -1.7976931348623157e308)
        XCTAssertEqual(ReportFiles.fixed(123_456_789_012_345.6, 1), "123456789012345.6")
        XCTAssertEqual(ReportFiles.number(1e300, 2), .number(1e300))
        XCTAssertEqual(ReportFiles.number(1.23456, 2), .number(1.23))
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
