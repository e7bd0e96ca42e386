import ArgumentParser
import RouteShiftCore
import RouteShiftNetwork
import RouteShiftSimulation

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Close each border section, border or hub in turn and rank them by displaced flow.",
        discussion: """
        Uses the scenario's network, demand, cost model and assignment; its own
        interventions stay applied, and each element is closed on top of them.
        Writes sweep.csv (ranking) and sweep.geojson (each element's edges with
        its figures) to --out.

        EXAMPLES:
          routeshift sweep Examples/scenarios/baseline.yaml --by border --out out/sweep

        \(ExitStatus.helpText)
        """
    )

    enum By: String, ExpressibleByArgument, CaseIterable { case section, border, hub }

    @Argument(help: ArgumentHelp("Scenario file (.yaml, .yml or .json).", valueName: "scenario"))
    var scenario: String
    @Option(name: .long, help: "What to close in turn.") var by: By = .section
    @Option(name: .long, help: ArgumentHelp("Directory for sweep.csv and sweep.geojson.", valueName: "dir"))
    var out: String
    @Option(name: .long, help: ArgumentHelp("Network, overriding the scenario's 'network'.", valueName: "file|dir"))
    var network: String?
    @Option(name: .long, help: ArgumentHelp("Rows of the ranking to show on stderr.", valueName: "n"))
    var top: Int = 10
    @Flag(name: .shortAndLong, help: "No report on stderr.") var quiet = false

    private func resolve() throws -> ResolvedScenario {
        var scenario = try ScenarioParser.load(path: self.scenario)
        if let network { scenario.network = network }
        let costed = try CostModel.apply(scenario.costModel, to: try NetworkSource.load(scenario.network))
        return try ScenarioResolver(costed: costed).resolve(scenario)
    }

    func run() throws {
        Diagnostics.quiet = quiet
        try reportingErrors {
            let resolved: ResolvedScenario = try scenarioErrors { try resolve() }
            let net = resolved.costed.network
            let granularity = ScenarioSweep.Granularity(rawValue: by.rawValue) ?? .section
            let sweep = try ScenarioSweep.run(resolved, by: granularity).result
            do {
                try ScenarioSweep.write(sweep, network: net, to: out)
            } catch {
                throw OutputError("\(error)")
            }
            var lines = ["sweep by \(by.rawValue): \(sweep.outcomes.count) elements"]
            for (i, o) in sweep.outcomes.prefix(top).enumerated() {
                lines.append("  \(i + 1). \(o.id): displaced \(ReportFiles.fixed(o.displacedFlow, 1)), stranded \(ReportFiles.fixed(o.strandedFlow, 1))")
            }
            Diagnostics.info(lines.joined(separator: "\n") + "\n  wrote sweep.csv, sweep.geojson to \(out)")
        }
    }
}
