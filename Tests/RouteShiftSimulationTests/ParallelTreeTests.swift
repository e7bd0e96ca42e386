import RouteShiftCore
import RouteShiftGraph
@testable import RouteShiftSimulation
import XCTest

final class ParallelTreeTests: XCTestCase {
    /// One query per worker: trees grown in parallel equal those grown serially,
    /// tree by tree and node by node (a sum would let a permutation pass).
    func testTreesInParallelMatchSerial() throws {
        let (graph, _) = try TestNetworks.random(nodes: 40, extra: 70, seed: 11)
        var overlay = CostOverlay(graph: graph)
        try overlay.close(edge: 3)
        let closed = overlay
        func trees(_ workers: Int) throws -> [[Double]] {
            try Parallel.map(count: 40, workers: workers, state: { ShortestPathQuery(graph: graph) }) { query, g in
                try query.shortestPathTree(fromIndex: Int32(g), overlay: closed).distances
            }
        }
        let serial = try trees(1)
        XCTAssertEqual(serial.count, 40)
        XCTAssertEqual(serial[5][5], 0)  // a tree's own root
        XCTAssertEqual(try trees(4), serial)
    }
}
