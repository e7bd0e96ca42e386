import ArgumentParser
import Foundation
import RouteShiftCore
import RouteShiftNetwork
import RouteShiftObservations

struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Observed risk of each Frontex route: IOM dead and missing per 1,000 Frontex detections.",
        discussion: """
        Dead and missing (IOM Missing Migrants Project) are placed on the nearest sea leg
        within 100 km or the nearest land section of a Frontex route within 10 km
        (GEOS STRtree, distances on the WGS84 ellipsoid by PROJ), else on the Frontex
        route of their IOM route label; Cumulative Incident records are left out.

        OUTPUT (stdout or --output), CSV:
          period,frontex_route,type,dead_missing,detections,risk_per_1000

        EXAMPLES:
          routeshift risk --period 2014:2024 --by year
          routeshift risk --period 2015-07:2016-06 --by month --output risk.csv

        \(ExitStatus.helpText)
        """
    )

    @Option(name: .long, help: ArgumentHelp("Year, month, quarter or range.", valueName: "period")) var period: String
    @Option(name: .long, help: "Cut the period into months, quarters or years.") var by: PeriodGranularity?
    @Option(name: .long, help: ArgumentHelp("Write to a file (atomically) instead of stdout.", valueName: "file")) var output: String?
    @Option(name: .long, help: ArgumentHelp("Observation tables (default: the bundled Geodata/observations).", valueName: "dir"))
    var observations: String?
    @OptionGroup var networkOptions: NetworkOptions

    func run() throws {
        try reportingErrors {
            let whole = try Period.parse(period, at: InputLocation(path: "--period"))
            let periods = by.map { whole.split(by: $0) } ?? [whole]
            let data = try observationErrors { try ObservationData.load(directory: observations) }
            let table = try RouteRisk.table(periods: periods, data: data, network: try networkOptions.load())
            try OutputSink.with(path: output) { sink in
                try sink.write("period,frontex_route,type,dead_missing,detections,risk_per_1000\n")
                for r in table {
                    let risk = r.riskPer1000.map { String(format: "%.2f", $0) } ?? ""
                    try sink.write("\(r.period),\(r.route.key),\(r.type.rawValue.lowercased()),\(String(format: "%.0f", r.deadMissing)),\(r.detections),\(risk)\n")
                }
            }
        }
    }
}
