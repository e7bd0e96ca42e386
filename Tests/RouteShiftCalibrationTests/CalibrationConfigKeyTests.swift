import XCTest
import RouteShiftCore
@testable import RouteShiftCalibration

/// Calibration files get the same key checks as scenarios: unknown keys with the nearest
/// valid one and non-mappings, each at its file, line and key path.
final class CalibrationConfigKeyTests: XCTestCase {
    private func error(_ text: String) -> InputError? {
        do {
            _ = try CalibrationConfig.parse(text, file: "cal.yaml")
            XCTFail("accepted:\n\(text)")
            return nil
        } catch {
            guard let e = error as? InputError else { XCTFail("\(error)"); return nil }
            return e
        }
    }

    func testKeysAreCheckedWhereTheyStand() {
        let misspelled = error("train: 2014-01:2015-12\nparameters:\n  theta: {start: 0.01, min: 0.001, mxa: 0.1}\n")
        XCTAssertEqual(misspelled?.location, InputLocation(file: "cal.yaml", line: 3, path: "$.parameters.theta.mxa"))
        XCTAssertEqual(misspelled?.suggestions.first, "max")
        XCTAssertTrue(misspelled?.message.contains("unknown key 'mxa'") ?? false)

        let list = error("train: 2014-01:2015-12\nparameters: [theta]\n")
        XCTAssertEqual(list?.location.path, "$.parameters")
        XCTAssertTrue(list?.message.contains("expected a mapping") ?? false)
    }

    /// Counts (searches, rounds, evaluations) are whole numbers within a bound, never
    /// converted blindly (1e300 used to trap converting to an integer).
    func testCountsAreBoundedWholeNumbers() {
        let huge = error("train: 2014-01:2015-12\nchoice_set:\n  search_limit: 1e300\n")
        XCTAssertEqual(huge?.location, InputLocation(file: "cal.yaml", line: 3, path: "$.choice_set.search_limit"))
        XCTAssertTrue(huge?.message.contains("at most 1000") ?? false, huge?.message ?? "")
        let fraction = error("train: 2014-01:2015-12\noptimizer:\n  rounds: 2.5\n")
        XCTAssertEqual(fraction?.location.path, "$.optimizer.rounds")
        XCTAssertNoThrow(try CalibrationConfig.parse("train: 2014-01:2015-12\nparameters:\n  theta: {start: 0.01, min: 0.001, max: 0.1}\n"
                                                  + "optimizer:\n  rounds: 3\n", file: "cal.yaml"))
    }
}
