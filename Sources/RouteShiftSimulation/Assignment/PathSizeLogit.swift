import RouteShiftCore
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
    /// One backward tree per destination is shared by all its origins (the choice
    /// sets' A* bound), and with an outside option under an overlay one forward tree
    /// per origin without the overlay gives the reference costs of all its
    /// destinations: the same numbers as one search per pair.
    /// - Complexity: O(destinations + origins) Dijkstra trees, then the choice-set
    ///   searches of every demand, in parallel.
    static func assign(_ problem: AssignmentProblem, k: Int, theta: Double) throws -> AssignmentResult {
        let graph = problem.graph, overlay = problem.overlay, options = problem.options
        let demand = problem.demand
        let outside = problem.outsideOption
        let groups: LinkGroups?
        if case let .distinct(_, g) = problem.choiceSet { groups = g } else { groups = nil }
        let (targets, targetOf) = distinctInOrder(demand.map(\.destination))
        let targetCosts: [CostsToTarget] = groups == nil ? [] : try Parallel.map(
            count: targets.count, workers: options.workers, state: { ShortestPathQuery(graph: graph) }) { query, i in
            try query.costsToTarget(targets[i], overlay: overlay)
        }
        // Reference costs without the overlay: the forward tree's cost at a node is the
        // cost a search stopping there finds (the same relaxations up to that node).
        let (origins, treeOf) = distinctInOrder(demand.map(\.origin))
        let referenceTrees: [ShortestPathTree] = outside == nil || overlay == nil ? [] : try Parallel.map(
            count: origins.count, workers: options.workers, state: { ShortestPathQuery(graph: graph) }) { query, i in
            try query.shortestPathTree(from: origins[i])
        }
        let outcomes = try Parallel.map(count: demand.count, workers: options.workers,
                                        state: { ShortestPathQuery(graph: graph) }) { query, i -> DemandOutcome in
            let d = demand[i]
            let candidates: [Path]
            var searched: [Int32] = []
            switch problem.choiceSet {
            case .kShortest:
                candidates = try query.kShortestPaths(from: d.origin, to: d.destination, k: k, overlay: overlay)
            case let .distinct(rule, groups):
                var rule = rule
                rule.size = k
                let found = try query.distinctPaths(from: d.origin, to: targetCosts[targetOf[d.destination]!], rule: rule,
                                                    groups: groups, overlay: overlay)
                candidates = found.paths
                searched = found.searchedRows
            }
            guard let best = candidates.first else {
                let tree = try query.shortestPathTree(from: d.origin, overlay: overlay)
                let hub = try AllOrNothing.strandedHub(query: query, tree: tree, demand: d, hubs: options.hubs)
                return DemandOutcome(demand: d, assigned: 0, stranded: d.flow, paths: [], strandedAt: hub,
                                     searchedRows: searched)
            }
            var choiceSet = candidates
            if let bound = options.pathCostBound {
                let limit = (1 + bound) * best.totalCost
                choiceSet = candidates.filter { $0.totalCost <= limit }
            }
            var outsideUtility: Double? = nil
            if let outside {
                let reference = overlay == nil ? best.totalCost
                    : referenceTrees[treeOf[d.origin]!].cost(at: d.destination) ?? best.totalCost
                outsideUtility = -theta * (reference + outside.margin)
            }
            let (shares, stay) = probabilities(choiceSet, theta: theta, graph: graph, lengths: groups?.lengths ?? options.edgeLengths,
                                               groups: groups, outsideUtility: outsideUtility)
            var paths: [PathFlow] = []
            for (path, share) in zip(choiceSet, shares) where d.flow * share > 0 {
                paths.append(PathFlow(path: path, flow: d.flow * share))
            }
            paths.sortByUse()
            let suppressed = d.flow * stay
            return DemandOutcome(demand: d, assigned: d.flow - suppressed, stranded: 0, paths: paths,
                                 suppressed: suppressed, searchedRows: searched)
        }
        return AssignmentResult(graph: graph, outcomes: outcomes, relativeGap: nil, iterations: 1)
    }

    /// The distinct values of `ids` in order of first appearance, and where each is.
    static func distinctInOrder(_ ids: [Int64]) -> (values: [Int64], position: [Int64: Int]) {
        var values: [Int64] = [], position: [Int64: Int] = [:]
        for id in ids where position[id] == nil { position[id] = values.count; values.append(id) }
        return (values, position)
    }

    /// Choice probabilities P_i = PS_i e^{−θ c_i} / (Σ_j PS_j e^{−θ c_j} + e^{V₀}),
    /// with V₀ the outside option's utility (no term without it) and PS the
    /// path sizes of `pathSizes`.
    /// - Returns: the paths' shares and the outside option's (0 without it); they add up to 1.
    /// - Complexity: O(Σ_i |i|) with a hash count of link use.
    static func probabilities(_ paths: [Path], theta: Double, graph: RoutingGraph, lengths: [Double]?,
                              groups: LinkGroups? = nil, outsideUtility: Double? = nil) -> (paths: [Double], outside: Double) {
        if paths.count == 1 && outsideUtility == nil { return ([1], 0) }
        let sizes = pathSizes(paths, graph: graph, lengths: lengths, groups: groups)
        let utility = zip(paths, sizes).map { -theta * $0.totalCost + log($1) }
        return shares(utility, outside: outsideUtility)
    }

    /// Path sizes PS_i = Σ_{a∈i} (l_a / L_i) · 1 / Σ_{j∈C} δ_aj (Ben-Akiva &
    /// Bierlaire 1999). Links are arcs, or their `groups` when given (then δ_aj
    /// says whether path j uses a's group); l_a is the edge length when given
    /// and positive, else the arc's cost; a path of length 0 has PS = 1.
    /// - Complexity: O(Σ_i |i|).
    static func pathSizes(_ paths: [Path], graph: RoutingGraph, lengths: [Double]?, groups: LinkGroups? = nil) -> [Double] {
        func link(_ arc: Int32) -> Int32 {
            guard let groups else { return arc }
            return groups.groupOfEdge[Int(graph.arcEdge[Int(arc)])]
        }
        var use: [Int32: Int] = [:]
        for path in paths { for l in Set(path.arcs.map(link)) { use[l, default: 0] += 1 } }
        return paths.map { path in
            var linkLength = [Double](repeating: 0, count: path.arcs.count)
            var total = 0.0
            for (j, arc) in path.arcs.enumerated() {
                let row = Int(graph.arcEdge[Int(arc)])
                if let lengths, lengths[row] > 0 { linkLength[j] = lengths[row] } else { linkLength[j] = path.arcCosts[j] }
                total += linkLength[j]
            }
            guard total > 0 else { return 1 }
            var size = 0.0
            for (j, arc) in path.arcs.enumerated() { size += linkLength[j] / total / Double(use[link(arc)]!) }
            return size
        }
    }

    /// Multinomial logit shares of `utility` and an optional outside utility,
    /// computed on utilities shifted by their maximum, so no exponential overflows.
    static func shares(_ utility: [Double], outside: Double?) -> (paths: [Double], outside: Double) {
        var shares: [Double] = []
        let stay = self.shares(utility, outside: outside, into: &shares)
        return (shares, stay)
    }

    /// The same into `shares` (replaced, its capacity kept); returns the outside option's share.
    static func shares(_ utility: [Double], outside: Double?, into shares: inout [Double]) -> Double {
        let top = max(utility.max() ?? -.infinity, outside ?? -.infinity)
        shares.removeAll(keepingCapacity: true)
        var sum = 0.0
        for u in utility {
            let w = exp(u - top)
            shares.append(w)
            sum += w
        }
        let stay = outside.map { exp($0 - top) } ?? 0
        sum += stay
        for j in shares.indices { shares[j] /= sum }
        return stay / sum
    }
}
