import Foundation
import XCTest
@testable import RouteShiftAgents

/// The engine's parts against independent answers: the binomial sampler against the binomial
/// distribution's moments and exact probabilities, in each of its three regimes (a draw per
/// trial, inversion from the rarer end, inversion from the mode).
final class EngineTests: XCTestCase {
    /// 200,000 draws of Binomial(n, p) for small and large n p: the sample mean within 5 standard
    /// errors of n p, the sample variance within 5% of n p (1 − p).
    func testBinomialDrawsHaveTheBinomialMeanAndVariance() {
        for (n, p) in [(10, 0.3), (500, 0.3), (40_000, 0.001), (3_000, 0.97), (1, 0.5)] {
            var sum = 0.0, squares = 0.0
            let draws = 200_000
            for k in 0..<draws {
                var rng = CounterRandom(seed: 9, stream: UInt64(k), counter: UInt64(n))
                let x = rng.binomial(n, p)
                XCTAssertTrue((0...n).contains(x))
                sum += Double(x); squares += Double(x) * Double(x)
            }
            let mean = sum / Double(draws), variance = squares / Double(draws) - mean * mean
            let expectedVariance = Double(n) * p * (1 - p)
            XCTAssertLessThan(abs(mean - Double(n) * p), 5 * (expectedVariance / Double(draws)).squareRoot(), "n \(n) p \(p)")
            XCTAssertEqual(variance, expectedVariance, accuracy: 0.05 * expectedVariance, "n \(n) p \(p)")
        }
    }

    /// Binomial(4, 0.3) (a draw per trial), (60, 0.1) and (60, 0.93) (inversion from the rarer
    /// end), (400, 0.3) (from the mode): the frequency of each count within 5 standard errors of
    /// C(n,k) p^k (1−p)^(n−k), computed here as a product; p = 0 and p = 1 are certain.
    func testBinomialProbabilitiesOfEachCount() {
        func pmf(_ n: Int, _ p: Double, _ k: Int) -> Double {
            var c = 1.0
            for i in 0..<k { c *= Double(n - i) / Double(i + 1) }
            return c * pow(p, Double(k)) * pow(1 - p, Double(n - k))
        }
        for (n, p) in [(4, 0.3), (60, 0.1), (60, 0.93), (400, 0.3)] {
            let draws = 400_000
            var seen = [Int](repeating: 0, count: n + 1)
            for k in 0..<draws {
                var rng = CounterRandom(seed: 3, stream: UInt64(k), counter: UInt64(n))
                seen[rng.binomial(n, p)] += 1
            }
            let mean = Double(n) * p, sd = (mean * (1 - p)).squareRoot()
            for k in max(0, Int(mean - 2 * sd))...min(n, Int(mean + 2 * sd)) {
                let exact = pmf(n, p, k)
                let se = (exact * (1 - exact) / Double(draws)).squareRoot()
                XCTAssertLessThan(abs(Double(seen[k]) / Double(draws) - exact), 5 * se, "n \(n) p \(p) count \(k)")
            }
        }
        var rng = CounterRandom(seed: 1, stream: 1, counter: 1)
        XCTAssertEqual(rng.binomial(1_000, 0), 0)
        XCTAssertEqual(rng.binomial(1_000, 1), 1_000)
        XCTAssertEqual(rng.binomial(0, 0.5), 0)
    }
}
