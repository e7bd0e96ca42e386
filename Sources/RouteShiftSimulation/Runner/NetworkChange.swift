import RouteShiftGraph
import RouteShiftNetwork

/// Which all-or-nothing and logit outcomes of one network state hold unchanged on the next
/// (`PeriodSimulation`: a run's network states in time order).
///
/// The argument of `Simulation.affectedDemand`, across two costings of one network: when
/// the later state makes nothing cheaper (no arc cost lower, no arc added, no class of
/// travellers allowed on an edge it was barred from) and groups the crossings into the same
/// corridors, an outcome none of whose searched rows (or path rows) changed keeps its
/// cheapest path and its whole choice set, since every other path only got dearer.
///
/// Arcs made cheaper (a border opened, surveillance lowered, a class let through) are
/// allowed for distinct-route choice sets (corridors, link elimination), whose searches look
/// no further than `(1 + maxDetour) ×` the cheapest cost c*: per crossing group of the
/// cheaper arcs, one tree to the nearest of their tails and one from the nearest of their
/// heads on the earlier network with those arcs at their new cost (a lower bound on every
/// cost of the later one) bound the cost of any path through the group from below; an
/// outcome whose bound exceeds its limit for every group sees no path within its searches
/// get cheaper, so its choice set and c* stay as they were. Yen's k shortest paths have no
/// such limit, and a cheaper arc assigns them all again. With
/// the option not to go, its reference cost c₀ (the undisturbed cheapest cost) must also be
/// the same, unless neither state has interventions: then c₀ is the cost of the cheapest
/// path of the set itself (on the class's own network), kept with it. Stranded outcomes are always assigned again (where they are held up may move).
/// That equals assigning the later state afresh up to ties between equally cheap paths.
///
/// The two states may carry interventions (a scenario's closures on two network states): each
/// arc is then compared at its cost with them, so a change the interventions override (a
/// border they close on both days) changes nothing. Interventions that lower a cost are not
/// taken over (the cheaper-arc bounds are grown on the earlier network's own costs, a lower
/// bound of the later state's only when interventions raise costs).
enum NetworkChange {
    /// For each outcome of `before` (`nil`: not assigned there), whether it holds on `after`;
    /// `nil` when none can (an arc the earlier graph lacks, Yen sets and something cheaper, other corridors).
    /// - Parameters:
    ///   - references: with interventions and the option not to go, each outcome's reference
    ///     cost c₀ in the two states (its class's cheapest cost on each network without the
    ///     interventions: `DemandOutcome.cheapestCost` of the baselines); without them, `nil`
    ///     is returned then.
    /// - Complexity: O(E + Σ classes' barred rows + Σ searched rows of the outcomes).
    static func kept(from before: ResolvedScenario, to after: ResolvedScenario, outcomes: [DemandOutcome?],
                     references: [(before: Double?, after: Double?)]? = nil) throws -> [Bool]? {
        let a = before.costed, b = after.costed
        guard a.graph.edgeCount == b.graph.edgeCount else { return nil }
        // Interventions count with their costs; an intervention that lowers a cost is left out
        // (the cheaper-arc bounds below are grown on the earlier network's own costs, which
        // bound the later state's from below only when the interventions raise costs).
        let intervened = !(before.overlay.isEmpty && after.overlay.isEmpty)
        if intervened, !(before.overlay.neverLowersCosts && after.overlay.neverLowersCosts) { return nil }
        /// The cost of edge `row` in `direction` in state `s`, with its interventions.
        func cost(_ s: ResolvedScenario, _ row: Int, _ direction: TravelDirection) -> Double {
            let base = direction == .forward ? s.costed.edges.costs[row] : s.costed.edges.reverseCosts[row]
            guard intervened else { return base }
            let arc = s.costed.graph.arc(ofRow: row, direction)
            return arc >= 0 ? s.overlay.cost(ofArc: arc) : base
        }
        let rows = a.edges.count
        var changed = [Bool](repeating: false, count: rows)
        // Arcs the later state makes cheaper, with their new costs.
        var lowered: [(row: Int, direction: TravelDirection, cost: Double)] = []
        for row in 0..<rows {
            for direction in [TravelDirection.forward, .backward] {
                // An arc only one of the two graphs has (a dated closure removes an edge's arcs):
                // gone, it changes what ran on it; new, it could draw demand from anywhere.
                let arcA = a.graph.arc(ofRow: row, direction), arcB = b.graph.arc(ofRow: row, direction)
                if (arcA >= 0) != (arcB >= 0) {
                    if arcA < 0 { return nil }
                    changed[row] = true
                    continue
                }
                let x = cost(before, row, direction), y = cost(after, row, direction)
                guard x != y else { continue }
                changed[row] = true
                if y < x {
                    let arc = b.graph.arc(ofRow: row, direction)
                    if arc >= 0 { lowered.append((row, direction, intervened ? after.overlay.cost(ofArc: arc) : b.graph.cost(ofArc: arc))) }
                }
            }
        }
        // Entry rules: a class barred from more edges is an increase, from fewer a decrease.
        func directed(_ edges: [BarredEdge]?) -> Set<BarredEdge> {
            var out = Set<BarredEdge>()
            for e in edges ?? [] {
                switch e.direction {
                case .both: out.insert(BarredEdge(row: e.row, direction: .forward)); out.insert(BarredEdge(row: e.row, direction: .backward))
                default: out.insert(e)
                }
            }
            return out
        }
        let barredBefore = a.barredRows, barredAfter = b.barredRows
        for c in Set(barredBefore.keys).union(barredAfter.keys) {
            let x = directed(barredBefore[c]), y = directed(barredAfter[c])
            for e in y.subtracting(x) { changed[e.row] = true }
            // Let through where it was barred: cheaper for that class (its arcs at the later cost).
            for e in x.subtracting(y) {
                changed[e.row] = true
                let arc = b.graph.arc(ofRow: e.row, e.direction)
                if arc >= 0 { lowered.append((e.row, e.direction, b.graph.cost(ofArc: arc))) }
            }
        }
        let pa = try before.assignmentProblem(), pb = try after.assignmentProblem()
        var bounds: CheaperArcBounds?
        switch (pa.choiceSet, pb.choiceSet) {
        case (.kShortest, .kShortest):
            guard lowered.isEmpty else { return nil }
        case let (.distinct(ra, ga), .distinct(rb, gb)):
            guard ra == rb, ga.groupOfEdge == gb.groupOfEdge, ga.lengths == gb.lengths else { return nil }
            // A border checked on one day and not on the other: whether it is a crossing that tells
            // routes apart. Every path through it changes its border sequence (its rows count as
            // changed), and one that became a crossing offers alternatives through it, as if its
            // arcs had become cheaper.
            if ga.eliminable != gb.eliminable {
                for row in 0..<rows {
                    let g = Int(gb.groupOfEdge[row])
                    guard ga.eliminable[g] != gb.eliminable[g] else { continue }
                    changed[row] = true
                    guard gb.eliminable[g] else { continue }
                    for (direction, arc) in [(TravelDirection.forward, b.graph.edgeForwardArc[row]), (.backward, b.graph.edgeBackwardArc[row])]
                    where arc >= 0 {
                        lowered.append((row, direction, b.graph.cost(ofArc: arc)))
                    }
                }
            }
            if !lowered.isEmpty {
                bounds = try CheaperArcBounds(lowered, before: a, groups: gb, maxDetour: rb.maxDetour)
            }
        default: return nil
        }
        // Without interventions the reference of the option not to go is the set's own cheapest path;
        // with them, the class's cheapest cost on the network without them (its barred edges closed).
        let outside = pb.outsideOption != nil && intervened
        if outside, references?.count != outcomes.count { return nil }
        // Outcomes no changed or cheaper arc can touch, then (with interventions and the option not
        // to go) those whose reference cost is the same on both networks.
        let candidates = outcomes.map { o -> Bool in
            guard let o, o.stranded == 0 else { return false }
            if o.dependsOn(graph: a.graph).contains(where: { changed[Int($0)] }) { return false }
            if let bounds, !bounds.holds(o, graph: a.graph) { return false }
            return true
        }
        guard outside, let references else { return candidates }
        return zip(candidates, references).map { c, r in c && r.before != nil && r.before == r.after }
    }
}

