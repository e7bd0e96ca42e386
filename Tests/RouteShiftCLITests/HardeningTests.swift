import Foundation
import XCTest
import RouteShiftTestSupport

/// Hostile but realistic inputs and faults against the built binary: each must end in a
/// one-line error naming the place and the documented exit code, never a crash or a wrong answer.
final class HardeningTests: XCTestCase {
    typealias Run = RouteShiftProcess.Run
    private var temporary: TemporaryDirectory!
    var dir: URL { temporary.url }

    override func setUpWithError() throws {
        temporary = try TemporaryDirectory("rs-hard")
        // 1 -1- 2 -2- 3, one-way 1→2→3 (no reverse_cost column), and 3 -4- 4 both ways.
        try write("edges.csv", """
        id,source,target,cost
        1,1,2,1
        2,2,3,2
        3,3,4,4

        """)
    }

    override func tearDown() { temporary = nil }

    private func write(_ name: String, _ text: String) throws {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    private func run(_ arguments: [String]) throws -> Run { try RouteShiftProcess.run(arguments, in: dir) }

    private func nodes(_ rows: String) throws { try write("nodes.csv", "id,lon,lat\n" + rows) }

    func testNodesCSVOutOfRangeCoordinatesAreRejectedWithLine() throws {
        try nodes("1,0,0\n2,1,95\n3,2,0\n4,3,0\n")
        let lat = try run(["info", "--network", "edges.csv"])
        XCTAssertEqual(lat.status, 65, lat.stderr)
        XCTAssertTrue(lat.stderr.contains("nodes.csv:3 (lat): latitude 95.0 is outside [-90, 90]"), lat.stderr)
        try nodes("1,0,0\n2,1,0\n3,200,0\n4,3,0\n")
        let lon = try run(["info", "--network", "edges.csv"])
        XCTAssertEqual(lon.status, 65, lon.stderr)
        XCTAssertTrue(lon.stderr.contains("nodes.csv:4 (lon): longitude 200.0 is outside [-180, 180]"), lon.stderr)
    }

    func testDuplicateNodeIsBlamedOnNodesCSVAndMissingNodeOnItsEdgeLine() throws {
        try nodes("1,0,0\n2,1,0\n3,2,0\n2,5,5\n4,3,0\n")
        let duplicate = try run(["info", "--network", "edges.csv"])
        XCTAssertEqual(duplicate.status, 65)
        XCTAssertTrue(duplicate.stderr.contains("nodes.csv:5 (id): node id 2 appears twice (first at line 3)"),
                      duplicate.stderr)
        try nodes("1,0,0\n2,1,0\n3,2,0\n")
        let missing = try run(["info", "--network", "edges.csv"])
        XCTAssertEqual(missing.status, 65)
        XCTAssertTrue(missing.stderr.contains("edges.csv:4: node 4 is not in"), missing.stderr)
    }

    func testScenarioValuesRejectedAfterParsingNameTheScenarioLineWithExit65() throws {
        try write("s.yaml", "name: t\nnetwork: edges.csv\ndemand: [{origin: 1, destination: 4, flow: 1}]\n"
                  + "assignment:\n  method: logit\n  k: 1000000\n")
        let k = try run(["simulate", "s.yaml", "--out", "out"])
        XCTAssertEqual(k.status, 65, k.stderr)
        XCTAssertTrue(k.stderr.contains("s.yaml:6 ($.assignment.k): must be at most 1000"), k.stderr)
        try write("f.yaml", "name: t\nnetwork: edges.csv\ndemand:\n  - {origin: 1, destination: 4, flow: 1e308}\n"
                  + "  - {origin: 1, destination: 3, flow: 1e308}\n")
        let flows = try run(["simulate", "f.yaml", "--out", "out"])
        XCTAssertEqual(flows.status, 65, flows.stderr)
        XCTAssertTrue(flows.stderr.contains("f.yaml:4 ($.demand[0]): the demand adds up to"), flows.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    func testCostsWhoseSumOverflowsAreRejectedNotReportedAsNoPath() throws {
        try write("huge.csv", "id,source,target,cost\n1,1,2,1.797e308\n2,2,3,1.797e308\n")
        let r = try run(["route", "--network", "huge.csv", "--from", "1", "--to", "3"])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("huge.csv:2: edge 1: cost 1.797e+308 is too large"), r.stderr)
        // Half the largest double is the most two arcs can each cost (n - 1 = 2).
        try write("edge.csv", "id,source,target,cost\n1,1,2,8.9e307\n2,2,3,8.9e307\n")
        let fits = try run(["route", "--network", "edge.csv", "--from", "1", "--to", "3", "--format", "csv"])
        XCTAssertEqual(fits.status, 0, fits.stderr)
        XCTAssertTrue(fits.stdout.hasSuffix(",-1,0,1.78e+308\n"), fits.stdout)
    }

    func testGeoJSONIdsBeyond2To53AreNotRounded() throws {
        try write("big.geojson", """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","geometry":{"type":"Point","coordinates":[0,0]},"properties":{"id":9007199254740993}}]}
        """)
        let r = try run(["info", "--network", "big.geojson"])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("big.geojson:2 ($.features[0].properties.id): integer 9007199254740993"), r.stderr)
        // As a string it is kept exactly, like the CSV loader does.
        try write("big.geojson", """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","geometry":{"type":"Point","coordinates":[0,0]},"properties":{"id":"9007199254740993"}},
        {"type":"Feature","geometry":{"type":"Point","coordinates":[1,0]},"properties":{"id":2}},
        {"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,0]]},
         "properties":{"id":1,"source":"9007199254740993","target":2,"cost":1}}]}
        """)
        let exact = try run(["reach", "--network", "big.geojson", "--from", "9007199254740993"])
        XCTAssertEqual(exact.status, 0, exact.stderr)
        XCTAssertTrue(exact.stdout.contains("\n1,9007199254740993,9007199254740993,,-1,0,"), exact.stdout)
    }

    func testWriteFailuresExit73InWordsAndEmptyPathIsUsage() throws {
        let base = ["route", "--network", "edges.csv", "--from", "1", "--to", "3", "--output"]
        let directory = try run(base + ["."])
        XCTAssertEqual(directory.status, 73, directory.stderr)
        XCTAssertTrue(directory.stderr.contains("is a directory"), directory.stderr)
        let empty = try run(base + [""])
        XCTAssertEqual(empty.status, 64, empty.stderr)
        if FileManager.default.fileExists(atPath: "/dev/full") {
            // A device that reports a full disk on every write.
            let full = try run(["reach", "--network", "edges.csv", "--from", "1", "--output", "/dev/full"])
            XCTAssertEqual(full.status, 73, full.stderr)
            XCTAssertTrue(full.stderr.contains("No space left on device"), full.stderr)
            XCTAssertFalse(full.stderr.contains("NSCocoaErrorDomain"))
            var info = stat()
            XCTAssertEqual(stat("/dev/full", &info), 0)
            XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR, "the device is written, not replaced by a file")
        }
        let simulate = try RouteShiftProcess.run(["simulate", "/nonexistent-dir/x.yaml", "--out", "."], in: dir)
        XCTAssertFalse(simulate.stderr.contains("NSCocoaErrorDomain"), simulate.stderr)
    }

