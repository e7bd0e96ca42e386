import RouteShiftCore
import RouteShiftGeodesy
import RouteShiftGeoJSON
import RouteShiftGeometry

/// Overland legs inside each country, joining its hubs and border sides.
///
/// 1. Each node gets legs to its `k` nearest nodes of the same country by
///    geodesic distance (ties: smaller node id), kept when the straight leg
///    stays inside the country: prepared `covers` on the polygon, else on the
///    polygon buffered by `toleranceDegrees` (buffered once per country, lazily),
///    else when points sampled every 2 km along it never fall in another
///    country and at most `maximumSeaFraction` of them fall in the sea (a
///    road round a gulf, a bridge or a short ferry; Athens–Thessaloniki's
///    chord crosses the Euboean gulfs). An island far offshore fails this.
///    Border sides lie 25 km apart along borders, so nearest-k alone would join
///    them into chains along the border and leave the interior empty; a hub
///    backbone is added: each hub also gets legs to the `k` nearest hubs it can
///    reach inside the country, and each border side one leg to the nearest such
///    hub (looking at the `3k` nearest hubs).
/// 2. Nodes of a country that the kept legs leave in several pieces are joined
///    by the shortest acceptable legs between pieces, Kruskal-style (Kruskal 1956),
///    so a country's mainland is one piece wherever a leg inside it exists.
///    Pieces that only the sea joins (islands far offshore) stay apart: sea crossings
///    and borders reach them. No leg ever joins an exclave (the polygon part of a hub listed in
///    `sources/exclaves.csv`: Ceuta, Melilla) to another part of its country, even across a
///    strait narrow enough for the sea-fraction rule.
/// 3. A hub left with no edge at all is joined to its nearest node in its
///    country even though the leg leaves the country; the leg is flagged.
struct LegPlanner {
    struct Leg {
        /// Node indices into the builder's node array, `a < b` by node id.
        var a: Int
        var b: Int
        var km: Double
        var leavesCountry: Bool
    }

    let engine: GeometryEngine
    let geodesic: Geodesic
    let k: Int
    let toleranceDegrees: Double
    /// All countries' land, prepared: a leg point outside its own country but on land is in a neighbour.
    let land: PreparedGeometry
    let maximumSeaFraction: Double
    /// Spacing of the points at which a leg is sampled, km.
    let sampleSpacingKm = 2.0

    init(engine: GeometryEngine, geodesic: Geodesic, k: Int, toleranceDegrees: Double, land: PreparedGeometry,
         maximumSeaFraction: Double) throws {
        self.engine = engine
        self.geodesic = geodesic
        self.k = k
        self.toleranceDegrees = toleranceDegrees
        self.land = land
        self.maximumSeaFraction = maximumSeaFraction
    }

