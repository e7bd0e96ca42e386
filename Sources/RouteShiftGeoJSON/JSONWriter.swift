import RouteShiftCore

/// How GeoJSON text is written.
public struct GeoJSONWriterOptions: Hashable, Sendable {
    /// Decimal places kept in coordinates, or `nil` to write every coordinate exactly
    /// (shortest round-trip form). RFC 7946 §11.2: 6 places is about 10 cm, enough for most uses.
    /// Property values are never rounded.
    public var coordinatePrecision: Int?

    public init(coordinatePrecision: Int? = nil) {
        precondition(coordinatePrecision.map { (0...17).contains($0) } ?? true, "coordinatePrecision must be in 0...17")
        self.coordinatePrecision = coordinatePrecision
    }
}

/// Deterministic GeoJSON/JSON serialisation into a byte buffer.
///
/// Output is a pure function of the value: members in a fixed order (RFC 7946 members first,
/// then property names by UTF-8 byte order), no insignificant whitespace, numbers in their
/// shortest round-trip form. That keeps outputs diffable and comparable across runs.
struct JSONWriter {
    var bytes: [UInt8] = []
    let options: GeoJSONWriterOptions
    /// Where the writer is, for error messages only.
    var path: [JSONPathComponent] = []
    private let scale: Double?

    init(options: GeoJSONWriterOptions, path: [JSONPathComponent] = []) {
        self.options = options
        self.path = path
        scale = options.coordinatePrecision.map { Self.powersOfTen[$0] }
    }

    private static let powersOfTen: [Double] = (0...17).map { p in (0..<p).reduce(1.0) { r, _ in r * 10 } }

    private func error(_ message: String) -> InputError {
        InputError(message, at: InputLocation(path: path.rendered))
    }

    // MARK: GeoJSON objects

    mutating func feature(_ feature: Feature) throws {
        append("{\"type\":\"Feature\"")
        if let id = feature.id {
            append(",\"id\":")
            path.append(.key("id"))
            switch id {
            case .string(let s): Self.appendString(s, to: &bytes)
            case .number(let n): try number(n)
            }
            path.removeLast()
        }
        append(",\"geometry\":")
        if let geometry = feature.geometry {
            path.append(.key("geometry"))
            try self.geometry(geometry)
            path.removeLast()
        } else {
            append("null")
        }
        append(",\"properties\":")
        path.append(.key("properties"))
        try object(feature.properties)
        path.removeLast()
        append("}")
    }

    mutating func geometry(_ geometry: Geometry) throws {
        append("{\"type\":")
        Self.appendString(geometry.typeName, to: &bytes)
        if case .geometryCollection(let members) = geometry {
            append(",\"geometries\":[")
            path.append(.key("geometries"))
            for (i, member) in members.enumerated() {
                if i > 0 { append(",") }
                path.append(.index(i))
                try self.geometry(member)
                path.removeLast()
            }
            path.removeLast()
            append("]}")
            return
        }
        append(",\"coordinates\":")
        path.append(.key("coordinates"))
        switch geometry {
        case .point(let c): try position(c)
        case .multiPoint(let cs), .lineString(let cs): try positions(cs)
        case .multiLineString(let lines), .polygon(let lines): try nested(lines) { w, l in try w.positions(l) }
        case .multiPolygon(let polygons):
            try nested(polygons) { w, p in try w.nested(p) { w, l in try w.positions(l) } }
        case .geometryCollection: break  // handled above
        }
        path.removeLast()
        append("}")
    }

    private mutating func nested<T>(_ items: [T], _ body: (inout JSONWriter, T) throws -> Void) throws {
        append("[")
        for (i, item) in items.enumerated() {
            if i > 0 { append(",") }
            path.append(.index(i))
            try body(&self, item)
            path.removeLast()
        }
        append("]")
    }

    private mutating func positions(_ cs: [Coordinate]) throws {
        try nested(cs) { w, c in try w.position(c) }
    }

    /// One position alone (as inside a geometry), for writers that assemble geometries from pieces.
    mutating func lonePosition(_ c: Coordinate) throws { try position(c) }

    /// RFC 7946 §3.1.1: longitude first, then latitude.
    private mutating func position(_ c: Coordinate) throws {
        append("[")
        path.append(.index(0))
        try coordinate(c.longitude)
        path.removeLast()
        append(",")
        path.append(.index(1))
        try coordinate(c.latitude)
        path.removeLast()
        append("]")
    }

