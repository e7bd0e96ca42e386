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
    /// sets' A* bound), the choice sets of one origin are found together (corridor
    /// enumeration grows one forward tree per origin for all its destinations), and
    /// with an outside option under an overlay one forward tree per origin without the
    /// overlay gives the reference costs of all its destinations: the same numbers as
    /// one search per pair.
    /// - Complexity: O(destinations + origins) Dijkstra trees, then the choice-set
    ///   searches of every demand, origin by origin in parallel.
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
        // The demands of each origin, in demand order; origins in order of first appearance.
        let (origins, originOf) = distinctInOrder(demand.map(\.origin))
        var membersOf = [[Int]](repeating: [], count: origins.count)
        for (i, d) in demand.enumerated() { membersOf[originOf[d.origin]!].append(i) }
        let members = membersOf
        let byOrigin = try Parallel.map(count: origins.count, workers: options.workers,
                                        state: { ShortestPathQuery(graph: graph) }) { query, o -> [DemandOutcome] in
            let origin = origins[o]
            let own = members[o]
            let found: [(paths: [Path], searched: [Int32])]
            switch problem.choiceSet {
            case .kShortest:
                found = try own.map { (try query.kShortestPaths(from: origin, to: demand[$0].destination, k: k, overlay: overlay), []) }
            case let .distinct(rule, groups):
                var rule = rule
                rule.size = k
                let sets = try query.distinctPaths(from: origin, to: own.map { targetCosts[targetOf[demand[$0].destination]!] },
                                                   rule: rule, groups: groups, overlay: overlay)
                found = sets.map { ($0.paths, $0.searchedRows) }
            }
            // Reference costs without the overlay's interventions: the forward tree's cost at a
            // node is the cost a search stopping there finds (the same relaxations up to that
            // node), and its path there the baseline route of stranded demand. Shared with the
            // run's other assignments (`AssignmentProblem.undisturbed`). A class of travellers'
            // reference keeps the edges barred to it closed (entry rules are not an
            // intervention): its best route in the undisturbed network, as without an overlay.
            // Without interventions (no overlay, or only the class's barred edges) the reference
            // is the set's own cheapest path, found on that same network.
            // References already known (`AssignmentProblem.referenceCosts`) need no tree.
            let disturbed = overlay != nil && !problem.overlayIsEntryRulesOnly
            let undisturbed = problem.undisturbed ?? UndisturbedTrees(graph: graph)
            let known = problem.referenceCosts
            var referenceTree: ShortestPathTree?
            if outside != nil, disturbed, zip(own, found).contains(where: { i, f in !f.paths.isEmpty && (known?[i] ?? nil) == nil }) {
                referenceTree = try undisturbed.tree(from: origin, class: problem.referenceClass,
                                                     barred: problem.referenceBarred, query: query)
            }
            // Where stranded demand is held up: one tree under the overlay for all the origin's destinations.
            var strandedTree: ShortestPathTree?
            return try zip(own, found).map { i, found -> DemandOutcome in
                let d = demand[i]
                let candidates = found.paths
                guard let best = candidates.first else {
                    if strandedTree == nil { strandedTree = try query.shortestPathTree(from: d.origin, overlay: overlay) }
                    let hub = options.hubs.isEmpty ? nil : AllOrNothing.strandedHub(
                        tree: strandedTree!, baseline: try undisturbed.tree(from: origin, query: query).path(to: d.destination),
                        hubs: options.hubs)
                    return DemandOutcome(demand: d, assigned: 0, stranded: d.flow, paths: [], strandedAt: hub,
                                         searchedRows: found.searched)
                }
                var choiceSet = candidates
                if let bound = options.pathCostBound {
                    let limit = (1 + bound) * best.totalCost
                    choiceSet = candidates.filter { $0.totalCost <= limit }
                }
                var outsideUtility: Double? = nil
                if let outside {
                    let reference = disturbed ? (known?[i] ?? nil) ?? referenceTree?.cost(at: d.destination) ?? best.totalCost
                        : best.totalCost
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
                                     suppressed: suppressed, searchedRows: found.searched)
            }
        }
        var outcomes = [DemandOutcome?](repeating: nil, count: demand.count)
        for (o, list) in byOrigin.enumerated() { for (i, outcome) in zip(members[o], list) { outcomes[i] = outcome } }
        return AssignmentResult(graph: graph, outcomes: outcomes.map { $0! }, relativeGap: nil, iterations: 1)
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
