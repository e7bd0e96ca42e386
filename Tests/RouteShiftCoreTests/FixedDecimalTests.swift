import XCTest
import Foundation
import RouteShiftCore
import RouteShiftTestSupport

/// `FixedDecimal` against C's printf (`String(format:)`), the second implementation.
final class FixedDecimalTests: XCTestCase {
    func assertLikePrintf(_ x: Double, _ places: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(FixedDecimal.text(x, places: places), String(format: "%.\(places)f", x), "\(x) at \(places)",
                       file: file, line: line)
    }

    func testHandPickedValues() {
        XCTAssertEqual(FixedDecimal.text(0.125, places: 2), "0.12")   // exact tie: to even
        XCTAssertEqual(FixedDecimal.text(0.375, places: 2), "0.38")
        XCTAssertEqual(FixedDecimal.text(2.5, places: 0), "2")
        XCTAssertEqual(FixedDecimal.text(3.5, places: 0), "4")
        XCTAssertEqual(FixedDecimal.text(1.005, places: 2), "1.00")   // 1.005 is 1.00499999999999989...
        XCTAssertEqual(FixedDecimal.text(-0.0004, places: 3), "-0.000")
        XCTAssertEqual(FixedDecimal.text(-12.3456, places: 3), "-12.346")
        XCTAssertEqual(FixedDecimal.text(1234567.0, places: 3), "1234567.000")
        XCTAssertEqual(FixedDecimal.text(0.000999, places: 3), "0.001")
        XCTAssertEqual(FixedDecimal.text(7, places: 0), "7")
    }

    func testAgreesWithPrintfOnRandomAndHalfwayValues() {
        var rng = SplitMix64(seed: 20151015)
        for places in 0...6 {
            let scale = pow(10, Double(places))
            for _ in 0..<20_000 {
                let magnitude = pow(10, Double.random(in: -6...9, using: &rng))
                assertLikePrintf(Double.random(in: -magnitude...magnitude, using: &rng), places)
                // Values at and next to decimal halfway points.
                let half = (Double(Int.random(in: -10_000_000...10_000_000, using: &rng)) + 0.5) / scale
                assertLikePrintf(half, places)
                assertLikePrintf(half.nextUp, places)
                assertLikePrintf(half.nextDown, places)
            }
        }
        for x in [Double.infinity, -.infinity, .nan, 1e300, -1e20, Double.leastNonzeroMagnitude, -0.0, 0] {
            assertLikePrintf(x, 3)
        }
    }
}

