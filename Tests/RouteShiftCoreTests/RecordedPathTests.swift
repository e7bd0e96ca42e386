import XCTest
@testable import RouteShiftCore

/// Reports name their inputs by paths that do not depend on where the checkout is.
final class RecordedPathTests: XCTestCase {
    func testPathsUnderTheBaseAreRelative() {
        XCTAssertEqual(RecordedPath.relative("/work/a/Geodata/network.geojson", to: "/work/a"), "Geodata/network.geojson")
        XCTAssertEqual(RecordedPath.relative("/work/a/./Geodata/../Geodata/observations", to: "/work/a/"), "Geodata/observations")
        XCTAssertEqual(RecordedPath.relative("Geodata/calibration.yaml", to: "/work/a"), "Geodata/calibration.yaml")
        XCTAssertEqual(RecordedPath.relative("/work/a", to: "/work/a"), ".")
    }

    func testPathsElsewhereStayAbsolute() {
        XCTAssertEqual(RecordedPath.relative("/data/obs", to: "/work/a"), "/data/obs")
        // A sibling whose name starts like the base is not under it.
        XCTAssertEqual(RecordedPath.relative("/work/ab/network.geojson", to: "/work/a"), "/work/ab/network.geojson")
        XCTAssertEqual(RecordedPath.relative("../b/x.csv", to: "/work/a"), "/work/b/x.csv")
    }
}
