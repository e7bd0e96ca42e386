import Foundation
import RouteShiftTestSupport
import XCTest

/// Runs the built `routeshift` binary end to end, as scripts and notebooks do.
final class CLITests: XCTestCase {
    typealias Run = RouteShiftProcess.Run

    static var binary: URL { RouteShiftProcess.binary }

    func run(_ arguments: [String], in directory: URL? = nil) throws -> Run {
        try RouteShiftProcess.run(arguments, in: directory)
    }

    static func runBinary(_ arguments: [String], in directory: URL? = nil) throws -> Run {
        try RouteShiftProcess.run(arguments, in: directory)
    }

    private var temporary: TemporaryDirectory!
    var dir: URL { temporary.url }

    /// Hand-drawn network (costs on arcs; edge 2 is one-way 2→3):
    ///
    ///     1 --1-- 2 --1--> 3 --2-- 5
    ///      \              /
    ///      1.5           1
    ///        \          /
    ///         ---- 4 ---
    ///
    /// 1→5: 1-2-3-5 costs 4; 1-4-3-5 costs 4.5. 5→1 cannot use edge 2: 5-3-4-1 costs 4.5.
    override func setUpWithError() throws {
        temporary = try TemporaryDirectory("rs-cli")
        try """
        id,source,target,cost,reverse_cost,x1,y1,x2,y2
        1,1,2,1,1,0,0,1,0
        2,2,3,1,-1,1,0,2,0
        3,1,4,1.5,1.5,0,0,0,1
        4,4,3,1,1,0,1,2,0
        5,3,5,2,2,2,0,3,0
        6,7,8,1,1,5,5,6,5

        """.write(to: dir.appendingPathComponent("edges.csv"), atomically: true, encoding: .utf8)
    }

    override func tearDown() { temporary = nil }

    /// `--close` names what a scenario's `close:` names, hubs included: closing
    /// Belgrade closes every edge incident to it, so nothing reaches it.
    func testCloseAcceptsAHubLikeAScenario() throws {
        let open = try run(["route", "--from", "budapest", "--to", "belgrade", "--format", "csv"])
        XCTAssertEqual(open.status, 0, open.stderr)
        XCTAssertTrue(open.stdout.contains(",belgrade,"), open.stdout)
        let closed = try run(["route", "--from", "budapest", "--to", "belgrade", "--close", "belgrade", "--format", "csv"])
        XCTAssertEqual(closed.status, 1, closed.stderr)
        XCTAssertEqual(closed.stdout, "seq,path_id,path_seq,node,edge,cost,agg_cost\n")
        let typo = try run(["route", "--from", "budapest", "--to", "sofia", "--close", "belgradee"])
        XCTAssertEqual(typo.status, 65)
        XCTAssertTrue(typo.stderr.contains("--close belgradee: unknown edge, segment, border or hub 'belgradee' (did you mean 'belgrade'?)"),
                      typo.stderr)
    }

    func testKShortestPathsAsCSV() throws {
        let r = try run(["route", "--network", "edges.csv", "--from", "1", "--to", "5", "--k", "3", "--format", "csv"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, """
        seq,path_id,path_seq,node,edge,cost,agg_cost
        1,1,1,1,1,1,0
        2,1,2,2,2,1,1
        3,1,3,3,5,2,2
        4,1,4,5,-1,0,4
        5,2,1,1,3,1.5,0
        6,2,2,4,4,1,1.5
        7,2,3,3,5,2,2.5
        8,2,4,5,-1,0,4.5

        """)
    }

    func testOneWayEdgeAndDirectionalClosure() throws {
        let back = try run(["route", "--network", "edges.csv", "--from", "5", "--to", "1", "--format", "json"], in: dir)
        XCTAssertEqual(back.status, 0, back.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(back.stdout.utf8)) as! [String: Any]
        let route = (json["routes"] as! [[String: Any]])[0]
        XCTAssertEqual(route["cost"] as? Double, 4.5)
        XCTAssertEqual(route["edges"] as? [Int], [5, 4, 3])

        let closed = try run(["route", "--network", "edges.csv", "--from", "1", "--to", "5", "--close", "2:forward",
                              "--format", "csv"], in: dir)
        XCTAssertEqual(closed.status, 0, closed.stderr)
        XCTAssertTrue(closed.stdout.hasSuffix("1,4,5,-1,0,4.5\n"), closed.stdout)

        let absent = try run(["route", "--network", "edges.csv", "--from", "1", "--to", "5", "--close", "2:backward"], in: dir)
        XCTAssertEqual(absent.status, 65)
        XCTAssertTrue(absent.stderr.contains("2"), absent.stderr)
    }

    func testNoPathExitsOneWithEmptyResult() throws {
        let r = try run(["route", "--network", "edges.csv", "--from", "1", "--to", "8", "--format", "geojson"], in: dir)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "{\"type\":\"FeatureCollection\",\"features\":[]}\n")
        XCTAssertTrue(r.stderr.contains("no path"), r.stderr)
    }

