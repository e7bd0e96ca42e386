import Foundation
import XCTest
import RouteShiftTestSupport

/// Multi-file outputs under kill: the run directory is the previous run's or the new
/// run's, never a mix; an interrupt removes what was in flight; leftovers of a killed
/// process are cleared by the next run.
final class KillSafeOutputTests: XCTestCase {
    private var temporary: TemporaryDirectory!
    var work: URL { temporary.url }
    static let examples = SimulateCommandTests.examples

    override func setUpWithError() throws { temporary = try TemporaryDirectory("rs-kill") }
    override func tearDown() { temporary = nil }

    private func contents(of dir: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] {
            out[name] = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path)
        }
        return out
    }

    private func leftovers() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: work.path)) ?? []).filter {
            $0.contains(".tmp-") || $0.contains(".staging-")
        }
    }

    func testKilledSimulateLeavesTheOldOrTheNewRunNeverAMix() throws {
        let a = Self.examples.appendingPathComponent("close-hu-rs.yaml").path
        let b = Self.examples.appendingPathComponent("close-hungary.yaml").path
        let out = work.appendingPathComponent("run")
        // The two complete outcomes, each written by an uninterrupted run.
        XCTAssertEqual(try RouteShiftProcess.run(["simulate", b, "--out", out.path, "--quiet"]).status, 0)
        let new = contents(of: out)
        XCTAssertEqual(try RouteShiftProcess.run(["simulate", a, "--out", out.path, "--quiet"]).status, 0)
        let old = contents(of: out)
        XCTAssertNotEqual(old, new)
        var sawNew = false
        for delay in [0.05, 0.2, 0.4, 0.6, 0.9, 1.3, 2.0] {
            let started = try RouteShiftProcess.start(["simulate", b, "--out", out.path, "--quiet"])
            Thread.sleep(forTimeInterval: delay)
            kill(started.0.processIdentifier, SIGKILL)
            _ = RouteShiftProcess.finish(started)
            let now = contents(of: out)
            XCTAssertTrue(now == old || now == new, "killed after \(delay) s: \(now.keys.sorted())")
            if now == new { sawNew = true; break }
        }
        // The next run clears what the killed ones left beside the directory.
        XCTAssertEqual(try RouteShiftProcess.run(["simulate", a, "--out", out.path, "--quiet"]).status, 0)
        XCTAssertEqual(contents(of: out), old)
        XCTAssertEqual(leftovers(), [])
        if !sawNew { print("note: every kill landed before the swap") }
    }

    /// Kills `newRun` at growing delays over the output of `oldRun` (same `--out`):
    /// each time the directory holds exactly the old files or exactly the new ones.
    private func assertKillLeavesOldOrNew(old oldRun: [String], new newRun: [String], out: URL,
                                          line: UInt = #line) throws {
        XCTAssertEqual(try RouteShiftProcess.run(newRun).status, 0, line: line)
        let new = contents(of: out)
        XCTAssertEqual(try RouteShiftProcess.run(oldRun).status, 0, line: line)
        let old = contents(of: out)
        XCTAssertNotEqual(old, new, "the two runs must differ", line: line)
        XCTAssertFalse(old.isEmpty, line: line)
        for delay in [0.05, 0.2, 0.4, 0.7, 1.0, 1.5, 2.5] {
            let started = try RouteShiftProcess.start(newRun)
            Thread.sleep(forTimeInterval: delay)
            kill(started.0.processIdentifier, SIGKILL)
            _ = RouteShiftProcess.finish(started)
            let now = contents(of: out)
            XCTAssertTrue(now == old || now == new, "killed after \(delay) s: \(now.keys.sorted())", line: line)
            if now == new { break }
        }
        XCTAssertEqual(try RouteShiftProcess.run(oldRun).status, 0, line: line)
        XCTAssertEqual(contents(of: out), old, line: line)
        XCTAssertEqual(leftovers(), [], "leftovers of the killed runs are cleared", line: line)
    }

    func testKilledSweepLeavesTheOldOrTheNewRankingNeverAMix() throws {
        let out = work.appendingPathComponent("sweep")
        func sweep(_ scenario: String) -> [String] {
            ["sweep", Self.examples.appendingPathComponent(scenario).path, "--by", "hub", "--out", out.path, "-q"]
        }
        try assertKillLeavesOldOrNew(old: sweep("close-hu-rs.yaml"), new: sweep("baseline-logit.yaml"), out: out)
    }

    func testKilledAgentsRunLeavesTheOldOrTheNewFilesNeverAMix() throws {
        let flee = Self.examples.deletingLastPathComponent().appendingPathComponent("flee")
        let out = work.appendingPathComponent("agents")
        func agents(days: Int) -> [String] {
            ["agents", flee.appendingPathComponent("burundi").path,
             "--validation", flee.appendingPathComponent("validation/burundi2015").path,
             "--days", String(days), "--seed", "1", "--out", out.path, "--quiet"]
        }
        try assertKillLeavesOldOrNew(old: agents(days: 3), new: agents(days: 60), out: out)
    }

    func testInterruptRemovesWhatIsInFlight() throws {
        let scenario = Self.examples.appendingPathComponent("close-hu-rs.yaml").path
        let out = work.appendingPathComponent("run")
        for delay in [0.1, 0.5, 1.0] {
            let started = try RouteShiftProcess.start(["simulate", scenario, "--out", out.path, "--quiet"])
            Thread.sleep(forTimeInterval: delay)
            kill(started.0.processIdentifier, SIGINT)
            let r = RouteShiftProcess.finish(started)
            // A signal that lands before the handlers are installed ends the process by
            // SIGINT itself; nothing can be in flight then.
            let early = started.0.terminationReason == .uncaughtSignal && r.status == SIGINT
            XCTAssertTrue([0, 130].contains(r.status) || early, "\(r.status) \(r.stderr)")
            XCTAssertEqual(leftovers(), [], "after SIGINT at \(delay) s")
            let files = contents(of: out).keys.sorted()
            XCTAssertTrue(files.isEmpty || files == SimulateCommandTests.outputs, "\(files)")
            try? FileManager.default.removeItem(at: out)
        }
    }

    func testStaleTemporariesOfDeadProcessesAreCleared() throws {
        // A process id that is not running: a child that has already exited.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        let live = ProcessInfo.processInfo.processIdentifier
        let names = [".od.csv.tmp-\(dead)-AbC123", ".run.staging-\(dead)-xYz789", ".run.staging-\(live)-keep01",
                     ".notes.tmp-old"]
        for name in names {
            XCTAssertTrue(FileManager.default.createFile(atPath: work.appendingPathComponent(name).path, contents: Data()))
        }
        let scenario = Self.examples.appendingPathComponent("close-hu-rs.yaml").path
        XCTAssertEqual(try RouteShiftProcess.run(["simulate", scenario, "--out", work.appendingPathComponent("run").path,
                                                  "--quiet"]).status, 0)
        let remaining = Set((try FileManager.default.contentsOfDirectory(atPath: work.path)))
        XCTAssertFalse(remaining.contains(names[0]))
        XCTAssertFalse(remaining.contains(names[1]))
        XCTAssertTrue(remaining.contains(names[2]), "a running process's staging directory is kept")
        XCTAssertTrue(remaining.contains(names[3]), "a name RouteShift does not make is kept")
    }
}
