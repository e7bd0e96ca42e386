import XCTest
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGeodesy
@testable import RouteShiftNetwork

final class GeoJSONNetworkTests: XCTestCase {
    private func line(_ a: (Double, Double), _ b: (Double, Double), _ props: [String: JSONValue] = [:]) -> Feature {
        Feature(geometry: .lineString([Coordinate(longitude: a.0, latitude: a.1), Coordinate(longitude: b.0, latitude: b.1)]),
                properties: props)
    }

    func testEndpointsSnapWithinToleranceOnly() throws {
        // The second line starts 5e-6° of longitude east of the first one's end: at 45°N
        // that is about 0.39 m (checked below with the geodesic), inside 1 m, outside 0.1 m.
        let gap = Geodesic.wgs84.distance(from: Coordinate(longitude: 10.001, latitude: 45),
                                          to: Coordinate(longitude: 10.001005, latitude: 45))
        XCTAssert((0.3...0.5).contains(gap))
        let fc = FeatureCollection(features: [line((10, 45), (10.001, 45)), line((10.001005, 45), (10.002, 45))])
        var options = GeoJSONNetwork.Options()
        options.snapTolerance = 1
        XCTAssertEqual(try GeoJSONNetwork.build(fc, file: "t", options: options).nodeCount, 3)
        options.snapTolerance = 0.1
        XCTAssertEqual(try GeoJSONNetwork.build(fc, file: "t", options: options).nodeCount, 4)
    }

    func testDefaultCostIsGeodesicKilometresAndTwoWay() throws {
        let fc = FeatureCollection(features: [line((0, 0), (1, 0))])
        let network = try GeoJSONNetwork.build(fc, file: "t")
        // One degree of longitude on the WGS84 equator: a · π/180 = 111.319490793 km.
        XCTAssertEqual(network.edges.costs[0], 6378.137 * .pi / 180, accuracy: 1e-6)
        XCTAssertEqual(network.edges.reverseCosts[0], network.edges.costs[0])
    }