    /// - Complexity: O(Σ n_c² log n_c) distance work over the n_c nodes of each country,
    ///   plus one prepared `covers` per candidate leg.
    /// - Parameter exclaves: hub names whose polygon part is an exclave (`sources/exclaves.csv`).
    func legs(nodes: [NetworkNode], countryPolygons: [String: PlanarGeometry], prepared: [String: PreparedGeometry],
              alreadyConnected: Set<Int64>, exclaves exclaveHubs: Set<String> = []) throws -> [Leg] {
        var byCountry: [String: [Int]] = [:]
        for (i, node) in nodes.enumerated() { byCountry[node.country, default: []].append(i) }
        var legs: [Leg] = []
        for country in byCountry.keys.sorted() {
            let members = byCountry[country]!.sorted { nodes[$0].id < nodes[$1].id }
            let n = members.count
            guard n >= 2, let polygon = countryPolygons[country], let exact = prepared[country] else { continue }
            var buffered: PreparedGeometry?
            let (partOf, exclaves) = try exclaveParts(members: members, nodes: nodes, polygon: polygon, exclaveHubs: exclaveHubs)
            func inside(_ i: Int, _ j: Int) throws -> Bool {
                // An exclave (Ceuta, Melilla) is joined to the rest of its country by a border and
                // the sea, never by a leg, however narrow the strait.
                if partOf[i] != partOf[j], exclaves.contains(partOf[i]) || exclaves.contains(partOf[j]) { return false }
                let a = nodes[members[i]].coordinate, b = nodes[members[j]].coordinate
                let line = try engine.geometry(.lineString([a, b]))
                if try exact.covers(line) { return true }
                if buffered == nil { buffered = try engine.prepare(try engine.buffer(polygon, distance: toleranceDegrees)) }
                if try buffered!.covers(line) { return true }
                // Sampled: never through a neighbour's land, and across water for at most a fraction of the leg.
                let samples = geodesic.densified([a, b], maximumSpacing: sampleSpacingKm * 1000)
                var atSea = 0
                for p in samples {
                    let point = try engine.point(p)
                    if try buffered!.covers(point) { continue }
                    if try land.intersects(point) { return false }
                    atSea += 1
                }
                return Double(atSea) <= maximumSeaFraction * Double(samples.count)
            }
            var distance = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in (i + 1)..<n {
                    let d = geodesic.distance(from: nodes[members[i]].coordinate, to: nodes[members[j]].coordinate) / 1000
                    distance[i * n + j] = d
                    distance[j * n + i] = d
                }
            }
            var chosen = Set<Int>()  // pair key i * n + j with i < j
            var parent = Array(0..<n)
            func find(_ x: Int) -> Int {
                var x = x
                while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
                return x
            }
            func add(_ i: Int, _ j: Int, leaves: Bool = false) {
                let (lo, hi) = i < j ? (i, j) : (j, i)
                guard chosen.insert(lo * n + hi).inserted else { return }
                legs.append(Leg(a: members[lo], b: members[hi], km: distance[lo * n + hi], leavesCountry: leaves))
                parent[find(lo)] = find(hi)
            }
            // 1. Nearest k, plus the hub backbone.
            var rejected = Set<Int>()
            func tryLeg(_ i: Int, _ j: Int) throws -> Bool {
                let key = min(i, j) * n + max(i, j)
                if chosen.contains(key) { return true }
                if rejected.contains(key) { return false }
                if try inside(i, j) { add(i, j); return true }
                rejected.insert(key)
                return false
            }
            let hubs = (0..<n).filter { nodes[members[$0]].kind == .hub }
            for i in 0..<n {
                let byDistance = { (x: Int, y: Int) in (distance[i * n + x], x) < (distance[i * n + y], y) }
                let nearest = (0..<n).filter { $0 != i }.sorted(by: byDistance)
                for j in nearest.prefix(k) { _ = try tryLeg(i, j) }
                // The nearest hubs a leg can reach: k for a hub, one for a border side.
                let wanted = nodes[members[i]].kind == .hub ? k : 1
                var found = 0
                for j in hubs.filter({ $0 != i }).sorted(by: byDistance).prefix(3 * k) where found < wanted {
                    if try tryLeg(i, j) { found += 1 }
                }
            }
            // 2. Join the pieces, shortest acceptable legs first.
            var pieces = Set((0..<n).map(find)).count
            if pieces > 1 {
                var pairs: [(Double, Int, Int)] = []
                pairs.reserveCapacity(n * (n - 1) / 2)
                for i in 0..<n { for j in (i + 1)..<n { pairs.append((distance[i * n + j], i, j)) } }
                pairs.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
                for (_, i, j) in pairs where pieces > 1 {
                    guard find(i) != find(j), !rejected.contains(i * n + j) else { continue }
                    if try inside(i, j) {
                        add(i, j)
                        pieces -= 1
                    } else {
                        rejected.insert(i * n + j)
                    }
                }
            }
            // 3. Hubs with no edge at all.
            var touched = Set<Int>()
            for key in chosen { touched.insert(key / n); touched.insert(key % n) }
            for i in 0..<n where nodes[members[i]].kind == .hub && !touched.contains(i)
                && !alreadyConnected.contains(nodes[members[i]].id) {
                let j = (0..<n).filter { $0 != i }.min { (distance[i * n + $0], $0) < (distance[i * n + $1], $1) }!
                add(i, j, leaves: true)
            }
        }
        return legs.sorted { (nodes[$0.a].id, nodes[$0.b].id) < (nodes[$1.a].id, nodes[$1.b].id) }
    }

    /// The polygon part of `polygon` each member node lies in (covered, else the nearest part,
    /// for a coastal town just off the 1:10m line), and the exclaves: the parts holding a hub of
    /// `exclaveHubs` (Ceuta and Melilla, on the African coast).
    /// - Complexity: O(n × parts) prepared point-in-polygon tests, for a country holding such a hub.
    func exclaveParts(members: [Int], nodes: [NetworkNode], polygon: PlanarGeometry,
                      exclaveHubs: Set<String>) throws -> (partOf: [Int], exclaves: Set<Int>) {
        var partOf = [Int](repeating: 0, count: members.count)
        guard members.contains(where: { nodes[$0].kind == .hub && exclaveHubs.contains(nodes[$0].name) }) else { return (partOf, []) }
        let parts = try engine.parts(polygon)
        guard parts.count > 1 else { return (partOf, []) }
        let prepared = try parts.map { try engine.prepare($0) }
        var exclaves = Set<Int>()
        for (i, member) in members.enumerated() {
            let point = try engine.point(nodes[member].coordinate)
            var part: Int?
            for k in parts.indices where try prepared[k].covers(point) { part = k; break }
            if part == nil {
                var best = (Double.infinity, 0)
                for k in parts.indices {
                    let d = try engine.distance(parts[k], point)
                    if (d, k) < best { best = (d, k) }
                }
                part = best.1
            }
            partOf[i] = part!
            if nodes[member].kind == .hub, exclaveHubs.contains(nodes[member].name) { exclaves.insert(part!) }
        }
        return (partOf, exclaves)
    }
}
