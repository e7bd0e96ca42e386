import RouteShiftCore
import RouteShiftGeodesy
import RouteShiftGeoJSON
import RouteShiftGeometry

/// One section of a land border, at most `maxSectionKm` long: the unit a
/// scenario closes or fences.
public struct BorderSection: Hashable, Sendable {
    /// `AA-BB-001`: country pair in alphabetical order, numbered along the border.
    public var id: String
    public var pair: BorderPair
    /// Which part of a multi-part border (0-based, in the order described in `BorderDerivation`).
    public var part: Int
    /// The section's polyline, WGS84, in numbering direction.
    public var line: [Coordinate]
    /// Geodesic length, km.
    public var lengthKm: Double
    public var attributes: BorderAttributes
    /// Public route label (`LandBorderRoutes`), `nil` for borders inside Europe.
    public var route: String?

    public var start: Coordinate { line.first! }
    public var end: Coordinate { line.last! }
}

/// What the border derivation found, beyond the sections themselves.
public struct BorderDerivationStats: Hashable, Sendable {
    /// Neighbour pairs whose polygons intersect (before dropping point contacts).
    public var touchingPairs = 0
    /// Pairs that touch only at points (or in pieces shorter than the minimum): no border.
    public var pointContactPairs: [String] = []
    /// Pairs whose shared boundary was found only after snapping.
    public var snappedPairs: [String] = []
    /// Border parts dropped as shorter than `minimumPartKm`.
    public var droppedParts = 0
}

/// Derives land-border sections from country polygons with GEOS.
///
/// 1. Candidate pairs from an STR-tree over the countries (Leutenegger et al. 1997),
///    confirmed with a prepared `intersects`.
/// 2. The shared boundary, `boundary(a) ∩ boundary(b)` reduced to its lines and
///    line-merged (`GeometryEngine.sharedBoundary`). Natural Earth's neighbours
///    share vertices, so the exact intersection works; where it yields only
///    points although the polygons touch, `b`'s boundary is snapped to `a`'s
///    within `snapTolerance` degrees and intersected again.
/// 3. Point contacts and parts shorter than `minimumPartKm` are dropped.
/// 4. Each part is oriented along the border's main axis: west→east when the
///    pair's shared boundary is wider than tall (in degrees), else north→south;
///    a closed part (an enclave such as San Marino) starts at its
///    north-westernmost vertex. Parts are ordered by their start along the same axis.
/// 5. Each part is cut into the fewest equal sections of at most `maxSectionKm`
///    geodesic length (`Geodesic.sections`, Karney 2013), numbered 001, 002, …
///    across the parts in order.
enum BorderDerivation {
    struct Parameters {
        var maxSectionKm: Double
        var minimumPartKm: Double
        var snapTolerance: Double
    }

    /// - Complexity: O(c log c) for the index plus one overlay per touching pair, each
    ///   O((n_a + n_b) log(n_a + n_b)) in the two boundaries' vertex counts.
    static func sections(countries: [Country], polygons: [PlanarGeometry], engine: GeometryEngine,
                         parameters: Parameters, attributes: [String: BorderAttributes],
                         route: (BorderPair) -> String?) throws -> (sections: [BorderSection], stats: BorderDerivationStats) {
        var stats = BorderDerivationStats()
        let index = try engine.spatialIndex(polygons)
        let geodesic = Geodesic.wgs84
        var sections: [BorderSection] = []
        for i in countries.indices {
            let prepared = try engine.prepare(polygons[i])
            for j in index.candidates(intersecting: polygons[i]) where j > i {
                guard try prepared.intersects(polygons[j]) else { continue }
                stats.touchingPairs += 1
                let pair = BorderPair(countries[i].code, countries[j].code)
                var shared = try engine.sharedBoundary(polygons[i], polygons[j])
                if shared.isEmpty {
                    let a = try engine.boundary(polygons[i])
                    let b = try engine.snap(try engine.boundary(polygons[j]), to: a, tolerance: parameters.snapTolerance)
                    shared = try engine.lineal(try engine.intersection(a, b))
                    if !shared.isEmpty { stats.snappedPairs.append(pair.id) }
                }
                var parts: [[Coordinate]] = []
                for part in try engine.parts(shared) {
                    let line = try engine.coordinates(part)
                    guard line.count >= 2 else { continue }
                    if geodesic.length(of: line) / 1000 < parameters.minimumPartKm {
                        stats.droppedParts += 1
                        continue
                    }
                    parts.append(line)
                }
                guard !parts.isEmpty else {
                    stats.pointContactPairs.append(pair.id)
                    continue
                }
                let ordered = orient(parts)
                let label = route(pair)
                var number = 0
                for (p, line) in ordered.enumerated() {
                    for piece in geodesic.sections(of: line, maximumLength: parameters.maxSectionKm * 1000) {
                        number += 1
                        let id = pair.id + "-" + threeDigits(number)
                        sections.append(BorderSection(
                            id: id, pair: pair, part: p, line: piece, lengthKm: geodesic.length(of: piece) / 1000,
                            attributes: attributes[id] ?? attributes[pair.id] ?? .default, route: label))
                    }
                }
            }
        }
        sections.sort { $0.id < $1.id }
        stats.pointContactPairs.sort()
        stats.snappedPairs.sort()
        return (sections, stats)
    }

    static func threeDigits(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 3 ? s : String(repeating: "0", count: 3 - s.count) + s
    }

    /// Orients and orders a border's parts (rule 4 above).
    static func orient(_ parts: [[Coordinate]]) -> [[Coordinate]] {
        let box = BoundingBox(covering: parts.joined())!
        let eastWest = box.maxX - box.minX >= box.maxY - box.minY
        // Sort key: smaller comes first along the main axis, the other axis breaks ties.
        func key(_ c: Coordinate) -> (Double, Double) {
            eastWest ? (c.longitude, -c.latitude) : (-c.latitude, c.longitude)
        }
        func before(_ a: Coordinate, _ b: Coordinate) -> Bool { key(a) < key(b) }
        let oriented: [[Coordinate]] = parts.map { line in
            if line.first == line.last {
                // A ring: rotate to start at its first vertex along the axis, keep its direction.
                var ring = Array(line.dropLast())
                let start = ring.indices.min { before(ring[$0], ring[$1]) }!
                ring = Array(ring[start...] + ring[..<start])
                return ring + [ring[0]]
            }
            return before(line.last!, line.first!) ? line.reversed() : line
        }
        return oriented.sorted { a, b in
            if a[0] != b[0] { return before(a[0], b[0]) }
            return before(a[a.count - 1], b[b.count - 1])
        }
    }
}
