import ArgumentParser
import Foundation
import RouteShiftBatch
import RouteShiftCore
import RouteShiftNetwork
import RouteShiftObservations
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

        With --periods (or 'periods:' in the scenario) the scenario runs period by
        period: each period with its own demand ('demand: observed' builds it from the
        record, see 'routeshift demand') and the interventions whose from/to windows
        cover its days (a window covering half a month applies to half of that
        month's demand); the baseline of each period has no interventions. The files
        above then describe the whole range, and these are added:

          timeseries.csv               period,segment,edge_id,kind,border,route,baseline_flow,scenario_flow,change
          summary_timeseries.csv       period,demand,assigned,stranded,suppressed,displaced,expected_deaths_baseline,expected_deaths_scenario
          stranded_timeseries.csv      period,hub,country,stranded
          routes_timeseries.csv        period,frontex_route,modelled_baseline,modelled_scenario,observed
          segments_timeseries.geojson  one feature per crossing and period, RFC 3339 start/end (QGIS temporal controller)

        The report ends with the route ARD of each period, Σ|modelled − observed| / Σ observed
        over Frontex's routes.

        The network is taken as it stood on one day: --on (or 'date:' in the scenario),
        else the first day of the periods, else today's network. Attributes dated later
        (a fence's 'since', Schengen membership, a closure) have their defaults, and the
        entry rules (visa regimes) in force that day apply per nationality.

        All files are written together or not at all. A short report goes to stderr.
        --format prints summary.json (json), segments.geojson or segments.csv on stdout too.

        EXAMPLES:
          routeshift simulate Examples/scenarios/close-hu-rs.yaml --out out/hu-rs
          routeshift simulate scenario.json --out out --network network.geojson
          routeshift simulate Examples/scenarios/bundled/balkans-2015.yaml --out out/balkans
          routeshift simulate Examples/scenarios/bundled/hungary-fence-2015.yaml --on 2015-09-01 --out out/hu-sep
          routeshift simulate Examples/scenarios/bundled/balkans-2015.yaml --periods 2015-Q3:2015-Q4 --by quarter --out out/q

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

    @Option(name: .long, help: ArgumentHelp(
        "Run period by period over this range (overrides the scenario's 'periods').",
        discussion: "A year (2015), a month (2015-09), a quarter (2015-Q3) or a range (2015-07:2016-06).",
        valueName: "period"))
    var periods: String?
    @Option(name: .long, help: "Cut the periods into months, quarters or years (overrides 'by'; default month).")
    var by: PeriodGranularity?

    @Option(name: .long, help: ArgumentHelp(
        "Run on the network as it stood on this day (YYYY-MM-DD, YYYY-MM or YYYY; overrides the scenario's 'date').",
        discussion: "Dated attributes (since: fences, closures, Schengen membership, prices) not yet in force have "
            + "their defaults and the entry rules in force that day apply. Default: the scenario's 'date', else "
            + "the first day of its periods, else the current network.",
        valueName: "date"))
    var on: String?

    @Option(name: .long, help: ArgumentHelp("Worker threads (default: one per core); the files do not depend on it.",
                                            valueName: "n"))
    var threads: Int?

    @Option(name: .long, help: "What to print on stdout besides the files.") var format: ReportFormat = .none
    @Flag(name: .shortAndLong, help: "No report on stderr.") var quiet = false
    @Flag(name: .long, help: "Let relative paths in scenario files leave the scenario's directory (../).")
    var allowOutsidePaths = false

    func validate() throws {
        guard (0...17).contains(precision) else { throw ValidationError("--precision must be between 0 and 17") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        Diagnostics.quiet = quiet
        try reportingErrors {
            var scenario = try ScenarioParser.load(path: self.scenario, allowOutsidePaths: allowOutsidePaths)
            if let network { scenario.network = network }
            if let on {
                scenario.asOf = try atOption("--on") { try CalendarDay.firstDay(of: on).description }
                scenario.asOfLocation = InputLocation(path: "--on")
            }
            if try applyPeriodOptions(periods: periods, by: by, to: &scenario) {
                let run = try observationErrors { try Simulation.runPeriods(scenario: scenario, workers: threads) }
                try writingOutputs(to: out) { try PeriodReportFiles.write(run, to: out, coordinatePrecision: precision, workers: threads) }
                try format.print(file: { out + ($0 == "json" ? "/summary.json" : "/segments." + $0) })
                Diagnostics.info(PeriodReportFiles.brief(run) + "  wrote \(PeriodReportFiles.names.count) files to \(out)")
                return
            }
            let report = try Simulation.run(scenario: scenario, workers: threads)
            try writingOutputs(to: out) { try ReportFiles.write(report, to: out, coordinatePrecision: precision, workers: threads) }
            try format.print(file: { out + ($0 == "json" ? "/summary.json" : "/segments." + $0) })
            Diagnostics.info(ReportFiles.brief(report) + "  wrote \(ReportFiles.names.count) files to \(out)")
        }
    }
}

/// Applies `--periods` and `--by` to a scenario; whether it is then a period run.
func applyPeriodOptions(periods: String?, by: PeriodGranularity?, to scenario: inout Scenario) throws -> Bool {
    if let periods {
        scenario.periods = try Period.parse(periods, at: InputLocation(path: "--periods"))
        scenario.periodsLocation = InputLocation(path: "--periods")
    }
    if let by {
        guard scenario.periods != nil else { throw ValidationError("--by needs --periods (or 'periods' in the scenario)") }
        scenario.granularity = by
    }
    return scenario.periods != nil
}
