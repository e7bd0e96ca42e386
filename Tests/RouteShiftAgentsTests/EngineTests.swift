import Foundation
import XCTest
@testable import RouteShiftAgents

/// The engine's parts against independent answers: the binomial sampler against the binomial
/// distribution's moments and exact probabilities, the reorder against a sort of the columns.
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

    /// Binomial(4, 0.3): the frequency of each count within 5 standard errors of C(4,k) 0.3^k 0.7^(4−k);
    /// p = 0 and p = 1 are certain.
    func testBinomialProbabilitiesOfEachCount() {
        let exact = [0.2401, 0.4116, 0.2646, 0.0756, 0.0081]
        var seen = [Int](repeating: 0, count: 5)
        let draws = 400_000
        for k in 0..<draws {
            var rng = CounterRandom(seed: 3, stream: UInt64(k), counter: 0)
            seen[rng.binomial(4, 0.3)] += 1
        }
        for (k, p) in exact.enumerated() {
            let se = (p * (1 - p) / Double(draws)).squareRoot()
            XCTAssertLessThan(abs(Double(seen[k]) / Double(draws) - p), 5 * se, "count \(k)")
        }
        var rng = CounterRandom(seed: 1, stream: 1, counter: 1)
        XCTAssertEqual(rng.binomial(1_000, 0), 0)
        XCTAssertEqual(rng.binomial(1_000, 1), 1_000)
        XCTAssertEqual(rng.binomial(0, 0.5), 0)
    }
}
