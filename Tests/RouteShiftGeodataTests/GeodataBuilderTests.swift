import Foundation
import RouteShiftCore
import RouteShiftGeodata
import RouteShiftGeodesy
import RouteShiftGeoJSON
import XCTest
import RouteShiftTestSupport

/// Known answers on made-up square countries (Fixtures/squares):
///
///     lat 2 ┌────┐
///           │ CC │
///     lat 1 ├────┼────┐          ┃EE┃ (wall island, lon 3–3.2, lat −3…4)   ┌────┐
///           │ AA │ BB │          ┃  ┃                                       │ FF │ lon 5–6
///     lat 0 └────┴────┘          ┃  ┃                                       └────┘
///          lon 0    1    2  ▪GG  ┃  ┃
///
/// GG is an islet (lon 2.4–2.5, lat −0.4…−0.25) on the direct line from BB South to EE South.
///
/// AA–BB share the meridian lon 1 from lat 0 to 1, AA–CC the parallel lat 1 from
/// lon 0 to 1; BB and CC touch only at (1, 1).
final class GeodataBuilderTests: XCTestCase {
    static let fixture = Bundle.module.resourcePath! + "/Fixtures/squares"
    let geodesic = Geodesic.wgs84

    /// One build shared by the read-only tests (the detour search for the blocked crossing takes a few seconds).
    nonisolated(unsafe) static var shared: GeodataBuild?

    func buildFixture() throws -> GeodataBuild {
        if let shared = Self.shared { return shared }
        let build = try freshBuild()
        Self.shared = build
        return build
    }

    func freshBuild() throws -> GeodataBuild {
        try GeodataBuilder().build(geodataDirectory: Self.fixture)
    }

    func testBorderSectionsOfSharedEdges() throws {
        let build = try buildFixture()
        let ids = build.sections.map(\.id)
        // 110.6 km of meridian and 111.3 km of parallel: five sections of at most 25 km each.
        XCTAssertEqual(ids, ["AA-BB-001", "AA-BB-002", "AA-BB-003", "AA-BB-004", "AA-BB-005",
                             "AA-CC-001", "AA-CC-002", "AA-CC-003", "AA-CC-004", "AA-CC-005"])
        let meridian = geodesic.length(of: [Coordinate(longitude: 1, latitude: 1), Coordinate(longitude: 1, latitude: 0)]) / 1000
        let parallel = geodesic.length(of: [Coordinate(longitude: 0, latitude: 1), Coordinate(longitude: 1, latitude: 1)]) / 1000
        let ab = build.sections.filter { $0.pair.id == "AA-BB" }
        let ac = build.sections.filter { $0.pair.id == "AA-CC" }
        XCTAssertEqual(ab.map(\.lengthKm).reduce(0, +), meridian, accuracy: 1e-6)
        XCTAssertEqual(ac.map(\.lengthKm).reduce(0, +), parallel, accuracy: 1e-6)
        for s in ab { XCTAssertEqual(s.lengthKm, meridian / 5, accuracy: 1e-6) }
        for s in build.sections { XCTAssertLessThanOrEqual(s.lengthKm, 25) }
        // Numbered north→south on the north–south border, west→east on the east–west one.
        XCTAssertEqual(ab.first!.start.latitude, 1, accuracy: 1e-9)
        XCTAssertEqual(ab.last!.end.latitude, 0, accuracy: 1e-9)
        XCTAssertEqual(ac.first!.start.longitude, 0, accuracy: 1e-9)
        XCTAssertEqual(ac.last!.end.longitude, 1, accuracy: 1e-9)
        // Consecutive sections share their cut point.
        for (a, b) in zip(ab, ab.dropFirst()) { XCTAssertEqual(a.end, b.start) }
    }

    func testPointContactIsNoBorder() throws {
        let build = try buildFixture()
        XCTAssertEqual(build.borderStats.pointContactPairs, ["BB-CC"])
        XCTAssertFalse(build.sections.contains { $0.pair.id == "BB-CC" })
        XCTAssertFalse(build.edges.contains { $0.border == "BB-CC" })
    }

    func testBorderAttributesFromTableWithSectionOverride() throws {
        let build = try buildFixture()
        let byId = Dictionary(uniqueKeysWithValues: build.sections.map { ($0.id, $0) })
        XCTAssertEqual(byId["AA-BB-001"]!.attributes, BorderAttributes(barrier: "fence", surveillance: "high", status: "open", price: 700, since: "2020-01-01"))
        XCTAssertEqual(byId["AA-BB-003"]!.attributes.status, "closed")
        XCTAssertNil(byId["AA-BB-003"]!.attributes.price, "a section row replaces the whole border row, price included")
        XCTAssertEqual(byId["AA-CC-001"]!.attributes, .default)
        XCTAssertEqual(byId["AA-CC-002"]!.attributes.surveillance, "none")
    }

