import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork

/// Runs a scenario: the cost model on the network, the same assignment with
/// and without the interventions, and the displacement between the two.
public enum Simulation {
    /// Loads the scenario's network (or the bundled one), runs baseline and scenario, measures displacement.
    ///
    /// - Throws: `InputError` (scenario, demand or network problems, with file, line and suggestions),
    ///   `MissingScenarioInput` or `NetworkNotFound` for missing files.
    public static func run(scenario: Scenario, network: RouteNetwork? = nil, workers: Int? = nil) throws -> SimulationReport {
        let network = try network ?? NetworkSource.load(scenario.network)
        let costed = try CostModel.apply(scenario.costModel, to: network)
        let resolved = try ScenarioResolver(costed: costed).resolve(scenario)
        return try run(resolved, workers: workers)
    }

    /// Runs an already resolved scenario.
    public static func run(_ resolved: ResolvedScenario, workers: Int? = nil) throws -> SimulationReport {
        let scenario = resolved.scenario
        let costed = resolved.costed
        var options = AssignmentOptions(edgeLengths: Assignment.edgeLengths(in: costed.network),
                                        hubs: Assignment.hubs(in: costed.network))
        if let workers { options.workers = workers }
        let method = scenario.assignment.assignmentMethod
        let baselineProblem = AssignmentProblem(graph: costed.graph, overlay: nil, demand: resolved.demand,
                                                method: method, options: options)
        let scenarioProblem = AssignmentProblem(graph: costed.graph, overlay: resolved.overlay.isEmpty ? nil : resolved.overlay,
                                                demand: resolved.demand, capacities: resolved.capacities,
                                                method: method, options: options)
        let baseline = try Assignment.run(baselineProblem)
        let result = try Assignment.run(scenarioProblem)
        return Displacement.measure(resolved: resolved, costed: costed, baseline: baseline, result: result)
    }
}
