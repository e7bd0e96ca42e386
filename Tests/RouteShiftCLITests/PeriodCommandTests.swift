import Foundation
import RouteShiftTestSupport
import XCTest

/// `routeshift demand` and `simulate --periods` end to end, on the observation fixture
/// (a small network and hand-made tables; see RouteShiftObservationsTests).
final class PeriodCommandTests: XCTestCase {
    static let fixture = SourceTree.root.appendingPathComponent("Tests/RouteShiftObservationsTests/Fixtures/mini").path

    var work: URL!
    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("rs-periods-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: work) }

    func routeshift(_ arguments: [String]) throws -> RouteShiftProcess.Run {
        var env = ProcessInfo.processInfo.environment
        env["ROUTESHIFT_OBSERVATIONS"] = Self.fixture
        env["ROUTESHIFT_NETWORK"] = Self.fixture + "/network.geojson"
        return try RouteShiftProcess.run(arguments, environment: env)
    }

    func testDemandWritesRowsAndHandTotals() throws {
        let r = try routeshift(["demand", "--period", "2015-09:2015-10", "--by", "month"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "period,origin_hub,destination_hub,nationality,flow,source")
        // 120 × 1/3 × 3/4 = 30 Syrians from Damascus to Berlin in September.
        XCTAssertTrue(lines.contains { $0.hasPrefix("2015-09,damascus,berlin,SYR,30.000,") }, r.stdout)
        XCTAssertTrue(r.stderr.contains("2015-09: 190 people placed"), r.stderr)
        XCTAssertTrue(r.stderr.contains("OOO 70 detections: 30 shared among known nationalities, 40 secondary"), r.stderr)
        let json = try routeshift(["demand", "--period", "2015-09", "--nationality", "AFG", "--format", "json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertTrue(json.stdout.contains("\"schema\":\"routeshift.demand/1\""), json.stdout)
        let bad = try routeshift(["demand", "--period", "2015-09", "--nationality", "SYX", "--output", work.appendingPathComponent("d.csv").path])
        XCTAssertEqual(bad.status, 65)
        XCTAssertTrue(bad.stderr.contains("'SYX'") && bad.stderr.contains("'SYR'"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("d.csv").path))
        let outside = try routeshift(["demand", "--period", "2030"])
        XCTAssertEqual(outside.status, 65)
        XCTAssertTrue(outside.stderr.contains("outside the Frontex data"), outside.stderr)
    }

    func testSimulatePeriodsWritesTheTimeSeriesAndEndsWithTheARD() throws {
        let scenario = work.appendingPathComponent("s.yaml")
        try """
        name: fence
        demand: observed
        assignment: {method: all-or-nothing}
        interventions:
          - close: HU-RS
            from: 2015-09-16
        """.write(to: scenario, atomically: true, encoding: .utf8)
        let out = work.appendingPathComponent("out")
        let r = try routeshift(["simulate", scenario.path, "--periods", "2015-09:2015-10", "--by", "month", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("route ARD per period"), r.stderr)
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        for name in ["routes_timeseries.csv", "segments_timeseries.geojson", "stranded_timeseries.csv", "summary_timeseries.csv",
                     "timeseries.csv", "summary.json", "report.md"] {
            XCTAssertTrue(names.contains(name), "\(name) in \(names)")
        }
        let summary = try String(contentsOf: out.appendingPathComponent("summary_timeseries.csv"), encoding: .utf8)
        // Half of September's 190 cross before the fence closes on the 16th (15 of 30 days).
        XCTAssertTrue(summary.contains("2015-09,190.000,95.000,95.000,"), summary)
        // A window that overlaps no simulated period: exit 65, nothing written.
        let none = work.appendingPathComponent("none")
        try String(contentsOf: scenario, encoding: .utf8).replacingOccurrences(of: "2015-09-16", with: "2016-01-01")
            .write(to: scenario, atomically: true, encoding: .utf8)
        let bad = try routeshift(["simulate", scenario.path, "--periods", "2015-09", "--out", none.path])
        XCTAssertEqual(bad.status, 65, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("overlaps no simulated period"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: none.path + "/summary.json"))
    }
}
