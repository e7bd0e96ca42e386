import XCTest
import RouteShiftGraph
@testable import RouteShiftAgents

/// The agent columns are sized by the input (spawn counts): a size that overflows,
/// passes the 32-bit counts or does not fit in memory is refused before allocating.
final class AgentStoreTests: XCTestCase {
    private func refused(_ extra: Int, _ store: AgentStore, line: UInt = #line) {
        XCTAssertThrowsError(try store.reserve(extra), line: line) { error in
            guard case .exceedsMemory? = error as? GraphError else { return XCTFail("\(error)", line: line) }
        }
    }

    func testCountsBeyondWhatFitsAreRefusedBeforeAllocating() throws {
        let store = AgentStore()
        try store.reserve(1000)
        for i in 0..<1000 { store.append(at: Int32(i % 7)) }
        XCTAssertEqual(store.count, 1000)
        refused(.max, store)  // count + extra overflows
        refused(AgentStore.maximumCount, store)  // past the 32-bit counts
        // 2^31 - 1 agents of 23 bytes: about 46 GiB, beyond what this process may use
        // wherever physical memory is under that.
        if let limit = MemoryBudget.limit, UInt64(AgentStore.maximumCount) * UInt64(AgentStore.bytesPerAgent) > limit {
            refused(AgentStore.maximumCount - 1000, store)
        }
        XCTAssertEqual(store.count, 1000, "a refused reservation changes nothing")
        XCTAssertEqual(store.allocatedBytes, 1024 * AgentStore.bytesPerAgent)
    }
}
