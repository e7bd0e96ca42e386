import Dispatch

/// Cheapest costs between every source and every target, row-major by source.
public struct CostMatrix: Hashable, Sendable {
    public let sources: [Int64]
    public let targets: [Int64]
    /// `costs[row * targets.count + column]`; `.infinity` where unreachable.
    public let costs: [Double]

    public subscript(row: Int, column: Int) -> Double { costs[row * targets.count + column] }

    /// The cost from `source` to `target` by external id, or `nil` if either
    /// is not in the matrix or the target is unreachable.
    public func cost(from source: Int64, to target: Int64) -> Double? {
        guard let row = sources.firstIndex(of: source), let column = targets.firstIndex(of: target) else { return nil }
        let c = self[row, column]
        return c < .infinity ? c : nil
    }

    /// The matrix computed with `workers` threads, each owning one query
    /// object and taking every `workers`-th source. The result does not
    /// depend on `workers`.
    /// - Complexity: |sources| Dijkstra searches, each stopping once every target is settled.
    public static func compute(graph: RoutingGraph, sources: [Int64], targets: [Int64],
                               overlay: CostOverlay? = nil, workers: Int = 2) throws -> CostMatrix {
        let (sourceIndices, targetIndices) = try graph.matrixIndices(sources: sources, targets: targets, overlay: overlay)
        let rows = sources.count, columns = targets.count
        try MemoryBudget.require("a cost matrix of \(rows) × \(columns)", factors: [rows, columns], bytesEach: 8)
        let workerCount = max(1, min(workers, rows))
        var costs = [Double](repeating: .infinity, count: rows * columns)
        costs.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
                let query = ShortestPathQuery(graph: graph)
                var row = worker
                while row < rows {
                    query.fillRow(source: sourceIndices[row], targets: targetIndices, overlay: overlay,
                                  into: output.baseAddress! + row * columns)
                    row += workerCount
                }
            }
        }
        return CostMatrix(sources: sources, targets: targets, costs: costs)
    }
}

extension RoutingGraph {
    func matrixIndices(sources: [Int64], targets: [Int64], overlay: CostOverlay?) throws -> ([Int32], [Int32]) {
        func lookup(_ id: Int64) throws -> Int32 {
            guard let index = index(of: id) else { throw GraphError.unknownNode(id) }
            return index
        }
        let s = try sources.map(lookup), t = try targets.map(lookup)
        if let overlay, overlay.graphIdentity != identity { throw GraphError.overlayFromAnotherGraph }
        return (s, t)
    }
}

extension ShortestPathQuery {
    /// Cheapest costs from each source to each target, one Dijkstra per source
    /// that stops when all targets are settled.
    /// - Complexity: |sources| searches of O((n + m) log n) each.
    public func costMatrix(sources: [Int64], targets: [Int64], overlay: CostOverlay? = nil) throws -> CostMatrix {
        let (sourceIndices, targetIndices) = try graph.matrixIndices(sources: sources, targets: targets, overlay: overlay)
        try MemoryBudget.require("a cost matrix of \(sources.count) × \(targets.count)", factors: [sources.count, targets.count],
                                 bytesEach: 8)
        var costs = [Double](repeating: .infinity, count: sources.count * targets.count)
        costs.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<sources.count {
                fillRow(source: sourceIndices[row], targets: targetIndices, overlay: overlay,
                        into: buffer.baseAddress! + row * targets.count)
            }
        }
        return CostMatrix(sources: sources, targets: targets, costs: costs)
    }


    func fillRow(source: Int32, targets: [Int32], overlay: CostOverlay?, into row: UnsafeMutablePointer<Double>) {
        guard !targets.isEmpty else { return }
        let marks = beginMarks()
        var distinct = 0
        for t in targets where marks.stamps[Int(t)] != marks.generation {
            marks.stamps[Int(t)] = marks.generation
            distinct += 1
        }
        search(.forward, root: source, stopAt: -1, maxCost: .infinity, overlay: overlay,
               targetMarks: (marks.stamps, marks.generation, distinct))
        for (column, t) in targets.enumerated() {
            row[column] = forwardSpace.isSettled(t) ? forwardSpace.distance(t) : .infinity
        }
    }
}