    /// A `.rsnet` cache cut short by another program while `reach` reads it in place:
    /// the pages past the new end can no longer be read (SIGBUS), and the process ends
    /// with exit 70 and a message naming the cache, not with the signal and not with
    /// rows made of zeros. The catchment's rows are gathered from the mapped columns a
    /// round at a time and written to a pipe that is not read until the first round is
    /// being written, so the cache is truncated before the second round is gathered.
    func testCacheTruncatedWhileMappedEndsWithExit70NamingIt() throws {
        #if os(Linux)
        let side = 300
        var edges = "id,source,target,cost,reverse_cost\n", nodes = "id,lon,lat\n"
        var id = 0
        for y in 0..<side {
            for x in 0..<side {
                let n = y * side + x + 1
                nodes += "\(n),\(Double(x) / 100),\(Double(y) / 100)\n"
                if x + 1 < side { id += 1; edges += "\(id),\(n),\(n + 1),1.5,1.5\n" }
                if y + 1 < side { id += 1; edges += "\(id),\(n),\(n + side),2.25,2.25\n" }
            }
        }
        try write("grid.csv", edges)
        try write("nodes.csv", nodes)
        let build = try run(["network", "build", "--network", "grid.csv", "--out", "grid.rsnet"])
        XCTAssertEqual(build.status, 0, build.stderr)
        let cache = dir.appendingPathComponent("grid.rsnet").path
        let (process, out, err) = try RouteShiftProcess.start(["reach", "--network", "grid.rsnet", "--from", "1",
                                                                "--format", "csv"], in: dir)
        DispatchQueue.global().asyncAfter(deadline: .now() + 120) { if process.isRunning { process.terminate() } }
        let first = out.fileHandleForReading.availableData  // the first round is being written
        XCTAssertFalse(first.isEmpty)
        XCTAssertEqual(truncate(cache, 4096), 0)
        let rest = out.fileHandleForReading.readDataToEndOfFile()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit, text)
        XCTAssertEqual(process.terminationStatus, 70, text)
        XCTAssertTrue(text.contains("grid.rsnet") && text.contains("truncated"), text)
        XCTAssertLessThan(first.count + rest.count, 45 * side * side, "fewer rows than the catchment")
        #else
        throw XCTSkip("the SIGBUS path is tested on Linux")
        #endif
    }

    func testPathCountIsBoundedLikeSimulate() throws {
        let r = try run(["route", "--network", "edges.csv", "--from", "1", "--to", "3", "--k", "1000000"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("--k must be between 1 and 1000"), r.stderr)
    }

    /// Under a small address-space limit the process ends with exit 70 and a message,
    /// never by a signal, wherever the allocation fails.
    func testOutOfMemoryExits70WithAMessage() throws {
        #if os(Linux)
        var failures = 0
        for megabytes in [110, 140, 170] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -v \(megabytes * 1024) && exec \"$0\" \"$@\"",
                                 RouteShiftProcess.binary.path, "route", "--from", "istanbul", "--to", "berlin",
                                 "--k", "3", "--format", "csv"]
            let err = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = err
            try process.run()
            // A hang (e.g. waiting for a thread that cannot start) is a failure, not a stuck suite.
            DispatchQueue.global().asyncAfter(deadline: .now() + 60) { if process.isRunning { process.terminate() } }
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if text.contains("error while loading shared libraries") { continue }  // too small to start at all
            XCTAssertEqual(process.terminationReason, .exit, "\(megabytes) MiB: \(text.prefix(300))")
            XCTAssertTrue([0, 70].contains(process.terminationStatus), "\(megabytes) MiB: \(text.prefix(300))")
            if process.terminationStatus == 70 {
                failures += 1
                XCTAssertTrue(text.contains("out of memory"), text)
            }
        }
        if failures == 0 { throw XCTSkip("every limit was enough for this build") }
        #else
        throw XCTSkip("ulimit -v is a Linux test")
        #endif
    }

    /// An allocation sized by the request (|from| × |to| costs) is checked before it is
    /// made: under a 1 GiB limit a 20,000 × 20,000 matrix (3.2 GB) is refused with its size,
    /// not left to fail inside the allocator.
    func testAllocationSizedByTheRequestIsCheckedUpFront() throws {
        #if os(Linux)
        let n = 20_000
        var edges = "id,source,target,cost,reverse_cost\n"
        for i in 1..<n { edges += "\(i),\(i),\(i + 1),1,1\n" }
        try write("chain.csv", edges)
        try write("all.txt", (1...n).map(String.init).joined(separator: "\n"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.currentDirectoryURL = dir
        process.arguments = ["-c", "ulimit -v \(1 << 20) && exec \"$0\" \"$@\"", RouteShiftProcess.binary.path,
                             "matrix", "--network", "chain.csv", "--from-file", "all.txt"]
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit, text)
        XCTAssertEqual(process.terminationStatus, 70, text)
        XCTAssertTrue(text.contains("a cost matrix of 20000 × 20000 needs 3.0 GiB, more than the 1.0 GiB"), text)
        #else
        throw XCTSkip("ulimit -v is a Linux test")
        #endif
    }

    func testMatrixLikePgrDijkstraCostMatrix() throws {
        // pgr_dijkstraCostMatrix: no diagonal, no unreachable pair, ordered by start_vid, end_vid.
        let r = try run(["matrix", "--network", "edges.csv", "--from", "3,1,4"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "start_vid,end_vid,agg_cost\n1,3,3\n1,4,7\n3,4,4\n")
        try write("starts.txt", "# depots\n1\n\n2  # second\n")
        let file = try run(["matrix", "--network", "edges.csv", "--from-file", "starts.txt", "--to", "4", "--undirected",
                            "--format", "json"])
        XCTAssertEqual(file.status, 0, file.stderr)
        XCTAssertEqual(file.stdout, "{\"agg_cost\":[[7],[6]],\"end_vid\":[4],\"start_vid\":[1,2]}\n")
    }

    func testReachFromSeveralSourcesAndUndirected() throws {
        let r = try run(["reach", "--network", "edges.csv", "--from", "3,1", "--max-cost", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, """
        seq,from_v,node,name,edge,agg_cost,lon,lat
        1,3,3,,-1,0,,
        2,1,1,,-1,0,,
        3,1,2,,1,1,,
        4,1,3,,2,3,,

        """)
        let back = try run(["route", "--network", "edges.csv", "--from", "3", "--to", "1", "--undirected",
                            "--format", "csv"])
        XCTAssertEqual(back.status, 0, back.stderr)
        XCTAssertEqual(back.stdout, "seq,path_id,path_seq,node,edge,cost,agg_cost\n1,1,1,3,2,2,0\n2,1,2,2,1,1,2\n3,1,3,1,-1,0,3\n")
        let directed = try run(["route", "--network", "edges.csv", "--from", "3", "--to", "1"])
        XCTAssertEqual(directed.status, 1, "without reverse_cost the table is one-way, as in pgRouting")
    }

    func testCSVNumbersRoundTrip() throws {
        // 0.1 + 0.2 is 0.30000000000000004 in doubles: printed in full, it reads back the same.
        try write("frac.csv", "id,source,target,cost\n1,1,2,0.1\n2,2,3,0.2\n3,3,4,79.19326095371792\n")
        let r = try run(["reach", "--network", "frac.csv", "--from", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let costs = r.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[5] }
        XCTAssertEqual(costs, ["0", "0.1", "0.30000000000000004", "79.49326095371792"])
        XCTAssertEqual(Double("79.49326095371792"), 0.1 + 0.2 + 79.19326095371792)
    }
}
