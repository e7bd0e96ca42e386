// Routes on a hand-made graph with RouteShiftGraph alone.
//
//     1 --4-- 2 --1-- 3
//      \             /
//       2           5          edge 13 is one-way 1 -> 4
//        \         /
//         4 --1-- 5
//
// Shortest 1 -> 3: 1-4-5-3 costs 2 + 1 + 5 = 8 against 1-2-3 at 4 + 1 = 5, so 1-2-3 (5).
// With edge 10 (1-2) closed: 1-4-5-3 (8). From 3 back to 1, edge 13 is one-way: 3-2-1 (5).
import RouteShiftGraph

var edges = EdgeTable()
edges.append(id: 10, source: 1, target: 2, cost: 4, reverseCost: 4)
edges.append(id: 11, source: 2, target: 3, cost: 1, reverseCost: 1)
edges.append(id: 13, source: 1, target: 4, cost: 2, reverseCost: -1)
edges.append(id: 14, source: 4, target: 5, cost: 1, reverseCost: 1)
edges.append(id: 15, source: 5, target: 3, cost: 5, reverseCost: 5)

do {
    let graph = try RoutingGraph(edges: edges)
    let query = ShortestPathQuery(graph: graph)
    func show(_ label: String, _ path: Path?) {
        guard let path else { print("\(label): no path"); return }
        let nodes = path.nodes.map(String.init).joined(separator: "-")
        let edgeIds = path.edges.map(String.init).joined(separator: ",")
        print("\(label): \(nodes) via edges \(edgeIds), cost \(path.totalCost)")
    }
    show("1 -> 3", try query.shortestPath(from: 1, to: 3))
    var closed = CostOverlay(graph: graph)
    try closed.close(edge: 10)
    show("1 -> 3, edge 10 closed", try query.shortestPath(from: 1, to: 3, overlay: closed))
    show("3 -> 1", try query.shortestPath(from: 3, to: 1))
    for (rank, path) in try query.kShortestPaths(from: 1, to: 3, k: 3).enumerated() {
        show("1 -> 3, path \(rank + 1)", path)
    }
} catch let error as GraphError {
    print("graph error: \(error)")
}
