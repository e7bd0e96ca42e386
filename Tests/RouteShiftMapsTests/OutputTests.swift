import Foundation
import RouteShiftGeodesy
import XCTest
import RouteShiftTestSupport
@testable import RouteShiftMaps

final class OutputTests: XCTestCase {
    private var temporary: TemporaryDirectory!
    var dir: URL { temporary.url }

    override func setUpWithError() throws { temporary = try TemporaryDirectory("rs-maps") }
    override func tearDown() { temporary = nil }

    func content() throws -> MapContent {
        var content = try Fixtures.scenarioContent()
        content.areas = Fixtures.squares()
        return content
    }

    // MARK: PNG

    func testPNGHasThePNGSignature() throws {
        guard PNGRasterizer.executable() != nil else { throw XCTSkip("rsvg-convert not installed (Debian librsvg2-bin)") }
        let path = dir.appendingPathComponent("map.png").path
        try MapOutput.write(try content(), to: path, options: MapOptions(width: 600))
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR width is the requested width (big-endian at bytes 16...19).
        let width = bytes[16...19].reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual(width, 600)
    }

    func testMissingRasterizerNamesThePackage() {
        XCTAssertThrowsError(try PNGRasterizer.png(fromSVG: "<svg/>", searchPath: "/nonexistent")) { error in
            let e = error as? MissingDependencyError
            XCTAssertEqual(e?.package, "librsvg2-bin")
            XCTAssertTrue("\(error)".contains("librsvg2-bin"))
        }
    }

    func testSVGOutputIsWrittenAtomically() throws {
        let path = dir.appendingPathComponent("map.svg").path
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try MapOutput.write(try content(), to: path, options: MapOptions(projection: "EPSG:999999"))) {
            XCTAssertTrue($0 is ProjError, "\($0)")
            XCTAssertTrue("\($0)".contains("EPSG:999999"), "\($0)")
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old", "a failed render leaves the old file")
        try MapOutput.write(try content(), to: path, options: MapOptions())
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("<?xml"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [])
    }

    // MARK: HTML

    func testMissingLeafletNamesThePackage() {
        XCTAssertThrowsError(try HTMLMap(leafletDirectory: "/nonexistent").render(try content())) { error in
            XCTAssertEqual((error as? MissingDependencyError)?.package, "libjs-leaflet")
        }
    }

    func testHTMLLoadsNothingFromTheNetwork() throws {
        guard HTMLMap.leafletAvailable() else { throw XCTSkip("Leaflet not installed (Debian libjs-leaflet)") }
        let html = try HTMLMap().render(try content())
        // Leaflet's own source mentions its home page in an attribution string; everything else is ours.
        let library = try XCTUnwrap(html.range(of: "<script id=\"leaflet\">"))
        let libraryEnd = try XCTUnwrap(html.range(of: "</script>", range: library.upperBound..<html.endIndex))
        let ours = String(html[..<library.lowerBound]) + String(html[libraryEnd.upperBound...])
        let resource = try NSRegularExpression(pattern: #"(src|href)\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?\s*(https?:)?//|@import|https?://"#,
                                               options: [.caseInsensitive])
        let matches = resource.matches(in: ours, range: NSRange(ours.startIndex..., in: ours))
        XCTAssertEqual(matches.map { (ours as NSString).substring(with: $0.range) }, [])
        // The library itself fetches nothing either: no script or image sources, no CSS urls with a scheme.
        let lib = String(html[library.upperBound..<libraryEnd.lowerBound])
        let fetches = try NSRegularExpression(pattern: #"src\s*=\s*["']https?://|url\(\s*["']?https?://|import\s*\(\s*["']https?://"#)
        XCTAssertEqual(fetches.numberOfMatches(in: lib, range: NSRange(lib.startIndex..., in: lib)), 0)
        XCTAssertTrue(html.contains("<script id=\"leaflet\">"))
        XCTAssertTrue(html.contains("\"segment\":\"HU-RS-001\""), "data inlined as GeoJSON")
        XCTAssertFalse(html.contains("<script src") || html.contains("<link "))
    }

    /// Loads the page in headless Chromium and checks that it added its layers without a script error.
    func testHTMLRendersInHeadlessChromium() throws {
        guard HTMLMap.leafletAvailable() else { throw XCTSkip("Leaflet not installed (Debian libjs-leaflet)") }
        guard let chromium = executableOnPath("chromium") ?? executableOnPath("chromium-browser") else {
            throw XCTSkip("chromium not installed (Debian chromium)")
        }
        // The real countries file when present, to check the page copes with the full background.
        let content = Fixtures.countries != nil ? try Fixtures.scenarioContent(withCountries: true) : try content()
        let page = dir.appendingPathComponent("map.html")
        try MapOutput.write(content, to: page.path, options: MapOptions(title: "Headless check"))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
                             "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
                             "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000", "--dump-dom", page.absoluteString]
        let stdout = dir.appendingPathComponent("dom.html"), stderr = dir.appendingPathComponent("console.txt")
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        // A hung browser must not hang the test run: stop it after two minutes (a safety net, not an assertion).
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        let dom = try String(contentsOf: stdout, encoding: .utf8)
        let console = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
        // The page's script marks <body> when it has added its layers, or when a script error happened.
        let body = dom.range(of: #"<body[^>]*>"#, options: .regularExpression).map { String(dom[$0]) } ?? ""
        XCTAssertTrue(body.contains("data-rendered=\"5\""), "page did not finish: \(body)\n\(console.suffix(2000))")
        XCTAssertFalse(body.contains("data-error"), "script error: \(body)")
        XCTAssertTrue(dom.contains("leaflet-container"), "Leaflet did not build the map")
        XCTAssertTrue(dom.contains("rs-legend"), "legend missing")
        let consoleErrors = console.split(separator: "\n").filter { $0.contains("CONSOLE") && ($0.contains("Uncaught") || $0.contains("Error")) }
        XCTAssertEqual(consoleErrors, [], "console errors")
    }
}