    func testUnknownNodeSuggestsAndExits65() throws {
        let r = try run(["route", "--network", "edges.csv", "--from", "1", "--to", "55"], in: dir)
        XCTAssertEqual(r.status, 65)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("unknown node '55'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("did you mean '5'"), r.stderr)
    }

    func testMissingNetworkExits66AndUnwritableOutputExits73() throws {
        let missing = try run(["info", "--network", "nope.csv"], in: dir)
        XCTAssertEqual(missing.status, 66)
        XCTAssertTrue(missing.stderr.contains("nope.csv"))
        let unwritable = try run(["route", "--network", "edges.csv", "--from", "1", "--to", "5",
                                  "--output", "no-such-dir/out.geojson"], in: dir)
        XCTAssertEqual(unwritable.status, 73, unwritable.stderr)
    }

    func testOutputFileIsWrittenAndDeterministic() throws {
        let args = ["route", "--network", "edges.csv", "--from", "1", "--to", "5", "--k", "2", "--output", "r.geojson"]
        XCTAssertEqual(try run(args, in: dir).status, 0)
        let first = try Data(contentsOf: dir.appendingPathComponent("r.geojson"))
        XCTAssertEqual(try run(args, in: dir).status, 0)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("r.geojson")), first)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        XCTAssertEqual(names, ["edges.csv", "r.geojson"], "no temporary files left behind")
    }

    func testReachCatchment() throws {
        let r = try run(["reach", "--network", "edges.csv", "--from", "1", "--max-cost", "2"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, """
        seq,from_v,node,name,edge,agg_cost,lon,lat
        1,1,1,,-1,0,0,0
        2,1,2,,1,1,1,0
        3,1,4,,3,1.5,0,1
        4,1,3,,2,2,2,0

        """)
        let reverse = try run(["reach", "--network", "edges.csv", "--from", "3", "--reverse", "--format", "json"], in: dir)
        let json = try JSONSerialization.jsonObject(with: Data(reverse.stdout.utf8)) as! [String: Any]
        let nodes = (json["nodes"] as! [[String: Any]]).map { ($0["node"] as! Int, $0["agg_cost"] as! Double) }
        // Into 3: 2 (1, edge 2), 4 (1), 1 (2 via 2), 5 (2).
        XCTAssertEqual(nodes.map(\.0), [3, 2, 4, 1, 5])
        XCTAssertEqual(nodes.map(\.1), [0, 1, 1, 2, 2])
    }

    /// `reach`'s CSV rows are its JSON rows (which go through the catchment's entries and
    /// the JSON writer) with each number as Swift's `description` writes it (integers
    /// without ".0"): costs and coordinates of 16-17 significant digits, several start
    /// nodes, node names on the bundled network.
    func testReachCSVIsTheJSONRowsWithShortestRoundTripNumbers() throws {
        try assertReachCSVIsTheJSONRows(side: 20, [["--network", "grid.csv", "--from", "1,211"],
                                                   ["--network", "grid.csv", "--from", "400", "--reverse"],
                                                   ["--from", "istanbul,berlin", "--max-cost", "900"]])
    }

    /// The same with more rows than one formatting segment (16,384): the segments,
    /// formatted on several threads, come out whole and in order, numbered on.
    func testReachCSVOfSeveralSegmentsIsTheJSONRows() throws {
        try assertReachCSVIsTheJSONRows(side: 130, [["--network", "grid.csv", "--from", "1,8000"]])
    }

    private func assertReachCSVIsTheJSONRows(side: Int, _ argumentSets: [[String]]) throws {
        var edges = "id,source,target,cost,reverse_cost\n", nodes = "id,lon,lat\n"
        for r in 0..<side {
            for c in 0..<side {
                let v = r * side + c + 1
                nodes += "\(v),\((Double(c) / 7 + 0.1).description),\((Double(r) / 9 + 40).description)\n"
                if c + 1 < side {
                    edges += "\(2 * v),\(v),\(v + 1),\((1 + Double(v * 7919 % 1000) / 997).description),-1\n"
                }
                if r + 1 < side {
                    edges += "\(2 * v + 1),\(v),\(v + side),\((Double(v % 13) / 3 + 0.5).description),"
                        + "\((Double(v % 11) / 7).description)\n"
                }
            }
        }
        try edges.write(to: dir.appendingPathComponent("grid.csv"), atomically: true, encoding: .utf8)
        try nodes.write(to: dir.appendingPathComponent("nodes.csv"), atomically: true, encoding: .utf8)
        func shortest(_ x: Double) -> String {
            x == 0 ? "0" : x.rounded(.towardZero) == x && abs(x) < 9_007_199_254_740_992 ? String(Int64(x)) : x.description
        }
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        for arguments in argumentSets {
            let csv = try run(["reach"] + arguments, in: dir)
            XCTAssertEqual(csv.status, 0, csv.stderr)
            let json = try run(["reach"] + arguments + ["--format", "json"], in: dir)
            XCTAssertEqual(json.status, 0, json.stderr)
            // JSONDecoder reads numbers exactly (JSONSerialization on Linux rounds some 17-digit ones).
            let rows = try JSONDecoder().decode(ReachDocument.self, from: Data(json.stdout.utf8)).nodes
            var expected = "seq,from_v,node,name,edge,agg_cost,lon,lat\n"
            for (i, row) in rows.enumerated() {
                let numbers = [row.edge, row.agg_cost, row.lon, row.lat].map(shortest).joined(separator: ",")
                expected += "\(i + 1),\(shortest(row.from_v)),\(shortest(row.node)),\(row.name.map(field) ?? ""),\(numbers)\n"
            }
            XCTAssertGreaterThan(rows.count, 50, arguments.joined(separator: " "))
            XCTAssertEqual(csv.stdout, expected, arguments.joined(separator: " "))
            // The path costs here mostly need 16-17 digits: the general writer is exercised.
            let long = rows.filter { shortest($0.agg_cost).count >= 17 }.count
            if arguments[0] == "--network" { XCTAssertGreaterThan(long, rows.count / 4) }
        }
    }

    private struct ReachDocument: Decodable {
        struct Row: Decodable {
            var from_v: Double, node: Double, name: String?, edge: Double, agg_cost: Double, lon: Double, lat: Double
        }
        var nodes: [Row]
    }

    func testInfoJSON() throws {
        let r = try run(["info", "--network", "edges.csv", "--format", "json"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(json["nodes"] as? Int, 7)
        XCTAssertEqual(json["edges"] as? Int, 6)
        XCTAssertEqual(json["arcs"] as? Int, 11)
        XCTAssertEqual(json["weak_components"] as? Int, 2)
        XCTAssertEqual(json["bbox"] as? [Double], [0, 0, 6, 5])
    }

    func testHelpTeachesAndVersionPrints() throws {
        let help = try run(["route", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("EXAMPLES"))
        XCTAssertTrue(help.stdout.contains("EXIT CODES"))
        let version = try run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertFalse(version.stdout.isEmpty)
    }
}

/// Queries on the bundled Geodata network, as the README's main command runs them.
final class BundledNetworkCLITests: XCTestCase {
    private var geodata: URL { URL(fileURLWithPath: SourceTree.geodata + "/network.geojson") }

    private func segments(_ extra: [String]) throws -> [String] {
        guard FileManager.default.fileExists(atPath: geodata.path) else { throw XCTSkip("no bundled network") }
        let r = try CLITests.runBinary(["route", "--from", "istanbul", "--to", "berlin", "--cost", "generalised",
                                    "--format", "json"] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let steps = (json["routes"] as! [[String: Any]])[0]["steps"] as! [[String: Any]]
        return steps.compactMap { $0["border"] as? String }
    }

    /// Istanbul → Berlin overland (the ferries from Greece to Italy out of use) leaves Serbia for
    /// Hungary or Croatia; with that border closed the route moves to another border, never uses
    /// a section of the closed one, and still ends by entering Germany.
    func testSerbiaExitClosureReroutesIstanbulBerlin() throws {
        let overland = ["--close", "SEA-igoumenitsa-bari,SEA-igoumenitsa-brindisi"]
        let open = try segments(overland)
        let exit = try XCTUnwrap(open.first { $0 == "HU-RS" || $0 == "HR-RS" }, "\(open)")
        let closed = try segments(overland + ["--close", exit])
        XCTAssertFalse(closed.contains(exit), "\(closed)")
        XCTAssertNotEqual(open, closed)
        XCTAssertTrue(closed.last?.contains("DE") ?? false, "\(closed)")
    }
}

/// `--on DATE` and `--nationality` of the query commands on the bundled network.
final class DatedQueryCLITests: XCTestCase {
    private var geodata: URL { URL(fileURLWithPath: SourceTree.geodata + "/network.geojson") }

    private func segments(_ extra: [String]) throws -> [String] {
        guard FileManager.default.fileExists(atPath: geodata.path) else { throw XCTSkip("no bundled network") }
        let r = try CLITests.runBinary(["route", "--from", "erbil", "--to", "berlin", "--format", "json"] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let steps = (json["routes"] as! [[String: Any]])[0]["steps"] as! [[String: Any]]
        return steps.compactMap { $0["segment"] as? String }
    }

    /// Iraqis could fly Erbil → Minsk from June to 14 November 2021 (entry_rules.csv); nobody else, never after.
    func testTheAirLegToMinskIsThereForIraqisIn2021Only() throws {
        XCTAssertTrue(try segments(["--on", "2021-09-01", "--nationality", "IRQ"]).contains("AIR-erbil-minsk"))
        XCTAssertFalse(try segments(["--on", "2021-09-01", "--nationality", "NGA"]).contains("AIR-erbil-minsk"))
        XCTAssertFalse(try segments(["--on", "2021-09-01"]).contains("AIR-erbil-minsk"))
        XCTAssertFalse(try segments(["--on", "2022-01", "--nationality", "IRQ"]).contains("AIR-erbil-minsk"))
        XCTAssertFalse(try segments(["--nationality", "IRQ"]).contains("AIR-erbil-minsk"), "the current network")
    }

    func testBadDatesAndNationalitiesAreInvalidInput() throws {
        guard FileManager.default.fileExists(atPath: geodata.path) else { throw XCTSkip("no bundled network") }
        let date = try CLITests.runBinary(["route", "--from", "erbil", "--to", "berlin", "--on", "2021-13-01"])
        XCTAssertEqual(date.status, 65)
        XCTAssertTrue(date.stderr.contains("--on") && date.stderr.contains("'2021-13-01'"), date.stderr)
        let nationality = try CLITests.runBinary(["route", "--from", "erbil", "--to", "berlin", "--nationality", "Iraq"])
        XCTAssertEqual(nationality.status, 65)
        XCTAssertTrue(nationality.stderr.contains("--nationality"), nationality.stderr)
    }
}
