import XCTest
import RouteShiftCore
@testable import RouteShiftGeoJSON

final class EncodingTests: XCTestCase {
    private func c(_ x: Double, _ y: Double) -> Coordinate { Coordinate(longitude: x, latitude: y) }

    func testFeatureMembersInFixedOrderAndPropertiesSorted() throws {
        let feature = Feature(id: "border-7", geometry: .lineString([c(6.5, 49.5), c(6.25, 49.75)]),
                              properties: ["zeta": 1, "Alpha": true, "alpha": nil, "mid": ["b": 2, "a": [1.5, "x"]]])
        XCTAssertEqual(try GeoJSON.encodeString(feature),
                       #"{"type":"Feature","id":"border-7","geometry":{"type":"LineString","coordinates":[[6.5,49.5],[6.25,49.75]]},"properties":{"Alpha":true,"alpha":null,"mid":{"a":[1.5,"x"],"b":2},"zeta":1}}"#)
    }

    func testFeatureWithoutIdOrGeometry() throws {
        XCTAssertEqual(try GeoJSON.encodeString(Feature(id: .number(3), geometry: nil)),
                       #"{"type":"Feature","id":3,"geometry":null,"properties":{}}"#)
        XCTAssertEqual(try GeoJSON.encodeString(Feature(geometry: .point(c(-0.0, 0)))),
                       #"{"type":"Feature","geometry":{"type":"Point","coordinates":[0,0]},"properties":{}}"#)
    }

    func testEveryGeometryType() throws {
        let ring = [c(0, 0), c(1, 0), c(1, 1), c(0, 0)]
        let g = Geometry.geometryCollection([
            .point(c(1, 2)), .multiPoint([c(1, 2)]), .multiLineString([[c(0, 0), c(1, 1)]]),
            .polygon([ring]), .multiPolygon([[ring]]), .geometryCollection([]),
        ])
        XCTAssertEqual(try GeoJSON.encodeString(g), """
            {"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},\
            {"type":"MultiPoint","coordinates":[[1,2]]},{"type":"MultiLineString","coordinates":[[[0,0],[1,1]]]},\
            {"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]},\
            {"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]},\
            {"type":"GeometryCollection","geometries":[]}]}
            """)
    }

    func testNumbersShortestRoundTripIntegersWithoutFraction() throws {
        let cases: [(Double, String)] = [
            (0, "0"), (-0.0, "0"), (1, "1"), (-42, "-42"), (0.1, "0.1"), (1.5, "1.5"), (123456.7, "123456.7"),
            (1e-7, "1e-07"), (9007199254740991, "9007199254740991"), (1e300, "1e+300"),
            (0.30000000000000004, "0.30000000000000004"), (-2.5e-10, "-2.5e-10"),
        ]
        for (x, expected) in cases {
            XCTAssertEqual(String(decoding: try GeoJSON.encode(.number(x)), as: UTF8.self), expected)
            // Every printed form must read back as the same double.
            XCTAssertEqual(try GeoJSON.decodeJSON(Array(expected.utf8)), .number(x == 0 ? 0 : x))
        }
        XCTAssertThrowsError(try GeoJSON.encode(Feature(geometry: nil, properties: ["w": ["k": [1, .number(.nan)]]]))) { error in
            XCTAssertEqual((error as? InputError)?.location.path, "$.properties.w.k[1]")
            XCTAssertTrue("\(error)".contains("non-finite number nan"))
        }
    }

    /// Numbers are written with the shortest round-trip digits, byte for byte Swift's
    /// `description` (itself the shortest round-trip form, so an independent writer), and
    /// read back to the same bits, for doubles of every magnitude and digit count.
    func testNumbersAreDescriptionsTextAndReadBackExactly() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var values: [Double] = [0.1 + 0.2, 1e-4, 0.000_099_999_999_999_999_99, 79.19326095371792, 4503599627370495.5,
                                2.2250738585072014e-308, 5e-324, 1.7976931348623157e308, 123456789.12345679]
        for _ in 0..<20_000 {
            let x = Double(bitPattern: next())  // any bit pattern: every exponent
            if x.isFinite { values.append(x) }
            let scale = [1.0, 1e-3, 1e3, 1e9][Int(next() % 4)]
            values.append((Double(next() >> 11) / Double(1 << 53) - 0.5) * 360 * scale)  // coordinates, costs
        }
        for x in values {
            let text = String(decoding: try GeoJSON.encode(.number(x)), as: UTF8.self)
            let integer = x.rounded(.towardZero) == x && abs(x) < 9_007_199_254_740_992
            XCTAssertEqual(text, x == 0 ? "0" : integer ? String(Int64(x)) : x.description)
            guard case .number(let back) = try GeoJSON.decodeJSON(Array(text.utf8)) else { return XCTFail(text) }
            XCTAssertEqual(back.bitPattern, (x == 0 ? 0 : x).bitPattern, text)
        }
    }

    func testCoordinatePrecision() throws {
        let g = Geometry.lineString([c(4.3517103, 50.8503396), c(-73.98564812, 40.7484406), c(10.0000004, -0.0000004)])
        XCTAssertEqual(try GeoJSON.encodeString(g, options: GeoJSONWriterOptions(coordinatePrecision: 6)),
                       #"{"type":"LineString","coordinates":[[4.35171,50.85034],[-73.985648,40.748441],[10,0]]}"#)
        XCTAssertEqual(try GeoJSON.encodeString(g, options: GeoJSONWriterOptions(coordinatePrecision: 0)),
                       #"{"type":"LineString","coordinates":[[4,51],[-74,41],[10,0]]}"#)
        // Precision applies to coordinates only, never to properties.
        XCTAssertEqual(try GeoJSON.encodeString(Feature(geometry: nil, properties: ["cost": 1.23456789]),
                                                options: GeoJSONWriterOptions(coordinatePrecision: 2)),
                       #"{"type":"Feature","geometry":null,"properties":{"cost":1.23456789}}"#)
    }

    func testStringEscaping() throws {
        let s = "q\"b\\s/\u{0}\u{8}\u{C}\n\r\t\u{1F}\u{7F}é😀\u{2028}"
        XCTAssertEqual(String(decoding: try GeoJSON.encode(.string(s)), as: UTF8.self),
                       #""q\"b\\s/\u0000\b\f\n\r\t\u001F"# + "\u{7F}é😀" + #"\u2028""#)
        XCTAssertEqual(try GeoJSON.decodeJSON(try GeoJSON.encode(.string(s))), .string(s))
        // Keys are escaped the same way.
        XCTAssertEqual(String(decoding: try GeoJSON.encode(["a\"b": 1]), as: UTF8.self), #"{"a\"b":1}"#)
    }

    func testCollectionLayoutOneFeaturePerLine() throws {
        let fc = FeatureCollection(features: [Feature(id: 1, geometry: .point(c(1, 2))), Feature(id: 2, geometry: nil)])
        XCTAssertEqual(try GeoJSON.encodeString(fc), """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","id":1,"geometry":{"type":"Point","coordinates":[1,2]},"properties":{}},
            {"type":"Feature","id":2,"geometry":null,"properties":{}}
            ]}

            """)
        XCTAssertEqual(try GeoJSON.encodeString(FeatureCollection()), "{\"type\":\"FeatureCollection\",\"features\":[]}\n")
    }

    func testRoundTrip() throws {
        let ring = [c(5.9, 45.8), c(10.5, 45.8), c(10.5, 47.8), c(5.9, 47.8), c(5.9, 45.8)]
        let hole = [c(7, 46), c(7.5, 46), c(7.5, 46.5), c(7, 46)]
        let fc = FeatureCollection(features: [
            Feature(id: "CH", geometry: .polygon([ring, hole]),
                    properties: ["name": "Schweiz/Suisse \"CH\"", "area": 41285.2, "n": -3, "ok": true, "none": nil,
                                 "nested": ["list": [1, 2.5, "x\n", [:], []]], "": "empty key"]),
            Feature(id: .number(7.25), geometry: .multiPolygon([[ring], [hole]])),
            Feature(geometry: .geometryCollection([.point(c(-180, -90)), .multiPoint([]),
                                                   .lineString([c(179.999999999, 89.123456789012), c(0.1, 0.2)])])),
            Feature(geometry: .multiLineString([[c(1e-9, -1e-9), c(3, 4)]]), properties: ["big": 1e21]),
        ])
        let bytes = try GeoJSON.encode(fc)
        XCTAssertEqual(try GeoJSON.decodeFeatureCollection(bytes), fc)
        // Deterministic: encoding the decoded value again gives the same bytes.
        XCTAssertEqual(try GeoJSON.encode(try GeoJSON.decodeFeatureCollection(bytes)), bytes)
        for feature in fc.features {
            XCTAssertEqual(try GeoJSON.decodeFeature(try GeoJSON.encode(feature)), feature)
        }
    }

    func testPropertyKeysThatNeedBracketsInPaths() {
        XCTAssertEqual([JSONPathComponent.key("features"), .index(0), .key("a b"), .key("_ok1"), .key("1x")].rendered,
                       #"$.features[0]["a b"]._ok1["1x"]"#)
    }
}

final class JSONValueTests: XCTestCase {
    func testTypedAccessorsDoNotConvert() {
        let v: JSONValue = ["lanes": 2, "cost": 2.5, "name": "A1", "toll": true, "x": nil, "l": [1], "o": [:]]
        let o = v.objectValue!
        XCTAssertEqual(o["lanes"]?.intValue, 2)
        XCTAssertNil(o["cost"]?.intValue)
        XCTAssertEqual(o["cost"]?.doubleValue, 2.5)
        XCTAssertEqual(o["name"]?.stringValue, "A1")
        XCTAssertNil(o["name"]?.doubleValue)
        XCTAssertEqual(o["toll"]?.boolValue, true)
        XCTAssertNil(o["toll"]?.intValue)
        XCTAssertEqual(o["x"]?.isNull, true)
        XCTAssertEqual(o["l"]?.arrayValue, [1])
        XCTAssertEqual(o["o"]?.objectValue, [:])
        XCTAssertEqual(v.description, #"{"cost":2.5,"l":[1],"lanes":2,"name":"A1","o":{},"toll":true,"x":null}"#)
    }
}
