import Foundation
import XCTest
import RouteShiftCore
@testable import RouteShiftScenario

/// The constructs whose parsing can take exponential time are refused at their line before
/// the YAML library sees them; everything RouteShift's own files write is accepted.
final class YAMLInputGuardTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func rejection(_ text: String) -> InputError? {
        do { try YAMLInputGuard.check(text, file: "s.yaml"); return nil } catch { return error as? InputError }
    }

    func testRefusesExplicitKeysAliasesAndDeepFlowAtTheirLine() {
        XCTAssertEqual(rejection("name: x\n? a\n: b\n")?.location, InputLocation(file: "s.yaml", line: 2))
        XCTAssertTrue(rejection("- - ? [a]\n  : 1\n")?.message.contains("explicit mapping keys") ?? false)
        XCTAssertTrue(rejection("a: &x [1]\nb: *x\n")?.message.contains("aliases") ?? false)
        XCTAssertNotNil(rejection("a: {? b: c}\n"))
        XCTAssertNotNil(rejection("a: [1,\n  *x]\n"))
        let deep = { (n: Int) in "a: " + String(repeating: "[", count: n) + String(repeating: "]", count: n) + "\n" }
        XCTAssertNil(rejection(deep(YAMLInputGuard.maximumFlowDepth)))
        XCTAssertTrue(rejection(deep(YAMLInputGuard.maximumFlowDepth + 1))?.message.contains("nested more than") ?? false)
    }

    func testAcceptsTheSameCharactersInsideScalarsCommentsAndBlockText() {
        for text in [
            "name: what if? yes\n", "name: \"? quoted\"\n", "name: '*stars*'\n", "a: b # ? - *c\n",
            "note: |\n  ? a question\n  *emphasis*\n  [[[[[[[[[[[[[[[[[[[[\nnext: 1\n",
            "a: x[[[[[[[[[[[[[[[[[[[[y\n", "a: &anchor 1\n", "--- \nname: x\n",
            "m: {k: [1, [2, {v: 3}]], 'q?': \"*\"}\n", "- close: HU-RS\n  from: 2015-09-15\n",
        ] {
            XCTAssertNil(rejection(text), text)
        }
    }

    /// Every YAML file of the repository (scenarios, calibration, cost model, episodes) passes.
    func testAcceptsEveryYAMLFileOfTheRepository() throws {
        var checked = 0
        for dir in ["Examples", "Geodata", "Tests"] {
            guard let files = FileManager.default.enumerator(atPath: Self.root.appendingPathComponent(dir).path) else { continue }
            for case let name as String in files where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                let path = Self.root.appendingPathComponent(dir).appendingPathComponent(name).path
                let text = try String(contentsOfFile: path, encoding: .utf8)
                XCTAssertNoThrow(try YAMLInputGuard.check(text, file: path), path)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 10)
    }

    /// The input a fuzzing run found (700 bytes of nested explicit keys that kept the YAML
    /// library's duplicate-key check busy for minutes) is now an error at its first such line.
    func testTheFuzzedHangIsAnErrorAtOnce() throws {
        let path = Self.root.appendingPathComponent("Fuzz/regressions/scenario/scenario-timeout-76909a37d901c2993ee37b2dbb8ab41046f6a958").path
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        XCTAssertThrowsError(try ScenarioParser.parse(text, file: "fuzzed.yaml")) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.location.file, "fuzzed.yaml")
            XCTAssertTrue(e?.message.contains("are not accepted") ?? false, "\(error)")
        }
    }
}
