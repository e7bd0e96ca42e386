/// Landmark distances for A* (ALT: A*, landmarks and the triangle inequality).
///
/// For a landmark l and any nodes v, t, the triangle inequality gives
/// d(v, t) ≥ d(l, t) − d(l, v) and d(v, t) ≥ d(v, l) − d(t, l); the largest of
/// these over a few landmarks is an admissible and nearly consistent A* bound that
/// costs a handful of reads per node, with no geometry.
///
/// A. V. Goldberg, C. Harrelson, "Computing the Shortest Path: A* Search Meets
/// Graph Theory", Proc. 16th ACM-SIAM Symposium on Discrete Algorithms (2005) 156–165
/// (landmarks chosen by the "farthest" rule of section 6).
///
/// Distances are held as `Float` rounded down, node-major (the `count` values of one
/// node side by side, one cache line), so the bound reads one line per node; it
/// subtracts each value's rounding, so it stays a lower bound. The distances are
/// those of the graph's own costs: a search whose overlay only closes arcs or raises
/// costs may use them (costs only grew), one that lowers a cost may not
/// (`CostOverlay.neverLowersCosts`).
public struct Landmarks: Sendable {
    /// The landmarks' node indices.
    public let nodes: Column<Int32>
    /// d(l_j, v) at `v * count + j`, rounded down (`+infinity`: v unreachable from l_j).
    public let fromLandmark: Column<Float>
    /// d(v, l_j) at `v * count + j`, rounded down; `nil` when the graph is symmetric
    /// (every arc has a twin of the same cost), where it equals `fromLandmark`.
    public let toLandmark: Column<Float>?
    /// The graph they were computed on.
    let graphIdentity: UInt64

    /// The number of landmarks.
    public var count: Int { nodes.count }

    /// Landmarks kept by default: 64 bytes per node and direction, one cache line. On the
    /// 1M-node benchmark network a far query's A* search took 0.028 s of CPU with 8,
    /// 0.014 s with 16 and 0.005 s with 32 (one-sided Dijkstra to the target 0.075 s).
    public static let defaultCount = 16
    /// More landmarks than this are refused (their rows would span several cache lines).
    public static let maximumCount = 32

    /// Chooses `count` landmarks by the farthest rule (the first is the node farthest
    /// from node 0, each next one the node farthest from those chosen, ties to the lowest
    /// index) and computes their distances on the graph's own costs.
    /// - Complexity: `count + 1` one-to-all Dijkstra searches, and `count` backward ones
    ///   unless the graph is symmetric; O(n · count) memory.
    public init(graph: RoutingGraph, count: Int = Landmarks.defaultCount) {
        let n = graph.nodeCount
        let k = max(0, min(count, Self.maximumCount, n))
        let query = ShortestPathQuery(graph: graph)
        var chosen: [Int32] = []
        var from = [Float](repeating: .infinity, count: n * k)
        var to = graph.isSymmetric ? [] : [Float](repeating: .infinity, count: n * k)
        // Distance from the nearest chosen landmark, for the farthest rule (-1: not yet known).
        var nearest = [Double](repeating: .infinity, count: n)
        if k > 0 {
            var start = query.tree(.forward, root: 0, maxCost: .infinity, overlay: nil).distances
            for j in 0..<k {
                var best: Int32 = -1, bestDistance = -1.0
                let pick = j == 0 ? start : nearest
                for v in 0..<n where pick[v] < .infinity && pick[v] > bestDistance && !chosen.contains(Int32(v)) {
                    best = Int32(v); bestDistance = pick[v]
                }
                if best < 0 { best = chosen.isEmpty ? 0 : Int32(chosen.count % n) }  // no reachable node left
                chosen.append(best)
                let forward = query.tree(.forward, root: best, maxCost: .infinity, overlay: nil).distances
                for v in 0..<n {
                    from[v * k + j] = Self.roundedDown(forward[v])
                    nearest[v] = Swift.min(nearest[v], forward[v])
                }
                if !graph.isSymmetric {
                    let backward = query.tree(.backward, root: best, maxCost: .infinity, overlay: nil).distances
                    for v in 0..<n { to[v * k + j] = Self.roundedDown(backward[v]) }
                }
                if j == 0 { start = [] }
            }
        }
        nodes = Column(chosen)
        fromLandmark = Column(from)
        toLandmark = graph.isSymmetric ? nil : Column(to)
        graphIdentity = graph.identity
    }

