import XCTest
import RouteShiftCore
@testable import RouteShiftGeoJSON

final class DecodingTests: XCTestCase {
    func testDecodesEveryGeometryType() throws {
        let text = """
        {"type":"GeometryCollection","geometries":[
          {"type":"Point","coordinates":[4.35,50.85,13.5]},
          {"type":"MultiPoint","coordinates":[[1,2],[3,4]]},
          {"type":"LineString","coordinates":[[0,0],[1,1]]},
          {"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,3],[4,4]]]},
          {"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]},
          {"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[]]}
        ]}
        """
        let c = { (x: Double, y: Double) in Coordinate(longitude: x, latitude: y) }
        let triangle = [c(0, 0), c(1, 0), c(1, 1), c(0, 0)]
        XCTAssertEqual(try GeoJSON.decodeGeometry(text), .geometryCollection([
            .point(c(4.35, 50.85)),  // altitude dropped
            .multiPoint([c(1, 2), c(3, 4)]),
            .lineString([c(0, 0), c(1, 1)]),
            .multiLineString([[c(0, 0), c(1, 1)], [c(2, 2), c(3, 3), c(4, 4)]]),
            .polygon([triangle]),
            .multiPolygon([[triangle], []]),
        ]))
    }

    func testDecodesFeatureCollectionWithPropertiesAndIds() throws {
        let text = #"""
        {"type":"FeatureCollection","features":[
          {"type":"Feature","id":"A1","geometry":{"type":"Point","coordinates":[6.1,49.6]},
           "properties":{"name":"Lux \"city\"","lanes":2,"toll":false,"tags":["a",null],"limits":{"hgv":7.5},"e":"\u00e9\ud83d\ude00"}},
          {"type":"Feature","id":42,"geometry":null,"properties":null},
          {"type":"Feature","geometry":null}
        ]}
        """#
        let fc = try GeoJSON.decodeFeatureCollection(text, file: "in.geojson")
        XCTAssertEqual(fc.features.count, 3)
        XCTAssertEqual(fc.features[0].id, .string("A1"))
        XCTAssertEqual(fc.features[0].geometry, .point(Coordinate(longitude: 6.1, latitude: 49.6)))
        XCTAssertEqual(fc.features[0].properties, [
            "name": "Lux \"city\"", "lanes": 2, "toll": false, "tags": ["a", nil], "limits": ["hgv": 7.5],
            "e": "é😀",
        ])
        XCTAssertEqual(fc.features[1], Feature(id: .number(42), geometry: nil, properties: [:]))
        XCTAssertEqual(fc.features[2], Feature(geometry: nil))
    }

    /// Asserts that decoding fails with exactly this path and a message containing `fragment`.
    private func assertError(
        _ text: String, path: String, _ fragment: String, as kind: Kind = .collection,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try kind.decode(text), file: file, line: line) { error in
            guard let e = error as? InputError else { return XCTFail("not an InputError: \(error)", file: file, line: line) }
            XCTAssertEqual(e.location.path, path, file: file, line: line)
            XCTAssertEqual(e.location.file, "data.geojson", file: file, line: line)
            XCTAssertTrue(e.message.contains(fragment), "message \(e.message) lacks \(fragment)", file: file, line: line)
        }
    }

    enum Kind {
        case collection, geometry
        func decode(_ text: String) throws {
            switch self {
            case .collection: _ = try GeoJSON.decodeFeatureCollection(text, file: "data.geojson")
            case .geometry: _ = try GeoJSON.decodeGeometry(text, file: "data.geojson")
            }
        }
    }

    private func collection(withFourthGeometry g: String) -> String {
        let ok = #"{"type":"Feature","geometry":null,"properties":{}}"#
        return #"{"type":"FeatureCollection","features":[\#(ok),\#(ok),\#(ok),{"type":"Feature","geometry":\#(g),"properties":{}}]}"#
    }

    func testPositionWithOneNumberNamesPathAndValue() {
        assertError(collection(withFourthGeometry: #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[5],[0,1],[0,0]]]}"#),
                    path: "$.features[3].geometry.coordinates[0][2]",
                    "a position needs at least 2 numbers (longitude, latitude), found 1: [5]")
    }

    func testRingNotClosed() {
        assertError(collection(withFourthGeometry: #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[0.2,0.2],[0.3,0.2],[0.3,0.3],[0.2,0.25]]]}"#),
                    path: "$.features[3].geometry.coordinates[1]",
                    "linear ring is not closed: first position [0.2, 0.2] differs from last position [0.2, 0.25]")
    }

    func testRingTooShort() {
        assertError(#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],[1,1],[0,0]]]]}"#,
                    path: "$.coordinates[1][0]", "a linear ring needs at least 4 positions, found 3: [[0,0],[1,1],[0,0]]",
                    as: .geometry)
    }

    func testLineStringTooShort() {
        assertError(collection(withFourthGeometry: #"{"type":"LineString","coordinates":[[7.25,43.7]]}"#),
                    path: "$.features[3].geometry.coordinates", "a LineString needs at least 2 positions, found 1: [[7.25,43.7]]")
    }

    func testLatitudeOutOfRangeNamesTheNumber() {
        assertError(#"{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,91.5]]]}"#,
                    path: "$.coordinates[1][1][1]", "latitude 91.5 is outside [-90, 90]", as: .geometry)
    }

    func testLongitudeOutOfRange() {
        assertError(#"{"type":"Point","coordinates":[-180.25,0]}"#,
                    path: "$.coordinates[0]", "longitude -180.25 is outside [-180, 180]", as: .geometry)
    }

    func testNumberOverflowingDoubleIsNotFinite() {
        assertError(collection(withFourthGeometry: #"{"type":"Point","coordinates":[1e999,0]}"#),
                    path: "$.features[3].geometry.coordinates[0]", "number 1e999 is not finite")
    }

    func testNonNumberInPosition() {
        assertError(#"{"type":"Point","coordinates":["4.3",50]}"#,
                    path: "$.coordinates[0]", #"expected a number in a position, found a string "4.3""#, as: .geometry)
    }

    func testWrongTypeSuggestsTheNearestName() throws {
        XCTAssertThrowsError(try GeoJSON.decodeGeometry(#"{"type":"Polygn","coordinates":[]}"#)) { error in
            let e = error as! InputError
            XCTAssertEqual(e.location.path, "$.type")
            XCTAssertTrue(e.message.hasPrefix(#"unexpected type "Polygn", expected one of "Point""#), e.message)
            XCTAssertEqual(e.suggestions, ["Polygon"])
        }
        assertError(#"{"type":"FeatureCollection","features":[{"type":"feature","geometry":null}]}"#,
                    path: "$.features[0].type", #"unexpected type "feature", expected "Feature""#)
    }

    func testMissingCoordinatesAndGeometry() {
        assertError(collection(withFourthGeometry: #"{"type":"LineString"}"#),
                    path: "$.features[3].geometry", #"missing member "coordinates""#)
        assertError(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{}}]}"#,
                    path: "$.features[0]", #"missing member "geometry""#)
        assertError(#"{"type":"FeatureCollection"}"#, path: "$", #"missing member "features""#)
    }

    func testWrongJSONShapes() {
        assertError(#"{"type":"FeatureCollection","features":{}}"#,
                    path: "$.features", #"expected "features" (a JSON array), found an object {}"#)
        assertError(#"{"type":"FeatureCollection","features":[{"type":"Feature","id":true,"geometry":null}]}"#,
                    path: "$.features[0].id", #"expected "id" to be a string or a number, found a boolean true"#)
        assertError(#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":[1]}]}"#,
                    path: "$.features[0].properties", "expected \"properties\" to be an object or null, found an array [1]")
    }

    func testSyntaxErrorsCarryPathAndLine() throws {
        let text = "{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"a b\":[1,2,}}}]}"
        XCTAssertThrowsError(try GeoJSON.decodeFeatureCollection(text, file: "x.json")) { error in
            let e = error as! InputError
            XCTAssertEqual(e.location, InputLocation(file: "x.json", line: 3, path: #"$.features[0].properties["a b"][2]"#))
            XCTAssertEqual(e.message, "unexpected character '}', expected a value")
        }
    }

    func testStrictJSONSyntax() {
        let rejected: [(String, String)] = [
            (#"{"a":1,"a":2}"#, #"duplicate member name "a""#),
            ("[01]", "unexpected character '1' in an array"),
            ("[1.]", "expected a digit after '.'"),
            ("[.5]", "unexpected character '.'"),
            ("[NaN]", "unexpected character 'N'"),
            ("[tru]", "invalid literal, expected 'true'"),
            ("[\"a\u{1}\"]", "unescaped control character 0x1"),
            (#"["\ud800x"]"#, #"unpaired surrogate \uD800"#),
            (#"["\q"]"#, #"invalid escape sequence '\q'"#),
            ("[1] [2]", "after the end of the document"),
            ("", "unexpected end of input"),
        ]
        for (text, fragment) in rejected {
            XCTAssertThrowsError(try GeoJSON.decodeJSON(Array(text.utf8)), text) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(text): \(error)")
            }
        }
        XCTAssertThrowsError(try GeoJSON.decodeJSON([0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D])) { error in
            XCTAssertTrue("\(error)".contains("not valid UTF-8"))
        }
    }

    func testJSONValuesParseExactly() throws {
        XCTAssertEqual(try GeoJSON.decodeJSON(Array("\u{FEFF} [true, 1, -0.5e-3, 1E2, \"\\/\\b\\f\\n\\r\\t\\u0041\", {}] ".utf8)),
                       [true, 1, -0.0005, 100, "/\u{8}\u{C}\n\r\tA", [:]])
        // Booleans stay booleans; Foundation's parser would let `true` read as the number 1.
        XCTAssertNotEqual(try GeoJSON.decodeJSON(Array("true".utf8)), .number(1))
        XCTAssertEqual(try GeoJSON.decodeJSON(Array("0.1".utf8)), .number(0.1))
        XCTAssertEqual(try GeoJSON.decodeJSON(Array("17976931348623157e292".utf8)), .number(Double.greatestFiniteMagnitude))
    }

    /// 16- and 17-digit decimals read as the correctly rounded double. The expected bits
    /// are those of CPython's `float()` (David Gay's correctly rounded conversion, an
    /// independent implementation); the ties and the subnormal boundary are the cases a
    /// parser rounding through fewer digits or in two steps gets wrong.
    func testSeventeenDigitNumbersParseToTheNearestDouble() throws {
        let cases: [(String, UInt64)] = [
            ("0.30000000000000004", 0x3FD3_3333_3333_3334),  // 0.1 + 0.2, one ulp above 0.3
            ("0.29999999999999999", 0x3FD3_3333_3333_3333),  // 0.3 itself
            ("79.19326095371792", 0x4053_CC5E_6330_F3FC),
            ("9007199254740993.0", 0x4340_0000_0000_0000),  // halfway between 2^53 and 2^53 + 2: to even
            ("9007199254740995.0", 0x4340_0000_0000_0002),  // halfway again: up, to even
            ("2.2250738585072014e-308", 0x0010_0000_0000_0000),  // least normal
            ("2.2250738585072011e-308", 0x000F_FFFF_FFFF_FFFF),  // greatest subnormal
            ("4.9406564584124654e-324", 0x0000_0000_0000_0001),  // least subnormal
            ("1.7976931348623157e308", 0x7FEF_FFFF_FFFF_FFFF),
            ("-12345678901234567e-10", 0xC132_D687_E3DF_2180),
        ]
        for (text, bits) in cases {
            guard case .number(let x) = try GeoJSON.decodeJSON(Array(text.utf8)) else { return XCTFail(text) }
            XCTAssertEqual(String(x.bitPattern, radix: 16), String(bits, radix: 16), text)
            let collection = try GeoJSON.decodeFeatureCollection(Array("""
                {"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"w":\(text)}}]}
                """.utf8))
            XCTAssertEqual(collection.features[0].properties["w"], .number(Double(bitPattern: bits)), text)
        }
    }

    func testDeepNestingIsRejectedNotACrash() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        XCTAssertThrowsError(try GeoJSON.decodeJSON(Array(text.utf8))) { error in
            XCTAssertTrue("\(error)".contains("nesting deeper than 512 levels"))
        }
    }

    func testReadFeatureCollectionFromFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rs-read-\(UUID().uuidString).geojson").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try #"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{}}]}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try GeoJSON.readFeatureCollection(path: path),
                       FeatureCollection(features: [Feature(geometry: .point(Coordinate(longitude: 1, latitude: 2)))]))
        XCTAssertThrowsError(try GeoJSON.readFeatureCollection(path: path + ".missing")) { error in
            XCTAssertEqual((error as? InputError)?.location.file, path + ".missing")
        }
    }

    func testInterpretationErrorsCarryTheLineOfTheValue() {
        let text = """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":null,"properties":{}},
          {"type":"Feature","geometry":{"type":"LineString","coordinates":[
            [5.9,45.8],
            [6.1,46.2],
            [6.3,146.2]
          ]},"properties":{}}
        ]}
        """
        XCTAssertThrowsError(try GeoJSON.decodeFeatureCollection(text, file: "borders.geojson")) { error in
            let e = error as! InputError
            XCTAssertEqual(e.location, InputLocation(file: "borders.geojson", line: 6,
                                                     path: "$.features[1].geometry.coordinates[2][1]"))
            XCTAssertEqual(e.message, "latitude 146.2 is outside [-90, 90]")
            XCTAssertEqual("\(e)", "borders.geojson:6 ($.features[1].geometry.coordinates[2][1]): latitude 146.2 is outside [-90, 90]")
        }
    }
}
