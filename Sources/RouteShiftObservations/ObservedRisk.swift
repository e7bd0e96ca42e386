import RouteShiftCore
import RouteShiftGeodesy
import RouteShiftGeoJSON
import RouteShiftGeometry
import RouteShiftNetwork

/// Dead and missing (IOM Missing Migrants Project) located on the network's crossings,
/// and the risk per 1,000 crossings they imply.
///
/// Each `Incident` or `Split Incident` record of a period is placed on the nearest
/// crossing within a stated distance: sea legs within `seaDistanceKm`, land border
/// sections of a Frontex route within `landDistanceKm`. Candidates come from a GEOS
/// STRtree (Leutenegger et al. 1997) over the crossings' lines in longitude and
/// latitude, queried with a box around the incident a little larger than the
/// distance; the nearest point of each candidate line is found by GEOS (linear
/// referencing), and the distance to it measured on the WGS84 ellipsoid by PROJ
/// (Karney 2013). Ties go to the lower edge row. Records too far from every
/// crossing, or without coordinates, count for their IOM route label's Frontex route
/// (`byRouteLabel`) when it names one. `Cumulative Incident` records, which may
/// repeat incidents recorded one by one, are never added (`cumulativeLeftOut`), and
/// records labelled as journeys within Africa, from the Horn of Africa or in Asia
/// are not placed on crossings to Europe (`unlocated`).
public struct ObservedRisk: Hashable, Sendable {
    /// Deaths located on one crossing.
    public struct Located: Hashable, Sendable {
        public var row: Int
        public var deadMissing: Double
        public var records: Int
        public init(row: Int, deadMissing: Double, records: Int) { self.row = row; self.deadMissing = deadMissing; self.records = records }
    }

    public let period: Period
    /// By edge row, ascending.
    public let located: [Located]
    /// Dead and missing not within reach of a crossing, by the Frontex route of their IOM label.
    public let byRouteLabel: [FrontexRoute: Double]
    /// Dead and missing neither located nor on a Frontex route label.
    public let unlocated: Double
    /// Dead and missing in `Cumulative Incident` records, left out.
    public let cumulativeLeftOut: Double

    public static let seaDistanceKm = 100.0
    public static let landDistanceKm = 10.0

    public init(period: Period, located: [Located], byRouteLabel: [FrontexRoute: Double], unlocated: Double, cumulativeLeftOut: Double) {
        self.period = period; self.located = located.sorted { $0.row < $1.row }; self.byRouteLabel = byRouteLabel
        self.unlocated = unlocated; self.cumulativeLeftOut = cumulativeLeftOut
    }

    /// Dead and missing by edge row.
    public var deathsByRow: [Int: Double] { Dictionary(uniqueKeysWithValues: located.map { ($0.row, $0.deadMissing) }) }

    /// Risk per 1,000 crossings of each located row: deaths ÷ crossings × 1,000, for the
    /// rows with crossings > 0 (the others keep no observed risk).
    /// - Complexity: O(located).
    public func riskPer1000(crossings: (Int) -> Double) -> [Int: Double] {
        var out: [Int: Double] = [:]
        for l in located {
            let c = crossings(l.row)
            if c > 0 { out[l.row] = l.deadMissing / c * 1000 }
        }
        return out
    }

    /// Dead and missing of each Frontex route: located on its crossings plus those
    /// placed by route label.
    public func deathsByRoute(_ map: FrontexRouteMap) -> [FrontexRoute: Double] {
        var routeOfRow: [Int: FrontexRoute] = [:]
        for c in map.crossings { routeOfRow[c.row] = c.route }
        var out = byRouteLabel
        for l in located { if let r = routeOfRow[l.row] { out[r, default: 0] += l.deadMissing } }
        return out
    }
}

/// Locates IOM incidents on a network's crossings; build once per network, use for many periods.
public final class IncidentLocator {
    let network: RouteNetwork
    let rows: [Int]
    let isSea: [Bool]
    let engine: GeometryEngine
    let lines: [PlanarGeometry]
    let index: SpatialIndex
    let geodesic = Geodesic.wgs84

    /// Indexes the sea legs and the land sections of Frontex routes.
    /// - Complexity: O(E + n log n) for n crossings.
    public init(network: RouteNetwork, routeMap: FrontexRouteMap) throws {
        self.network = network
        var rows: [Int] = [], sea: [Bool] = []
        let landRows = Set(routeMap.crossings.filter { $0.type == .land }.map(\.row))
        for row in 0..<network.edgeCount {
            if network.edgeAttributes?.kind[row] == .sea { rows.append(row); sea.append(true) } else if landRows.contains(row) {
                rows.append(row); sea.append(false)
            }
        }
        engine = try GeometryEngine()
        var lines: [PlanarGeometry] = []
        var kept: [Int] = [], keptSea: [Bool] = []
        for (i, row) in rows.enumerated() {
            guard let g = network.geometry(ofEdgeRow: row), g.count >= 2 else { continue }
            lines.append(try engine.geometry(.lineString(g)))
            kept.append(row); keptSea.append(sea[i])
        }
        self.rows = kept; self.isSea = keptSea; self.lines = lines
        index = try engine.spatialIndex(lines)
    }

