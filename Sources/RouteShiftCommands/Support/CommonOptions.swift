import ArgumentParser
import Foundation
import RouteShiftBatch
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftReports
import RouteShiftScenario
import RouteShiftSimulation

/// `--network`, shared by every command that reads a network.
struct NetworkOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Network: a pgRouting edges CSV, a GeoJSON network, or a directory holding one.",
        discussion: "Default: $ROUTESHIFT_NETWORK, else the bundled Geodata network.",
        valueName: "file|dir"))
    var network: String?

    @Option(name: .long, help: ArgumentHelp("Nodes CSV (id,lon,lat) for a pgRouting edges CSV.", valueName: "file"))
    var nodes: String?

    static let defaultSnapTolerance = 1.0

    @Option(name: .long, help: ArgumentHelp("Snap tolerance in metres for GeoJSON line endpoints.", valueName: "m"))
    var snapTolerance: Double = NetworkOptions.defaultSnapTolerance

    @Flag(name: .long, help: ArgumentHelp(
        "Treat every edge as two-way at the cheaper of its costs (pgRouting's directed => false).",
        discussion: "For edge tables without reverse_cost, which are otherwise one-way source→target."))
    var undirected = false

    func load() throws -> RouteNetwork {
        var options = GeoJSONNetwork.Options()
        options.snapTolerance = snapTolerance
        return try NetworkSource.load(network, nodesPath: nodes, geoJSONOptions: options, undirected: undirected)
    }
}

/// The inputs of the commands that compare the model with the record (`backtest`,
/// `calibrate`): the network, the observation tables, and `--quiet`.
struct RecordOptions: ParsableArguments {
    @OptionGroup var networkOptions: NetworkOptions

    @Option(name: .long, help: ArgumentHelp(
        "Observation tables.",
        discussion: "Default: the calibration file's 'observations' (calibrate), else the bundled Geodata/observations.",
        valueName: "dir"))
    var observations: String?

    @Flag(name: .shortAndLong, help: "No progress or summary on stderr (errors and warnings are still shown).")
    var quiet = false

    /// `--network` if given, else `fallback` (a file's own `network:`), else as `NetworkOptions.load`.
    func loadNetwork(fallback: String? = nil) throws -> RouteNetwork {
        if let fallback, networkOptions.network == nil { return try NetworkSource.load(fallback) }
        return try networkOptions.load()
    }

    /// The options given, as typed (each with a leading space), for the "made by" line of a written file.
    var commandLine: String {
        var words: [String] = []
        if let network = networkOptions.network { words += ["--network", network] }
        if let nodes = networkOptions.nodes { words += ["--nodes", nodes] }
        if networkOptions.snapTolerance != NetworkOptions.defaultSnapTolerance {
            words += ["--snap-tolerance", "\(networkOptions.snapTolerance)"]
        }
        if networkOptions.undirected { words.append("--undirected") }
        if let observations { words += ["--observations", observations] }
        return words.map { " " + $0 }.joined()
    }

    /// `--observations` if given, else `fallback`, else the bundled tables.
    func loadObservations(fallback: String? = nil) throws -> ObservationData {
        try observationErrors { try ObservationData.load(directory: observations ?? fallback) }
    }
}

/// `--close`, shared by the query commands.
struct ClosureOptions: ParsableArguments {
    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp(
        "Close edges: edge ids, segment ids (HU-RS-003) or borders (HU-RS); comma-separated, repeatable.",
        discussion: "Append :forward or :backward to close one direction only (forward = source→target).",
        valueName: "id[:dir],..."))
    var close: [String] = []

    @Flag(name: .long, help: "Also route over edges whose 'status' attribute is 'closed' (by default they are absent).")
    var includeClosed = false

    @Option(name: .long, help: ArgumentHelp(
        "Route on the network as it stood on this day (YYYY-MM-DD, YYYY-MM or YYYY: its first day).",
        discussion: "Dated attributes (since: fences, closures, Schengen membership, prices) not yet in force have "
            + "their defaults, and the entry rules in force that day apply. Default: the current network.",
        valueName: "date"))
    var on: String?

    @Option(name: .long, help: ArgumentHelp(
        "Route as a traveller of this nationality (ISO 3166-1 alpha-3) under the network's entry rules (visa regimes).",
        discussion: "Default: the rules of the nationalities no rule names.", valueName: "ISO3"))
    var nationality: String?

    /// `--on`'s day, or `nil`.
    func calendarDay() throws -> CalendarDay? {
        guard let on else { return nil }
        return try atOption("--on") { try CalendarDay.firstDay(of: on) }
    }

    /// `--on` as `YYYY-MM-DD`, or `nil`.
    func day() throws -> String? { try calendarDay()?.description }

    /// The class of travellers `--nationality` names on `network` (`*` without it).
    func userClass(on network: RouteNetwork) throws -> String {
        guard let nationality else { return EntryClasses.unnamed }
        let codes = try atOption("--nationality") {
            try EntryRule.parseNationalities(nationality.uppercased(), at: InputLocation(path: "--nationality"))
        }
        guard codes.count == 1 else {
            throw InputError("--nationality takes one ISO 3166-1 alpha-3 code, got \(InputError.excerpt(nationality))",
                             at: InputLocation(path: "--nationality"))
        }
        return network.entryClasses.userClass(of: codes[0])
    }

    /// The network's base overlay (`RouteNetwork.baseOverlay(includeClosed:asOf:userClass:)`: its own closures and
    /// the edges barred to the traveller, on `--on`'s day) with every listed element closed.
    func overlay(for network: RouteNetwork) throws -> CostOverlay? {
        let tokens = close.flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
        let base = network.baseOverlay(includeClosed: includeClosed, asOf: try calendarDay(), userClass: try userClass(on: network))
        guard !tokens.isEmpty else { return base }
        var overlay = base ?? CostOverlay(graph: network.graph)
        let references = EdgeReferences(network: network)
        for token in tokens {
            var name = token
            var direction = TravelDirection.both
            let at = InputLocation(path: "--close \(token)")
            if let colon = token.lastIndex(of: ":") {
                let suffix = String(token[token.index(after: colon)...]).lowercased()
                guard let d = TravelDirection(rawValue: suffix) else {
                    throw InputError("unknown direction '\(suffix)' (use forward, backward or both)", at: at,
                                     suggestions: NearestMatch.suggestions(for: suffix, among: TravelDirection.allCases.map(\.rawValue)))
                }
                direction = d
                name = String(token[..<colon])
            }
            for row in try references.rows(of: name, at: at) {
                do {
                    try overlay.close(edge: network.edges.ids[row], direction: direction)
                } catch let error as GraphError {
                    throw InputError(error, at: at)
                }
            }
        }
        return overlay
    }
}