    /// `price_eur` of the tables reaches the network's edges, and only where given.
    func testRecordedPricesReachTheEdges() throws {
        let build = try buildFixture()
        var byKey: [String: Double?] = [:]
        for feature in build.networkFeatures() where feature.properties["kind"] != "leg" {
            guard case .string(let segment)? = feature.properties["segment"] else { continue }
            if case .number(let p)? = feature.properties["price_eur"] { byKey[segment] = p } else { byKey[segment] = .some(nil) }
        }
        XCTAssertEqual(byKey["AA-BB-001"], 700)
        XCTAssertEqual(byKey["AA-BB-003"], .some(nil))
        XCTAssertEqual(byKey["SEA-bb-port-ee-town"], 1200)
        XCTAssertEqual(byKey["SEA-ee-town-ff-port"], .some(nil))
    }

    /// A temporary path for a border-attributes table (the test removes it).
    private func tablePath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("routeshift-\(name)-\(getpid()).csv").path
    }

    private func writeTable(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func testSinceIsADayAndABadOneIsNamed() throws {
        let path = tablePath("since")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writeTable("border,segment,barrier,surveillance,status,since,source\nAA-BB,,none,high,open,2015-11,x\nAA-CC,,none,high,open,2015,x\n",
                       to: path)
        let read = try GeodataSources.readBorderAttributes(path: path)
        XCTAssertEqual(read["AA-BB"]?.since, "2015-11-01")
        XCTAssertEqual(read["AA-CC"]?.since, "2015-01-01")
        try writeTable("border,segment,barrier,surveillance,status,since,source\nAA-BB,,none,high,open,2015-13,x\n", to: path)
        XCTAssertThrowsError(try GeodataSources.readBorderAttributes(path: path)) { error in
            XCTAssertEqual((error as? InputError)?.location.line, 2)
            XCTAssertTrue("\(error)".contains("2015-13"), "\(error)")
        }
    }

    /// Several rows of one border are its dated states: the latest is the border's, the others
    /// `earlier`, oldest first; two rows from the same day are an error at the second.
    func testRowsOfOneBorderAreItsDatedStates() throws {
        let path = tablePath("states")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writeTable("border,segment,barrier,surveillance,status,since,source\nAA-BB,,fence,high,open,2016-03-09,x\nAA-BB,,none,none,open,2015-06-19,x\n",
                       to: path)
        let read = try GeodataSources.readBorderAttributes(path: path)
        XCTAssertEqual(read["AA-BB"], BorderAttributes(barrier: "fence", surveillance: "high", status: "open", since: "2016-03-09",
                                                       earlier: [BorderAttributes(barrier: "none", surveillance: "none",
                                                                                  status: "open", since: "2015-06-19")]))
        try writeTable("border,segment,barrier,surveillance,status,since,source\nAA-BB,,fence,high,open,2016-03-09,x\nAA-BB,,none,none,open,2016-03,x\n",
                       to: path)
        XCTAssertNoThrow(try GeodataSources.readBorderAttributes(path: path), "2016-03 is 2016-03-01")
        try writeTable("border,segment,barrier,surveillance,status,since,source\nAA-BB,,fence,high,open,2016-03-09,x\nAA-BB,,none,none,open,2016-03-09,x\n",
                       to: path)
        XCTAssertThrowsError(try GeodataSources.readBorderAttributes(path: path)) { error in
            XCTAssertEqual((error as? InputError)?.location.line, 3)
            XCTAssertTrue("\(error)".contains("AA-BB"), "\(error)")
        }
    }

    /// A `SEA-<id>` row gives a sea crossing its dated states; the id keeps its case, and an id
    /// or a border that is not the crossing's is an error at its line.
    func testSeaCrossingRowsAreItsStates() throws {
        let path = tablePath("sea")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let header = "border,segment,barrier,surveillance,status,since,price_eur,source\n"
        let crossings = ["aa-port-bb-port": "AA-BB", "aa-port-aa-isle": "AA"]
        try writeTable(header + "AA-BB,SEA-aa-port-bb-port,none,none,open,2001-03-25,,x\nBB-AA,SEA-aa-port-bb-port,none,low,open,2015-11-12,15,x\n"
             + "AA,SEA-aa-port-aa-isle,none,high,open,,,x\n", to: path)
        let read = try GeodataSources.readBorderAttributes(path: path, seaCrossings: crossings)
        XCTAssertEqual(read["SEA-aa-port-bb-port"], BorderAttributes(
            barrier: "none", surveillance: "low", status: "open", price: 15, since: "2015-11-12",
            earlier: [BorderAttributes(barrier: "none", surveillance: "none", status: "open", since: "2001-03-25")]))
        XCTAssertEqual(read["SEA-aa-port-aa-isle"]?.surveillance, "high", "a domestic ferry's border is its one country")
        try writeTable(header + "AA-BB,SEA-aa-port-bb-prot,none,none,open,,,x\n", to: path)
        XCTAssertThrowsError(try GeodataSources.readBorderAttributes(path: path, seaCrossings: crossings)) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.location.line, 2)
            XCTAssertTrue("\(error)".contains("SEA-aa-port-bb-port"), "nearest id suggested: \(error)")
        }
        try writeTable(header + "AA-CC,SEA-aa-port-bb-port,none,none,open,,,x\n", to: path)
        XCTAssertThrowsError(try GeodataSources.readBorderAttributes(path: path, seaCrossings: crossings)) { error in
            XCTAssertEqual((error as? InputError)?.location.line, 2)
            XCTAssertTrue("\(error)".contains("AA-BB"), "\(error)")
        }
    }

    func testBadPriceIsNamedWithItsLineAndColumn() throws {
        let path = tablePath("price")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writeTable("border,segment,barrier,surveillance,status,price_eur,source\nAA-BB,,none,high,open,12e,x\n", to: path)
        XCTAssertThrowsError(try GeodataSources.readBorderAttributes(path: path)) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.location.line, 2)
            XCTAssertTrue(e?.message.contains("12e") ?? false, "\(error)")
            XCTAssertTrue("\(error)".contains("price_eur"), "\(error)")
        }
    }

    func testEachSectionHasOneCrossingBetweenItsTwoSides() throws {
        let build = try buildFixture()
        let nodes = Dictionary(uniqueKeysWithValues: build.nodes.map { ($0.id, $0) })
        let crossings = build.edges.filter { $0.kind == .border }
        XCTAssertEqual(crossings.map { $0.segment! }, build.sections.map(\.id))
        for edge in crossings {
            let a = nodes[edge.source]!, b = nodes[edge.target]!
            XCTAssertEqual([a.country, b.country], edge.border!.split(separator: "-").map(String.init))
            XCTAssertEqual(a.kind, .borderSide)
            XCTAssertEqual(a.segment, edge.segment)
            // Sides are 1 km into each country, perpendicular to the border.
            XCTAssertEqual(edge.lengthKm, 2, accuracy: 0.01)
            // Closing the section removes exactly this crossing: no other edge joins the two countries there.
            let joining = build.edges.filter { e in
                let s = nodes[e.source]!, t = nodes[e.target]!
                return s.country != t.country && (e.source == a.id || e.target == a.id)
            }
            XCTAssertEqual(joining.map(\.id), [edge.id])
        }
    }

    func testLegsStayInTheirCountryAndHubsConnect() throws {
        let build = try buildFixture()
        let nodes = Dictionary(uniqueKeysWithValues: build.nodes.map { ($0.id, $0) })
        for leg in build.edges where leg.kind == .leg {
            XCTAssertEqual(nodes[leg.source]!.country, nodes[leg.target]!.country)
            XCTAssertEqual(leg.country, nodes[leg.source]!.country)
            XCTAssertEqual(leg.cost, (leg.lengthKm * 1.3 * 1000).rounded() / 1000, accuracy: 0.002)
            XCTAssertNil(leg.flag)
        }
        let aaCity = build.nodes.first { $0.name == "aa-city" }!
        XCTAssertTrue(build.edges.contains { $0.kind == .leg && ($0.source == aaCity.id || $0.target == aaCity.id) })
    }

    func testSeaCrossingOverIslandIsExcludedAndOpenWaterPasses() throws {
        let build = try buildFixture()
        XCTAssertEqual(build.seaCrossings.map(\.source.id), ["bb-port-ee-town", "bb-south-ee-south", "ee-town-ff-port"])
        XCTAssertEqual(build.excludedCrossings.map(\.id), ["bb-port-ff-port"])
        // The direct line crosses the whole 0.2° wall, about 22 km of land.
        XCTAssertEqual(build.excludedCrossings[0].landKm ?? 0, 22.3, accuracy: 0.5)
        let sea = build.edges.filter { $0.kind == .sea }
        XCTAssertEqual(sea.map { $0.segment! }, ["SEA-bb-port-ee-town", "SEA-bb-south-ee-south", "SEA-ee-town-ff-port"])
        XCTAssertEqual(sea[0].border, "BB-EE")
        XCTAssertEqual(sea[0].risk, 5)
        XCTAssertEqual(sea[0].route, "Test Sea")
        XCTAssertLessThan(sea[0].reverseCost, 0, "irregular crossings run one way")
        let direct = geodesic.length(of: [Coordinate(longitude: 1.95, latitude: 0.5), Coordinate(longitude: 3.15, latitude: 0.5)]) / 1000
        XCTAssertEqual(sea[0].lengthKm, direct, accuracy: 0.001)
    }

    func testSeaCrossingClippingAnIsletIsSteeredRoundIt() throws {
        let build = try buildFixture()
        let crossing = try XCTUnwrap(build.seaCrossings.first { $0.source.id == "bb-south-ee-south" })
        XCTAssertFalse(crossing.waypoints.isEmpty)
        let a = Coordinate(longitude: 1.95, latitude: 0.1), b = Coordinate(longitude: 3.15, latitude: -0.9)
        XCTAssertEqual(crossing.line.first, a)
        XCTAssertEqual(crossing.line.last, b)
        XCTAssertGreaterThan(crossing.lengthKm, geodesic.length(of: [a, b]) / 1000)
        XCTAssertEqual(crossing.lengthKm, geodesic.length(of: crossing.line) / 1000, accuracy: 0.001)
        // The detour misses the islet.
        let islet = BoundingBox(minX: 2.4, minY: -0.4, maxX: 2.5, maxY: -0.25)
        XCTAssertFalse(crossing.line.contains { islet.contains($0) })
        XCTAssertTrue(build.seaCrossings.first { $0.source.id == "bb-port-ee-town" }!.waypoints.isEmpty, "open water needs no detour")
    }

    func testBuildIsByteForByteDeterministic() throws {
        let tmp = try TemporaryDirectory("geodata")
        try freshBuild().write(to: tmp.path("one"))
        try freshBuild().write(to: tmp.path("two"))
        for file in [GeodataBuild.networkFile, GeodataBuild.segmentsFile, GeodataBuild.reportFile] {
            let one = try Data(contentsOf: URL(fileURLWithPath: tmp.path("one/" + file)))
            let two = try Data(contentsOf: URL(fileURLWithPath: tmp.path("two/" + file)))
            XCTAssertFalse(one.isEmpty)
            XCTAssertEqual(one, two, file)
        }
    }

    func testWrittenNetworkFollowsTheSchemaOrder() throws {
        let build = try buildFixture()
        let features = build.networkFeatures()
        var ids: [(Bool, Double)] = []
        for f in features {
            guard case .number(let id)? = f.properties["id"] else { return XCTFail("feature without id") }
            if case .point? = f.geometry { ids.append((false, id)) } else { ids.append((true, id)) }
        }
        XCTAssertTrue(zip(ids, ids.dropFirst()).allSatisfy { a, b in (a.0 ? 1 : 0, a.1) < (b.0 ? 1 : 0, b.1) })
        let report = build.report
        guard case .object(let root) = report, case .object(let counts)? = root["counts"] else { return XCTFail() }
        XCTAssertEqual(counts["segments"], .number(10))
        XCTAssertEqual(counts["border_pairs"], .number(2))
        XCTAssertEqual(counts["hubs"], .number(8))
        XCTAssertEqual(counts["rerouted_crossings"], .number(1))
        XCTAssertEqual(counts["excluded_crossings"], .number(1))
    }

    func testUnreachableDestinationFailsTheBuild() throws {
        var sources = try GeodataSources.read(directory: Self.fixture)
        // FF's only link is the crossing from EE; without it FF Port is cut off.
        sources.seaCrossings.removeAll { $0.id == "ee-town-ff-port" }
        XCTAssertThrowsError(try GeodataBuilder().build(sources)) { error in
            guard let failure = error as? GeodataCheckFailure else { return XCTFail("\(error)") }
            XCTAssertTrue(failure.problems.contains { $0.contains("ff-port") }, failure.description)
        }
    }

    func testLandBorderRouteLabels() {
        let region: (String) -> String = { ["TR": "Western Asia", "LY": "Northern Africa", "NE": "Western Africa"][$0] ?? "Southern Europe" }
        XCTAssertEqual(LandBorderRoutes.label(for: BorderPair("RS", "HU"), subregion: region)?.rawValue, "Western Balkans")
        XCTAssertEqual(LandBorderRoutes.label(for: BorderPair("AL", "GR"), subregion: region)?.rawValue, "Circular Albania–Greece")
        XCTAssertEqual(LandBorderRoutes.label(for: BorderPair("TR", "GR"), subregion: region)?.rawValue, "Eastern Mediterranean")
        XCTAssertEqual(LandBorderRoutes.label(for: BorderPair("ES", "MA"), subregion: region)?.rawValue, "Western Mediterranean")
        XCTAssertEqual(LandBorderRoutes.label(for: BorderPair("NE", "LY"), subregion: region)?.rawValue, "Central Mediterranean")
    }
}
