@testable import RouteShiftCore
import XCTest

final class InputErrorTests: XCTestCase {
    func testEchoedValuesAreShortAndEscaped() {
        let huge = String(repeating: "x", count: 10_000_000)
        let error = InputError("unknown hub '\(huge)'\u{1b}[31m")
        XCTAssertLessThan(error.description.count, 700)
        XCTAssertTrue(error.description.hasSuffix("… (cut)"))
        XCTAssertEqual(InputError("bad \u{1b}[2J\nnext").description, "bad \\u{1b}[2J\\nnext")
        XCTAssertEqual(InputError.excerpt(String(repeating: "ab", count: 50), limit: 4), "'abab…'")
    }
}
