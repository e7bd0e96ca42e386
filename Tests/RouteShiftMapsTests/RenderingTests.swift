import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGeodesy
import XCTest
@testable import RouteShiftMaps
import RouteShiftTestSupport

final class RenderingTests: XCTestCase {
    func content() throws -> MapContent {
        var content = try Fixtures.scenarioContent()
        content.areas = Fixtures.squares()
        return content
    }

    // MARK: Projection

    func testEPSG3035NaturalOriginIsItsFalseOrigin() throws {
        // EPSG:3035's projection centre 52°N 10°E maps to its false easting/northing, by definition.
        let projector = try MapProjector(projection: "EPSG:3035")
        let p = try XCTUnwrap(projector.project(Coordinate(longitude: 10, latitude: 52)))
        XCTAssertEqual(p.x, 4_321_000, accuracy: 1e-3)
        XCTAssertEqual(p.y, 3_210_000, accuracy: 1e-3)
    }

    func testProjectedLinesMatchCoordinateTransform() throws {
        let projector = try MapProjector(projection: "EPSG:3035")
        let direct = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:3035")
        // Dakar, Kabul, Tromsø: the corners of the route region.
        for c in [Coordinate(longitude: -17.44, latitude: 14.69), Coordinate(longitude: 69.17, latitude: 34.53),
                  Coordinate(longitude: 18.96, latitude: 69.65)] {
            let expected = try direct.transform(c)
            let got = try XCTUnwrap(projector.project(c))
            XCTAssertEqual(got.x, expected.x, accuracy: 1e-6)
            XCTAssertEqual(got.y, expected.y, accuracy: 1e-6)
        }
        // A 3,000 km sea leg is densified along the geodesic: its end points are kept exactly and
        // every inner vertex is the projection of a point on the geodesic.
        let dakar = Coordinate(longitude: -17.44, latitude: 14.69), athens = Coordinate(longitude: 23.73, latitude: 37.98)
        let parts = projector.project(line: [dakar, athens])
        XCTAssertEqual(parts.count, 1)
        let line = parts[0]
        XCTAssertGreaterThan(line.count, 100)
        XCTAssertEqual(line.first, try direct.transform(dakar))
        XCTAssertEqual(line.last, try direct.transform(athens))
        let total = Geodesic.wgs84.distance(from: dakar, to: athens)
        let mid = try direct.inverse(line[line.count / 2])
        let viaMid = Geodesic.wgs84.distance(from: dakar, to: mid) + Geodesic.wgs84.distance(from: mid, to: athens)
        XCTAssertEqual(viaMid, total, accuracy: 1, "the middle vertex lies on the geodesic")
    }

