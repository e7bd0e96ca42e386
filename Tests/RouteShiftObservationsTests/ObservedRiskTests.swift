import XCTest
import RouteShiftCore
import RouteShiftNetwork
@testable import RouteShiftObservations

final class ObservedRiskTests: XCTestCase {
    func testLegRiskIsAHandCountOfIncidentsOverCrossings() throws {
        let data = try ObservationData.load(directory: ObservedDemandTests.fixture)
        let network = try NetworkSource.load(ObservedDemandTests.fixture + "/network.geojson")
        let map = FrontexRouteMap.build(network: network)
        let locator = try IncidentLocator(network: network, routeMap: map)
        let sea = Int(network.graph.edgeIndex(of: 6)!), border = Int(network.graph.edgeIndex(of: 9)!)
        let september = try locator.locate(data.incidents, period: try Period.parse("2015-09"))
        // On the Izmir–Mytilene leg: the incident (3) and the split record (2); the cumulative
        // record (50) is left out; the Ionian incident (4) is 500 km from any crossing and counts
        // for its label's route; the intra-African record (9) is not a crossing to Europe.
        XCTAssertEqual(september.located, [.init(row: sea, deadMissing: 5, records: 2)])
        XCTAssertEqual(september.cumulativeLeftOut, 50)
        XCTAssertEqual(september.byRouteLabel, [.easternMediterranean: 4])
        XCTAssertEqual(september.unlocated, 9)
        // 250 crossings of the leg: 5 / 250 × 1000 = 20 per 1,000.
        XCTAssertEqual(september.riskPer1000 { $0 == sea ? 250 : 0 }, [sea: 20])
        XCTAssertEqual(september.deathsByRoute(map), [.easternMediterranean: 9])
        let october = try locator.locate(data.incidents, period: try Period.parse("2015-10"))
        XCTAssertEqual(october.located, [.init(row: border, deadMissing: 1, records: 1)])   // on the HU–RS line
        XCTAssertEqual(october.unlocated, 8)
    }

    func testDistanceIsGeodesic() throws {
        let network = try NetworkSource.load(ObservedDemandTests.fixture + "/network.geojson")
        let locator = try IncidentLocator(network: network, routeMap: FrontexRouteMap.build(network: network))
        // Izmir (27.14, 38.42) is the leg's end: a point 0.5° of latitude south of it is
        // 55.5 km away (a degree of latitude at 38° is 111.0 km on WGS84), within 100 km;
        // 1° south (111 km) is outside.
        let near = try XCTUnwrap(try locator.nearestCrossing(to: Coordinate(longitude: 27.14, latitude: 37.92)))
        XCTAssertEqual(near.km, 55.5, accuracy: 0.3)
        XCTAssertNil(try locator.nearestCrossing(to: Coordinate(longitude: 27.14, latitude: 37.42)))
    }

    func testRouteTableDividesByDetections() throws {
        let data = try ObservationData.load(directory: ObservedDemandTests.fixture)
        let network = try NetworkSource.load(ObservedDemandTests.fixture + "/network.geojson")
        let table = try RouteRisk.table(periods: [try Period.parse("2015-09")], data: data, network: network)
        let em = try XCTUnwrap(table.first { $0.route == .easternMediterranean && $0.type == .sea })
        XCTAssertEqual(em.deadMissing, 9)                 // 5 located + 4 by label
        XCTAssertEqual(em.detections, 50 + 30 + 100)      // all EM sea detections of the month
        XCTAssertEqual(em.riskPer1000!, 9.0 / 180 * 1000, accuracy: 1e-9)
    }
}
