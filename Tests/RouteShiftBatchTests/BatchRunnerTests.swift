import Foundation
import RouteShiftBatch
import RouteShiftCore
import RouteShiftReports
import RouteShiftScenario
import RouteShiftSimulation
import RouteShiftTestSupport
import XCTest

/// `BatchRunner`, `Shard` and `ShardMerge` through the library API.
final class BatchRunnerTests: XCTestCase {
    private var temporary: TemporaryDirectory!
    var work: URL { temporary.url }
    var scenarios: URL { work.appendingPathComponent("scenarios") }
    var out: String { work.appendingPathComponent("out").path }

    override func setUpWithError() throws {
        temporary = try TemporaryDirectory("rs-batch")
        try SourceTree.makeBatchFolder(scenarios, copying: ["close-hu-rs.yaml", "close-belgrade.json", "balkans-network.geojson", "demand.csv"])
    }

    override func tearDown() { temporary = nil }

    func runBatch(force: Bool = false, jobs: Int = 2) throws -> BatchSummary {
        var options = BatchOptions(output: out)
        options.jobs = jobs
        options.force = force
        options.toolVersion = "test"
        return try BatchRunner.run(try BatchRunner.discover(scenarios.path), options: options)
    }

    func statuses(_ summary: BatchSummary) -> [String: BatchEntry.Status] {
        Dictionary(uniqueKeysWithValues: summary.entries.map { ($0.name, $0.status) })
    }

    func testShardsPartitionTheList() throws {
        for n in 1...7 {
            for size in [0, 1, 2, 5, 13] {
                let items = Array(0..<size)
                var seen: [Int] = []
                for k in 0..<n { seen += try Shard(index: k, count: n).select(items) }
                XCTAssertEqual(seen.sorted(), items, "N=\(n), \(size) items")
            }
        }
        XCTAssertEqual(try Shard(parsing: "1/3").select(Array(0..<8)), [1, 4, 7])
        XCTAssertThrowsError(try Shard(parsing: "3/3")) { error in
            XCTAssertEqual((error as? InputError)?.location, InputLocation())  // no command-line words
            XCTAssertTrue((error as? InputError)?.message.hasPrefix("shard index 3 must be between 0 and 2") ?? false, "\(error)")
        }
        XCTAssertThrowsError(try Shard(parsing: "0/0")) { error in
            XCTAssertEqual((error as? InputError)?.location, InputLocation())  // no command-line words
            XCTAssertTrue((error as? InputError)?.message.hasPrefix("shard count 0 must be at least 1") ?? false, "\(error)")
        }
        XCTAssertThrowsError(try Shard(parsing: "a/b")) { error in
            XCTAssertEqual((error as? InputError)?.location, InputLocation())  // no command-line words
            XCTAssertTrue((error as? InputError)?.message.hasPrefix("'a/b' is not a shard") ?? false, "\(error)")
        }
    }

    func testDiscoveryTakesDirectoriesAndGlobsAndRejectsCollidingNames() throws {
        XCTAssertEqual(try BatchRunner.discover(scenarios.path).map { ($0 as NSString).lastPathComponent },
                       ["broken.yaml", "close-belgrade.json", "close-hu-rs.yaml"])
        XCTAssertEqual(try BatchRunner.discover(scenarios.path + "/close-*").count, 2)
        XCTAssertThrowsError(try BatchRunner.discover(scenarios.path + "/nothing-*.yaml")) { error in
            XCTAssertTrue(error is MissingInput, "\(error)")
        }
        XCTAssertThrowsError(try BatchRunner.plan(["a/x.yaml", "b/x.json"])) { error in
            XCTAssertTrue("\(error)".contains("would both write to 'x/'"), "\(error)")
        }
    }

    func testFailingScenarioIsRecordedAndOthersRun() throws {
        let summary = try runBatch()
        XCTAssertEqual(statuses(summary), ["broken": .failed, "close-belgrade": .completed, "close-hu-rs": .completed])
        XCTAssertTrue(summary.failed[0].error?.contains("XX-YY") == true, "\(summary.failed)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/broken"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/close-hu-rs/.done"))
        XCTAssertEqual(try BatchSummary.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: out + "/batch-summary.json"))),
                                               file: "batch-summary.json"), summary)
    }

    func testResumeSkipsFinishedForceRerunsChangedInputsRerun() throws {
        _ = try runBatch()
        let report = out + "/close-hu-rs/summary.json"
        let before = try Data(contentsOf: URL(fileURLWithPath: report))
        XCTAssertEqual(statuses(try runBatch()), ["broken": .failed, "close-belgrade": .skipped, "close-hu-rs": .skipped])
        XCTAssertEqual(statuses(try runBatch(force: true)), ["broken": .failed, "close-belgrade": .completed, "close-hu-rs": .completed])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: report)), before)

        let file = scenarios.appendingPathComponent("close-hu-rs.yaml")
        try (String(contentsOf: file, encoding: .utf8) + "\n# edited\n").write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(statuses(try runBatch()), ["broken": .failed, "close-belgrade": .skipped, "close-hu-rs": .completed])

        // The demand file is an input too (close-belgrade has its demand inline).
        let demand = scenarios.appendingPathComponent("demand.csv")
        try (String(contentsOf: demand, encoding: .utf8)).write(to: demand, atomically: true, encoding: .utf8)
        XCTAssertEqual(statuses(try runBatch()), ["broken": .failed, "close-belgrade": .skipped, "close-hu-rs": .skipped])
        try (String(contentsOf: demand, encoding: .utf8) + "\n").write(to: demand, atomically: true, encoding: .utf8)
        XCTAssertEqual(statuses(try runBatch()), ["broken": .failed, "close-belgrade": .skipped, "close-hu-rs": .completed])

        // A fixed scenario runs on the next pass.
        try "name: fixed\nnetwork: balkans-network.geojson\ndemand: demand.csv\ninterventions:\n  - close: HU-RS\n"
            .write(to: scenarios.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        XCTAssertEqual(statuses(try runBatch()), ["broken": .completed, "close-belgrade": .skipped, "close-hu-rs": .skipped])
    }

    func testShardedRunsMergeIntoTheSingleRun() throws {
        let files = try BatchRunner.discover(scenarios.path)
        var single = BatchOptions(output: out + "/single")
        single.toolVersion = "test"
        _ = try BatchRunner.run(files, options: single)
        var dirs: [String] = []
        for k in 0..<2 {
            var options = single
            options.output = out + "/shard-\(k)"
            options.shard = try Shard(index: k, count: 2)
            let summary = try BatchRunner.run(files, options: options)
            XCTAssertEqual(summary.shard?.description, "\(k)/2")
            dirs.append(options.output)
        }
        XCTAssertThrowsError(try ShardMerge.merge([dirs[0]], into: out + "/partial")) { error in
            XCTAssertTrue("\(error)".contains("missing shard(s) 1/2"), "\(error)")
        }
        let outcome = try ShardMerge.merge(dirs, into: out + "/merged")
        XCTAssertEqual(outcome.kind, .batch)
        XCTAssertEqual(outcome.batch?.entries.count, 3)
        for name in ["batch-summary.json", "close-hu-rs/segments.geojson", "close-belgrade/.done"] {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out + "/merged/" + name)),
                           try Data(contentsOf: URL(fileURLWithPath: out + "/single/" + name)), name)
        }
    }
}