    func testPointsPROJCannotProjectAreDroppedAndSplitTheLine() throws {
        // An orthographic view centred on Europe cannot show the far side of the globe.
        let ortho = "+proj=ortho +lat_0=45 +lon_0=15 +ellps=WGS84"
        let projector = try MapProjector(projection: ortho)
        XCTAssertNil(projector.project(Coordinate(longitude: -165, latitude: -45)), "antipode is not projectable")
        // Along the equator from 0° east to 180° and back to 0° along another parallel: visible, hidden, visible.
        let line = [Coordinate(longitude: 10, latitude: 20), Coordinate(longitude: 179, latitude: 20),
                    Coordinate(longitude: 179, latitude: -60), Coordinate(longitude: 60, latitude: -60),
                    Coordinate(longitude: 60, latitude: 10)]
        let parts = projector.project(line: line)
        XCTAssertGreaterThanOrEqual(parts.count, 2, "the hidden stretch splits the line")
        let direct = try CoordinateTransform(from: "EPSG:4326", to: ortho)
        XCTAssertEqual(parts.first?.first, try direct.transform(line[0]))
        XCTAssertEqual(parts.last?.last, try direct.transform(line[4]))
        // And the whole map still renders, with the background clipped to what the view shows.
        var content = try content()
        content.lines.append(MapLine(role: .other, parts: [line], properties: [:]))
        let svg = try MapRenderer(options: MapOptions(projection: ortho, width: 600)).render(content).svg
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse())
    }

    func testCountriesAreSimplifiedToTheMapScale() throws {
        guard let countries = Fixtures.countries else { throw XCTSkip("Geodata/countries.geojson not in this checkout") }
        var content = try Fixtures.scenarioContent()
        let collection = try GeoJSON.readFeatureCollection(path: countries)
        content.add(collection)
        let inputBytes = try Data(contentsOf: URL(fileURLWithPath: countries)).count
        let svg = try MapRenderer(options: MapOptions(width: 1600)).render(content).svg
        // The 1:10m polygons shrink to a small fraction once clipped and simplified to half a pixel.
        XCTAssertLessThan(svg.utf8.count, inputBytes / 8, "SVG is \(svg.utf8.count) bytes")
        XCTAssertTrue(svg.contains("<g id=\"countries\""))
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse())
    }

    func testPlacesAreDrawnWhereTheProjectionPutsThem() throws {
        let rendered = try MapRenderer(options: MapOptions(width: 1000)).render(try content())
        let viewport = rendered.layout.viewport
        let direct = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:3035")
        let athens = Coordinate(longitude: 23.72784, latitude: 37.98376)
        let p = try direct.transform(athens)
        // Pixel position computed here from the viewport's extent and frame, not with the renderer's helper.
        let e = viewport.extent, f = viewport.frame
        let scale = f.width / (e.maxX - e.minX)
        XCTAssertEqual(scale, f.height / (e.maxY - e.minY), accuracy: scale * 1e-9, "same scale in x and y")
        let x = f.x + (p.x - e.minX) * scale, y = f.y + (e.maxY - p.y) * scale
        let circle = "<circle cx=\"\(SVGText.number(x))\" cy=\"\(SVGText.number(y))\""
        XCTAssertTrue(rendered.svg.contains(circle), "expected \(circle)")
        // North up: Vienna (north of Athens) is higher on the page.
        let vienna = viewport.pixel(try direct.transform(Coordinate(longitude: 16.37, latitude: 48.21)))
        XCTAssertLessThan(vienna.y, y)
    }

    func testExtentCoversEveryLineAndPlace() throws {
        let content = try content()
        let layout = try MapRenderer(options: MapOptions(width: 900)).render(content).layout
        let projector = try MapProjector(projection: "EPSG:3035")
        for line in content.lines { for part in line.parts { for c in part {
            XCTAssertTrue(layout.viewport.frame.contains(layout.viewport.pixel(try XCTUnwrap(projector.project(c)))))
        } } }
    }

    func testWholeRouteRegionFitsWithoutForeground() throws {
        // Only background: the map shows the route region, Dakar and Kabul inside the frame.
        var content = MapContent()
        content.areas = Fixtures.squares()
        let layout = try MapRenderer(options: MapOptions(width: 800)).render(content).layout
        let direct = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:3035")
        for c in [Coordinate(longitude: -17.44, latitude: 14.69), Coordinate(longitude: 69.17, latitude: 34.53),
                  Coordinate(longitude: 18.96, latitude: 65)] {
            XCTAssertTrue(layout.viewport.frame.contains(layout.viewport.pixel(try direct.transform(c))), "\(c)")
        }
    }

    // MARK: Scale bar

    func testScaleBarLengthIsTheGeodesicDistanceItClaims() throws {
        for (projection, width) in [("EPSG:3035", 1600), ("EPSG:3857", 1000), ("ESRI:54009", 700)] {
            let layout = try MapRenderer(options: MapOptions(projection: projection, width: width)).render(try content()).layout
            let bar = try XCTUnwrap(layout.scaleBar)
            let digits = bar.meters / pow(10, (log10(bar.meters)).rounded(.down))
            XCTAssertTrue([1, 2, 5].contains(where: { abs($0 - digits) < 1e-9 }), "\(bar.meters) m is not 1, 2 or 5 × 10^k")
            // Measure independently: pixel → projected with the viewport's numbers, → WGS84 with PROJ, geodesic between.
            let e = layout.viewport.extent, f = layout.viewport.frame
            let scale = f.width / (e.maxX - e.minX)
            let inverse = try CoordinateTransform(from: "EPSG:4326", to: projection)
            func geographic(_ px: Double, _ py: Double) throws -> Coordinate {
                try inverse.inverse(ProjectedPoint(x: e.minX + (px - f.x) / scale, y: e.maxY - (py - f.y) / scale))
            }
            let cx = f.x + f.width / 2, cy = f.y + f.height / 2
            let a = try geographic(cx - bar.pixelLength / 2, cy), b = try geographic(cx + bar.pixelLength / 2, cy)
            let measured = Geodesic.wgs84.distance(from: a, to: b)
            XCTAssertEqual(measured, bar.meters, accuracy: bar.meters * 0.01, projection)
            XCTAssertGreaterThan(bar.pixelLength, 40)
        }
    }

    // MARK: SVG

    func testSVGIsWellFormedXML() throws {
        let svg = try MapRenderer(options: MapOptions(title: "Flows & <closures> \"HU-RS\"")).render(try content()).svg
        let parser = XMLParser(data: Data(svg.utf8))
        let ok = parser.parse()
        XCTAssertTrue(ok, "XML error: \(String(describing: parser.parserError))")
        XCTAssertTrue(svg.contains("Flows &amp; &lt;closures&gt; &quot;HU-RS&quot;"))
    }

    func testSVGIsDeterministic() throws {
        let renderer = MapRenderer(options: MapOptions(width: 1200))
        let a = try renderer.render(try content()).svg
        let b = try renderer.render(try content()).svg
        XCTAssertEqual(Array(a.utf8), Array(b.utf8))
    }

    func testSVGShowsFlowChangeClosuresRoutesLegendAndAttribution() throws {
        let rendered = try MapRenderer().render(try content())
        let svg = rendered.svg
        for id in ["countries", "routes", "segments", "closures", "places", "labels", "legend", "scale"] {
            XCTAssertTrue(svg.contains("id=\"\(id)\""), "missing layer \(id)")
        }
        // HR-RS gained 550 of a 1,000 maximum: 55 % of the way from grey to red.
        XCTAssertEqual(rendered.layout.changeScale?.maximum, 1000)
        XCTAssertTrue(svg.contains("stroke=\"\(DivergingColorScale(maximum: 1000).color(550).hex)\""))
        XCTAssertTrue(svg.contains("stroke=\"\(DivergingColorScale(maximum: 1000).color(-760).hex)\""))
        XCTAssertTrue(svg.contains(">+1,000<") && svg.contains(">−1,000<"), "legend ticks with values")
        XCTAssertEqual(rendered.layout.flowScale?.maximumValue, 2500)
        XCTAssertTrue(svg.contains("Natural Earth (public domain)"))
        XCTAssertTrue(svg.contains("GeoNames (CC BY 4.0)"))
        XCTAssertTrue(svg.contains("<title>Scenario: close HU-RS</title>"))
        XCTAssertFalse(rendered.layout.labels.isEmpty)
        // Labels avoid the legend.
        let legend = try XCTUnwrap(rendered.layout.legend)
        for label in rendered.layout.labels { XCTAssertFalse(label.rect.overlaps(legend)) }
        for (i, a) in rendered.layout.labels.enumerated() {
            for b in rendered.layout.labels[(i + 1)...] { XCTAssertFalse(a.rect.overlaps(b.rect), "labels overlap on the map") }
            XCTAssertTrue(rendered.layout.viewport.frame.contains(a.rect))
        }
    }

    func testUnknownProjectionIsReportedByPROJ() {
        XCTAssertThrowsError(try MapRenderer(options: MapOptions(projection: "EPSG:999999")).render(try content())) { error in
            XCTAssertTrue(error is ProjError, "\(error)")
        }
    }

    // MARK: Content

    func testFeaturesAreSortedIntoLayersByProperties() throws {
        let content = try Fixtures.scenarioContent()
        XCTAssertEqual(content.lines.filter { $0.role == .flowChange }.count, 14)
        XCTAssertEqual(content.lines.filter { $0.role == .route }.count, 6)
        XCTAssertEqual(content.lines.filter(\.isClosed).count, 2)
        XCTAssertEqual(content.lines.filter { $0.role == .flowChange && $0.isSea }.count, 3)
        XCTAssertEqual(content.suggestedTitle, "Scenario: close HU-RS")
        XCTAssertTrue(content.places.contains { $0.label == "Röszke" })

        var network = MapContent()
        network.add(FeatureCollection(features: [
            Feature(geometry: .point(Coordinate(longitude: 20, latitude: 45)), properties: ["id": 1, "name": "x", "kind": "border-side"]),
            Feature(geometry: .point(Coordinate(longitude: 21, latitude: 45)), properties: ["id": 2, "name": "belgrade", "display_name": "Belgrade", "population": 1_273_651]),
            Feature(geometry: .lineString([Coordinate(longitude: 20, latitude: 45), Coordinate(longitude: 21, latitude: 45)]),
                    properties: ["kind": "border", "segment": "HU-RS-001", "status": "closed"]),
            Feature(geometry: .lineString([Coordinate(longitude: 20, latitude: 45), Coordinate(longitude: 21, latitude: 46)]), properties: [:]),
        ]))
        XCTAssertEqual(network.places.map(\.label), ["Belgrade"], "border-side nodes are not places")
        XCTAssertEqual(network.places.first?.priority, 1_273_651)
        XCTAssertEqual(network.lines.map(\.role), [.network, .other])
        XCTAssertTrue(network.lines[0].isClosed)
    }

    func testPathsAreComparedBetweenRuns() throws {
        let content = try Fixtures.scenarioContent()
        let changes = content.pathChanges()
        func change(_ origin: String, _ phase: String) -> PathChange? {
            let i = content.lines.firstIndex { $0.properties["origin"]?.stringValue == origin && $0.phase == phase }
            return i.flatMap { changes[$0] }
        }
        // Tripoli → Rome keeps its path; Izmir → Munich and Istanbul → Vienna are pushed off the closed border.
        XCTAssertEqual(change("tripoli", "baseline"), .unchanged)
        XCTAssertEqual(change("tripoli", "scenario"), .unchanged)
        XCTAssertEqual(change("izmir", "baseline"), .baselineOnly)
        XCTAssertEqual(change("izmir", "scenario"), .scenarioOnly)
        XCTAssertEqual(change("istanbul", "scenario"), .scenarioOnly)
        // The unchanged path is drawn once: 6 path features, 5 path elements.
        let svg = try MapRenderer().render(content).svg
        let routes = try XCTUnwrap(svg.range(of: "<g id=\"routes\""))
        let end = try XCTUnwrap(svg.range(of: "</g>", range: routes.upperBound..<svg.endIndex))
        XCTAssertEqual(svg[routes.upperBound..<end.lowerBound].components(separatedBy: "<path ").count - 1, 5)
    }

    func testPlacesCSV() throws {
        let csv = "id,name,country,lon,lat,population,roles\nathens,Athens,GR,23.72784,37.98376,664046,hub;transit\n\"x,y\",\"Quoted, \"\"name\"\"\",GR,20,40,,hub\n"
        let places = try MapInput.places(csv: csv, file: "hubs.csv")
        XCTAssertEqual(places.map(\.label), ["Athens", "Quoted, \"name\""])
        XCTAssertEqual(places[0].priority, 664_046)
        XCTAssertThrowsError(try MapInput.places(csv: "id,name\na,b\n", file: "bad.csv")) { error in
            XCTAssertTrue("\(error)".contains("'lon' and 'lat'"), "\(error)")
        }
        XCTAssertThrowsError(try MapInput.places(csv: "name,lon,lat\na,200,1\n", file: "bad.csv")) { error in
            XCTAssertTrue("\(error)".contains("bad.csv:2"), "\(error)")
        }
    }

    func testFormatFromExtension() {
        XCTAssertEqual(MapFormat(path: "out/map.SVG"), .svg)
        XCTAssertEqual(MapFormat(path: "map.png"), .png)
        XCTAssertEqual(MapFormat(path: "map.htm"), .html)
        XCTAssertNil(MapFormat(path: "map.pdf"))
    }
}

