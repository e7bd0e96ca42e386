import RouteShiftGraph

/// For each edge row, the demands whose baseline paths (or choice sets) use it,
/// ascending: which demands an intervention on some edges can change, found
/// without scanning every path. Used by `Sweep.run`.
struct DemandIndex: Sendable {
    let first: [Int]
    let demands: [Int]

    /// - Complexity: O(total arcs over all baseline paths + edges).
    init(_ result: AssignmentResult, graph: RoutingGraph) {
        var pairs: [(row: Int32, demand: Int)] = []
        for (i, outcome) in result.outcomes.enumerated() {
            for row in Set(outcome.dependsOn(graph: graph)).sorted() { pairs.append((row, i)) }
        }
        var first = [Int](repeating: 0, count: graph.edgeCount + 1)
        for pair in pairs { first[Int(pair.row) + 1] += 1 }
        for r in 0..<graph.edgeCount { first[r + 1] += first[r] }
        var cursor = first
        var demands = [Int](repeating: 0, count: pairs.count)
        for pair in pairs {
            demands[cursor[Int(pair.row)]] = pair.demand
            cursor[Int(pair.row)] += 1
        }
        self.first = first
        self.demands = demands
    }

    /// Demands using any of `rows`, ascending, without repeats.
    func users(of rows: [Int]) -> [Int] {
        var found = Set<Int>()
        for row in rows { found.formUnion(demands[first[row]..<first[row + 1]]) }
        return found.sorted()
    }
}