    /// Landmarks as stored (`nodes`, then the distance rows), checked against `graph`.
    /// - Throws: `GraphError.inconsistentStorage` when a count or an index does not fit.
    public init(graph: RoutingGraph, nodes: Column<Int32>, fromLandmark: Column<Float>,
                toLandmark: Column<Float>?) throws {
        let n = graph.nodeCount, k = nodes.count
        guard k <= Self.maximumCount else { throw GraphError.inconsistentStorage("\(k) landmarks") }
        guard nodes.withUnsafeBufferPointer({ $0.allSatisfy { $0 >= 0 && Int($0) < n } }) else {
            throw GraphError.inconsistentStorage("a landmark outside the \(n) nodes")
        }
        guard fromLandmark.count == n * k, (toLandmark?.count ?? n * k) == n * k else {
            throw GraphError.inconsistentStorage("landmark distances of another size than \(n) nodes × \(k)")
        }
        guard toLandmark != nil || graph.isSymmetric else {
            throw GraphError.inconsistentStorage("landmark distances of one direction for a directed graph")
        }
        self.nodes = nodes; self.fromLandmark = fromLandmark; self.toLandmark = toLandmark
        graphIdentity = graph.identity
    }

    /// Whether these are the landmarks of `graph` (not of a graph derived from it with other costs).
    public func belong(to graph: RoutingGraph) -> Bool { graph.identity == graphIdentity }

    /// The largest `Float` not above `x` (`x` itself when exact, `+infinity` for infinity).
    static func roundedDown(_ x: Double) -> Float {
        let f = Float(x)
        return Double(f) > x ? f.nextDown : f
    }

    /// The A* bound toward `target` (a node index of the graph).
    public func bound(to target: Int32) -> LandmarkBound {
        LandmarkBound(landmarks: self, target: target)
    }
}

/// `Landmarks`' bound toward one target: max over landmarks of
/// d(l, t) − d(l, v) and d(v, l) − d(t, l), each with the values' rounding taken
/// off, less a relative 1e-9 for the rounding of the searches' own sums.
public struct LandmarkBound: CostLowerBound {
    let k: Int
    let from: Column<Float>
    let to: Column<Float>
    /// d(l_j, t) and d(t, l_j), widened: rounded down, and rounded up.
    let targetFrom: [Double]
    let targetTo: [Double]
    public let target: Int32

    init(landmarks: Landmarks, target: Int32) {
        k = landmarks.count
        from = landmarks.fromLandmark
        to = landmarks.toLandmark ?? landmarks.fromLandmark
        self.target = target
        let row = Int(target) * k
        targetFrom = (0..<k).map { Double(landmarks.fromLandmark[row + $0]) }
        targetTo = (0..<k).map { Double((landmarks.toLandmark ?? landmarks.fromLandmark)[row + $0].nextUp) }
    }

    /// A lower bound on the cost from `node` to the target this bound was made for
    /// (`target` must be that node). Negative, NaN (a landmark reaching neither) or
    /// infinite (the target cannot be reached from `node`) as computed.
    /// - Complexity: O(landmarks), one cache line of reads.
    @inline(__always)
    public func lowerBound(from node: Int32, to target: Int32) -> Double {
        let row = Int(node) * k
        var best = 0.0
        from.withUnsafeBufferPointer { f in
            to.withUnsafeBufferPointer { b in
                for j in 0..<k {
                    // d(l, t) - d(l, v): the target's value rounded down less v's rounded up.
                    let forward = targetFrom[j] - Double(f[row + j].nextUp)
                    // d(v, l) - d(t, l): v's value rounded down less the target's rounded up.
                    let backward = Double(b[row + j]) - targetTo[j]
                    // NaN (both infinite) compares false and is skipped.
                    if forward > best { best = forward }
                    if backward > best { best = backward }
                }
            }
        }
        return best * (1 - 1e-9)
    }
}
