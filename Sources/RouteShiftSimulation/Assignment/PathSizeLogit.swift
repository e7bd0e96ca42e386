import Foundation
import RouteShiftGraph

/// Path-size logit assignment.
///
/// M. Ben-Akiva & M. Bierlaire, "Discrete choice methods and their
/// applications to short term travel decisions", in Handbook of
/// Transportation Science (1999) 5–33; overlap correction in the spirit of
/// E. Cascetta et al.'s C-logit (1996). Choice sets by Yen's k shortest
/// loopless paths.
enum PathSizeLogit {
    static func assign(_ problem: AssignmentProblem, k: Int, theta: Double) throws -> AssignmentResult {
        let graph = problem.graph, overlay = problem.overlay, options = problem.options
        let demand = problem.demand
        let outcomes = try Parallel.map(count: demand.count, workers: options.workers,
                                        state: { ShortestPathQuery(graph: graph) }) { query, i -> DemandOutcome in
            let d = demand[i]
            let candidates = try query.kShortestPaths(from: d.origin, to: d.destination, k: k, overlay: overlay)
            guard let best = candidates.first else {
                let tree = try query.shortestPathTree(from: d.origin, overlay: overlay)
                let hub = try AllOrNothing.strandedHub(query: query, tree: tree, demand: d, hubs: options.hubs)
                return DemandOutcome(demand: d, assigned: 0, stranded: d.flow, paths: [], strandedAt: hub)
            }
            var choiceSet = candidates
            if let bound = options.pathCostBound {
                let limit = (1 + bound) * best.totalCost
                choiceSet = candidates.filter { $0.totalCost <= limit }
            }
            let shares = probabilities(choiceSet, theta: theta, graph: graph, lengths: options.edgeLengths)
            var paths: [PathFlow] = []
            for (path, share) in zip(choiceSet, shares) where d.flow * share > 0 {
                paths.append(PathFlow(path: path, flow: d.flow * share))
            }
            paths.sortByUse()
            return DemandOutcome(demand: d, assigned: d.flow, stranded: 0, paths: paths)
        }
        return AssignmentResult(graph: graph, outcomes: outcomes, relativeGap: nil, iterations: 1)
    }

    /// Choice probabilities P_i = PS_i e^{−θ c_i} / Σ_j PS_j e^{−θ c_j}, with
    /// path size PS_i = Σ_{a∈i} (l_a / L_i) · 1 / Σ_{j∈C} δ_aj (Ben-Akiva &
    /// Bierlaire 1999). Links are arcs; l_a is the edge length when given and
    /// positive, else the arc's cost; a path of length 0 has PS = 1. Computed
    /// on utilities shifted by their maximum, so no exponential overflows.
    /// - Complexity: O(Σ_i |i|) with a hash count of arc use.
    static func probabilities(_ paths: [Path], theta: Double, graph: RoutingGraph, lengths: [Double]?) -> [Double] {
        if paths.count == 1 { return [1] }
        var use: [Int32: Int] = [:]
        for path in paths { for arc in path.arcs { use[arc, default: 0] += 1 } }
        var utility = [Double](repeating: 0, count: paths.count)
        for (i, path) in paths.enumerated() {
            var linkLength = [Double](repeating: 0, count: path.arcs.count)
            var total = 0.0
            for (j, arc) in path.arcs.enumerated() {
                let row = Int(graph.arcEdge[Int(arc)])
                if let lengths, lengths[row] > 0 { linkLength[j] = lengths[row] } else { linkLength[j] = path.arcCosts[j] }
                total += linkLength[j]
            }
            var size = 1.0
            if total > 0 {
                size = 0
                for (j, arc) in path.arcs.enumerated() { size += linkLength[j] / total / Double(use[arc]!) }
            }
            utility[i] = -theta * path.totalCost + log(size)
        }
        let top = utility.max()!
        let weights = utility.map { exp($0 - top) }
        let sum = weights.reduce(0, +)
        return weights.map { $0 / sum }
    }
}

