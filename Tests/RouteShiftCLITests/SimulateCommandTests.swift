import Foundation
import RouteShiftTestSupport
import XCTest

/// `routeshift simulate` and `routeshift sweep` end to end, on the example scenarios.
final class SimulateCommandTests: XCTestCase {
    typealias Outcome = RouteShiftProcess.Run

    static let examples = SourceTree.exampleScenarios

    static var executable: URL { RouteShiftProcess.binary }

    func routeshift(_ arguments: [String]) throws -> Outcome {
        try RouteShiftProcess.run(arguments)
    }

    private var temporary: TemporaryDirectory!
    var work: URL { temporary.url }

    override func setUpWithError() throws { temporary = try TemporaryDirectory("rs-simulate") }
    override func tearDown() { temporary = nil }

    func files(in dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }

    static let outputs = ["od.csv", "report.md", "routes.csv", "routes.geojson", "segments.csv", "segments.geojson", "summary.json"]

    func testSimulateWritesEveryFileWithTheSameBytesTwice() throws {
        let scenario = Self.examples.appendingPathComponent("close-hu-rs.yaml").path
        let a = work.appendingPathComponent("a"), b = work.appendingPathComponent("b")
        let first = try routeshift(["simulate", scenario, "--out", a.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stdout, "")
        XCTAssertTrue(first.stderr.contains("displaced 1500.0"), first.stderr)
        let second = try routeshift(["simulate", scenario, "--out", b.path, "--quiet"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(second.stderr, "")
        XCTAssertEqual(files(in: a), Self.outputs)
        XCTAssertEqual(files(in: b), Self.outputs)
        for name in Self.outputs {
            let x = try Data(contentsOf: a.appendingPathComponent(name)), y = try Data(contentsOf: b.appendingPathComponent(name))
            XCTAssertFalse(x.isEmpty, name)
            XCTAssertEqual(x, y, name)
        }
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: a.appendingPathComponent("summary.json"))) as? [String: Any]
        XCTAssertEqual(summary?["schema"] as? String, "routeshift.simulation/1")
        XCTAssertEqual(summary?["closed_segments"] as? [String], ["HU-RS-001", "HU-RS-002"])
        let segments = try String(contentsOf: a.appendingPathComponent("segments.csv"), encoding: .utf8)
        XCTAssertTrue(segments.contains("\nHU-RS-001,6,border,HU-RS,Western Balkans,closed,1500.000,0.000,-1500.000,-1.0000\n"), segments)
    }

    func testEveryExampleRuns() throws {
        let scenarios = try FileManager.default.contentsOfDirectory(atPath: Self.examples.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThanOrEqual(scenarios.count, 3)
        for (i, name) in scenarios.enumerated() {
            let out = work.appendingPathComponent("ex\(i)")
            let r = try routeshift(["simulate", Self.examples.appendingPathComponent(name).path, "--out", out.path, "-q"])
            XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            XCTAssertEqual(files(in: out), Self.outputs, name)
        }
    }

    func testFailingRunLeavesNoFiles() throws {
        let network = Self.examples.appendingPathComponent("balkans-network.geojson").path
        let scenario = work.appendingPathComponent("bad.yaml")
        try """
        name: misspelled segment
        network: \(network)
        demand:
          - {origin: izmir, destination: vienna, flow: 100}
        interventions:
          - close: HU-RS-01
        """.write(to: scenario, atomically: true, encoding: .utf8)
        let out = work.appendingPathComponent("out")
        let r = try routeshift(["simulate", scenario.path, "--out", out.path])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("bad.yaml:6 ($.interventions[0].close): unknown edge, segment, border or hub 'HU-RS-01'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("did you mean 'HU-RS-001'"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))

        // An existing output directory keeps its old files and gains no temporary ones.
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try "old".write(to: out.appendingPathComponent("summary.json"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try routeshift(["simulate", scenario.path, "--out", out.path]).status, 65)
        XCTAssertEqual(files(in: out), ["summary.json"])
        XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8), "old")

        let missing = try routeshift(["simulate", work.appendingPathComponent("nope.yaml").path, "--out", out.path])
        XCTAssertEqual(missing.status, 66)

        // An output directory that cannot be created: exit 73, nothing written.
        let blocker = work.appendingPathComponent("file")
        try "x".write(to: blocker, atomically: true, encoding: .utf8)
        let good = Self.examples.appendingPathComponent("close-hu-rs.yaml").path
        XCTAssertEqual(try routeshift(["simulate", good, "--out", blocker.appendingPathComponent("sub").path]).status, 73)
    }

    func testSweepRanksBorders() throws {
        let out = work.appendingPathComponent("sweep")
        let r = try routeshift(["sweep", Self.examples.appendingPathComponent("close-hu-rs.yaml").path, "--by", "border",
                                "--out", out.path, "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(files(in: out), ["sweep.csv", "sweep.geojson"])
        let csv = try String(contentsOf: out.appendingPathComponent("sweep.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "rank,id,edges,baseline_flow,reassigned_demands,displaced_flow,stranded_flow,added_cost,added_fatalities")
        // HU-RS is already closed by the scenario, so it carries nothing and ranks last.
        XCTAssertTrue(csv.last?.contains(",HU-RS,2,0.000,0,0.000,0.000,0.00,0.0000") ?? false, "\(csv)")
    }
}
