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
        XCTAssertThrowsError(try GeoJSONNetwork.build(nan, file: "net.geojson"))
    }
}
