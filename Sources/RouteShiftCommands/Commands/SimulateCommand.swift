import ArgumentParser
import Foundation
import RouteShiftBatch
import RouteShiftCore
import RouteShiftNetwork
import RouteShiftReports
import RouteShiftScenario
import RouteShiftSimulation

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a closure scenario: where the flow goes, who is stranded, how much riskier journeys get.",
        discussion: """
        The scenario file (YAML or JSON, see Examples/scenarios/README.md) names the
        network, the demand, the cost model, the assignment method and the
        interventions. The same assignment runs without and with the interventions;
        the difference is written to --out:

          segments.geojson, segments.csv  flow on every border, sea and ferry crossing, before/after
          routes.geojson, routes.csv      main paths of each OD pair, before/after, with flow, km, cost, risk
          od.csv                          per OD pair: assigned, stranded (and where), distance, cost, risk
          summary.json                    totals, stranded by hub, flow by route, top absorbing segments
          report.md                       a short readable report

        All files are written together or not at all. A short report goes to stderr.
        --format prints summary.json (json), segments.geojson or segments.csv on stdout too.

        EXAMPLES:
          routeshift simulate Examples/scenarios/close-hu-rs.yaml --out out/hu-rs
          routeshift simulate scenario.json --out out --network network.geojson

        \(ExitStatus.helpText)
        """
    )

    @Argument(help: ArgumentHelp("Scenario file (.yaml, .yml or .json).", valueName: "scenario"))
    var scenario: String

    @Option(name: .long, help: ArgumentHelp("Directory for the output files (created if missing).", valueName: "dir"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("Network, overriding the scenario's 'network'.", valueName: "file|dir"))
    var network: String?

    @Option(name: .long, help: ArgumentHelp("Decimal places of GeoJSON coordinates.", valueName: "n"))
    var precision: Int = 6

    @Option(name: .long, help: "What to print on stdout besides the files.") var format: ReportFormat = .none
    @Flag(name: .shortAndLong, help: "No report on stderr.") var quiet = false

    func validate() throws {
        guard (0...17).contains(precision) else { throw ValidationError("--precision must be between 0 and 17") }
    }

    func run() throws {
        Diagnostics.quiet = quiet
        try reportingErrors {
            var scenario = try ScenarioParser.load(path: self.scenario)
            if let network { scenario.network = network }
            let report = try Simulation.run(scenario: scenario)
            try writingOutputs(to: out) { try ReportFiles.write(report, to: out, coordinatePrecision: precision) }
            try format.print(file: { out + ($0 == "json" ? "/summary.json" : "/segments." + $0) })
            Diagnostics.info(ReportFiles.brief(report) + "  wrote \(ReportFiles.names.count) files to \(out)")
        }
    }
}
