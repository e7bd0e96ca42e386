import XCTest
@testable import RouteShiftGraph
import RouteShiftTestSupport

/// The search heap against a reference that keeps every live (key, node) pair
/// and takes the smallest by a linear scan.
final class QuaternaryHeapTests: XCTestCase {
    /// Random inserts, decrease-keys and pops, with many equal keys (few
    /// distinct values, -0 among them) so the node tie-break decides most pops.
    func testPopsInKeyThenNodeOrderUnderRandomOperations() {
        for seed in UInt64(1)...5 {
            var random = SplitMix64(seed: seed)
            let nodeCount = 300
            let space = SearchSpace(nodeCount: nodeCount)
            var heap = space.begin()
            var reference: [Int32: Double] = [:]
            let keys: [Double] = [-0.0, 0, 0.5, 1, 1, 2.25, 3, 1e300, 7e-310]
            var popped = 0
            for step in 0..<5_000 {
                let choice = random.next() % 10
                let node = Int32(random.next() % UInt64(nodeCount))
                let key = keys[Int(random.next() % UInt64(keys.count))]
                if choice < 5 {
                    if let current = reference[node] {
                        guard key < current else { continue }
                        heap.decreaseKey(node, to: key)
                    } else {
                        guard !heap.contains(node) else { XCTFail("seed \(seed): \(node) still listed"); return }
                        heap.insert(node, key: key)
                    }
                    reference[node] = key
                } else if let expected = reference.min(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
                    let top = heap.popMin()
                    XCTAssertEqual(top.node, expected.key, "seed \(seed) step \(step)")
                    XCTAssertEqual(top.key, expected.value, "seed \(seed) step \(step)")
                    XCTAssertFalse(heap.contains(top.node))
                    reference[expected.key] = nil
                    popped += 1
                } else {
                    XCTAssertTrue(heap.isEmpty)
                    XCTAssertEqual(heap.minKey, .infinity)
                }
                XCTAssertEqual(heap.count, reference.count)
            }
            XCTAssertGreaterThan(popped, 500)
            // Draining yields the rest in (key, node) order.
            let rest = reference.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
            for (node, key) in rest {
                XCTAssertEqual(heap.minKey, key)
                let top = heap.popMin()
                XCTAssertEqual(top.node, node); XCTAssertEqual(top.key, key)
            }
            XCTAssertTrue(heap.isEmpty)
            space.end(heap)
        }
    }

    func testEntryKeepsKeyAndNodeAndNormalisesNegativeZero() {
        for (key, node) in [(0.0, Int32(0)), (1.5, 7), (.greatestFiniteMagnitude, .max), (.infinity, 3),
                            (.leastNonzeroMagnitude, 12)] {
            let entry = HeapEntry(key: key, node: node)
            XCTAssertEqual(entry.key, key); XCTAssertEqual(entry.node, node)
        }
        let negativeZero = HeapEntry(key: -0.0, node: 4)
        XCTAssertEqual(negativeZero.key.sign, .plus)
        XCTAssertTrue(QuaternaryHeap.precedes(negativeZero, HeapEntry(key: .leastNonzeroMagnitude, node: 0)))
        XCTAssertTrue(QuaternaryHeap.precedes(HeapEntry(key: 2, node: 1), HeapEntry(key: 2, node: 2)))
        XCTAssertFalse(QuaternaryHeap.precedes(HeapEntry(key: 2, node: 2), HeapEntry(key: 2, node: 2)))
    }
}
