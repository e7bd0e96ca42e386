import ArgumentParser
import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph
import RouteShiftNetwork

struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Cheapest costs between many start and end nodes (pgRouting's pgr_dijkstraCostMatrix).",
        discussion: """
        One Dijkstra search per start node, stopping once every end node is
        settled, all from one load of the network. Without --to the end nodes are
        the start nodes, as in pgr_dijkstraCostMatrix. As there, a pair whose end is
        its start, or that has no path, has no row; rows are ordered by start_vid,
        then end_vid.

        EXAMPLES:
          routeshift matrix --network edges.csv --from 1,7,12
          routeshift matrix --from istanbul,athens --to berlin,vienna --cost generalised
          routeshift matrix --from istanbul,athens --to berlin,vienna --cost generalised --on 2015-09-01
          routeshift matrix --network edges.csv --from-file depots.txt --to 5,9 --format json

        OUTPUT (stdout):
          csv   start_vid,end_vid,agg_cost  (numbers at full round-trip precision)
          json  {"start_vid": [...], "end_vid": [...], "agg_cost": [[...]]}  (rows by start, null = no path)

        \(ExitStatus.helpText)
        """
    )

    @OptionGroup var networkOptions: NetworkOptions
    @Option(name: .long, help: ArgumentHelp("Start nodes (names or ids), separated by commas.", valueName: "node,..."))
    var from: String?
    @Option(name: .long, help: ArgumentHelp("File of start nodes, one name or id per line ('#' starts a comment).",
                                            valueName: "file"))
    var fromFile: String?
    @Option(name: .long, help: ArgumentHelp("End nodes (default: the start nodes).", valueName: "node,..."))
    var to: String?
    @Option(name: .long, help: ArgumentHelp("File of end nodes, one per line.", valueName: "file"))
    var toFile: String?
    @OptionGroup var costOptions: CostOptions
    @OptionGroup var closures: ClosureOptions
    @Option(name: .long, help: "Output format.") var format: MatrixFormat = .csv
    @OptionGroup var output: OutputOptions

    enum MatrixFormat: String, ExpressibleByArgument, CaseIterable { case csv, json }

    func validate() throws {
        guard (from == nil) != (fromFile == nil) else { throw ValidationError("give the start nodes with one of --from or --from-file") }
        guard to == nil || toFile == nil else { throw ValidationError("give the end nodes with --to or --to-file, not both") }
    }

    func run() throws {
        try reportingErrors {
            let network = try costOptions.apply(to: networkOptions.load(), bundled: networkOptions.network == nil, asOf: closures.day())
            let sources = try nodes(list: from, file: fromFile, option: "--from", in: network)
            let targets = to == nil && toFile == nil
                ? sources : try nodes(list: to, file: toFile, option: "--to", in: network)
            let overlay = try closures.overlay(for: network)
            let matrix = try CostMatrix.compute(graph: network.graph, sources: sources, targets: targets,
                                                overlay: overlay, workers: ProcessInfo.processInfo.activeProcessorCount)
            try OutputSink.with(path: output.output) { sink in
                switch format {
                case .csv:
                    try sink.write("start_vid,end_vid,agg_cost\n")
                    var row: [UInt8] = []
                    for (i, s) in sources.enumerated() {
                        for (j, t) in targets.enumerated() where s != t && matrix[i, j] < .infinity {
                            NumberFormat.append(s, to: &row); row.append(UInt8(ascii: ","))
                            NumberFormat.append(t, to: &row); row.append(UInt8(ascii: ","))
                            NumberFormat.append(matrix[i, j], to: &row); row.append(UInt8(ascii: "\n"))
                        }
                        try sink.write(bytes: row)
                        row.removeAll(keepingCapacity: true)
                    }
                case .json:
                    let rows: [JSONValue] = sources.indices.map { i in
                        .array(targets.indices.map { j in matrix[i, j] < .infinity ? .number(matrix[i, j]) : .null })
                    }
                    try sink.writeDocument(GeoJSON.encode(JSONValue.object([
                        "start_vid": .array(sources.map { .number(Double($0)) }),
                        "end_vid": .array(targets.map { .number(Double($0)) }),
                        "agg_cost": .array(rows),
                    ])))
                }
            }
        }
    }

    /// The nodes of a comma-separated list or a file, as ascending unique ids (pgRouting's order).
    private func nodes(list: String?, file: String?, option: String, in network: RouteNetwork) throws -> [Int64] {
        var names: [(text: String, place: String)] = []
        if let list {
            names = list.split(separator: ",", omittingEmptySubsequences: false).map { (String($0), option) }
        } else if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw MissingInputError(message: "\(file): cannot read the node list")
            }
            for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .enumerated() {
                let text = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty { names.append((trimmed, "\(file):\(n + 1)")) }
            }
        }
        return Set(try names.map { name in try atOption(name.place) { try network.resolveNode(name.text) } }).sorted()
    }
}
