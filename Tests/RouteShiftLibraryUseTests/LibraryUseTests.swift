import Foundation
import RouteShiftTestSupport
import XCTest

/// Builds and runs the two external packages in `Examples/library-use/`, which
/// depend on RouteShift's products as another package would, and checks what
/// they print against the answers worked out by hand in their comments.
///
/// Each package builds into `.build/library-use/<name>` of this checkout, so
/// after the first run only what changed is compiled again. The test is skipped
/// when `swift` is not on the path or the packages' dependencies cannot be
/// resolved (no network and no cached clone).
final class LibraryUseTests: XCTestCase {
    private static let root = SourceTree.root

    private func buildAndRun(_ name: String) throws -> String {
        let package = Self.root.appendingPathComponent("Examples/library-use/\(name)")
        let scratch = Self.root.appendingPathComponent(".build/library-use/\(name)")
        // SwiftPM keeps the build plan of a path dependency and would not see a source
        // file added to RouteShift since the last run; dropping the plan makes it look
        // again and still compiles only what changed.
        let fm = FileManager.default
        try? fm.removeItem(at: scratch.appendingPathComponent("debug.yaml"))
        for triple in (try? fm.contentsOfDirectory(atPath: scratch.path)) ?? [] {
            try? fm.removeItem(at: scratch.appendingPathComponent("\(triple)/debug/description.json"))
        }
        let build = try Self.swift(["build", "--package-path", package.path, "--scratch-path", scratch.path])
        if build.status != 0 {
            let resolution = ["Could not resolve", "Failed to clone", "unable to access", "Couldn't fetch",
                              "failed to fetch", "Could not read from remote"]
            if resolution.contains(where: { build.output.contains($0) }) {
                throw XCTSkip("the dependencies of \(name) cannot be resolved offline:\n\(build.output.suffix(600))")
            }
            XCTFail("swift build of \(name) failed:\n\(build.output.suffix(4000))")
            return ""
        }
        let binary = scratch.appendingPathComponent("debug/\(name)")
        let run = try ChildProcess.run(binary, [])
        XCTAssertEqual(run.status, 0, run.stderr)
        return run.stdout
    }

    private static func swift(_ arguments: [String]) throws -> (status: Int32, output: String) {
        guard let swift = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
            .map({ URL(fileURLWithPath: String($0)).appendingPathComponent("swift") })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("swift is not on the PATH")
        }
        let run = try ChildProcess.run(swift, arguments)
        return (run.status, run.stdout + run.stderr)
    }

    /// Depends on the `RouteShiftGraph` product only.
    func testGraphOnlyPackageRoutesAHandMadeGraph() throws {
        XCTAssertEqual(try buildAndRun("graph-routing"), """
        1 -> 3: 1-2-3 via edges 10,11, cost 5.0
        1 -> 3, edge 10 closed: 1-4-5-3 via edges 13,14,15, cost 8.0
        3 -> 1: 3-2-1 via edges 11,10, cost 5.0
        1 -> 3, path 1: 1-2-3 via edges 10,11, cost 5.0
        1 -> 3, path 2: 1-4-5-3 via edges 13,14,15, cost 8.0

        """)
    }

    /// Runs a closure scenario through the library products alone.
    func testClosureSimulationPackageDisplacesEveryoneToTheOnlyOtherRoute() throws {
        XCTAssertEqual(try buildAndRun("closure-simulation"), """
        demand 100.0, displaced 100.0, stranded 0.0
        HR-HU-001: 0.0 -> 100.0
        HR-RS-001: 0.0 -> 100.0
        HU-RS-001: 100.0 -> 0.0

        """)
    }
}
