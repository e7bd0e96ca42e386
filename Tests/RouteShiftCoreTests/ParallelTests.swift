import RouteShiftCore
import XCTest

final class ParallelTests: XCTestCase {
    func testMapKeepsIndexOrder() {
        let values = Parallel.map(count: 1000, workers: 4, state: { () }) { _, i -> [Int] in [i, i * 2] }
        XCTAssertEqual(values.map { $0[0] }, Array(0..<1000))
        XCTAssertEqual(values.map { $0[1] }, (0..<1000).map { $0 * 2 })
    }

    struct Failure: Error, Equatable { var index: Int }

    /// Several indices fail: the one rethrown is the first by index, whatever the thread count.
    func testFirstErrorByIndexIsRethrown() {
        for workers in [1, 3, 8] {
            XCTAssertThrowsError(try Parallel.map(count: 100, workers: workers, state: { () }) { _, i throws(Failure) -> Int in
                if i % 7 == 5 { throw Failure(index: i) }
                return i
            }) { error in
                XCTAssertEqual(error as? Failure, Failure(index: 5))
            }
        }
    }
}
