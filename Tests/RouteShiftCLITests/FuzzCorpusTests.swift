import Foundation
import XCTest

/// The fuzzing seed corpora and every input a fuzzing run once crashed on
/// (Fuzz/regressions/TARGET) go through the parsers of the plain build: each must
/// end in a value or an error, never a trap (scripts/fuzz.sh runs the same
/// parsers under libFuzzer and AddressSanitizer).
final class FuzzCorpusTests: XCTestCase {
    func testSeedCorporaAndRegressionsParseWithoutATrap() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz")
        let binary = RouteShiftProcess.binary.deletingLastPathComponent().appendingPathComponent("routeshift-fuzz")
        for target in ["edges-csv", "geojson", "scenario", "rsnet"] {
            let corpus = root.appendingPathComponent("corpus/\(target)").path
            let regressions = root.appendingPathComponent("regressions/\(target)").path
            let seeds = try FileManager.default.contentsOfDirectory(atPath: corpus).count
            XCTAssertGreaterThan(seeds, 0, target)
            let run = try RouteShiftProcess.run([target, corpus, regressions], executable: binary)
            XCTAssertEqual(run.status, 0, "\(target): \(run.stderr.prefix(2000))")
            XCTAssertTrue(run.stdout.contains("\(target): "), run.stdout)
        }
    }
}
