import XCTest
@testable import RouteShiftMaps
import RouteShiftTestSupport

final class ScaleTests: XCTestCase {
    func testDivergingScaleEndsAndMiddleAreTheDeclaredColours() {
        let scale = DivergingColorScale(maximum: 800)
        XCTAssertEqual(scale.color(-800), RGBColor(0x21, 0x66, 0xac))
        XCTAssertEqual(scale.color(0), RGBColor(0x9e, 0x9e, 0x9e))
        XCTAssertEqual(scale.color(800), RGBColor(0xb2, 0x18, 0x2b))
        // Beyond the maximum the colours saturate.
        XCTAssertEqual(scale.color(-5000), scale.color(-800))
        XCTAssertEqual(scale.color(5000), scale.color(800))
    }

    func testDivergingScaleHalfwayByHand() {
        let scale = DivergingColorScale(maximum: 100)
        // Halfway between grey (158,158,158) and blue (33,102,172): (95.5, 130, 165), .5 rounds away from zero.
        XCTAssertEqual(scale.color(-50), RGBColor(96, 130, 165))
        // Halfway between grey and red (178,24,43): (168, 91, 100.5).
        XCTAssertEqual(scale.color(50), RGBColor(168, 91, 101))
        XCTAssertEqual(scale.color(-50).hex, "#6082a5")
    }

    func testDivergingScaleIsSymmetricAroundZero() {
        let scale = DivergingColorScale(maximum: 250)
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let v = Double.random(in: 0...400, using: &rng)
            XCTAssertEqual(scale.position(-v), -scale.position(v))
            // Equal gains and losses are the same fraction of the way from grey to their end colour
            // (summed over channels; each channel is rounded, hence the tolerance).
            let down = scale.color(-v), up = scale.color(v)
            func distance(_ a: RGBColor, _ b: RGBColor) -> Double {
                abs(Double(a.red) - Double(b.red)) + abs(Double(a.green) - Double(b.green)) + abs(Double(a.blue) - Double(b.blue))
            }
            let n = DivergingColorScale.neutral
            let tDown = distance(down, n) / distance(DivergingColorScale.decrease, n)
            let tUp = distance(up, n) / distance(DivergingColorScale.increase, n)
            XCTAssertEqual(tDown, tUp, accuracy: 0.01, "value \(v)")
            XCTAssertEqual(tUp, min(v, 250) / 250, accuracy: 0.01, "value \(v)")
        }
    }

    func testDivergingScaleFitsTheLargestMagnitudeRoundedUp() {
        XCTAssertEqual(DivergingColorScale(fitting: [-760, 550, 20]).maximum, 1000)
        XCTAssertEqual(DivergingColorScale(fitting: [-40, 180]).maximum, 200)
        XCTAssertEqual(DivergingColorScale(fitting: [0, 0]).maximum, 1)
        XCTAssertEqual(DivergingColorScale(fitting: [-2400]).ticks, [-2500, -1250, 0, 1250, 2500])
    }

    func testSqrtWidthScale() {
        let scale = SqrtWidthScale(maximumValue: 1600, maximumWidth: 12, minimumWidth: 0.5)
        XCTAssertEqual(scale.width(1600), 12, accuracy: 1e-12)
        XCTAssertEqual(scale.width(400), 6, accuracy: 1e-12)   // a quarter of the flow, half the width
        XCTAssertEqual(scale.width(100), 3, accuracy: 1e-12)
        XCTAssertEqual(scale.width(16), 1.2, accuracy: 1e-12)
        XCTAssertEqual(scale.width(1), 0.5, accuracy: 1e-12)   // floor for tiny flows
        XCTAssertEqual(scale.width(0), 0)
        XCTAssertEqual(scale.width(10_000), 12)                // clamped
        // Area (width) ratio equals the square root of the flow ratio.
        XCTAssertEqual(scale.width(900) / scale.width(225), 2, accuracy: 1e-12)
        XCTAssertEqual(scale.legendValues, [1600, 200, 100])
    }

    func testNiceNumbers() {
        XCTAssertEqual(NiceNumber.ceiling(760), 1000)
        XCTAssertEqual(NiceNumber.ceiling(2001), 2500)
        XCTAssertEqual(NiceNumber.ceiling(0.03), 0.05)
        XCTAssertEqual(NiceNumber.floor125(376_000), 200_000)
        XCTAssertEqual(NiceNumber.floor125(9.9), 5)
        XCTAssertEqual(NiceNumber.label(12_500), "12,500")
        XCTAssertEqual(NiceNumber.label(-1250), "−1,250")
        XCTAssertEqual(NiceNumber.label(156.25), "156.3")
        XCTAssertEqual(NiceNumber.label(-0.01), "0")
    }
}
