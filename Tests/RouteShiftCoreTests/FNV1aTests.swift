import RouteShiftCore
import XCTest

final class FNV1aTests: XCTestCase {
    /// Test vectors of the FNV reference (draft-eastlake-fnv, 64-bit FNV-1a).
    func testPublishedVectors() {
        XCTAssertEqual(FNV1a.hash([UInt8]()), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(FNV1a.hex(Array("a".utf8)), "af63dc4c8601ec8c")
        XCTAssertEqual(FNV1a.hex(Array("foobar".utf8)), "85944171f73967e8")
    }
}
