import Foundation
import XCTest
import RouteShiftTestSupport

/// Dated attributes of a network file through the command line: `--on` compares with `since`
/// as a date, and a day that is not a date stops the load with exit 65 naming file and path.
final class DatedNetworkCommandTests: XCTestCase {
    private var temporary: TemporaryDirectory!
    var dir: URL { temporary.url }

    override func setUpWithError() throws { temporary = try TemporaryDirectory("rs-dated") }
    override func tearDown() { temporary = nil }

    /// Two nodes a–b joined by one border, closed from `since`, with `earlier` states.
    private func write(since: String, earlier: String) throws {
        try """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","geometry":{"type":"Point","coordinates":[0,0]},"properties":{"id":1,"name":"a"}},
        {"type":"Feature","geometry":{"type":"Point","coordinates":[1,0]},"properties":{"id":2,"name":"b"}},
        {"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,0]]},
         "properties":{"kind":"border","status":"closed","since":"\(since)","earlier":\(earlier)}}]}
        """.write(to: dir.appendingPathComponent("net.geojson"), atomically: true, encoding: .utf8)
    }

    private func route(on day: String) throws -> RouteShiftProcess.Run {
        try RouteShiftProcess.run(["route", "--network", "net.geojson", "--from", "a", "--to", "b", "--on", day], in: dir)
    }

    /// Closed from 15 September 2015 written `2015-9-15`: a route on 1 September (a day on which
    /// nothing is closed routes on the graph as it is, not on the closures as written), none on
    /// 1 October.
    func testOnComparesWithSinceAsADate() throws {
        try write(since: "2015-9-15", earlier: "[]")
        let before = try route(on: "2015-09-01")
        XCTAssertEqual(before.status, 0, before.stderr)
        let after = try route(on: "2015-10-01")
        XCTAssertEqual(after.status, 1, after.stderr)
        XCTAssertTrue(after.stderr.contains("no path"), after.stderr)
    }

    func testAnEarlierStateThatIsNotADateExits65AtItsPath() throws {
        try write(since: "2016-03-09", earlier: #"[{"since":"2015-02-30","status":"open"}]"#)
        let r = try route(on: "2015-10-01")
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("net.geojson"), r.stderr)
        XCTAssertTrue(r.stderr.contains("earlier[0].since"), r.stderr)
        XCTAssertTrue(r.stderr.contains("'2015-02-30'"), r.stderr)
    }
}
