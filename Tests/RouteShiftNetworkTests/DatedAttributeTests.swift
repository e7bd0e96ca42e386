import XCTest
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph
@testable import RouteShiftNetwork

/// The days of a network (`since`, `earlier[].since`, the entry rules' `from` and `until`) are
/// read once as calendar days when it is loaded: they compare as dates however they are written
/// (`2015-9-15` is before `2015-10-01`, which as text it is not), and a value that is not a date
/// is rejected with its file and JSON path.
final class DatedAttributeTests: XCTestCase {
    /// A chain of straight edges (0,0)–(1,0)–(2,0)…, one per property list, in that order.
    private func collection(_ properties: [[String: JSONValue]]) -> FeatureCollection {
        FeatureCollection(features: properties.enumerated().map { i, p in
            Feature(geometry: .lineString([Coordinate(longitude: Double(i), latitude: 0),
                                           Coordinate(longitude: Double(i + 1), latitude: 0)]), properties: p)
        })
    }

    private func network(_ properties: [[String: JSONValue]]) throws -> RouteNetwork {
        try GeoJSONNetwork.build(collection(properties), file: "net.geojson")
    }

    /// Edge ids the base overlay of `day` closes (`[]` without an overlay).
    private func closed(_ network: RouteNetwork, on day: CalendarDay?) -> [Int64] {
        network.baseOverlay(asOf: day)?.closedEdges ?? []
    }

    /// A border closed from 15 September 2015, written without leading zeros: closed on
    /// 1 October (text would put `2015-9-15` after `2015-10-01` and leave it open), open on
    /// 1 September, closed on its own day and in the network as written.
    func testSinceWithoutLeadingZerosComparesAsADate() throws {
        let net = try network([["kind": "border", "status": "closed", "since": "2015-9-15"], ["kind": "leg"]])
        let border = net.edges.ids[0]
        XCTAssertEqual(closed(net, on: "2015-10-01"), [border])
        XCTAssertEqual(closed(net, on: "2015-09-15"), [border])
        XCTAssertEqual(closed(net, on: "2015-09-01"), [])
        XCTAssertEqual(closed(net, on: nil), [border])
    }

    /// Earlier states hold from their own day to the next one's: a border closed from June 2015
    /// (earlier state), unchecked and open from 9 March 2016; the defaults before June 2015.
    func testEarlierStatesAreTypedAndHoldUntilTheNextDay() throws {
        let earlier: JSONValue = .array([.object(["since": "2015-6-1", "surveillance": "none", "status": "closed",
                                                  "barrier": "fence", "price_eur": 900])])
        let net = try network([["kind": "border", "surveillance": "high", "since": "2016-3-9", "earlier": earlier],
                               ["kind": "leg"]])
        let columns = try XCTUnwrap(net.edgeAttributes)
        XCTAssertEqual(columns.earlier, [[BorderState(since: "2015-06-01", surveillance: .unchecked, closed: true, price: 900)], []])
        XCTAssertEqual(columns.state(ofRow: 0, on: "2015-05-31"), BorderState(since: nil, surveillance: .medium))
        XCTAssertEqual(columns.state(ofRow: 0, on: "2015-10-01").surveillance, .unchecked)
        XCTAssertEqual(columns.state(ofRow: 0, on: "2016-03-09"), BorderState(since: "2016-03-09", surveillance: .high))
        XCTAssertEqual(columns.state(ofRow: 0, on: nil).surveillance, .high)
        let border = net.edges.ids[0]
        XCTAssertEqual(closed(net, on: "2015-10-01"), [border], "the earlier state is closed")
        XCTAssertEqual(closed(net, on: "2015-05-01"), [])
        XCTAssertEqual(closed(net, on: "2016-04-01"), [])
    }

