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

    /// Agents at nodes 3 1 2 1 0 3 with distinct attributes: after `sortByNode` the nodes are
    /// ascending, ties in their old order, and every column moved with its agent.
    func testSortByNodeIsAStableSortOfEveryColumn() {
        let store = AgentStore(capacity: 4)
        let nodes: [Int32] = [3, 1, 2, 1, 0, 3]
        for (i, node) in nodes.enumerated() {
            store.append(at: node, home: Int32(100 + i))
            store.arc[i] = Int32(i) - 1
            store.onLink[i] = Float(i) / 2
            store.path[i] = Int32(10 * i)
            store.pathStep[i] = UInt16(i)
            store.trips[i] = UInt8(i)
        }
        store.sortByNode(locationCount: 4)
        let order = nodes.indices.sorted { (nodes[$0], $0) < (nodes[$1], $1) }  // [4, 1, 3, 2, 0, 5]
        XCTAssertEqual(order, [4, 1, 3, 2, 0, 5])
        for (j, i) in order.enumerated() {
            XCTAssertEqual(store.node[j], nodes[i])
            XCTAssertEqual(store.home[j], Int32(100 + i))
            XCTAssertEqual(store.arc[j], Int32(i) - 1)
            XCTAssertEqual(store.onLink[j], Float(i) / 2)
            XCTAssertEqual(store.path[j], Int32(10 * i))
            XCTAssertEqual(store.pathStep[j], UInt16(i))
            XCTAssertEqual(store.trips[j], UInt8(i))
        }
        // Growing past the capacity (16) after a sort keeps everyone; the newcomers at node 2
        // come after the one already there.
        for _ in 0..<20 { store.append(at: 2) }
        store.sortByNode(locationCount: 4)
        XCTAssertEqual((0..<store.count).map { store.node[$0] }, [0, 1, 1] + Array(repeating: 2, count: 21) + [3, 3])
        XCTAssertEqual(store.home[3], 102)
        XCTAssertEqual(store.home[4], 2)
        XCTAssertEqual(store.home[25], 105)
    }
}
