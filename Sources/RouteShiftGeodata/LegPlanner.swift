import RouteShiftCore
import RouteShiftGeodesy
import RouteShiftGeoJSON
import RouteShiftGeometry

/// Overland legs inside each country, joining its hubs and border sides.
///
/// 1. Each node gets legs to its `k` nearest nodes of the same country by
///    geodesic distance (ties: smaller node id), kept when the straight leg
///    stays inside the country: prepared `covers` on the polygon, else on the
///    polygon buffered by `toleranceDegrees` (buffered once per country, lazily).
/// 2. Nodes of a country that the kept legs leave in several pieces are joined
///    by the shortest acceptable legs between pieces, Kruskal-style (Kruskal 1956),
///    so a country's mainland is one piece wherever a leg inside it exists.
///    Pieces that only the sea joins (islands, exclaves) stay apart: sea crossings
///    and borders reach them.
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

    init(engine: GeometryEngine, geodesic: Geodesic, k: Int, toleranceDegrees: Double) throws {
        self.engine = engine
        self.geodesic = geodesic
        self.k = k
        self.toleranceDegrees = toleranceDegrees
    }

    /// - Complexity: O(Σ n_c² log n_c) distance work over the n_c nodes of each country,
    ///   plus one prepared `covers` per candidate leg.
    func legs(nodes: [NetworkNode], countryPolygons: [String: PlanarGeometry], prepared: [String: PreparedGeometry],
              alreadyConnected: Set<Int64>) throws -> [Leg] {
        var byCountry: [String: [Int]] = [:]
        for (i, node) in nodes.enumerated() { byCountry[node.country, default: []].append(i) }
        var legs: [Leg] = []
        for country in byCountry.keys.sorted() {
            let members = byCountry[country]!.sorted { nodes[$0].id < nodes[$1].id }
            let n = members.count
            guard n >= 2, let polygon = countryPolygons[country], let exact = prepared[country] else { continue }
            var buffered: PreparedGeometry?
            func inside(_ i: Int, _ j: Int) throws -> Bool {
                let line = try engine.geometry(.lineString([nodes[members[i]].coordinate, nodes[members[j]].coordinate]))
                if try exact.covers(line) { return true }
                if buffered == nil { buffered = try engine.prepare(try engine.buffer(polygon, distance: toleranceDegrees)) }
                return try buffered!.covers(line)
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
            // 1. Nearest k.
            var rejected = Set<Int>()
            for i in 0..<n {
                let nearest = (0..<n).filter { $0 != i }.sorted { (distance[i * n + $0], $0) < (distance[i * n + $1], $1) }
                for j in nearest.prefix(k) {
                    let key = min(i, j) * n + max(i, j)
                    if chosen.contains(key) || rejected.contains(key) { continue }
                    if try inside(i, j) { add(i, j) } else { rejected.insert(key) }
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
}
