import CPROJ
import RouteShiftCore

/// The solution of the inverse geodesic problem between two points.
public struct GeodesicInverse: Hashable, Sendable {
    /// Length of the shortest path, meters.
    public var distance: Double
    /// Azimuth at the first point, degrees clockwise from north, [-180, 180].
    public var initialAzimuth: Double
    /// Forward azimuth at the second point (the direction of travel on arrival), degrees, [-180, 180].
    public var finalAzimuth: Double

    public init(distance: Double, initialAzimuth: Double, finalAzimuth: Double) {
        self.distance = distance
        self.initialAzimuth = initialAzimuth
        self.finalAzimuth = finalAzimuth
    }
}

/// Geodesics on an ellipsoid of revolution, by PROJ's implementation of
/// C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87:43–55 (2013),
/// accurate to about 15 nm and convergent for every pair of points, antipodal ones included.
///
/// Coordinates are degrees; inputs must satisfy `Coordinate.isValidGeographic`
/// (results for latitudes outside [-90, 90] are NaN). Returned longitudes are in [-180, 180].
///
/// A plain value: the ellipsoid's series coefficients are computed once by `geod_init` and
/// only read afterwards, so one instance may be shared freely between threads.
public struct Geodesic: Sendable {
    private let g: geod_geodesic

    /// Equatorial radius, meters.
    public var equatorialRadius: Double { g.a }
    /// Flattening.
    public var flattening: Double { g.f }

    /// An ellipsoid with equatorial radius `a` (meters) and flattening `f`.
    public init(equatorialRadius a: Double, flattening f: Double) {
        var g = geod_geodesic()
        geod_init(&g, a, f)
        self.g = g
    }

    /// WGS84 (NIMA TR8350.2): a = 6378137 m, f = 1/298.257223563.
    public static let wgs84 = Geodesic(equatorialRadius: 6_378_137, flattening: 1 / 298.257223563)

    /// Shortest path between two points (the inverse problem, Karney 2013 §4).
    /// - Complexity: O(1); a few Newton iterations.
    public func inverse(from a: Coordinate, to b: Coordinate) -> GeodesicInverse {
        var s12 = 0.0, azi1 = 0.0, azi2 = 0.0
        withUnsafePointer(to: g) { geod_inverse($0, a.latitude, a.longitude, b.latitude, b.longitude, &s12, &azi1, &azi2) }
        return GeodesicInverse(distance: s12, initialAzimuth: azi1, finalAzimuth: azi2)
    }

    /// Distance in meters along the geodesic between two points. - Complexity: O(1).
    public func distance(from a: Coordinate, to b: Coordinate) -> Double {
        inverse(from: a, to: b).distance
    }

    /// The point reached by travelling `distance` meters from `start` with initial
    /// `azimuth` degrees (the direct problem, Karney 2013 §3). Negative distances go backwards.
    /// - Complexity: O(1).
    public func direct(from start: Coordinate, azimuth: Double, distance: Double) -> Coordinate {
        directWithAzimuth(from: start, azimuth: azimuth, distance: distance).point
    }

    /// Like `direct(from:azimuth:distance:)`, also returning the forward azimuth at the end point.
    public func directWithAzimuth(from start: Coordinate, azimuth: Double, distance: Double) -> (point: Coordinate, finalAzimuth: Double) {
        var lat2 = 0.0, lon2 = 0.0, azi2 = 0.0
        withUnsafePointer(to: g) { geod_direct($0, start.latitude, start.longitude, azimuth, distance, &lat2, &lon2, &azi2) }
        return (Coordinate(longitude: lon2, latitude: lat2), azi2)
    }

    /// Total geodesic length of a polyline, meters; 0 for fewer than two points.
    /// - Complexity: O(n).
    public func length(of line: [Coordinate]) -> Double {
        var total = 0.0
        for i in line.indices.dropFirst() { total += distance(from: line[i - 1], to: line[i]) }
        return total
    }

    /// `count` points evenly spaced by distance strictly between `a` and `b` on the geodesic joining them.
    /// - Complexity: O(count).
    public func intermediatePoints(from a: Coordinate, to b: Coordinate, count: Int) -> [Coordinate] {
        precondition(count >= 0, "count must not be negative")
        guard count > 0 else { return [] }
        var line = inverseLine(from: a, to: b)
        let step = line.s13 / Double(count + 1)
        return (1...count).map { i in position(on: &line, at: step * Double(i)) }
    }

