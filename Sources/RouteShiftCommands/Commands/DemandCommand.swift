import ArgumentParser
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork
import RouteShiftObservations

struct DemandCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demand",
        abstract: "Origin–destination demand of each period from the recorded data (Frontex, UNHCR, Eurostat).",
        discussion: """
        People are counted once, at their first entry: every Frontex route except the
        Western Balkans counts, and the Western Balkans only for nationals of the region
        (ALB, BIH, MKD, MNE, SRB, XKX) and for nationals a flight into the region let in
        without a visa (the network's air legs and their entry rules: Tunisians to
        Belgrade until 20 November 2022, Turks), on the days it did; the other
        detections there are people detected again after entering through Greece or
        Bulgaria. Unknown nationality (OOO) on an entry route is shared among the known nationalities of the same month, route and
        crossing type. People start at the hubs of their country (by population) and of
        their countries of first asylum (by UNHCR's stock of that nationality at the end
        of the previous year), and go where their nationality applied for asylum
        (Eurostat first-time applicants of the same year, nearest year where missing).
        The method is documented in Geodata/README.md.

        --period is a year (2015), a month (2015-09), a quarter (2015-Q3) or a range
        (2015-07:2016-03); --by cuts it into months, quarters or years (default: one period).

        OUTPUT (stdout or --output):
          csv   period,origin_hub,destination_hub,nationality,flow,source
          json  {"schema": "routeshift.demand/1", "periods", "rows", "accounts"}
        Totals per period and nationality (placed, unplaced, OOO) go to stderr.

        EXAMPLES:
          routeshift demand --period 2015-09
          routeshift demand --period 2015-07:2016-03 --by month --output demand.csv
          routeshift demand --period 2016 --nationality SYR,AFG,IRQ --format json

        \(ExitStatus.helpText)
        """
    )

    @Option(name: .long, help: ArgumentHelp("Year, month, quarter or range: 2015, 2015-09, 2015-Q3, 2015-07:2016-03.", valueName: "period"))
    var period: String
    @Option(name: .long, help: "Cut the period into months, quarters or years.") var by: PeriodGranularity?
    @Option(name: .long, help: ArgumentHelp("Only these nationalities (ISO 3166-1 alpha-3, comma-separated).", valueName: "ISO3,..."))
    var nationality: String?
    @Option(name: .long, help: "Output format.") var format: DemandFormat = .csv
    @Option(name: .long, help: ArgumentHelp("Write to a file (atomically) instead of stdout.", valueName: "file"))
    var output: String?
    @Option(name: .long, help: ArgumentHelp("Observation tables (default: the bundled Geodata/observations).", valueName: "dir"))
    var observations: String?
    @OptionGroup var networkOptions: NetworkOptions
    @Flag(name: .shortAndLong, help: "No totals on stderr.") var quiet = false

    enum DemandFormat: String, ExpressibleByArgument, CaseIterable { case csv, json }

    func run() throws {
        Diagnostics.quiet = quiet
        try reportingErrors {
            let whole = try Period.parse(period, at: InputLocation(path: "--period"))
            let periods = by.map { whole.split(by: $0) } ?? [whole]
            let nationalities = nationality.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }) }
            let data = try observationErrors { try ObservationData.load(directory: observations) }
            let network = try networkOptions.load()
            let demand = try ObservedDemand.build(periods: periods, data: data, network: network, nationalities: nationalities)
            try OutputSink.with(path: output) { sink in
                switch format {
                case .csv:
                    try sink.write(ObservedDemandFormats.csvHeader)
                    try sink.write(ObservedDemandFormats.csvRows(demand))
                case .json:
                    try sink.writeDocument(GeoJSON.encode(ObservedDemandFormats.json(demand)))
                }
            }
            Diagnostics.info(ObservedDemandFormats.totalsText(demand))
        }
    }
}

extension PeriodGranularity: ExpressibleByArgument {}

/// Maps missing observation tables to the CLI's "missing input" exit code.
func observationErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as ObservationDataNotFound { throw MissingInputError(message: error.description) }
}