    func testExplicitNodesNamesAndErrorsWithPaths() throws {
        let nodes = [
            Feature(geometry: .point(Coordinate(longitude: 0, latitude: 0)), properties: ["id": 1, "name": "alpha"]),
            Feature(geometry: .point(Coordinate(longitude: 1, latitude: 0)), properties: ["id": 2, "name": "beta"]),
        ]
        let good = FeatureCollection(features: nodes + [line((0, 0), (1, 0), ["id": 7, "source": 1, "target": 2,
                                                                               "cost": 3, "reverse_cost": -1])])
        let network = try GeoJSONNetwork.build(good, file: "net.geojson")
        XCTAssertEqual(try network.resolveNode("Beta"), 2)
        XCTAssertEqual(network.graph.arcCount, 1)

        let badCost = FeatureCollection(features: nodes + [line((0, 0), (1, 0), ["cost": "high"])])
        XCTAssertThrowsError(try GeoJSONNetwork.build(badCost, file: "net.geojson")) { error in
            let e = error as! InputError
            XCTAssertEqual(e.location.file, "net.geojson")
            XCTAssertEqual(e.location.path, "$.features[2].properties.cost")
            XCTAssertTrue(e.message.contains("high"), e.message)
        }
        let badTarget = FeatureCollection(features: nodes + [line((0, 0), (1, 0), ["source": 1, "target": 3])])
        XCTAssertThrowsError(try GeoJSONNetwork.build(badTarget, file: "net.geojson")) { error in
            let e = error as! InputError
            XCTAssertEqual(e.location.path, "$.features[2].properties.target")
            XCTAssertEqual(e.suggestions.first, "1")
        }
        let nan = FeatureCollection(features: [line((0, 0), (1, 0), ["cost": .number(-.infinity)])])
        XCTAssertThrowsError(try GeoJSONNetwork.build(nan, file: "net.geojson")) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.location.file, "net.geojson")
            XCTAssertTrue(e?.message.contains("-inf") ?? false, "\(error)")
        }
    }

    func testSchemaAttributesAreTypedColumnsAndBadWordsAreRejectedWhereTheyStand() throws {
        let fc = FeatureCollection(features: [
            line((0, 0), (1, 0), ["kind": "border", "mode": "land", "surveillance": "high", "status": "closed", "risk": 2]),
            line((1, 0), (2, 0), ["kind": "sea", "mode": "sea", "length_km": 5, "segment": "SEA-1"]),
            line((2, 0), (3, 0)),
        ])
        let columns = try XCTUnwrap(GeoJSONNetwork.build(fc, file: "net.geojson").edgeAttributes)
        XCTAssertEqual(columns.kind, [.border, .sea, nil])
        XCTAssertEqual(columns.mode, [.land, .sea, nil])
        XCTAssertEqual(columns.surveillance, [.high, nil, nil])
        XCTAssertEqual(columns.closed, [true, false, false])
        XCTAssertEqual(columns.risk, [2, nil, nil])
        XCTAssertEqual(columns.segment, [nil, "SEA-1", nil])
        // The loader adds the geodesic length where the feature has none; the second keeps its own.
        XCTAssertEqual(columns.lengthKm[1], 5)

        for (key, value, nearest) in [("surveillance", "hihg", "high"), ("kind", "boarder", "border"),
                                      ("status", "close", "closed"), ("mode", "Sea", "sea")] {
            let bad = FeatureCollection(features: [line((0, 0), (1, 0)), line((1, 0), (2, 0), [key: .string(value)])])
            XCTAssertThrowsError(try GeoJSONNetwork.build(bad, file: "net.geojson")) { error in
                guard let e = error as? InputError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.location.file, "net.geojson")
                XCTAssertEqual(e.location.path, "$.features[1].properties.\(key)")
                XCTAssertTrue(e.message.contains("'\(value)'"), e.message)
                XCTAssertEqual(e.suggestions.first, nearest)
            }
        }
        let wrongType = FeatureCollection(features: [line((0, 0), (1, 0), ["risk": "0.5"])])
        XCTAssertThrowsError(try GeoJSONNetwork.build(wrongType, file: "net.geojson")) { error in
            XCTAssertEqual((error as? InputError)?.location.path, "$.features[0].properties.risk")
        }
    }

    /// `price_eur` and `since` are columns too: a date written with one-digit month and day is
    /// the same day; a date that does not exist, or a price that is not a number, is rejected.
    func testRecordedPricesAndDatesAreTypedColumns() throws {
        let fc = FeatureCollection(features: [
            line((0, 0), (1, 0), ["kind": "border", "price_eur": 1350, "since": "2015-09-15"]),
            line((1, 0), (2, 0), ["kind": "border", "since": "2016-3-9"]),
            line((2, 0), (3, 0)),
        ])
        let columns = try XCTUnwrap(GeoJSONNetwork.build(fc, file: "net.geojson").edgeAttributes)
        XCTAssertEqual(columns.price, [1350, nil, nil])
        XCTAssertEqual(columns.since, [CalendarDay(year: 2015, month: 9, day: 15), CalendarDay(year: 2016, month: 3, day: 9), nil])
        for (key, value) in [("since", JSONValue.string("2015-02-29")), ("since", .string("September 2015")),
                             ("price_eur", .string("lots"))] {
            let bad = FeatureCollection(features: [line((0, 0), (1, 0)), line((1, 0), (2, 0), [key: value])])
            XCTAssertThrowsError(try GeoJSONNetwork.build(bad, file: "net.geojson")) { error in
                guard let e = error as? InputError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.location.path, "$.features[1].properties.\(key)")
                XCTAssertTrue(e.message.contains(key), e.message)
            }
        }
    }

    func testEdgeStatusLabelsReadBackAndClosureCoversEveryClosedWord() {
        let all: [EdgeStatus] = [.open, .closed, .closedForward, .closedBackward, .surveillance, .capacity,
                                 [.surveillance, .capacity], .closedInNetwork, [.closedForward, .surveillance]]
        XCTAssertEqual(all.map(\.label), ["open", "closed", "closed-forward", "closed-backward", "surveillance", "capacity",
                                          "surveillance+capacity", "closed-in-network", "closed-forward+surveillance"])
        for status in all { XCTAssertEqual(EdgeStatus(label: status.label), status) }
        XCTAssertEqual(all.filter(\.isClosed).map(\.label).allSatisfy { $0.hasPrefix("closed") }, true)
        XCTAssertEqual(all.filter(\.isClosed).count, 5)
        XCTAssertNil(EdgeStatus(label: "shut"))
        XCTAssertNil(EdgeStatus(label: "closed+"))
    }
}
