import RouteShiftCore

/// Interprets parsed JSON as RFC 7946 objects, strictly, keeping the JSON path of
/// everything it looks at so that each error says exactly where the input is wrong.
struct GeoJSONReader {
    var path: [JSONPathComponent] = []

    static let geometryTypes = [
        "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection",
    ]

    /// A problem at `path`; `GeoJSON` turns it into an `InputError` once it knows the line.
    struct Failure: Error {
        var path: [JSONPathComponent]
        var message: String
        var suggestions: [String]
    }

    func error(_ message: String, suggestions: [String] = []) -> Failure {
        Failure(path: path, message: message, suggestions: suggestions)
    }

    private mutating func at<T>(_ component: JSONPathComponent, _ body: (inout GeoJSONReader) throws -> T) rethrows -> T {
        path.append(component)
        defer { path.removeLast() }
        return try body(&self)
    }

    // MARK: JSON shapes

    private func kind(_ v: JSONValue) -> String {
        switch v {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    private func object(_ v: JSONValue, what: String) throws -> [String: JSONValue] {
        guard case .object(let members) = v else {
            throw error("expected \(what) (a JSON object), found \(kind(v)) \(JSONWriter.snippet(v))")
        }
        return members
    }

    private func array(_ v: JSONValue, what: String) throws -> [JSONValue] {
        guard case .array(let items) = v else {
            throw error("expected \(what) (a JSON array), found \(kind(v)) \(JSONWriter.snippet(v))")
        }
        return items
    }

    private func member(_ name: String, of members: [String: JSONValue]) throws -> JSONValue {
        guard let v = members[name] else { throw error("missing member \(JSONWriter.quoted(name))") }
        return v
    }

    /// Checks `"type"` against the expected names and returns the one found.
    private mutating func type(of members: [String: JSONValue], oneOf expected: [String]) throws -> String {
        let v = try member("type", of: members)
        return try at(.key("type")) { r in
            guard case .string(let name) = v else {
                throw r.error("expected \"type\" to be a string, found \(r.kind(v)) \(JSONWriter.snippet(v))")
            }
            guard expected.contains(name) else {
                // Names are case-sensitive (RFC 7946 §7.1): "point" is wrong, and worth a suggestion.
                let list = expected.count == 1 ? JSONWriter.quoted(expected[0])
                    : "one of " + expected.map(JSONWriter.quoted).joined(separator: ", ")
                throw r.error("unexpected type \(JSONWriter.quoted(name)), expected \(list)",
                              suggestions: NearestMatch.suggestions(for: name, among: expected, limit: 1))
            }
            return name
        }
    }

    // MARK: RFC 7946 objects

    /// RFC 7946 §3.3.
    mutating func featureCollection(_ v: JSONValue) throws -> FeatureCollection {
        let members = try object(v, what: "a FeatureCollection")
        _ = try type(of: members, oneOf: ["FeatureCollection"])
        let list = try member("features", of: members)
        let items = try at(.key("features")) { r in try r.array(list, what: "\"features\"") }
        var features: [Feature] = []
        features.reserveCapacity(items.count)
        try at(.key("features")) { r in
            for (i, item) in items.enumerated() {
                features.append(try r.at(.index(i)) { r in try r.feature(item) })
            }
        }
        return FeatureCollection(features: features)
    }

    /// RFC 7946 §3.2. `"geometry"` is required (its value may be null); a missing `"properties"`
    /// is read as empty, since no information is lost and many writers omit it.
    mutating func feature(_ v: JSONValue) throws -> Feature {
        let members = try object(v, what: "a Feature")
        _ = try type(of: members, oneOf: ["Feature"])
        var feature = Feature(geometry: nil)
        if let id = members["id"] {
            feature.id = try at(.key("id")) { r in
                switch id {
                case .string(let s): return .string(s)
                case .number(let n): return .number(n)
                default: throw r.error("expected \"id\" to be a string or a number, found \(r.kind(id)) \(JSONWriter.snippet(id))")
                }
            }
        }
        let geometry = try member("geometry", of: members)
        if geometry != .null {
            feature.geometry = try at(.key("geometry")) { r in try r.geometry(geometry) }
        }
        switch members["properties"] {
        case nil, .null?: break
        case .object(let properties)?: feature.properties = properties
        case let other?:
            try at(.key("properties")) { r in
                throw r.error("expected \"properties\" to be an object or null, found \(r.kind(other)) \(JSONWriter.snippet(other))")
            }
        }
        return feature
    }

    /// RFC 7946 §3.1.
    mutating func geometry(_ v: JSONValue) throws -> Geometry {
        let members = try object(v, what: "a geometry")
        let type = try type(of: members, oneOf: Self.geometryTypes)
        if type == "GeometryCollection" {
            let list = try member("geometries", of: members)
            let items = try at(.key("geometries")) { r in try r.array(list, what: "\"geometries\"") }
            return .geometryCollection(try at(.key("geometries")) { r in
                try items.enumerated().map { i, item in try r.at(.index(i)) { r in try r.geometry(item) } }
            })
        }
        let coordinates = try member("coordinates", of: members)
        return try at(.key("coordinates")) { r in
            switch type {
            case "Point": return .point(try r.position(coordinates))
            case "MultiPoint": return .multiPoint(try r.positions(coordinates, what: "MultiPoint coordinates"))
            case "LineString": return .lineString(try r.lineString(coordinates))
            case "MultiLineString":
                return .multiLineString(try r.list(coordinates, what: "MultiLineString coordinates") { r, l in
                    try r.lineString(l)
                })
            case "Polygon": return .polygon(try r.polygon(coordinates))
            default:
                return .multiPolygon(try r.list(coordinates, what: "MultiPolygon coordinates") { r, p in
                    try r.polygon(p)
                })
            }
        }
    }

    // MARK: Coordinates

    private mutating func list<T>(_ v: JSONValue, what: String, _ body: (inout GeoJSONReader, JSONValue) throws -> T) throws -> [T] {
        let items = try array(v, what: what)
        var result: [T] = []
        result.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            result.append(try at(.index(i)) { r in try body(&r, item) })
        }
        return result
    }

    private mutating func positions(_ v: JSONValue, what: String) throws -> [Coordinate] {
        try list(v, what: what) { r, p in try r.position(p) }
    }

    /// RFC 7946 §3.1.4: two or more positions.
    private mutating func lineString(_ v: JSONValue) throws -> [Coordinate] {
        let line = try positions(v, what: "LineString coordinates")
        guard line.count >= 2 else {
            throw error("a LineString needs at least 2 positions, found \(line.count): \(JSONWriter.snippet(v))")
        }
        return line
    }

    private mutating func polygon(_ v: JSONValue) throws -> [[Coordinate]] {
        try list(v, what: "Polygon coordinates") { r, ring in try r.linearRing(ring) }
    }

    /// RFC 7946 §3.1.6: a closed ring of four or more positions, first and last identical.
    private mutating func linearRing(_ v: JSONValue) throws -> [Coordinate] {
        let ring = try positions(v, what: "a linear ring")
        guard ring.count >= 4 else {
            throw error("a linear ring needs at least 4 positions, found \(ring.count): \(JSONWriter.snippet(v))")
        }
        guard ring.first == ring.last else {
            throw error("linear ring is not closed: first position \(Self.text(ring.first!)) differs from last position \(Self.text(ring.last!))")
        }
        return ring
    }

    /// RFC 7946 §3.1.1: longitude, latitude, and an optional altitude, which is dropped.
    /// The RFC requires "two or more elements"; any elements beyond the third are ignored likewise.
    private mutating func position(_ v: JSONValue) throws -> Coordinate {
        let items = try array(v, what: "a position")
        guard items.count >= 2 else {
            throw error("a position needs at least 2 numbers (longitude, latitude), found \(items.count): \(JSONWriter.snippet(v))")
        }
        var numbers: [Double] = []
        for (i, item) in items.enumerated() {
            guard case .number(let n) = item, n.isFinite else {
                throw at(.index(i)) { r in
                    r.error("expected a number in a position, found \(r.kind(item)) \(JSONWriter.snippet(item))")
                }
            }
            numbers.append(n)
        }
        let c = Coordinate(longitude: numbers[0], latitude: numbers[1])
        if let problem = Coordinate.longitudeProblem(c.longitude) { throw at(.index(0)) { r in r.error(problem) } }
        if let problem = Coordinate.latitudeProblem(c.latitude) { throw at(.index(1)) { r in r.error(problem) } }
        return c
    }

    static func text(_ x: Double) -> String {
        var bytes: [UInt8] = []
        JSONWriter.appendNumber(x, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func text(_ c: Coordinate) -> String { "[\(text(c.longitude)), \(text(c.latitude))]" }
}
