import ArgumentParser
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Summarise a network: nodes, edges, arcs, components, bounding box.",
        discussion: """
        Weakly connected components ignore direction; strongly connected ones
        follow arcs (a node pair is strongly connected when each reaches the other).

        EXAMPLES:
          routeshift info
          routeshift info --network edges.csv --format json

        \(ExitStatus.helpText)
        """
    )

    enum InfoFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var networkOptions: NetworkOptions
    @Option(name: .long, help: "Output format.") var format: InfoFormat = .text

    func run() throws {
        try reportingErrors {
            let network = try networkOptions.load()
            let summary = NetworkSummary(network)
            let value = summary.json
            switch format {
            case .json:
                try OutputSink.with(path: nil) { sink in
                    try sink.writeDocument(GeoJSON.encode(value))
                }
            case .text:
                try OutputSink.with(path: nil) { sink in try sink.write(summary.text) }
            }
        }
    }
}