/// The value of the command-line option `name`: an `InputError` from `body`
/// that has no location of its own is reported at the option (`--from: unknown node 'x'`).
func atOption<T>(_ name: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch var error as InputError where error.location == InputLocation() {
        error.location = InputLocation(path: name)
        throw error
    }
}

/// `--output` and `--precision`, shared by commands that write results.
struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp("Write the result to this file (atomically) instead of stdout.",
                                                     valueName: "file"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Decimal places of GeoJSON coordinates.", valueName: "n"))
    var precision: Int = 6

    func validate() throws {
        guard (0...17).contains(precision) else { throw ValidationError("--precision must be between 0 and 17") }
        if output == "" { throw ValidationError("--output needs a file name (or '-' for stdout), got an empty one") }
    }
}

/// Output formats of query results.
enum ResultFormat: String, ExpressibleByArgument, CaseIterable {
    case geojson, json, csv
}

/// `--format` of commands that write report files: which one (if any) also goes to stdout.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case none, json, geojson, csv

    /// Copies the report file for this format to stdout; `json` prints `json` when given, else the file.
    /// - Parameter file: the path of the file written for an extension (`json`, `geojson`, `csv`).
    func print(json: JSONValue? = nil, file: (String) -> String) throws {
        guard self != .none else { return }
        let bytes: [UInt8]
        if self == .json, let json {
            bytes = try GeoJSON.encode(json)
        } else {
            let path = file(rawValue)
            guard let data = FileManager.default.contents(atPath: path) else { throw OutputError("\(path): cannot read it back") }
            bytes = [UInt8](data)
        }
        try OutputSink.with(path: nil) { try $0.writeDocument(bytes) }
    }
}

extension Shard {
    /// The shard `text` names, or a usage error saying how to write one.
    static func validated(_ text: String) throws -> Shard {
        do { return try Shard(parsing: text) } catch let error as InputError { throw ValidationError(error.message) }
    }
}

/// `--cost`: route on the network's own costs or on the generalised cost model.
struct CostOptions: ParsableArguments {
    enum CostSource: String, ExpressibleByArgument, CaseIterable {
        /// The `cost`/`reverse_cost` stored in the network (pgRouting's convention).
        case network
        /// RouteShift's generalised cost (distance, time, price, risk, detection): on the bundled
        /// network its calibrated parameters (`Geodata/calibrated.yaml`), as `simulate` uses them.
        case generalised
    }

    @Option(name: .long, help: ArgumentHelp(
        "Costs to route on: the network's own (network) or the generalised cost model (generalised).",
        discussion: "generalised weighs distance, travel time, smuggling price, risk and detection by surveillance "
            + "level with the parameters 'routeshift simulate' uses: on the bundled network (no --network) the "
            + "calibrated Geodata/calibrated.yaml, on another network the built-in defaults."))
    var cost: CostSource = .network

    /// `network` itself, or the same network with generalised costs; `bundled`: the network is
    /// the bundled one (no `--network`), whose calibrated cost model applies; `asOf`: the day whose
    /// dated attributes apply (`nil`: every attribute as written).
    func apply(to network: RouteNetwork, bundled: Bool, asOf day: String? = nil) throws -> RouteNetwork {
        guard cost == .generalised else { return network }
        let parameters = bundled ? try CostModelFile.load(nil).parameters : CostModel.Parameters()
        let costed = try CostModel.apply(parameters, to: network, asOf: day)
        return try RouteNetwork(graph: costed.graph, edges: costed.edges, nodeNames: network.nodeNames,
                                nodeProperties: network.nodeProperties, edgeGeometries: network.edgeGeometries,
                                edgeProperties: network.edgeProperties, origin: network.origin)
    }
}