final class PeopleTotalsLegendTests: XCTestCase {
    /// A simulation directory's summary.json totals reach the legend, suppressed included.
    func testLegendListsDisplacedStrandedAndSuppressed() throws {
        let dir = try TemporaryDirectory("rs-legend")
        let segments = """
        {"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[19,46],[20,46]]},\
        "properties":{"segment":"HU-RS-001","kind":"border","baseline_flow":10,"scenario_flow":0,"change":-10,"status":"closed"}}]}
        """
        try segments.write(toFile: dir.path("segments.geojson"), atomically: true, encoding: .utf8)
        try """
        {"schema":"routeshift.simulation/1","scenario":{"name":"t"},"totals":{"displaced":1500,"stranded_scenario":20,"suppressed_scenario":1234}}
        """.write(toFile: dir.path("summary.json"), atomically: true, encoding: .utf8)
        var content = MapContent()
        try MapInput.add(path: dir.path, to: &content)
        XCTAssertEqual(content.peopleTotals.map(\.value), [1500, 20, 1234])
        let svg = try MapRenderer(options: MapOptions(width: 800)).render(content).svg
        XCTAssertTrue(svg.contains("not going this period (suppressed): 1,234"), "legend lacks the suppressed figure")
        XCTAssertTrue(svg.contains("stranded at a hub: 20"))
    }
}
