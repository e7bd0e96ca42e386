import Foundation
import XCTest
import RouteShiftTestSupport

/// `routeshift map` end to end: formats, exit codes, atomic output.
final class MapCommandTests: XCTestCase {
    typealias Run = RouteShiftProcess.Run

    private var temporary: TemporaryDirectory!
    var dir: URL { temporary.url }

    func run(_ arguments: [String], environment: [String: String]? = nil) throws -> Run {
        try RouteShiftProcess.run(arguments, in: dir, environment: environment)
    }

    /// A border section whose flow fell (closed) and one that gained, one path, two places.
    override func setUpWithError() throws {
        temporary = try TemporaryDirectory("rs-map-cli")
        try """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","geometry":{"type":"LineString","coordinates":[[20.05,46.07],[20.03,46.19]]},"properties":{"segment":"HU-RS-001","kind":"border","baseline_flow":800,"scenario_flow":0,"change":-800,"status":"closed"}},
        {"type":"Feature","geometry":{"type":"LineString","coordinates":[[19.23,45.13],[15.98,45.81]]},"properties":{"segment":"HR-RS-001","kind":"border","baseline_flow":150,"scenario_flow":700,"change":550,"status":"open"}},
        {"type":"Feature","geometry":{"type":"LineString","coordinates":[[20.47,44.80],[19.23,45.13],[15.98,45.81],[16.37,48.21]]},"properties":{"origin":"belgrade","destination":"vienna","phase":"scenario","rank":1,"flow":700}},
        {"type":"Feature","geometry":{"type":"Point","coordinates":[20.47,44.80]},"properties":{"name":"belgrade","display_name":"Belgrade","population":1273651}},
        {"type":"Feature","geometry":{"type":"Point","coordinates":[16.37,48.21]},"properties":{"name":"vienna","display_name":"Vienna","population":1691468}}
        ]}
        """.write(to: dir.appendingPathComponent("flows.geojson"), atomically: true, encoding: .utf8)
    }

    override func tearDown() { temporary = nil }

    func testSVGIsWrittenWithTitle() throws {
        let r = try run(["map", "flows.geojson", "--no-countries", "--out", "map.svg", "--title", "HU-RS closed", "--width", "800"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        let svg = try String(contentsOf: dir.appendingPathComponent("map.svg"), encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<?xml"))
        XCTAssertTrue(svg.contains("<title>HU-RS closed</title>"))
        XCTAssertTrue(svg.contains("width=\"800\""))
        XCTAssertTrue(svg.contains(">Belgrade</text>"))

        // A region west of Greenwich starts with a minus sign and is still a value, not an option.
        let west = try run(["map", "flows.geojson", "--no-countries", "--out", "west.svg", "--region", "-10,40,25,50"])
        XCTAssertEqual(west.status, 0, west.stderr)
        let bad = try run(["map", "flows.geojson", "--no-countries", "--out", "bad.svg", "--region", "25,40,-10,50"])
        XCTAssertEqual(bad.status, 64, bad.stderr)
    }

    func testPNGNeedsRsvgConvertAndSaysWhichPackage() throws {
        let missing = try run(["map", "flows.geojson", "--no-countries", "--out", "map.png"], environment: ["PATH": "/nonexistent"])
        XCTAssertEqual(missing.status, 69, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("librsvg2-bin"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("map.png").path))

        guard ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
            .contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/rsvg-convert") }) == true else {
            throw XCTSkip("rsvg-convert not installed (Debian librsvg2-bin)")
        }
        let r = try run(["map", "flows.geojson", "--no-countries", "--out", "map.png", "--width", "400"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let png = try Data(contentsOf: dir.appendingPathComponent("map.png"))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    func testExitCodes() throws {
        let format = try run(["map", "flows.geojson", "--out", "map.pdf"])
        XCTAssertEqual(format.status, 64, format.stderr)
        XCTAssertTrue(format.stderr.contains(".svg, .png or .html"), format.stderr)

        let missing = try run(["map", "nope.geojson", "--no-countries", "--out", "map.svg"])
        XCTAssertEqual(missing.status, 66, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("nope.geojson"), missing.stderr)

        let projection = try run(["map", "flows.geojson", "--no-countries", "--out", "map.svg", "--projection", "EPSG:999999"])
        XCTAssertEqual(projection.status, 65, projection.stderr)
        XCTAssertTrue(projection.stderr.contains("EPSG:999999"), projection.stderr)

        let unwritable = try run(["map", "flows.geojson", "--no-countries", "--out", "no-such-dir/map.svg"])
        XCTAssertEqual(unwritable.status, 73, unwritable.stderr)
    }
}