/// Lower bounds on the cost of any path through arcs a network state made cheaper, one per
/// crossing group of those arcs (`NetworkChange`): the cost to the nearest of the group's
/// tails, plus its cheapest arc, plus the cost from the nearest of its heads, each on the
/// earlier network with those arcs at the lower of their two costs and no class barred
/// (every cost there is at most the later state's, for every class).
struct CheaperArcBounds {
    /// Per group: costs to the nearest tail and from the nearest head by node index, and the
    /// cheapest of its arcs' new costs.
    private let groups: [(toTails: [Double], fromHeads: [Double], cheapest: Double)]
    private let maxDetour: Double

    /// - Complexity: two Dijkstra trees per crossing group of the cheaper arcs.
    init(_ lowered: [(row: Int, direction: TravelDirection, cost: Double)], before: CostedNetwork, groups links: LinkGroups,
         maxDetour: Double) throws {
        let graph = before.graph, edges = before.edges
        var overlay = CostOverlay(graph: graph)
        var byGroup: [Int32: [(tail: Int64, head: Int64, cost: Double)]] = [:]
        for l in lowered {
            // The lower of the two states' costs (an arc of a group that became a crossing may be dearer).
            let arc = graph.arc(ofRow: l.row, l.direction)
            let cost = min(l.cost, graph.cost(ofArc: arc))
            try overlay.setCost(ofEdge: edges.ids[l.row], to: cost, direction: l.direction)
            let (u, v) = l.direction == .forward ? (edges.sources[l.row], edges.targets[l.row]) : (edges.targets[l.row], edges.sources[l.row])
            byGroup[links.groupOfEdge[l.row], default: []].append((u, v, cost))
        }
        let query = ShortestPathQuery(graph: graph)
        let order = byGroup.keys.sorted()
        groups = try order.map { g in
            let arcs = byGroup[g]!
            return (try query.costs(.backward, nearestOf: arcs.map(\.tail), overlay: overlay),
                    try query.costs(.forward, nearestOf: arcs.map(\.head), overlay: overlay),
                    arcs.map(\.cost).min()!)
        }
        self.maxDetour = maxDetour
    }

    /// Whether no path through a cheaper arc comes within the outcome's search limit,
    /// `(1 + maxDetour) ×` its cheapest path (with a margin for rounding); false for an
    /// outcome without paths.
    func holds(_ o: DemandOutcome, graph: RoutingGraph) -> Bool {
        guard let best = o.paths.map(\.path.totalCost).min(),
              let s = graph.index(of: o.demand.origin), let t = graph.index(of: o.demand.destination) else { return false }
        let limit = (1 + maxDetour) * best * (1 + 1e-6)
        return groups.allSatisfy { g in g.toTails[Int(s)] + g.cheapest + g.fromHeads[Int(t)] > limit }
    }
}

extension RoutingGraph {
    /// The arc of edge `row` in `direction` (`.forward` or `.backward`, as `directed` entry rules
    /// and cheaper arcs have it); -1 when the edge has none that way.
    fileprivate func arc(ofRow row: Int, _ direction: TravelDirection) -> Int32 {
        direction == .backward ? edgeBackwardArc[row] : edgeForwardArc[row]
    }
}
