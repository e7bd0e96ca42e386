import Foundation
import XCTest
import RouteShiftCore
import RouteShiftGraph
@testable import RouteShiftNetwork
import RouteShiftTestSupport

/// Interop with Flee's input format on the Flee "testcity" scenario (BSD-3), which
/// lives beside this repository in `../shared/flee-testcity`; skipped when absent.
final class FleeInteropTests: XCTestCase {
    private func scenario() throws -> String {
        let dir = SourceTree.fleeTestCity.path
        guard FleeScenario.isScenario(dir) else { throw XCTSkip("Flee test scenario not found at \(dir)") }
        return dir
    }

    func testShortestPathsMatchHandComputedDistances() throws {
        let network = try NetworkSource.load(try scenario())
        XCTAssertEqual(network.nodeCount, 12)
        XCTAssertEqual(network.edgeCount, 21)
        let finder = RouteFinder(network: network)
        func cost(_ a: String, _ b: String, _ overlay: CostOverlay? = nil) throws -> Double? {
            try finder.shortestPath(from: network.resolveNode(a), to: network.resolveNode(b),
                                    algorithm: .dijkstra, overlay: overlay)?.totalCost
        }
        // From routes.csv by hand: A-NE 50 + NE-N 100 = 150 (A-NW-N is 300).
        XCTAssertEqual(try cost("A", "N"), 150)
        // A-C 50 + C-SW 50 + SW-S 100 = 200; A-B-SE-S = 100+50+150 = 300.
        XCTAssertEqual(try cost("A", "S"), 200)
        // B-D 50 + D-NW 50 = 100 (links are two-way in Flee).
        XCTAssertEqual(try cost("NW", "B"), 100)
    }

    /// Flee's `country,ABC,DEF` closure closes every link between the two countries:
    /// locations in DEF can no longer be reached from A, those in ABC still can.
    func testCountryClosureMapsToBorderClosure() throws {
        let network = try NetworkSource.load(try scenario())
        var overlay = CostOverlay(graph: network.graph)
        let rows = try network.resolveEdges("ABC-DEF")
        // Cross-border links counted by hand from locations.csv/routes.csv: B-D, C-D, A-NE, B-NE,
        // C-SW, D-NW, NW-N, NW-W, SE-S, SE-E.
        XCTAssertEqual(rows.count, 10)
        for row in rows { try overlay.close(edge: network.edges.ids[row]) }
        let finder = RouteFinder(network: network)
        let a = try network.resolveNode("A")
        XCTAssertNil(try finder.shortestPath(from: a, to: network.resolveNode("N"), algorithm: .astar, overlay: overlay))
        XCTAssertEqual(try finder.shortestPath(from: a, to: network.resolveNode("SE"),
                                               algorithm: .astar, overlay: overlay)?.totalCost, 150)
    }

    func testUnknownLocationInRoutesIsReportedWithLine() throws {
        let dir = try TemporaryDirectory("rs-net")
        try "#name,region,country,lat,lon\nAlpha,R,X,1,1\nBeta,R,Y,2,2\n"
            .write(to: dir.url.appendingPathComponent("locations.csv"), atomically: true, encoding: .utf8)
        try "#name1,name2,distance\nAlpha,Beta,10\nAlpha,Betta,5\n"
            .write(to: dir.url.appendingPathComponent("routes.csv"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try NetworkSource.load(dir.path)) { error in
            let e = error as! InputError
            XCTAssertEqual(e.location.line, 3)
            XCTAssertEqual(e.location.path, "name2")
            XCTAssertEqual(e.suggestions, ["Beta"])
        }
    }
}
