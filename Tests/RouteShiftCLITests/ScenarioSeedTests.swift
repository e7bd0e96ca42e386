import Foundation
import XCTest
import RouteShiftTestSupport

/// A closure scenario's `seed:` seeds its agent-based journeys; `--seed` overrides it.
final class ScenarioSeedTests: XCTestCase {
    func testJourneysTakeTheScenarioSeedUnlessSeedIsGiven() throws {
        let dir = try TemporaryDirectory("rs-seed")
        try """
        {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [20.0, 40.0]}, "properties": {"id": 1, "name": "o", "kind": "hub", "country": "AA"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [21.0, 40.0]}, "properties": {"id": 2, "name": "d", "kind": "hub", "country": "BB"}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[20.0, 40.0], [21.0, 40.0]]}, "properties": {"id": 1, "source": 1, "target": 2, "kind": "border", "length_km": 100, "segment": "AA-BB-001", "border": "AA-BB"}}
        ]}
        """.write(toFile: dir.path("net.geojson"), atomically: true, encoding: .utf8)
        try "origin,destination,flow\no,d,60\n".write(toFile: dir.path("demand.csv"), atomically: true, encoding: .utf8)
        try "name: seeded\nnetwork: net.geojson\ndemand: demand.csv\nseed: 7\n"
            .write(toFile: dir.path("seeded.yaml"), atomically: true, encoding: .utf8)
        func seed(_ extra: [String], _ out: String) throws -> Int? {
            let run = try RouteShiftProcess.run(["agents", dir.path("seeded.yaml"), "--rules", "routeshift", "--out", dir.path(out),
                                                 "--start-date", "2021-06-01", "--days", "2", "--quiet"] + extra)
            XCTAssertEqual(run.status, 0, run.stderr)
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("\(out)/summary.json"))))
            return (summary as? [String: Any])?["seed"] as? Int
        }
        XCTAssertEqual(try seed([], "a"), 7)
        XCTAssertEqual(try seed(["--seed", "3"], "b"), 3)
    }
}
