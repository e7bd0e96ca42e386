/// A position on WGS84 in degrees, longitude first (RFC 7946 §3.1.1 order).
public struct Coordinate: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Longitude in degrees east, [-180, 180].
    public var longitude: Double
    /// Latitude in degrees north, [-90, 90].
    public var latitude: Double

    public init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }

    /// `true` when both values are finite and inside the WGS84 degree ranges.
    public var isValidGeographic: Bool {
        longitude.isFinite && latitude.isFinite
            && (-180...180).contains(longitude) && (-90...90).contains(latitude)
    }

    public var description: String { "(\(longitude), \(latitude))" }

    /// What is wrong with `longitude` as a WGS84 longitude, or `nil`: the one
    /// range check every loader (GeoJSON positions, nodes CSV) applies.
    public static func longitudeProblem(_ longitude: Double) -> String? {
        (-180...180).contains(longitude) ? nil : "longitude \(longitude) is outside [-180, 180]"
    }

    /// What is wrong with `latitude` as a WGS84 latitude, or `nil`.
    public static func latitudeProblem(_ latitude: Double) -> String? {
        (-90...90).contains(latitude) ? nil : "latitude \(latitude) is outside [-90, 90]"
    }
}

/// An axis-aligned box in the coordinates' own units.
public struct BoundingBox: Hashable, Sendable, Codable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }

    /// The smallest box holding every coordinate, or `nil` for an empty sequence.
    public init?<S: Sequence>(covering coordinates: S) where S.Element == Coordinate {
        var box: BoundingBox?
        for c in coordinates {
            if box == nil {
                box = BoundingBox(minX: c.longitude, minY: c.latitude, maxX: c.longitude, maxY: c.latitude)
            } else {
                box!.include(c)
            }
        }
        guard let box else { return nil }
        self = box
    }

    public mutating func include(_ c: Coordinate) {
        minX = Swift.min(minX, c.longitude); maxX = Swift.max(maxX, c.longitude)
        minY = Swift.min(minY, c.latitude); maxY = Swift.max(maxY, c.latitude)
    }

    public func contains(_ c: Coordinate) -> Bool {
        (minX...maxX).contains(c.longitude) && (minY...maxY).contains(c.latitude)
    }
}
