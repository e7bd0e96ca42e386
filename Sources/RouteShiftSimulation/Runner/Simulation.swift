import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork

/// Runs a scenario: the cost model on the network, the same assignment with
/// and without the interventions, and the displacement between the two.
public enum Simulation {
    /// Runs an already resolved scenario.
    ///
    /// With `incremental` (the default), all-or-nothing and logit scenarios that only
    /// make crossings dearer or impassable re-assign just the demand whose baseline
    /// paths touch a changed edge: the other demands keep their cheapest path and
    /// their whole choice set of k cheapest paths, because every other path only got
    /// dearer. That equals a full re-assignment up to ties between equally cheap
    /// paths (as `Sweep.run` does). Equilibrium, capacities and cost decreases always
    /// re-assign everything.
    /// - Complexity: two assignments; the second only of the affected demand when incremental.
    public static func run(_ resolved: ResolvedScenario, workers: Int? = nil,
                           incremental: Bool = true) throws -> SimulationReport {
        let costed = resolved.costed
        var scenarioProblem = try resolved.assignmentProblem(workers: workers)
        scenarioProblem.undisturbed = UndisturbedTrees(graph: costed.graph)
        var baselineProblem = scenarioProblem
        baselineProblem.overlay = nil
        baselineProblem.capacities = [:]
        let baseline = try Assignment.run(baselineProblem)
        let result: AssignmentResult
        if incremental, let affected = affectedDemand(resolved, baseline: baseline.outcomes) {
            var subset = scenarioProblem
            subset.demand = affected.map { resolved.demand[$0] }
            subset.referenceCosts = affected.map { baseline.outcomes[$0].cheapestCost }
            let changed = affected.isEmpty ? [] : try Assignment.run(subset).outcomes
            var outcomes = baseline.outcomes
            for (j, i) in affected.enumerated() { outcomes[i] = changed[j] }
            result = AssignmentResult(graph: costed.graph, outcomes: outcomes, relativeGap: nil, iterations: 1)
        } else {
            result = try Assignment.run(scenarioProblem)
        }
        return DisplacementMetrics.measure(resolved: resolved, costed: costed, baseline: baseline, result: result)
    }

    /// Indices of the demands a scenario can change, or `nil` when it must be re-assigned in full:
    /// those whose baseline paths or choice-set searches (`DemandOutcome.dependsOn`) touch an
    /// edge the scenario changes, ascending.
    /// - Complexity: O(rows each outcome depends on), one pass with no index built (one
    ///   question is asked of the baseline).
    static func affectedDemand(_ resolved: ResolvedScenario, baseline outcomes: [DemandOutcome]) -> [Int]? {
        switch resolved.scenario.assignment.method {
        case .allOrNothing, .logit: break
        case .equilibrium: return nil
        }
        let graph = resolved.costed.graph
        let rows = Set(resolved.status.keys)
        for row in rows {
            for arc in [graph.edgeForwardArc[row], graph.edgeBackwardArc[row]] where arc >= 0 {
                // A cheaper arc can attract demand from anywhere.
                if resolved.overlay.cost(ofArc: arc) < graph.cost(ofArc: arc) { return nil }
            }
        }
        var changed = [Bool](repeating: false, count: graph.edgeCount)
        for row in rows { changed[row] = true }
        return outcomes.indices.filter { outcomes[$0].dependsOn(graph: graph).contains { changed[Int($0)] } }
    }
}

extension ResolvedScenario {
    /// The scenario's assignment problem (its overlay and capacities included):
    /// method and θ (the cost model's `theta` wins over `assignment.theta`), the
    /// choice-set method with the network's corridor groups, the outside option
    /// of the cost model, edge lengths and hubs.
    /// - Complexity: O(E) to group the network's edges into corridors.
    public func assignmentProblem(workers: Int? = nil) throws -> AssignmentProblem {
        var options = AssignmentOptions(edgeLengths: Assignment.edgeLengths(in: costed.network),
                                        hubs: Assignment.hubs(in: costed.network))
        if let workers { options.workers = workers }
        var settings = scenario.assignment
        if let theta = scenario.costModel.theta { settings.theta = theta }
        let choiceSet: ChoiceSetMethod
        switch (settings.method, settings.choiceSet.method) {
        case (.logit, .linkElimination), (.logit, .corridors):
            choiceSet = .distinct(settings.choiceSet.rule(size: settings.k),
                                  try costed.corridorGroups())
        default:
            choiceSet = .kShortest
        }
        return AssignmentProblem(graph: costed.graph, overlay: overlay.isEmpty ? nil : overlay, demand: demand,
                                 capacities: capacities, method: settings.assignmentMethod, options: options,
                                 choiceSet: choiceSet,
                                 outsideOption: scenario.costModel.outsideOption.map(OutsideOption.init(margin:)),
                                 barredRows: costed.barredRows)
    }
}
