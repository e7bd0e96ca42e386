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
        // The calibrated cost model belongs to the bundled network: only a run that loads it here uses it.
        let scenario = network == nil ? try CostModelFile.withDefaults(scenario) : scenario
        let network = try network ?? NetworkSource.load(scenario.network)
        let costed = try ScenarioResolver.costed(scenario, network: network)
        let resolved = try ScenarioResolver(costed: costed).resolve(scenario)
        return try ScenarioResolver.reportingAtScenarioKeys(scenario) {
            try run(resolved, workers: workers, incremental: incremental)
        }
    }
}