    /// The crossing row nearest `c` within the stated distance, and its distance in km.
    /// - Complexity: O(log n + k) candidates, each O(vertices).
    public func nearestCrossing(to c: Coordinate) throws -> (row: Int, km: Double)? {
        let reach = ObservedRisk.seaDistanceKm
        // A degree of latitude is at least 110.5 km; of longitude, 111.3 km × cos(latitude).
        let dLat = reach / 110.5 * 1.05
        let cosLat = max(0.05, cos(min(89, abs(c.latitude)) * .pi / 180))
        let dLon = min(180, reach / (111.3 * cosLat) * 1.05)
        let box = try engine.rectangle(BoundingBox(minX: c.longitude - dLon, minY: c.latitude - dLat,
                                                   maxX: c.longitude + dLon, maxY: c.latitude + dLat))
        let point = try engine.point(c)
        var best: (row: Int, km: Double)?
        for id in index.candidates(intersecting: box) {
            let along = try engine.project(point, onto: lines[id])
            let nearest = try engine.coordinates(try engine.interpolate(lines[id], distance: along))
            guard let q = nearest.first else { continue }
            let km = geodesic.distance(from: c, to: q) / 1000
            let limit = isSea[id] ? ObservedRisk.seaDistanceKm : ObservedRisk.landDistanceKm
            guard km <= limit else { continue }
            if best == nil || km < best!.km || (km == best!.km && rows[id] < best!.row) { best = (rows[id], km) }
        }
        return best
    }

    /// IOM labels of journeys that do not cross into Europe (within Africa, from the
    /// Horn of Africa to the Gulf, in Asia): never placed on a crossing to Europe,
    /// however near it they happened (deaths in Libyan detention are not sea deaths).
    static func isOffRoute(_ label: String) -> Bool {
        label.hasPrefix("Intra-African") || label.hasPrefix("EHOA") || label.hasPrefix("Asia")
    }

    /// Locates the incidents of `period`.
    /// - Complexity: O(incidents · (log n + k)).
    public func locate(_ incidents: MissingMigrantsIncidents, period: Period) throws -> ObservedRisk {
        var dead: [Int: (Double, Int)] = [:]
        var byLabel: [FrontexRoute: Double] = [:]
        var unlocated = 0.0, cumulative = 0.0
        for i in incidents.incidents where period.contains(i.month) && i.deadMissing > 0 {
            if i.type == .cumulative { cumulative += i.deadMissing; continue }
            if Self.isOffRoute(i.route) { unlocated += i.deadMissing; continue }
            if let c = i.coordinate, let hit = try nearestCrossing(to: c) {
                let old = dead[hit.row] ?? (0, 0)
                dead[hit.row] = (old.0 + i.deadMissing, old.1 + 1)
            } else if let r = MissingMigrantsIncidents.frontexRoute(ofLabel: i.route) {
                byLabel[r, default: 0] += i.deadMissing
            } else {
                unlocated += i.deadMissing
            }
        }
        return ObservedRisk(period: period, located: dead.map { .init(row: $0.key, deadMissing: $0.value.0, records: $0.value.1) },
                            byRouteLabel: byLabel, unlocated: unlocated, cumulativeLeftOut: cumulative)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Observed risk of each Frontex route and period, independent of any model:
/// dead and missing of the route (located on its crossings or by route label)
/// per 1,000 detections of the route's crossing type.
public struct RouteRisk: Hashable, Sendable {
    public var period: Period
    public var route: FrontexRoute
    public var type: CrossingType
    public var deadMissing: Double
    public var detections: Int
    /// `nil` when there were no detections.
    public var riskPer1000: Double? { detections > 0 ? deadMissing / Double(detections) * 1000 : nil }

    public init(period: Period, route: FrontexRoute, type: CrossingType, deadMissing: Double, detections: Int) {
        self.period = period; self.route = route; self.type = type; self.deadMissing = deadMissing; self.detections = detections
    }

    /// One row per period and route with a sea or land crossing in the map; deaths on
    /// land sections count for the land type, on sea legs and by label for the sea type
    /// (routes without sea detections: land).
    /// - Complexity: O(periods × incidents × log crossings).
    public static func table(periods: [Period], data: ObservationData, network: RouteNetwork) throws -> [RouteRisk] {
        try ObservedDemand.check(periods: periods, data: data)
        let map = FrontexRouteMap.build(network: network)
        let locator = try IncidentLocator(network: network, routeMap: map)
        var typeOfRow: [Int: (FrontexRoute, CrossingType)] = [:]
        for c in map.crossings { typeOfRow[c.row] = (c.route, c.type) }
        var out: [RouteRisk] = []
        for p in periods {
            let risk = try locator.locate(data.incidents, period: p)
            var dead: [String: Double] = [:]
            var detections: [String: Int] = [:]
            func key(_ r: FrontexRoute, _ t: CrossingType) -> String { r.rawValue + "|" + t.rawValue }
            for m in p.months { for r in data.frontex.rows(in: m) { detections[key(r.route, r.type), default: 0] += r.detections } }
            for l in risk.located { if let (r, t) = typeOfRow[l.row] { dead[key(r, t), default: 0] += l.deadMissing } }
            for (r, d) in risk.byRouteLabel {
                let t: CrossingType = (detections[key(r, .sea)] ?? 0) > 0 || r != .westernBalkans ? .sea : .land
                dead[key(r, t), default: 0] += d
            }
            for r in FrontexRoute.allCases {
                for t in CrossingType.allCases.reversed() {
                    let d = dead[key(r, t)] ?? 0, n = detections[key(r, t)] ?? 0
                    guard d > 0 || n > 0 else { continue }
                    out.append(RouteRisk(period: p, route: r, type: t, deadMissing: d, detections: n))
                }
            }
        }
        return out
    }
}
