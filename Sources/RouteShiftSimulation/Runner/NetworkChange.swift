import RouteShiftGraph
import RouteShiftNetwork

/// Which all-or-nothing and logit outcomes of one network state hold unchanged on the next
/// (`PeriodSimulation`: a run's network states in time order).
///
/// The argument of `Simulation.affectedDemand`, across two costings of one network: when
/// the later state makes nothing cheaper (no arc cost lower, no arc added, no class of
/// travellers allowed on an edge it was barred from) and groups the crossings into the same
/// corridors, an outcome none of whose searched rows (or path rows) changed keeps its
/// cheapest path and its whole choice set, since every other path only got dearer; with
/// the option not to go, its reference cost c₀ (the undisturbed cheapest cost) must also be
/// the same, unless neither state has interventions: then c₀ is the cost of the cheapest
/// path of the set itself (on the class's own network), kept with it. Stranded outcomes are always assigned again (where they are held up may move).
/// That equals assigning the later state afresh up to ties between equally cheap paths.
enum NetworkChange {
    /// For each outcome of `before` (`nil`: not assigned there), whether it holds on `after`;
    /// `nil` when none can (something got cheaper, the arcs or corridors differ).
    /// - Parameters:
    ///   - treesBefore, treesAfter: the undisturbed trees of the two states' graphs (c₀).
    /// - Complexity: O(E + Σ classes' barred rows + Σ searched rows of the outcomes), plus one
    ///   tree per origin on `after` when there is an outside option and an intervention (shared
    ///   with its assignment).
    static func kept(from before: ResolvedScenario, to after: ResolvedScenario, outcomes: [DemandOutcome?],
                     treesBefore: UndisturbedTrees, treesAfter: UndisturbedTrees) throws -> [Bool]? {
        let a = before.costed, b = after.costed
        guard a.graph.edgeForwardArc == b.graph.edgeForwardArc, a.graph.edgeBackwardArc == b.graph.edgeBackwardArc else { return nil }
        let rows = a.edges.count
        var changed = [Bool](repeating: false, count: rows)
        for row in 0..<rows {
            for (x, y) in [(a.edges.costs[row], b.edges.costs[row]), (a.edges.reverseCosts[row], b.edges.reverseCosts[row])] where x != y {
                if y < x { return nil }
                changed[row] = true
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
            guard x.isSubset(of: y) else { return nil }
            for e in y.subtracting(x) { changed[e.row] = true }
        }
        let pa = try before.assignmentProblem(), pb = try after.assignmentProblem()
        switch (pa.choiceSet, pb.choiceSet) {
        case (.kShortest, .kShortest): break
        case let (.distinct(ra, ga), .distinct(rb, gb)):
            guard ra == rb, ga.groupOfEdge == gb.groupOfEdge, ga.eliminable == gb.eliminable, ga.lengths == gb.lengths else { return nil }
        default: return nil
        }
        // Without interventions the reference of the option not to go is the set's own cheapest path.
        let outside = pb.outsideOption != nil && !(before.overlay.isEmpty && after.overlay.isEmpty)
        let queryBefore = ShortestPathQuery(graph: a.graph), queryAfter = ShortestPathQuery(graph: b.graph)
        return try outcomes.map { o in
            guard let o, o.stranded == 0 else { return false }
            if o.dependsOn(graph: a.graph).contains(where: { changed[Int($0)] }) { return false }
            if outside {
                let d = o.demand
                let x = try treesBefore.tree(from: d.origin, query: queryBefore).cost(at: d.destination)
                let y = try treesAfter.tree(from: d.origin, query: queryAfter).cost(at: d.destination)
                guard x != nil, x == y else { return false }
            }
            return true
        }
    }
}
