import RouteShiftCore
import RouteShiftGeodesy
import RouteShiftGeoJSON
import RouteShiftGeometry

/// A maritime leg that passed the land check.
public struct SeaCrossing: Hashable, Sendable {
    public var source: SeaCrossingSource
    /// `SEA-<csv id>`.
    public var segment: String
    /// Geodesics between the hubs (and any detour waypoints), densified (Karney 2013 via PROJ).
    public var line: [Coordinate]
    public var lengthKm: Double
    /// Country pair in alphabetical order (`IT-LY`); one code for a domestic ferry.
    public var border: String
    /// `ferry` when both hubs are in one country (domestic link) and the crossing has no checks
    /// of its own (border_attributes.csv), else `sea`.
    public var isDomestic: Bool
    /// Sea waypoints found to steer round land; empty for a direct crossing.
    public var waypoints: [Coordinate]
}

/// A maritime leg left out of the network, and why.
public struct ExcludedCrossing: Hashable, Sendable {
    public var id: String
    public var reason: String
    /// Geodesic length of the direct line's land outside the coastal approaches, km.
    public var landKm: Double?
}

/// Checks that a sea crossing stays at sea except near its ends, and steers
/// crossings that clip an island or a cape round it.
///
/// Land is the unary union of all country polygons, prepared once. The rule:
/// the line is cut into pieces of at most `checkSpacingKm`; the pieces touching
/// land (found by bisection with prepared `intersects`) form runs. A run is a
/// coastal approach, and allowed, when it starts at a hub or lies within
/// `endpointAllowanceKm` of one, and is at most `approachMaxKm` long: hubs are
/// towns, some inland of the harbour they stand for (Nicosia for the Cypriot
/// coast). Any other run fails the crossing.
///
/// A failing crossing is tried again via one sea waypoint, then two: candidates
/// lie perpendicular to the geodesic (PROJ's direct problem) at fixed fractions
/// and offsets; the shortest passing route wins. Deterministic, no hand-placed points.
struct SeaCrossingCheck {
    let engine: GeometryEngine
    let land: PreparedGeometry
    let endpointAllowanceKm: Double
    let approachMaxKm: Double
    let densifyKm: Double
    let checkSpacingKm = 2.0
    private let geodesic = Geodesic.wgs84

    init(engine: GeometryEngine, land: PlanarGeometry, endpointAllowanceKm: Double, approachMaxKm: Double,
         densifyKm: Double) throws {
        self.engine = engine
        self.land = try engine.prepare(land)
        self.endpointAllowanceKm = endpointAllowanceKm
        self.approachMaxKm = approachMaxKm
        self.densifyKm = densifyKm
    }

    enum Outcome {
        case direct([Coordinate])
        case detour([Coordinate], waypoints: [Coordinate])
        case fails(landKm: Double)
    }

    /// Checks the crossing `a` → `b`, with detours when the direct line fails.
    func route(from a: Coordinate, to b: Coordinate) throws -> Outcome {
        let direct = line([a, b])
        if try passes(direct) { return .direct(direct) }
        var best: (km: Double, line: [Coordinate], waypoints: [Coordinate])?
        let candidates = waypointCandidates(from: a, to: b)
        var atSea: [Candidate] = []
        for w in candidates where !(try land.intersects(try engine.point(w.point))) { atSea.append(w) }
        // Necessary conditions, checked once per candidate: the first leg may touch land only at `a`,
        // the last only at `b` (a waypoint is at sea), so the pair search below stays small.
        var fromA: [Bool] = [], toB: [Bool] = []
        for w in atSea {
            fromA.append(try passes(line([a, w.point])))
            toB.append(try passes(line([w.point, b])))
        }
        for (i, w) in atSea.enumerated() where fromA[i] && toB[i] {
            let l = line([a, w.point, b])
            let km = geodesic.length(of: l)
            if let best, best.km <= km { continue }
            if try passes(l) { best = (km, l, [w.point]) }
        }
        if best == nil {
            // Two waypoints, the first nearer `a`.
            for (i, w1) in atSea.enumerated() where fromA[i] {
                for (j, w2) in atSea.enumerated() where toB[j] && w2.fraction > w1.fraction {
                    let l = line([a, w1.point, w2.point, b])
                    let km = geodesic.length(of: l)
                    if let best, best.km <= km { continue }
                    if try passes(l) { best = (km, l, [w1.point, w2.point]) }
                }
            }
        }
        if let best { return .detour(best.line, waypoints: best.waypoints) }
        return .fails(landKm: try landKm(direct))
    }

