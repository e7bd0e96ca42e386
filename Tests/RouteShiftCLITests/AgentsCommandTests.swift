import Foundation
import XCTest
import RouteShiftTestSupport

/// `routeshift agents` end to end through the built binary: a small Flee scenario directory
/// written by the test, its outputs, and bad inputs (exit 65, file and line, nothing written).
final class AgentsCommandTests: XCTestCase {
    private var temporary: TemporaryDirectory!
    var work: URL { temporary.url }
    var scenario: String { work.appendingPathComponent("scenario").path }
    var validation: String { work.appendingPathComponent("validation").path }
    var out: String { work.appendingPathComponent("out").path }

    /// Conflict zone A (day 0) and town B in Alpha, camp C (capacity 500) in Beta;
    /// C's registrations go from 0 on 2020-01-01 to 100 on 2020-01-11.
    static let files: [String: String] = [
        "scenario/locations.csv": """
        #name,region,country,lat,lon,location_type,conflict_date,population
        A,ra,Alpha,1.0,30.0,conflict_zone,0,10000
        B,rb,Alpha,1.5,30.5,town,,2000
        C,rc,Beta,2.0,31.0,camp,,500

        """,
        "scenario/routes.csv": "#name1,name2,distance,forced_redirection\r\nA,B,100,\r\nB,C,150,\r\nA,C,400,\r\n",
        "scenario/closures.csv": "#closure_type,name1,name2,closure_start,closure_end\ncountry,Alpha,Beta,2,4\n",
        "scenario/sim_period.csv": "StartDate,2020-01-01\nLength,10\n",
        "validation/data_layout.csv": "total,total.csv\nC,c.csv\n",
        "validation/total.csv": "Date,count\n2020-01-01,0\n2020-01-11,100\n",
        "validation/c.csv": "2020-01-01,0\n2020-01-11,100\n",
    ]

