import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftSimulation
import XCTest

/// Overland travel priced as fares, checked against the record: before Operation Aspida
/// (August 2012) the way from Turkey into Greece was the Evros land border: Frontex counted
/// 55,558 detections there in 2011 against 1,467 at sea, and 7,055 against none in July 2012
/// (`../shared/observations/episodes.md`, E1).
final class OverlandFareRecordTests: XCTestCase {
    func testBeforeAspidaTheCheapestWayFromIstanbulToAthensCrossesTheEvros() throws {
        let bundled = try BundledCalibration.load()
        let network = bundled.network
        let costed = try CostModel.apply(bundled.parameters, to: network, asOf: "2012-07-01")
        let path = try XCTUnwrap(try ShortestPathQuery(graph: costed.graph).shortestPath(
            from: network.resolveNode("istanbul"), to: network.resolveNode("athens")))
        let rowOf = Dictionary(uniqueKeysWithValues: network.edges.ids.enumerated().map { ($1, $0) })
        let segments = path.edges.compactMap { rowOf[$0].flatMap { network.edgeString("segment", row: $0) } }
        XCTAssertTrue(segments.contains { $0.hasPrefix("GR-TR-") }, "\(segments)")
        XCTAssertFalse(segments.contains { $0.hasPrefix("SEA-") }, "\(segments)")
    }
}
