import XCTest
@testable import RouteShiftNetwork

/// CSV numbers are Swift's shortest round-trip form (`description`); the fast path
/// for short decimals must write exactly the same bytes.
final class NumberFormatTests: XCTestCase {
    private func written(_ x: Double) -> String {
        var out: [UInt8] = []
        NumberFormat.append(x, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func testShortDecimalsAreWrittenAsDescriptionWritesThem() {
        var rng = SystemRandomNumberGenerator()
        // Decimals with 1 to 9 places over the magnitudes costs and coordinates take, both signs.
        for _ in 0..<20_000 {
            let places = Int.random(in: 1...9, using: &rng)
            let units = Int64.random(in: 1...999_999_999_999, using: &rng)
            var x = Double(units) / pow(10, Double(places))
            if Bool.random(using: &rng) { x = -x }
            guard x.rounded(.towardZero) != x else { continue }
            XCTAssertEqual(written(x), x.description, "\(units) / 10^\(places)")
        }
        // Arbitrary doubles (most need 16-17 digits and take the general path).
        for _ in 0..<20_000 {
            let x = Double.random(in: -2e9...2e9, using: &rng) * pow(10, Double(Int.random(in: -12...0, using: &rng)))
            guard x.rounded(.towardZero) != x else { continue }
            XCTAssertEqual(written(x), x.description)
        }
        for x in [0.1 + 0.2, 2654.255199999995, 1e-4, 1.5e-4, 9.5e-5, 999_999_999.5, 1e9 + 0.5, -57.962463, 0.05,
                  123.000001, 5e-324, 1.7976931348623157e308, 0.30000000000000004] {
            XCTAssertEqual(written(x), x.description, "\(x)")
        }
        XCTAssertEqual(written(-0.0), "0")
        XCTAssertEqual(written(12), "12")
    }
}
