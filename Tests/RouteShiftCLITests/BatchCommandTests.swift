import Foundation
import RouteShiftTestSupport
import XCTest

/// `routeshift batch`, `merge` and `sweep --shard` end to end, through the built binary.
final class BatchCommandTests: XCTestCase {
    typealias Outcome = RouteShiftProcess.Run

    static func start(_ arguments: [String]) throws -> (Process, Pipe, Pipe) { try RouteShiftProcess.start(arguments) }

    static func finish(_ started: (Process, Pipe, Pipe)) -> Outcome { RouteShiftProcess.finish(started) }

    func start(_ arguments: [String]) throws -> (Process, Pipe, Pipe) { try Self.start(arguments) }
    func finish(_ started: (Process, Pipe, Pipe)) -> Outcome { Self.finish(started) }
    func routeshift(_ arguments: [String]) throws -> Outcome { Self.finish(try Self.start(arguments)) }

    private var temporary: TemporaryDirectory!
    var work: URL { temporary.url }
    var scenarios: URL { work.appendingPathComponent("scenarios") }

    override func setUpWithError() throws {
        temporary = try TemporaryDirectory("rs-batch-cli")
        try SourceTree.makeBatchFolder(scenarios, copying: ["close-hu-rs.yaml", "close-belgrade.json", "close-hungary.yaml",
                                                            "surveillance-capacity.yaml", "baseline-logit.yaml",
                                                            "balkans-network.geojson", "demand.csv"])
    }

    override func tearDown() { temporary = nil }

    func path(_ name: String) -> String { work.appendingPathComponent(name).path }

    func summary(_ dir: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/batch-summary.json"))) as! [String: Any]
    }

    func statuses(_ dir: String) throws -> [String: String] {
        let entries = try summary(dir)["scenarios"] as! [[String: Any]]
        return Dictionary(uniqueKeysWithValues: entries.map { ($0["name"] as! String, $0["status"] as! String) })
    }

