import XCTest
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGeometry

final class ConversionAndValidityTests: XCTestCase {
    var engine: GeometryEngine!

    override func setUpWithError() throws {
        engine = try GeometryEngine()
    }

    static let shell = [c(0, 0), c(10, 0), c(10, 10), c(0, 10), c(0, 0)]
    static let hole = [c(2, 2), c(2, 4), c(4, 4), c(4, 2), c(2, 2)]

    static let samples: [Geometry] = [
        .point(c(1.5, -2.25)),
        .multiPoint([c(0, 0), c(1, 1), c(-179.5, 89.9)]),
        .multiPoint([]),
        .lineString([c(0, 0), c(1, 2), c(3, 5)]),
        .lineString([]),
        .multiLineString([[c(0, 0), c(1, 1)], [c(2, 2), c(3, 3), c(4, 2)]]),
        .multiLineString([]),
        .polygon([shell, hole]),
        .polygon([]),
        .multiPolygon([[shell, hole], [[c(20, 20), c(21, 20), c(21, 21), c(20, 20)]]]),
        .multiPolygon([]),
        .geometryCollection([
            .point(c(1, 1)),
            .lineString([c(0, 0), c(1, 0)]),
            .polygon([shell]),
            .geometryCollection([.multiPoint([c(5, 5)])]),
        ]),
        .geometryCollection([]),
    ]

    func testGeoJSONRoundTripForEveryGeometryType() throws {
        for sample in Self.samples {
            let planar = try engine.geometry(sample)
            XCTAssertEqual(planar.typeName, sample.typeName, "\(sample)")
            XCTAssertEqual(try engine.geoJSON(planar), sample)
        }
    }

    func testWKTAndWKBRoundTrip() throws {
        for sample in Self.samples {
            let planar = try engine.geometry(sample)
            let text = try engine.wkt(planar)
            XCTAssertEqual(try engine.geoJSON(try engine.geometry(wkt: text)), sample, text)
            let bytes = try engine.wkb(planar)
            // Empty points have no WKB form, every sample here does.
            XCTAssertEqual(try engine.geoJSON(try engine.geometry(wkb: bytes)), sample, text)
        }
        XCTAssertEqual(try engine.wkt(try engine.geometry(square(0, 0))), "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))")
        XCTAssertEqual(try engine.geometry(.point(c(1, 2))).description, "POINT (1 2)")
    }

    func testLinearRingReadsAsLineString() throws {
        let ring = try engine.geometry(wkt: "LINEARRING (0 0, 1 0, 1 1, 0 0)")
        XCTAssertEqual(try engine.geoJSON(ring), .lineString([c(0, 0), c(1, 0), c(1, 1), c(0, 0)]))
    }

    func testEmptyPointReadsAsEmptyMultiPoint() throws {
        XCTAssertEqual(try engine.geoJSON(try engine.geometry(wkt: "POINT EMPTY")), .multiPoint([]))
    }

    func testBowTieIsInvalidWithSelfIntersectionAndMakeValidSplitsIt() throws {
        // Edges (0,0)-(2,2) and (2,0)-(0,2) cross at (1,1): two triangles of area 1 each.
        let bowTie = try engine.geometry(.polygon([[c(0, 0), c(2, 2), c(2, 0), c(0, 2), c(0, 0)]]))
        XCTAssertFalse(try engine.isValid(bowTie))
        let reason = try engine.validityReason(bowTie)
        XCTAssertTrue(reason.contains("Self-intersection"), reason)
        let fixed = try engine.makeValid(bowTie)
        XCTAssertTrue(try engine.isValid(fixed))
        XCTAssertEqual(fixed.typeName, "MultiPolygon")
        XCTAssertEqual(try engine.numberOfGeometries(fixed), 2)
        XCTAssertEqual(try engine.area(fixed), 2, accuracy: 1e-12)
        XCTAssertEqual(try engine.validityReason(fixed), "Valid Geometry")
        _ = try engine.isValid(bowTie)
        XCTAssertEqual(engine.lastNotice, "Self-intersection at or near point 1 1")
    }

    func testInvalidWKTThrowsGEOSParseMessage() throws {
        XCTAssertThrowsError(try engine.geometry(wkt: "POLYGON ((0 0, 1 1")) { error in
            guard let error = error as? InputError else { return XCTFail("\(error)") }
            XCTAssertTrue(error.message.contains("ParseException"), error.message)
        }
        XCTAssertThrowsError(try engine.geometry(wkt: "TRIANGLE (1 2)")) { error in
            guard let error = error as? InputError else { return XCTFail("\(error)") }
            XCTAssertTrue(error.message.contains("Unknown type"), error.message)
        }
        XCTAssertThrowsError(try engine.geometry(wkb: [1, 2, 3])) { XCTAssertTrue($0 is InputError, "\($0)") }
        // The engine is still usable after a parse failure.
        XCTAssertEqual(try engine.wkt(try engine.geometry(wkt: "POINT (3 4)")), "POINT (3 4)")
    }

    func testGEOSFailureSurfacesItsMessage() throws {
        // Linear referencing on a polygon is rejected inside GEOS.
        let polygon = try engine.geometry(square(0, 0))
        XCTAssertThrowsError(try engine.interpolate(polygon, distance: 0.5)) { error in
            guard let error = error as? GEOSError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.operation, "GEOSInterpolate_r")
            // GEOS 3.11: "IllegalArgumentException: LinearIterator only supports lineal geometry components"
            XCTAssertTrue(error.message.contains("lineal"), error.message)
        }
    }

    func testStructurallyBadInputIsAnInputError() throws {
        let unclosed = Geometry.polygon([[c(0, 0), c(1, 0), c(1, 1), c(0, 1)]])
        XCTAssertThrowsError(try engine.geometry(unclosed)) { error in
            guard let error = error as? InputError else { return XCTFail("\(error)") }
            XCTAssertTrue(error.message.contains("closed"), error.message)
            XCTAssertEqual(error.location.path, "$.coordinates[0]")
        }
        XCTAssertThrowsError(try engine.geometry(.polygon([[c(0, 0), c(1, 0), c(0, 0)]]))) {
            XCTAssertTrue($0 is InputError)
        }
        XCTAssertThrowsError(try engine.geometry(.multiLineString([[c(0, 0), c(1, 1)], [c(2, 2)]]))) { error in
            XCTAssertEqual((error as? InputError)?.location.path, "$.coordinates[1]")
        }
        XCTAssertThrowsError(try engine.geometry(.lineString([c(0, 0), c(.nan, 1)]))) {
            XCTAssertTrue($0 is InputError)
        }
        // A hole failing after the shell was built: the shell is freed, nothing leaks or crashes.
        XCTAssertThrowsError(try engine.geometry(.polygon([Self.shell, [c(2, 2), c(3, 3)]]))) {
            XCTAssertEqual(($0 as? InputError)?.location.path, "$.coordinates[1]")
        }
        XCTAssertThrowsError(try engine.relate(try engine.point(c(0, 0)), try engine.point(c(0, 0)), pattern: "XYZ")) {
            XCTAssertTrue("\($0)".contains("XYZ"), "\($0)")
        }
    }
}
