import RouteShiftCore

/// Splitting and cutting polylines at fractions of their length.
///
/// Two ways to measure length:
/// - planar: Euclidean distance between consecutive positions, in coordinate units;
/// - caller-supplied: cumulative distances per vertex (e.g. geodesic metres from
///   RouteShiftGeodesy), so a split at 25 % lands at exactly 25 % of that length
///   along the vertex chain. Within one segment the cut point comes from
///   `pointAt(start, end, t)`, linear by default; pass a geodesic interpolation
///   to place it on the geodesic as well.
///
/// Pure Swift, no GEOS context needed.
public enum LinearReferencing {
    /// Places a point a fraction `t` ∈ [0, 1] of the way from `start` to `end`.
    public typealias SegmentInterpolation = (_ start: Coordinate, _ end: Coordinate, _ t: Double) -> Coordinate

    /// Straight-line interpolation in coordinate space.
    public static func linear(_ start: Coordinate, _ end: Coordinate, _ t: Double) -> Coordinate {
        Coordinate(longitude: start.longitude + (end.longitude - start.longitude) * t,
                   latitude: start.latitude + (end.latitude - start.latitude) * t)
    }

    /// Planar distance from the first position to each position: `[0, d01, d01 + d12, …]`.
    /// - Complexity: O(n).
    public static func planarCumulativeDistances(_ line: [Coordinate]) -> [Double] {
        var distances = [Double]()
        distances.reserveCapacity(line.count)
        var total = 0.0
        for i in line.indices {
            if i > 0 {
                let dx = line[i].longitude - line[i - 1].longitude
                let dy = line[i].latitude - line[i - 1].latitude
                total += (dx * dx + dy * dy).squareRoot()
            }
            distances.append(total)
        }
        return distances
    }

    /// Splits `line` at fractions of its planar length: `fractions.count + 1` pieces,
    /// consecutive pieces sharing their end/start position exactly.
    ///
    /// `[0.25, 0.5]` gives the first quarter, the second quarter and the second half.
    /// Repeated fractions (or 0 and 1) give two-position pieces of zero length.
    /// - Throws: `InputError` for fewer than 2 positions, or fractions that are not
    ///   finite, outside [0, 1] or decreasing.
    /// - Complexity: O(n + k) for n positions and k fractions.
    public static func split(_ line: [Coordinate], atFractions fractions: [Double]) throws -> [[Coordinate]] {
        try split(line, cumulativeDistances: planarCumulativeDistances(line), atFractions: fractions)
    }

    /// Splits `line` at fractions of the length given by `cumulativeDistances`
    /// (one per position, non-decreasing), e.g. geodesic metres.
    /// - Complexity: O(n + k) for n positions and k fractions.
    public static func split(
        _ line: [Coordinate], cumulativeDistances: [Double], atFractions fractions: [Double],
        pointAt: SegmentInterpolation = linear
    ) throws -> [[Coordinate]] {
        try validate(line, cumulativeDistances)
        try validate(fractions)
        let bounds = [0.0] + fractions + [1.0]
        var pieces: [[Coordinate]] = []
        pieces.reserveCapacity(bounds.count - 1)
        var segment = 0
        for k in 0..<(bounds.count - 1) {
            pieces.append(cut(line, cumulativeDistances, from: bounds[k], to: bounds[k + 1],
                              startSegment: &segment, pointAt: pointAt))
        }
        return pieces
    }

    /// The part of `line` between fractions `start` and `end` (0 ≤ start ≤ end ≤ 1)
    /// of its planar length.
    public static func substring(_ line: [Coordinate], from start: Double, to end: Double) throws -> [Coordinate] {
        try substring(line, cumulativeDistances: planarCumulativeDistances(line), from: start, to: end)
    }

    /// The part of `line` between fractions `start` and `end` of the length given
    /// by `cumulativeDistances`.
    public static func substring(
        _ line: [Coordinate], cumulativeDistances: [Double], from start: Double, to end: Double,
        pointAt: SegmentInterpolation = linear
    ) throws -> [Coordinate] {
        try validate(line, cumulativeDistances)
        try validate([start, end])
        var segment = 0
        return cut(line, cumulativeDistances, from: start, to: end, startSegment: &segment, pointAt: pointAt)
    }

    // MARK: - Implementation

    private static func validate(_ line: [Coordinate], _ cumulative: [Double]) throws {
        guard line.count >= 2 else {
            throw InputError("a line to split needs 2 or more positions, found \(line.count)")
        }
        guard cumulative.count == line.count else {
            throw InputError("\(cumulative.count) cumulative distances for \(line.count) positions")
        }
        for i in cumulative.indices {
            guard cumulative[i].isFinite, i == 0 || cumulative[i] >= cumulative[i - 1] else {
                throw InputError("cumulative distance \(cumulative[i]) at vertex \(i) is not finite and non-decreasing")
            }
        }
    }

    private static func validate(_ fractions: [Double]) throws {
        for (i, f) in fractions.enumerated() {
            guard f.isFinite, (0...1).contains(f), i == 0 || f >= fractions[i - 1] else {
                throw InputError("fraction \(f) at index \(i) must be in [0, 1] and not below the previous one")
            }
        }
    }

    /// Position at cumulative distance `d`, advancing `segment` (monotone across calls).
    private static func locate(
        _ line: [Coordinate], _ cumulative: [Double], _ d: Double, segment: inout Int,
        pointAt: SegmentInterpolation
    ) -> Coordinate {
        let last = line.count - 2
        while segment < last && cumulative[segment + 1] <= d { segment += 1 }
        let a = cumulative[segment], b = cumulative[segment + 1]
        if d <= a { return line[segment] }
        if d >= b { return line[segment + 1] }
        return pointAt(line[segment], line[segment + 1], (d - a) / (b - a))
    }

    private static func cut(
        _ line: [Coordinate], _ cumulative: [Double], from f0: Double, to f1: Double,
        startSegment segment: inout Int, pointAt: SegmentInterpolation
    ) -> [Coordinate] {
        let origin = cumulative[0]
        let total = cumulative[cumulative.count - 1] - origin
        let d0 = origin + f0 * total
        let d1 = origin + f1 * total
        var piece = [locate(line, cumulative, d0, segment: &segment, pointAt: pointAt)]
        var j = segment + 1
        while j < line.count && cumulative[j] < d1 {
            if cumulative[j] > d0 { piece.append(line[j]) }
            j += 1
        }
        var endSegment = segment
        piece.append(locate(line, cumulative, d1, segment: &endSegment, pointAt: pointAt))
        segment = endSegment
        return piece
    }
}

extension GeometryEngine {
    /// Splits a LineString at fractions of its planar length (see `LinearReferencing.split`).
    public func split(_ line: PlanarGeometry, atFractions fractions: [Double]) throws -> [PlanarGeometry] {
        let coordinates = try lineCoordinates(line)
        return try LinearReferencing.split(coordinates, atFractions: fractions).map { try geometry(.lineString($0)) }
    }

    /// The part of a LineString between fractions `start` and `end` of its planar length.
    public func substring(_ line: PlanarGeometry, from start: Double, to end: Double) throws -> PlanarGeometry {
        let coordinates = try lineCoordinates(line)
        return try geometry(.lineString(try LinearReferencing.substring(coordinates, from: start, to: end)))
    }

    private func lineCoordinates(_ line: PlanarGeometry) throws -> [Coordinate] {
        guard case .lineString(let coordinates) = try geoJSON(line) else {
            throw InputError("expected a LineString, found \(line.typeName)")
        }
        return coordinates
    }
}
