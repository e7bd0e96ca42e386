import XCTest
import Foundation
import RouteShiftCore
@testable import RouteShiftGeodesy

final class CoordinateTransformTests: XCTestCase {
    func testProjDatabaseIsFound() throws {
        let path = try XCTUnwrap(CoordinateTransform.databasePath(), "proj.db not found: set PROJ_DATA")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), path)
    }

    /// EPSG Guidance Note 7-2, Lambert Azimuthal Equal Area example (ETRS89-extended / LAEA Europe):
    /// 50°N 5°E → E = 3 962 799.45 m, N = 2 999 718.85 m. The EPSG definition lists northing first;
    /// the transform must still give easting as x.
    func testLAEAEuropeGuidanceNoteExample() throws {
        let t = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:3035")
        let p = try t.transform(Coordinate(longitude: 5, latitude: 50))
        XCTAssertEqual(p.x, 3_962_799.45, accuracy: 0.005)
        XCTAssertEqual(p.y, 2_999_718.85, accuracy: 0.005)
        // The projection's natural origin 52°N 10°E maps to the false easting/northing (4 321 000, 3 210 000).
        let origin = try t.transform(Coordinate(longitude: 10, latitude: 52))
        XCTAssertEqual(origin.x, 4_321_000, accuracy: 1e-6)
        XCTAssertEqual(origin.y, 3_210_000, accuracy: 1e-6)
    }

    func testInverseRoundTrip() throws {
        let t = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:3035")
        let cities = [
            Coordinate(longitude: 4.3517, latitude: 50.8503), Coordinate(longitude: -9.1393, latitude: 38.7223),
            Coordinate(longitude: 24.9384, latitude: 60.1699), Coordinate(longitude: 23.7275, latitude: 37.9838),
        ]
        let projected = try t.transform(cities)
        XCTAssertEqual(projected.count, 4)
        XCTAssertEqual(projected[0], try t.transform(cities[0]))
        let back = try t.inverse(projected)
        // PROJ inverts LAEA's authalic latitude with a truncated series: a few 1e-9 degrees, under a millimetre.
        for (a, b) in zip(cities, back) {
            XCTAssertLessThan(Geodesic.wgs84.distance(from: a, to: b), 0.001, "\(a) → \(b)")
        }
    }

    /// Web Mercator has a closed form on the sphere of radius a: x = a·λ, y = a·ln tan(π/4 + φ/2).
    func testWebMercatorClosedForm() throws {
        let t = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:3857")
        let a = 6_378_137.0
        let lon = 10.0, lat = 52.0
        let p = try t.transform(Coordinate(longitude: lon, latitude: lat))
        XCTAssertEqual(p.x, a * lon * .pi / 180, accuracy: 1e-6)
        XCTAssertEqual(p.y, a * log(tan(.pi / 4 + lat * .pi / 360)), accuracy: 1e-6)
    }

    func testGeographicTargetKeepsLongitudeFirst() throws {
        // ETRS89 and WGS84 differ by well under a metre; the point is that x stays longitude.
        let t = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:4258")
        let p = try t.transform(Coordinate(longitude: 2.35, latitude: 48.85))
        XCTAssertEqual(p.x, 2.35, accuracy: 1e-4)
        XCTAssertEqual(p.y, 48.85, accuracy: 1e-4)
    }

    func testUnknownEPSGCodeCarriesPROJsMessage() {
        XCTAssertThrowsError(try CoordinateTransform(from: "EPSG:4326", to: "EPSG:999999")) { error in
            guard let e = error as? ProjError else { return XCTFail("not a ProjError: \(error)") }
            XCTAssertTrue(e.message.contains("EPSG:999999"), e.message)
            XCTAssertEqual(e.message, "cannot create a transformation from EPSG:4326 to EPSG:999999: proj_create: crs not found")
        }
    }

    func testPointOutsideProjectionDomainThrows() throws {
        let t = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:3035")
        // LAEA covers the sphere within a radius of 2·R_q ≈ 12 700 km of its centre; 10⁷ km is outside.
        let far = ProjectedPoint(x: 1e10, y: 1e10)
        XCTAssertThrowsError(try t.inverse(far)) { error in
            guard let e = error as? ProjError else { return XCTFail("not a ProjError: \(error)") }
            XCTAssertTrue(e.message.contains("EPSG:3035 → EPSG:4326"), e.message)
        }
        XCTAssertThrowsError(try t.inverse([ProjectedPoint(x: 4_321_000, y: 3_210_000), far])) { error in
            XCTAssertTrue("\(error)".contains("point 1"), "\(error)")
        }
        XCTAssertThrowsError(try t.transform(Coordinate(longitude: .nan, latitude: 0))) {
            XCTAssertTrue("\($0)".contains("nan"), "\($0)")
        }
        // The transform stays usable after a failure.
        XCTAssertEqual(try t.inverse(ProjectedPoint(x: 4_321_000, y: 3_210_000)).latitude, 52, accuracy: 1e-9)
    }
}