    override func setUpWithError() throws {
        temporary = try TemporaryDirectory("rs-agents")
        for (path, text) in Self.files {
            let url = work.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    override func tearDown() { temporary = nil }

    func write(_ path: String, _ text: String) throws {
        try text.write(to: work.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    func agents(_ extra: [String] = []) throws -> RouteShiftProcess.Run {
        try RouteShiftProcess.run(["agents", scenario, "--validation", validation, "--out", out, "--seed", "3"] + extra)
    }

    func testRunWritesFleeLayoutAndScores() throws {
        let run = try agents()
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stderr.split(separator: "\n")
        XCTAssertTrue(lines.last!.hasPrefix("ard mean="), run.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        XCTAssertEqual(files, ["locations_daily.csv", "out.csv", "segments_daily.csv", "summary.json", "timeline.geojson"])
        let csv = try String(contentsOfFile: out + "/out.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv[0], "Day,Date,C sim,C data,C error,Total error,refugees in camps (UNHCR),total refugees (simulation),raw UNHCR refugee count,refugees in camps (simulation),refugee_debt")
        XCTAssertEqual(csv.count, 11)
        // Day 9: C's series is int(0 + 0.9 × 100) = 90, all of them spawned (none on day 0).
        let last = csv[10].split(separator: ",", omittingEmptySubsequences: false)
        XCTAssertEqual(last[0], "9")
        XCTAssertEqual(last[1], "2020-01-11")
        XCTAssertEqual(last[3], "90")
        XCTAssertEqual(last[7], "90")
        // No crossing into Beta while the border is closed (days 2-3): routes 2 (B-C) and 3 (A-C).
        let segments = try String(contentsOfFile: out + "/segments_daily.csv", encoding: .utf8).split(separator: "\n")
        for row in segments.dropFirst() {
            let f = row.split(separator: ",")
            if ["2", "3"].contains(f[0]) { XCTAssertEqual(f[2], "1", "crossing into Beta on a closed day: \(row)") }
        }
        // The summary against its schema; its ARD is the one printed.
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")))
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: OutputSchemaTests.schemas
            .appendingPathComponent("agents-summary.schema.json")))
        XCTAssertEqual(SchemaCheck.problems(summary, schema: schema), [])
        let ard = ((summary as! [String: Any])["ard"] as! [String: Any])["mean"] as! Double
        XCTAssertTrue(lines.last!.contains(String(format: "mean=%.4f", ard)), run.stderr)
        let geo = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/timeline.geojson"))) as! [String: Any]
        let features = geo["features"] as! [[String: Any]]
        XCTAssertFalse(features.isEmpty)
        XCTAssertTrue(features.allSatisfy { (($0["properties"] as! [String: Any])["date"] as? String)?.count == 10 })
    }

    func testSameOutputWhateverTheThreadCount() throws {
        XCTAssertEqual(try agents(["--threads", "1"]).status, 0)
        let one = try Data(contentsOf: URL(fileURLWithPath: out + "/out.csv"))
        XCTAssertEqual(try agents(["--threads", "3"]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out + "/out.csv")), one)
    }

    /// Each bad input: exit 65, the file and line on stderr, no output directory.
    func check(_ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let run = try agents()
        XCTAssertEqual(run.status, 65, run.stderr, file: file, line: line)
        XCTAssertTrue(run.stderr.contains(expected), "expected '\(expected)' in: \(run.stderr)", file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "output written", file: file, line: line)
    }

    func testRouteNamingAnUnknownLocation() throws {
        try write("scenario/routes.csv", "#name1,name2,distance\nA,B,100\nB,Cee,150\n")
        try check("routes.csv:3 (name2): unknown location 'Cee' (did you mean 'C'?)")
    }

    func testCampWithoutCapacity() throws {
        try write("scenario/locations.csv", "#name,region,country,lat,lon,location_type,conflict_date,population\nA,r,Alpha,1,30,conflict_zone,0,100\nB,r,Alpha,1,30,town,,10\nC,r,Beta,2,31,camp,,\n")
        try check("locations.csv:4 (population): camp 'C' has no capacity")
    }

    func testClosureOutsideTheSimulatedDays() throws {
        try write("scenario/closures.csv", "#closure_type,name1,name2,closure_start,closure_end\ncountry,Alpha,Beta,2,4\nlocation,B,,12,14\n")
        try check("closures.csv:3: closure starts on day 12, outside the simulated days 0-9")
    }

    func testConflictFileWhoseDatesDoNotParse() throws {
        try write("scenario/conflicts.csv", "#Day,A,B\n0,1,0\n1,1,0\nday2,1,1\n")
        try check("conflicts.csv:4 (#Day): day 'day2' is not a day number")
    }

    /// Spawning follows the validation totals: a total that would need more agents than
    /// memory holds is refused before anything is allocated (exit 70, in words), and one
    /// beyond 2^53 is bad input at its line; neither is a trap.
    func testSpawnCountsBeyondMemoryAreRefused() throws {
        try write("validation/total.csv", "Date,count\n2020-01-01,0\n2020-01-11,9000000000000000\n")
        try write("validation/c.csv", "2020-01-01,0\n2020-01-11,9000000000000000\n")
        let run = try agents()
        XCTAssertEqual(run.status, 70, run.stderr)
        XCTAssertTrue(run.stderr.contains("900000000000000 agents"), run.stderr)
        XCTAssertTrue(run.stderr.contains("ask for less"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "output written")
        try write("validation/c.csv", "2020-01-01,0\n2020-01-11,1e300\n")
        try check("c.csv:2: count '1e300' is too large")
    }

    func testDataLayoutNamingAMissingFile() throws {
        try write("validation/data_layout.csv", "total,total.csv\nC,c-camp.csv\n")
        try check("data_layout.csv:2 (C): names a missing file 'c-camp.csv'")
    }

    /// A RouteShift network (GeoJSON): origin hub o spawns 10 people a day (settings); its only
    /// link leads to destination hub d (220 km < 360), reached the same day: d holds 10, 20, 30.
    func testRunOnARouteShiftNetwork() throws {
        let network = """
        {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [20.0, 40.0]}, "properties": {"id": 1, "name": "o", "kind": "hub", "roles": "origin", "population": 5000, "country": "AA"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [22.0, 40.0]}, "properties": {"id": 3, "name": "d", "kind": "hub", "roles": "destination", "country": "BB"}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[20.0, 40.0], [22.0, 40.0]]}, "properties": {"id": 1, "source": 1, "target": 3, "cost": 220, "length_km": 220}}
        ]}
        """
        try write("net.geojson", network)
        try write("spawn.yml", "spawn_rules:\n  conflict_driven_spawning:\n    spawn_mode: constant\n    displaced_per_conflict_day: 10\nmove_rules:\n  camp_movechance: 0.0\n")
        let run = try RouteShiftProcess.run(["agents", work.appendingPathComponent("net.geojson").path, "--days", "3",
                                             "--start-date", "2021-06-01", "--settings", work.appendingPathComponent("spawn.yml").path,
                                             "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        let rows = try String(contentsOfFile: out + "/locations_daily.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(Array(rows.dropFirst()), ["0,2021-06-02,d,10", "1,2021-06-03,d,20", "2,2021-06-04,d,30"])
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        XCTAssertTrue(summary["ard"] is NSNull)
        // Without conflict-driven spawning there is nothing to follow: exit 65.
        try write("spawn.yml", "move_rules:\n  default_movechance: 1.0\n")
        let bad = try RouteShiftProcess.run(["agents", work.appendingPathComponent("net.geojson").path, "--days", "3",
                                             "--start-date", "2021-06-01", "--settings", work.appendingPathComponent("spawn.yml").path,
                                             "--out", out + "2"])
        XCTAssertEqual(bad.status, 65, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("conflict-driven spawning"), bad.stderr)
    }

    /// `--rules routeshift` on a closure scenario: 600 people set out from o for d over the 3
    /// simulated days (200 a day) and meet a border capped at 300 a month (June: 10 a day). The
    /// queue holds 190, 380, 570 people at the end of days 0-2; the border link (100 km at 25 km/h
    /// plus a 24 h wait: 28 h) at 24 travel hours a day ends on the second day after admission,
    /// so the 10 admitted on day 0 cross (and arrive) on day 2.
    func testJourneysOnAClosureScenario() throws {
        try write("net.geojson", """
        {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [20.0, 40.0]}, "properties": {"id": 1, "name": "o", "kind": "hub", "country": "AA"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [21.0, 40.0]}, "properties": {"id": 2, "name": "d", "kind": "hub", "country": "BB"}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[20.0, 40.0], [21.0, 40.0]]}, "properties": {"id": 1, "source": 1, "target": 2, "kind": "border", "length_km": 100, "segment": "AA-BB-001", "border": "AA-BB"}}
        ]}
        """)
        try write("demand.csv", "origin,destination,flow\no,d,600\n")
        try write("capped.yaml", "name: capped\nnetwork: net.geojson\ndemand: demand.csv\ninterventions:\n  - capacity: {segment: AA-BB-001, per_period: 300}\n")
        let scenario = work.appendingPathComponent("capped.yaml").path
        func journeys(_ extra: [String]) throws -> RouteShiftProcess.Run {
            try RouteShiftProcess.run(["agents", scenario, "--rules", "routeshift", "--out", out, "--travel-hours", "24"] + extra)
        }
        let run = try journeys(["--start-date", "2021-06-01", "--days", "3"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        XCTAssertEqual(files, ["journeys_daily.csv", "locations_daily.csv", "out.csv", "segments_daily.csv", "summary.json", "timeline.geojson"])
        let daily = try String(contentsOfFile: out + "/journeys_daily.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(daily[0], "day,date,departed,travelling,waiting,queued,stranded,retries,crossed,arrived,gave_up,replanned,deterred")
        XCTAssertEqual(daily.dropFirst().map { $0.split(separator: ",")[5] }, ["190", "380", "570"])
        XCTAssertEqual(daily[1].split(separator: ",")[1], "2021-06-01")
        let segments = try String(contentsOfFile: out + "/segments_daily.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(Array(segments.dropFirst()), ["2,2021-06-03,AA-BB-001,10"])
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")))
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: OutputSchemaTests.schemas
            .appendingPathComponent("agents-summary.schema.json")))
        XCTAssertEqual(SchemaCheck.problems(summary, schema: schema), [])
        let totals = (summary as! [String: Any])["journeys"] as! [String: Any]
        XCTAssertEqual(totals["departed"] as? Int, 600)
        XCTAssertEqual(totals["arrived"] as? Int, 10)
        // Usage errors (64): no start date without periods, Flee's options, a Flee directory.
        XCTAssertEqual(try journeys(["--days", "3"]).status, 64)
        XCTAssertEqual(try journeys(["--start-date", "2021-06-01", "--days", "3", "--validation", validation]).status, 64)
        XCTAssertEqual(try RouteShiftProcess.run(["agents", self.scenario, "--rules", "routeshift", "--out", out + "2"]).status, 64)
        // An unknown segment: 65 with the scenario's line, nothing written.
        try write("capped.yaml", "name: capped\nnetwork: net.geojson\ndemand: demand.csv\ninterventions:\n  - capacity: {segment: AA-BB-002, per_period: 300}\n")
        let bad = try RouteShiftProcess.run(["agents", scenario, "--rules", "routeshift", "--out", out + "3", "--start-date", "2021-06-01", "--days", "3"])
        XCTAssertEqual(bad.status, 65, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("capped.yaml:5"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "3"))
    }

    func testMissingScenarioIsExit66() throws {
        let run = try RouteShiftProcess.run(["agents", work.appendingPathComponent("nowhere").path, "--out", out])
        XCTAssertEqual(run.status, 66, run.stderr)
    }
}