    private mutating func coordinate(_ x: Double) throws {
        guard let scale else { return try number(x) }
        let scaled = x * scale
        // Beyond 2^52 the scaled value is already an integer: rounding would change nothing.
        if abs(scaled) < 4_503_599_627_370_496 {
            // k / 10^p with k and 10^p exact is the double nearest the decimal k·10^-p,
            // so its shortest form has at most p decimals.
            try number(scaled.rounded(.toNearestOrAwayFromZero) / scale)
        } else {
            try number(x)
        }
    }

    // MARK: JSON values

    mutating func value(_ v: JSONValue) throws {
        switch v {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .number(let n): try number(n)
        case .string(let s): Self.appendString(s, to: &bytes)
        case .array(let items): try nested(items) { w, item in try w.value(item) }
        case .object(let members): try object(members)
        }
    }

    mutating func object(_ members: [String: JSONValue]) throws {
        append("{")
        // Byte order, not locale or String ordering, so every platform agrees.
        let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (i, key) in keys.enumerated() {
            if i > 0 { append(",") }
            Self.appendString(key, to: &bytes)
            append(":")
            path.append(.key(key))
            try value(members[key]!)
            path.removeLast()
        }
        append("}")
    }

    mutating func number(_ x: Double) throws {
        guard x.isFinite else { throw error("cannot write non-finite number \(x): JSON has no representation for it") }
        Self.appendNumber(x, to: &bytes)
    }

    /// Shortest text that reads back as the same double; integers without a fraction.
    static func appendNumber(_ x: Double, to out: inout [UInt8]) {
        if x == 0 {
            out.append(UInt8(ascii: "0"))  // also folds -0, which compares equal to 0
        } else if x.rounded(.towardZero) == x, abs(x) < 9_007_199_254_740_992 {
            // Below 2^53 every integer is exact, so printing it as Int64 loses nothing.
            out.append(contentsOf: String(Int64(x)).utf8)
        } else if !ShortestDecimal.append(x, to: &out) {
            // Swift's description is the shortest round-trip form (e.g. "0.1", "1e-07", "1.5e+300"),
            // and valid JSON number syntax for finite values. `ShortestDecimal` writes the same
            // text for magnitudes in [1e-4, 2^52) without building a String (most coordinates
            // and costs); the rest get here.
            out.append(contentsOf: x.description.utf8)
        }
    }

    mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// RFC 8259 §7 string: quotes, backslash and control characters escaped, everything else
    /// as UTF-8. U+2028 and U+2029 are escaped too so the output is also valid JavaScript.
    static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])  // \"
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])  // \\
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20, 0x2028, 0x2029:
                out.append(contentsOf: Array("\\u".utf8))
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out.append(contentsOf: Array((String(repeating: "0", count: 4 - hex.count) + hex).utf8))
            default:
                out.append(contentsOf: UTF8.encode(scalar)!)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func appendString(_ s: String, to out: inout String) {
        var bytes: [UInt8] = []
        appendString(s, to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    static func quoted(_ s: String) -> String {
        var out = ""
        appendString(s, to: &out)
        return out
    }

    /// A JSON value as short text for an error message, cut at `limit` characters.
    static func snippet(_ v: JSONValue, limit: Int = 60) -> String {
        var w = JSONWriter(options: GeoJSONWriterOptions())
        try? w.value(v)  // values that came from parsing are always finite
        let text = String(decoding: w.bytes, as: UTF8.self)
        return text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}

/// Pieces of GeoJSON text for writers that assemble features from parts they reuse (a
/// geometry written once for many features, positions shared by many lines): the same
/// bytes `GeoJSON.encode` writes for the same values.
public enum GeoJSONText {
    /// `s` as a JSON string (RFC 8259 §7 escaping), appended to `out`.
    public static func appendString(_ s: String, to out: inout [UInt8]) { JSONWriter.appendString(s, to: &out) }

    /// `x` in its shortest round-trip form (integers without a fraction), appended to `out`.
    /// - Throws: `InputError` for a non-finite number (JSON has none).
    public static func appendNumber(_ x: Double, to out: inout [UInt8]) throws {
        guard x.isFinite else { throw InputError("cannot write non-finite number \(x): JSON has no representation for it") }
        JSONWriter.appendNumber(x, to: &out)
    }

    /// One position `[longitude,latitude]`, rounded as `options` say.
    /// - Throws: `InputError` for a non-finite coordinate.
    public static func position(_ c: Coordinate, options: GeoJSONWriterOptions) throws -> [UInt8] {
        var w = JSONWriter(options: options)
        try w.lonePosition(c)
        return w.bytes
    }
}
