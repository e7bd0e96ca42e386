import ArgumentParser
import Foundation
import RouteShiftBatch
import RouteShiftCore
import RouteShiftObservations
import RouteShiftNetwork
import RouteShiftReports
import RouteShiftScenario
import RouteShiftSimulation

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Close each border section, border or hub in turn and rank them by displaced flow.",
        discussion: """
        Uses the scenario's network, demand, cost model and assignment; its own
        interventions stay applied, and each element is closed on top of them.
        Writes sweep.csv (ranking) and sweep.geojson (each element's edges with
        its figures) to --out; --format prints one of them, or the ranking as JSON
        (schema routeshift.sweep/1), on stdout.

        --shard K/N sweeps only the elements at positions K, K+N, … of the list
        sorted by id (K counts from 0) and adds sweep-shard.json;
        `routeshift merge` joins the shards into what one process writes.

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
    @Option(name: .long, help: ArgumentHelp("Sweep only shard K of N (0-based), e.g. 0/4.", valueName: "K/N"))
    var shard: String?
    @Option(name: .long, help: ArgumentHelp(
        "Rank on the demand of this range of periods (observed demand, or a demand CSV's period rows), added up.",
        valueName: "period"))
    var periods: String?
    @Option(name: .customLong("periods-by"), help: "How the periods are cut before their demand is added (default month).")
    var granularityOption: PeriodGranularity?

    @Option(name: .long, help: "What to print on stdout besides the files.") var format: ReportFormat = .none
    @Flag(name: .shortAndLong, help: "No report on stderr.") var quiet = false
    @Flag(name: .long, help: "Let relative paths in scenario files leave the scenario's directory (../).")
    var allowOutsidePaths = false

    func validate() throws {
        if let shard { _ = try Shard.validated(shard) }
    }

    private func resolve() throws -> ResolvedScenario {
        var scenario = try CostModelFile.withDefaults(try ScenarioParser.load(path: self.scenario, allowOutsidePaths: allowOutsidePaths))
        if let network { scenario.network = network }
        let costed = try ScenarioResolver.costed(scenario, network: try NetworkSource.load(scenario.network))
        guard try applyPeriodOptions(periods: periods, by: granularityOption, to: &scenario) else {
            return try ScenarioResolver(costed: costed).resolve(scenario)
        }
        // Over a range of periods, elements are ranked on the range's whole demand.
        let demand = try observationErrors { try Simulation.rangeDemand(scenario: scenario, costed: costed) }
        var unresolved = scenario
        unresolved.demand = .inline([])
        var resolved = try ScenarioResolver(costed: costed).resolve(unresolved)
        resolved.demand = demand
        return resolved
    }

    func run() throws {
        Diagnostics.quiet = quiet
        try reportingErrors {
            let resolved = try resolve()
            let net = resolved.costed.network
            let granularity = ScenarioSweep.Granularity(rawValue: by.rawValue) ?? .section
            let shard = try self.shard.map { text in try atOption("--shard") { try Shard(parsing: text) } }
            let sweep = try ScenarioResolver.reportingAtScenarioKeys(resolved.scenario) {
                try ScenarioSweep.run(resolved, by: granularity, shard: shard).result
            }
            try writingOutputs(to: out) {
                if let shard {
                    let bytes = FileManager.default.contents(atPath: scenario).map { [UInt8]($0) } ?? []
                    let identity = SweepShard.identity(scenario: bytes, network: resolved.scenario.network ?? "-", by: granularity)
                    try SweepShard.write(sweep, network: net, by: granularity, shard: shard, to: out, identity: identity)
                } else {
                    try ScenarioSweep.write(sweep, network: net, to: out)
                }
            }
            try format.print(json: SweepRanking.json(sweep, by: granularity, shard: shard), file: { out + "/sweep." + $0 })
            let mode = sweep.incremental ? "incremental" : "full re-assignment"
            var lines = ["sweep by \(by.rawValue): \(sweep.outcomes.count) elements in "
                + "\(ReportFiles.fixed(sweep.elapsedSeconds, 2)) s (\(ReportFiles.fixed(sweep.elementsPerSecond, 0)) elements/s, \(mode))"]
            for (i, o) in sweep.outcomes.prefix(top).enumerated() {
                lines.append("  \(i + 1). \(o.id): displaced \(ReportFiles.fixed(o.displacedFlow, 1)), stranded \(ReportFiles.fixed(o.strandedFlow, 1))")
            }
            Diagnostics.info(lines.joined(separator: "\n") + "\n  wrote sweep.csv, sweep.geojson to \(out)")
        }
    }
}
