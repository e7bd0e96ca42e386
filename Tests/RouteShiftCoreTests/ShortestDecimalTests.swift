import XCTest
import RouteShiftCore
import RouteShiftTestSupport

/// `ShortestDecimal` writes what Swift's `description` writes (its own shortest
/// round-trip algorithm, independent of this one), and what it writes reads back
/// as the same double.
final class ShortestDecimalTests: XCTestCase {
    private func written(_ x: Double) -> String? {
        var out: [UInt8] = []
        guard ShortestDecimal.append(x, to: &out) else {
            XCTAssertTrue(out.isEmpty)
            return nil
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One million doubles drawn uniformly from the bit patterns of [10⁻⁴, 2⁵²), both
    /// signs: nearly all need 16 or 17 significant digits.
    func testRandomBitPatternsMatchDescriptionAndRoundTrip() {
        var rng = SplitMix64(seed: 20_181_106)
        let low = (1e-4).bitPattern, high = (4_503_599_627_370_496.0).bitPattern
        var mismatches: [String] = []
        for i in 0..<1_000_000 {
            var x = Double(bitPattern: low + rng.next() % (high - low))
            if i & 1 == 1 { x = -x }
            guard x.rounded(.towardZero) != x else { continue }  // integers are not its job
            guard let text = written(x) else { mismatches.append("refused \(x)"); continue }
            if text != x.description || Double(text) != x { mismatches.append("\(x.description) written \(text)") }
            if mismatches.count > 10 { break }
        }
        XCTAssertEqual(mismatches, [])
    }

    /// Sums of short decimals (what path costs are), the neighbours of powers of two
    /// (where the lower half-gap is half the upper one), and exact ties between two
    /// shortest candidates (round half to even).
    func testSumsPowersOfTwoAndTies() {
        var rng = SplitMix64(seed: 7)
        var values: [Double] = []
        for _ in 0..<200_000 {
            var sum = 0.0
            for _ in 0..<Int(1 + rng.next() % 40) { sum += Double(rng.next() % 10_000_000) / 1e6 }
            values.append(sum)
        }
        for e in -13...51 {
            var p = Double(sign: .plus, exponent: e, significand: 1)
            for _ in 0..<3 { p = p.nextDown }
            for _ in 0..<7 { values.append(p); p = p.nextUp }
        }
        values += [0.1 + 0.2, 1e-4, 0.000_100_000_000_000_000_02, 79.19326095371792, 2_251_799_813_685_247.75,
                   4_503_599_627_370_495.5, 1_000_000_000_000_000.5, 123_456_789_012.123_45, 1.0 / 3, 2.0 / 3, 0.05]
        for x in values where x.rounded(.towardZero) != x {
            XCTAssertEqual(written(x), x.description, "bits \(x.bitPattern)")
        }
        XCTAssertEqual(written(2_251_799_813_685_247.75), "2251799813685247.8")  // .75 lies between .7 and .8: even
        XCTAssertEqual(written(0.1 + 0.2), "0.30000000000000004")
    }

    /// Outside the positional range, integers and non-finite values are left to the caller.
    func testRefusesWhatItDoesNotCover() {
        for x in [9.999_999_999_999_999e-5, 1e-5, 5e-324, 12.0, -3.0, 4_503_599_627_370_496.0, 1e300, .infinity, -.infinity,
                  .nan, 0.0] {
            XCTAssertNil(written(x), "\(x)")
        }
    }
}