    /// Every file under `dir` (dot files included) by relative path.
    func tree(_ dir: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: dir)!
        while let relative = enumerator.nextObject() as? String {
            var isDir: ObjCBool = false
            let full = dir + "/" + relative
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                files[relative] = try Data(contentsOf: URL(fileURLWithPath: full))
            }
        }
        return files
    }

    func assertSameTree(_ a: String, _ b: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let x = try tree(a), y = try tree(b)
        XCTAssertEqual(x.keys.sorted(), y.keys.sorted(), file: file, line: line)
        for (name, bytes) in x { XCTAssertEqual(bytes, y[name], "\(name) differs", file: file, line: line) }
    }

    func testThreeScenariosOneFailing() throws {
        for name in ["close-hungary.yaml", "surveillance-capacity.yaml", "baseline-logit.yaml"] {
            try FileManager.default.removeItem(at: scenarios.appendingPathComponent(name))
        }
        let out = path("out")
        let run = try routeshift(["batch", scenarios.path, "--out", out, "--jobs", "2"])
        XCTAssertEqual(run.status, 3, run.stderr)
        XCTAssertEqual(try statuses(out), ["broken": "failed", "close-belgrade": "completed", "close-hu-rs": "completed"])
        XCTAssertTrue(run.stderr.contains("routeshift: error: broken: "), run.stderr)
        XCTAssertTrue(run.stderr.contains("unknown edge, segment, border or hub 'XX-YY'"), run.stderr)
        let entries = try summary(out)["scenarios"] as! [[String: Any]]
        XCTAssertTrue((entries[0]["error"] as? String)?.contains("XX-YY") == true, "\(entries[0])")
        XCTAssertEqual(try summary(out)["counts"] as? [String: Int], ["total": 3, "completed": 2, "skipped": 0, "failed": 1])
        // Nothing at all for the failing one, not even a temporary file.
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/broken"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out).sorted(),
                       ["batch-summary.json", "close-belgrade", "close-hu-rs"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out + "/close-hu-rs").sorted(),
                       [".done", "od.csv", "report.md", "routes.csv", "routes.geojson", "segments.csv", "segments.geojson",
                        "summary.json"])
        XCTAssertEqual(run.stdout, "")

        // Plain progress on a pipe: one line per scenario, no carriage returns or escape sequences.
        XCTAssertFalse(run.stderr.contains("\r"), run.stderr)
        XCTAssertFalse(run.stderr.contains("\u{1B}"), run.stderr)
        let progress = run.stderr.split(separator: "\n").filter { $0.hasPrefix("[") }
        XCTAssertEqual(progress.count, 3, run.stderr)
        XCTAssertTrue(progress.contains { $0.hasSuffix("] completed close-hu-rs") }, run.stderr)
        XCTAssertTrue(progress.contains { $0.hasSuffix("] failed broken") }, run.stderr)
        XCTAssertTrue(progress.last!.hasPrefix("[3/3] "), run.stderr)
        XCTAssertTrue(run.stderr.contains("batch: 3 scenarios: 2 completed, 0 skipped, 1 failed"), run.stderr)

        // Resume: finished ones are skipped, the failing one is tried again.
        let again = try routeshift(["batch", scenarios.path, "--out", out, "--format", "json"])
        XCTAssertEqual(again.status, 3, again.stderr)
        XCTAssertEqual(try statuses(out), ["broken": "failed", "close-belgrade": "skipped", "close-hu-rs": "skipped"])
        XCTAssertTrue(again.stderr.contains("] skipped close-hu-rs (up to date)"), again.stderr)
        XCTAssertEqual(again.stdout, try String(contentsOfFile: out + "/batch-summary.json", encoding: .utf8))

        // --force reruns everything.
        _ = try routeshift(["batch", scenarios.path, "--out", out, "--force", "-q"])
        XCTAssertEqual(try statuses(out), ["broken": "failed", "close-belgrade": "completed", "close-hu-rs": "completed"])

        // A changed scenario file is rerun, the others are not; once fixed, all succeed with exit 0.
        let edited = scenarios.appendingPathComponent("close-belgrade.json")
        try (String(contentsOf: edited, encoding: .utf8) + "\n").write(to: edited, atomically: true, encoding: .utf8)
        try "name: fixed\nnetwork: balkans-network.geojson\ndemand: demand.csv\ninterventions:\n  - close: HU-RS\n"
            .write(to: scenarios.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        let fixed = try routeshift(["batch", scenarios.path, "--out", out, "-q"])
        XCTAssertEqual(fixed.status, 0, fixed.stderr)
        XCTAssertEqual(fixed.stderr, "")
        XCTAssertEqual(try statuses(out), ["broken": "completed", "close-belgrade": "completed", "close-hu-rs": "skipped"])
    }

    func testThreeShardsInParallelMergeToTheSingleRunByteForByte() throws {
        let single = path("single")
        let whole = try routeshift(["batch", scenarios.path, "--out", single, "-q"])
        XCTAssertEqual(whole.status, 3, whole.stderr)

        // The three shards run at the same time, as three machines would.
        let shards = (0..<3).map { path("shard-\($0)") }
        let started = try (0..<3).map { try start(["batch", scenarios.path, "--out", shards[$0], "--shard", "\($0)/3", "-q"]) }
        let finished = started.map(finish)
        var names: [String] = []
        for (k, run) in finished.enumerated() {
            XCTAssertTrue(run.status == 0 || run.status == 3, run.stderr)
            XCTAssertEqual(try summary(shards[k])["shard"] as? String, "\(k)/3")
            names += try statuses(shards[k]).keys
        }
        // A partition: every scenario in exactly one shard.
        XCTAssertEqual(names.sorted(), try statuses(single).keys.sorted())

        let merged = path("merged")
        let merge = try routeshift(["merge"] + shards + ["--out", merged])
        XCTAssertEqual(merge.status, 3, merge.stderr)
        XCTAssertTrue(merge.stderr.contains("merged 3 batch shards"), merge.stderr)
        try assertSameTree(single, merged)

        let incomplete = try routeshift(["merge", shards[0], shards[2], "--out", path("incomplete")])
        XCTAssertEqual(incomplete.status, 65, incomplete.stderr)
        XCTAssertTrue(incomplete.stderr.contains("missing shard(s) 1/3"), incomplete.stderr)
    }

    /// Shards of two different batches (another scenario set; another --precision) are refused.
    func testShardsOfDifferentBatchesAreNotMerged() throws {
        let other = work.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        for name in ["close-hu-rs.yaml", "balkans-network.geojson", "demand.csv"] {
            try FileManager.default.copyItem(at: scenarios.appendingPathComponent(name), to: other.appendingPathComponent(name))
        }
        let a = path("a-0"), b = path("b-1"), c = path("c-1")
        for (dir, args) in [(a, [scenarios.path, "--shard", "0/2"]), (b, [other.path, "--shard", "1/2"]),
                            (c, [scenarios.path, "--shard", "1/2", "--precision", "3"])] {
            let run = try routeshift(["batch"] + args + ["--out", dir, "-q"])
            XCTAssertTrue(run.status == 0 || run.status == 3, run.stderr)
        }
        for second in [b, c] {
            let merge = try routeshift(["merge", a, second, "--out", path("merged-\(second.suffix(3))")])
            XCTAssertEqual(merge.status, 65, merge.stderr)
            XCTAssertTrue(merge.stderr.contains("is a shard of another batch"), merge.stderr)
        }
        // A sweep shard of another scenario is refused too.
        let s0 = path("s-0"), s1 = path("s-1")
        XCTAssertEqual(try routeshift(["sweep", scenarios.appendingPathComponent("close-hu-rs.yaml").path, "--by", "hub",
                                       "--out", s0, "--shard", "0/2", "-q"]).status, 0)
        XCTAssertEqual(try routeshift(["sweep", scenarios.appendingPathComponent("baseline-logit.yaml").path, "--by", "hub",
                                       "--out", s1, "--shard", "1/2", "-q"]).status, 0)
        let sweeps = try routeshift(["merge", s0, s1, "--out", path("s-merged")])
        XCTAssertEqual(sweeps.status, 65, sweeps.stderr)
        XCTAssertTrue(sweeps.stderr.contains("is a shard of another sweep"), sweeps.stderr)
    }

    func testSweepShardsMergeToTheSingleSweepByteForByte() throws {
        let scenario = scenarios.appendingPathComponent("baseline-logit.yaml").path
        for by in ["section", "hub"] {
            let single = path("sweep-\(by)")
            let one = try routeshift(["sweep", scenario, "--by", by, "--out", single, "-q"])
            XCTAssertEqual(one.status, 0, one.stderr)
            let shards = (0..<3).map { path("sweep-\(by)-\($0)") }
            let runs = try (0..<3).map { try start(["sweep", scenario, "--by", by, "--out", shards[$0], "--shard", "\($0)/3", "-q"]) }
                .map(finish)
            for run in runs { XCTAssertEqual(run.status, 0, run.stderr) }
            // Each element in exactly one shard.
            let rows = try shards.flatMap { try String(contentsOfFile: $0 + "/sweep.csv", encoding: .utf8)
                .split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] } }
            XCTAssertEqual(rows.count, Set(rows).count)
            let merged = path("sweep-\(by)-merged")
            let merge = try routeshift(["merge"] + shards + ["--out", merged])
            XCTAssertEqual(merge.status, 0, merge.stderr)
            try assertSameTree(single, merged)
            XCTAssertEqual(try String(contentsOfFile: merged + "/sweep.csv", encoding: .utf8)
                .split(separator: "\n").count - 1, rows.count)
        }
    }

    func testShardAndJobsAreValidated() throws {
        for bad in [["--shard", "3/3"], ["--shard", "x"], ["--jobs", "0"]] {
            let run = try routeshift(["batch", scenarios.path, "--out", path("x")] + bad)
            XCTAssertEqual(run.status, 64, "\(bad): \(run.stderr)")
        }
        let none = try routeshift(["batch", path("nothing-*.yaml"), "--out", path("x")])
        XCTAssertEqual(none.status, 66, none.stderr)
    }

    func testNetworkCacheIsSharedByEveryScenario() throws {
        let cache = path("net.rsnet")
        let build = try routeshift(["network", "build", "--network", scenarios.appendingPathComponent("balkans-network.geojson").path,
                                    "--out", cache])
        XCTAssertEqual(build.status, 0, build.stderr)
        let out = path("cached")
        let run = try routeshift(["batch", scenarios.path + "/close-*", "--out", out, "--network", cache, "-q"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try summary(out)["network"] as? String, cache)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/close-hu-rs/summary.json")))
            as! [String: Any]
        XCTAssertEqual((report["scenario"] as! [String: Any])["network"] as? String, cache)
        // Same flows as from the GeoJSON network.
        let plain = path("plain")
        _ = try routeshift(["batch", scenarios.path + "/close-hu-rs.yaml", "--out", plain, "-q"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out + "/close-hu-rs/segments.csv")),
                       try Data(contentsOf: URL(fileURLWithPath: plain + "/close-hu-rs/segments.csv")))
    }
}