    /// The polyline with points inserted along each segment's geodesic so that no two
    /// consecutive points are more than `maximumSpacing` meters apart. Original vertices are kept.
    /// Used for long legs (sea crossings) that would otherwise be drawn as straight lines in degrees.
    /// - Complexity: O(n + output size).
    public func densified(_ line: [Coordinate], maximumSpacing: Double) -> [Coordinate] {
        precondition(maximumSpacing > 0, "maximumSpacing must be positive")
        guard let first = line.first else { return [] }
        var out = [first]
        for i in line.indices.dropFirst() {
            let d = distance(from: line[i - 1], to: line[i])
            let extra = Int((d / maximumSpacing).rounded(.up)) - 1
            if extra > 0 { out += intermediatePoints(from: line[i - 1], to: line[i], count: extra) }
            out.append(line[i])
        }
        return out
    }

    /// The point `distance` meters along the polyline from its first vertex, clamped to the
    /// line's ends; `nil` for an empty line.
    /// - Complexity: O(n).
    public func point(along line: [Coordinate], atDistance distance: Double) -> Coordinate? {
        guard let first = line.first else { return nil }
        guard distance > 0 else { return first }
        var walked = 0.0
        for i in line.indices.dropFirst() {
            let d = self.distance(from: line[i - 1], to: line[i])
            if walked + d >= distance {
                var l = inverseLine(from: line[i - 1], to: line[i])
                return position(on: &l, at: distance - walked)
            }
            walked += d
        }
        return line.last
    }

    /// The point at `fraction` (0...1) of the polyline's geodesic length.
    /// - Complexity: O(n).
    public func point(along line: [Coordinate], atFraction fraction: Double) -> Coordinate? {
        point(along: line, atDistance: length(of: line) * fraction)
    }

    /// Splits a polyline into the fewest consecutive sections of equal geodesic length that
    /// are each at most `maximumLength` meters. Consecutive sections share their cut point,
    /// and every original vertex lands in a section, so joining them gives the input back.
    /// A line shorter than `maximumLength` (or with fewer than two points) is returned whole.
    /// - Complexity: O(n + number of sections).
    public func sections(of line: [Coordinate], maximumLength: Double) -> [[Coordinate]] {
        precondition(maximumLength > 0, "maximumLength must be positive")
        guard line.count >= 2 else { return [line] }
        let lengths = line.indices.dropFirst().map { distance(from: line[$0 - 1], to: line[$0]) }
        let total = lengths.reduce(0, +)
        let count = max(1, Int((total / maximumLength).rounded(.up)))
        guard count > 1 else { return [line] }
        let target = total / Double(count)

        var sections: [[Coordinate]] = []
        var current = [line[0]]
        var walked = 0.0      // distance from the start of the line to line[i - 1]
        var nextCut = target  // distance from the start of the line to the next cut
        for i in line.indices.dropFirst() {
            let segment = lengths[i - 1]
            if sections.count < count - 1, walked + segment > nextCut {
                var l = inverseLine(from: line[i - 1], to: line[i])
                while sections.count < count - 1, walked + segment > nextCut {
                    let cut = position(on: &l, at: nextCut - walked)
                    current.append(cut)
                    sections.append(current)
                    current = [cut]
                    nextCut = target * Double(sections.count + 1)
                }
            }
            // A vertex that coincides with the cut just made would add a zero-length step.
            if current.count > 1 || current[0] != line[i] { current.append(line[i]) }
            walked += segment
        }
        // A lone point means the last cut fell on the final vertex: the previous section already ends there.
        if current.count > 1 { sections.append(current) }
        return sections
    }

    // MARK: Lines

    private func inverseLine(from a: Coordinate, to b: Coordinate) -> geod_geodesicline {
        var l = geod_geodesicline()
        // caps 0 = latitude, longitude, azimuth and distance-in: what geod_position needs.
        withUnsafePointer(to: g) { geod_inverseline(&l, $0, a.latitude, a.longitude, b.latitude, b.longitude, 0) }
        return l
    }

    private func position(on line: inout geod_geodesicline, at s: Double) -> Coordinate {
        var lat = 0.0, lon = 0.0
        geod_position(&line, s, &lat, &lon, nil)
        return Coordinate(longitude: lon, latitude: lat)
    }
}