    /// Entry rules from 1 September to 15 October 2021 (`2021-9-1`): Iraqis may use the edge on
    /// 20 September, the change days come in date order (as text `2021-10-15` sorts first),
    /// and the rule writes its days back as `YYYY-MM-DD`.
    func testEntryRuleDaysCompareAsDates() throws {
        let rules: JSONValue = .array([
            .object(["nationalities": "*", "access": "barred"]),
            .object(["nationalities": "IRQ", "access": "open", "from": "2021-9-1", "until": "2021-10-15"]),
        ])
        let net = try network([["kind": "air", "entry": rules], ["kind": "leg"]])
        let classes = net.entryClasses
        XCTAssertEqual(classes.barredRows(on: "2021-09-20"), ["*": [0]])
        XCTAssertEqual(classes.barredRows(on: "2021-10-15"), ["*": [0], "IRQ": [0]])
        XCTAssertEqual(classes.barredRows(on: "2021-08-31"), ["*": [0], "IRQ": [0]])
        XCTAssertEqual(classes.changes(after: "2021-08-01"), ["2021-09-01", "2021-10-15"])
        XCTAssertEqual(classes.changes(after: "2021-09-01"), ["2021-10-15"])
        let rule = try XCTUnwrap(net.edgeAttributes?.entry[0].last)
        XCTAssertEqual(rule.json, .object(["nationalities": "IRQ", "access": "open", "from": "2021-09-01", "until": "2021-10-15"]))
    }

    /// Each bad value is rejected at its file and JSON path, quoted (escaped), with the nearest word where one fits.
    func testBadDaysAndStatesAreRejectedWhereTheyStand() throws {
        let base: [String: JSONValue] = ["kind": "border", "since": "2016-03-09"]
        func earlier(_ states: [JSONValue], edge: [String: JSONValue]? = nil) -> [String: JSONValue] {
            var p = edge ?? base
            p["earlier"] = .array(states)
            return p
        }
        let cases: [(properties: [String: JSONValue], path: String, quoted: String?, suggestion: String?)] = [
            (earlier([.object(["since": "2015-02-29"])]), "earlier[0].since", "'2015-02-29'", nil),
            (earlier([.object(["since": "2015\n06-01"])]), "earlier[0].since", "'2015\\n06-01'", nil),
            (earlier([.object(["since": 2015])]), "earlier[0].since", "'2015'", nil),
            (["kind": "border", "since": "2016-03-09", "earlier": "2015-06-01"], "earlier", "'\"2015-06-01\"'", nil),
            (earlier(["2015-06-01"]), "earlier[0]", nil, nil),
            (earlier([.object(["sinse": "2015-06-01"])]), "earlier[0].sinse", "'sinse'", "since"),
            (earlier([.object(["since": "2015-06-01", "surveillance": "hihg"])]), "earlier[0].surveillance", "'hihg'", "high"),
            (earlier([.object(["since": "2015-06-01", "status": "close"])]), "earlier[0].status", "'close'", "closed"),
            (earlier([.object(["since": "2015-06-01", "price_eur": "900"])]), "earlier[0].price_eur", nil, nil),
            (earlier([.object(["since": "2015-08-01"]), .object(["since": "2015-6-1"])]), "earlier[1].since", "'2015-6-1'", nil),
            (earlier([.object(["since": "2016-3-9"])]), "earlier[0].since", "'2016-3-9'", nil),
            (earlier([.object(["since": "2015-06-01"]), .object(["surveillance": "low"])]), "earlier[1]", nil, nil),
            (earlier([.object(["since": "2015-06-01"])], edge: ["kind": "border"]), "earlier", nil, nil),
            (["kind": "air", "entry": .array([.object(["nationalities": "*", "access": "barred", "from": "2021-02-30"])])],
             "entry[0].from", "'2021-02-30'", nil),
            (["kind": "air", "entry": .array([.object(["nationalities": "*", "access": "barred", "until": "2021-11"])])],
             "entry[0].until", "'2021-11'", nil),
            (["kind": "air", "entry": .array([.object(["nationalities": "*", "access": "barred", "from": "2021-11-12",
                                                       "until": "2021-6-1"])])], "entry[0].until", "'2021-6-1'", nil),
        ]
        for c in cases {
            XCTAssertThrowsError(try network([["kind": "leg"], c.properties]), c.path) { error in
                guard let e = error as? InputError else { return XCTFail("\(c.path): \(error)") }
                XCTAssertEqual(e.location.file, "net.geojson", c.path)
                XCTAssertEqual(e.location.path, "$.features[1].properties.\(c.path)")
                if let quoted = c.quoted { XCTAssertTrue(e.message.contains(quoted), "\(c.path): \(e.message)") }
                if let suggestion = c.suggestion { XCTAssertEqual(e.suggestions.first, suggestion, c.path) }
                XCTAssertEqual(e.domain, .invalidInput)
            }
        }
    }
}