    /// The polyline through `points`, each geodesic densified to `densifyKm`.
    func line(_ points: [Coordinate]) -> [Coordinate] {
        geodesic.densified(points, maximumSpacing: densifyKm * 1000)
    }

    /// Whether `line` keeps to the sea apart from coastal approaches at its two ends.
    /// Waypoints are at sea by construction, so only the true ends may have approaches.
    func passes(_ line: [Coordinate]) throws -> Bool {
        let fine = geodesic.densified(line, maximumSpacing: checkSpacingKm * 1000)
        guard try land.intersects(try engine.geometry(.lineString(fine))) else { return true }
        // Distance from the start to each vertex, km.
        var along = [0.0]
        for i in fine.indices.dropFirst() { along.append(along[i - 1] + geodesic.distance(from: fine[i - 1], to: fine[i]) / 1000) }
        let total = along.last!
        var runs: [(Int, Int)] = []  // segment index ranges touching land, inclusive
        try collectRuns(fine, 0, fine.count - 2, into: &runs)
        for (first, last) in merged(runs) {
            let startKm = along[first], endKm = along[last + 1]
            let isStartApproach = startKm <= endpointAllowanceKm && endKm <= approachMaxKm
            let isEndApproach = total - endKm <= endpointAllowanceKm && total - startKm <= approachMaxKm
            if !(isStartApproach || isEndApproach) { return false }
        }
        return true
    }

    /// Land segments of `line[lo...hi+1]` by bisection: a range is split only when it touches land.
    private func collectRuns(_ line: [Coordinate], _ lo: Int, _ hi: Int, into runs: inout [(Int, Int)]) throws {
        guard try land.intersects(try engine.geometry(.lineString(Array(line[lo...(hi + 1)])))) else { return }
        if lo == hi { runs.append((lo, hi)); return }
        let mid = (lo + hi) / 2
        try collectRuns(line, lo, mid, into: &runs)
        try collectRuns(line, mid + 1, hi, into: &runs)
    }

    private func merged(_ runs: [(Int, Int)]) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        for r in runs.sorted(by: { $0.0 < $1.0 }) {
            if let last = out.last, r.0 <= last.1 + 1 { out[out.count - 1].1 = max(last.1, r.1) } else { out.append(r) }
        }
        return out
    }

    /// Exact geodesic length of `line` over land outside the endpoint circles, km (for the report).
    func landKm(_ line: [Coordinate]) throws -> Double {
        let geometry = try engine.geometry(.lineString(line))
        let ends = try engine.union(try circle(line.first!), try circle(line.last!))
        let middle = try engine.difference(geometry, ends)
        let overLand = try engine.lineal(try engine.intersection(middle, land.base))
        var km = 0.0
        for part in try engine.parts(overLand) { km += geodesic.length(of: try engine.coordinates(part)) / 1000 }
        return km
    }

    /// A 64-gon of geodesic radius `endpointAllowanceKm` around `c`.
    func circle(_ c: Coordinate) throws -> PlanarGeometry {
        var ring = (0..<64).map { geodesic.direct(from: c, azimuth: Double($0) * 360 / 64, distance: endpointAllowanceKm * 1000) }
        ring.append(ring[0])
        return try engine.geometry(.polygon([ring]))
    }

    struct Candidate {
        var point: Coordinate
        var fraction: Double
    }

    /// Points perpendicular to the geodesic a → b at fixed fractions and offsets, in a fixed order.
    private func waypointCandidates(from a: Coordinate, to b: Coordinate) -> [Candidate] {
        let inverse = geodesic.inverse(from: a, to: b)
        var candidates: [Candidate] = []
        for fraction in [0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.95] {
            let (p, azimuth) = geodesic.directWithAzimuth(from: a, azimuth: inverse.initialAzimuth,
                                                          distance: inverse.distance * fraction)
            for offsetKm in [5.0, 10, 20, 35, 50, 75, 100, 150, 200, 300] {
                for side in [-90.0, 90.0] {
                    candidates.append(Candidate(point: geodesic.direct(from: p, azimuth: azimuth + side, distance: offsetKm * 1000),
                                                fraction: fraction))
                }
            }
        }
        return candidates
    }
}
