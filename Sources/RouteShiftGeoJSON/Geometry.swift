import RouteShiftCore

/// A GeoJSON geometry (RFC 7946 §3.1), coordinates in WGS84 longitude/latitude.
///
/// Positions are 2-D `Coordinate`s; an altitude in the input is accepted and dropped
/// (RFC 7946 §3.1.1 makes it optional), because RouteShift works on the ellipsoid.
public indirect enum Geometry: Hashable, Sendable {
    case point(Coordinate)
    case multiPoint([Coordinate])
    case lineString([Coordinate])
    case multiLineString([[Coordinate]])
    /// Rings: the exterior first, then holes; each ring closed (first == last).
    case polygon([[Coordinate]])
    case multiPolygon([[[Coordinate]]])
    case geometryCollection([Geometry])

    /// The RFC 7946 `"type"` member for this geometry.
    public var typeName: String {
        switch self {
        case .point: "Point"
        case .multiPoint: "MultiPoint"
        case .lineString: "LineString"
        case .multiLineString: "MultiLineString"
        case .polygon: "Polygon"
        case .multiPolygon: "MultiPolygon"
        case .geometryCollection: "GeometryCollection"
        }
    }
}

/// A JSON value, used for Feature properties and foreign members.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

/// A Feature's `"id"` (RFC 7946 §3.2): a string or a number.
public enum FeatureID: Hashable, Sendable {
    case string(String)
    case number(Double)
}

/// A GeoJSON Feature (RFC 7946 §3.2).
public struct Feature: Hashable, Sendable {
    public var id: FeatureID?
    public var geometry: Geometry?
    public var properties: [String: JSONValue]

    public init(id: FeatureID? = nil, geometry: Geometry?, properties: [String: JSONValue] = [:]) {
        self.id = id
        self.geometry = geometry
        self.properties = properties
    }
}

/// A GeoJSON FeatureCollection (RFC 7946 §3.3).
public struct FeatureCollection: Hashable, Sendable {
    public var features: [Feature]

    public init(features: [Feature] = []) {
        self.features = features
    }
}
