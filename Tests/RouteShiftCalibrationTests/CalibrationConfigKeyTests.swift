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
}
