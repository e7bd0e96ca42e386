import RouteShiftCore
import RouteShiftNetwork
import RouteShiftSimulation

extension Simulation {
    /// Loads the scenario's network (or the bundled one), runs baseline and scenario, measures displacement.
    ///
    /// - Throws: `InputError` (scenario, demand or network problems, with file, line and suggestions),
    ///   `MissingInput` or `NetworkNotFound` for missing files.
    public static func run(scenario: Scenario, network: RouteNetwork? = nil, workers: Int? = nil,
                           incremental: Bool = true) throws -> SimulationReport {
        let network = try network ?? NetworkSource.load(scenario.network)
        let costed = try CostModel.apply(scenario.costModel, to: network)
        let resolved = try ScenarioResolver(costed: costed).resolve(scenario)
        return try run(resolved, workers: workers, incremental: incremental)
    }
}
