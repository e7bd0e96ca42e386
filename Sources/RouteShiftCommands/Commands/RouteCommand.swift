import ArgumentParser
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftSimulation

struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Shortest path and k loopless alternatives between two nodes.",
        discussion: """
        Nodes are named by name (as in the network's Point features, e.g. 'athens')
        or by numeric id. With --k above 1, Yen's algorithm returns up to k loopless
        paths in increasing cost: on the bundled network these are near-copies of one
        route through neighbouring sections of the same borders. --alternatives N
        gives the choice sets 'simulate' uses instead: up to N routes through
        different borders or sea crossings (the cheapest route through each checked
        border and sea crossing, cheapest first, one per sequence of crossings), each
        sharing at most --max-overlap of its length with another and costing at most
        (1 + --max-detour) times the cheapest. Closed edges are treated as absent,
        like a negative cost in pgRouting, and so are the edges the entry rules (visa
        regimes) bar to the traveller (--nationality; default: the nationalities no rule
        names). --on DATE routes on the network as it stood that day (its dated fences,
        closures, Schengen membership and entry rules); default: the current network.

        EXAMPLES:
          routeshift route --from athens --to berlin
          routeshift route --from athens --to berlin --k 3 --format json
          routeshift route --from istanbul --to vienna --cost generalised --alternatives 4 --format csv
          routeshift route --from athens --to berlin --close HU-RS --format csv
          routeshift route --from istanbul --to berlin --cost generalised --on 2021-09-01 --nationality IRQ --format csv
          routeshift route --network edges.csv --from 1 --to 12 --close 7:forward

        OUTPUT (stdout):
          geojson  FeatureCollection, one LineString per path: rank, from, to, cost, length_km, nodes, edges
          json     {"routes": [{rank, from, to, cost, length_km, nodes, edges, steps: [...]}]}
          csv      seq,path_id,path_seq,node,edge,cost,agg_cost (pgr_KSP's columns; last row of a path has edge -1)

        \(ExitStatus.helpText)
        """
    )

    @OptionGroup var networkOptions: NetworkOptions
    @Option(name: .long, help: ArgumentHelp("Start node (name or id).", valueName: "node")) var from: String
    @Option(name: .long, help: ArgumentHelp("End node (name or id).", valueName: "node")) var to: String
    @Option(name: [.short, .long], help: ArgumentHelp("Number of alternative paths (Yen's k shortest loopless paths).", valueName: "k"))
    var k: Int = 1
    @Option(name: .long, help: ArgumentHelp("Up to N really different routes (the simulation's choice set) instead of Yen's paths.",
                                            valueName: "N"))
    var alternatives: Int?
    @Option(name: .long, help: ArgumentHelp("With --alternatives: largest share of length two routes may share.",
                                            valueName: "share"))
    var maxOverlap: Double = ChoiceSetSettings().maxOverlap
    @Option(name: .long, help: ArgumentHelp("With --alternatives: routes cost at most (1 + this) times the cheapest.",
                                            valueName: "fraction"))
    var maxDetour: Double = ChoiceSetSettings().maxDetour
    @Option(name: .long, help: ArgumentHelp("Algorithm for a single path (all give the same answer).",
        discussion: "auto (default): landmarks on a network whose .rsnet cache holds them (see 'network build'), "
            + "else bidirectional, which needs no set-up; astar first calibrates its geodesic bound over every arc."))
    var algorithm: PathAlgorithm = .automatic
    @OptionGroup var costOptions: CostOptions
    @OptionGroup var closures: ClosureOptions
    @Option(name: .long, help: "Output format.") var format: ResultFormat = .geojson
    @OptionGroup var output: OutputOptions

    func validate() throws {
        let limit = ShortestPathQuery.maximumPathCount
        guard (1...limit).contains(k) else { throw ValidationError("--k must be between 1 and \(limit) (got \(k))") }
        if let alternatives {
            guard (1...limit).contains(alternatives) else {
                throw ValidationError("--alternatives must be between 1 and \(limit) (got \(alternatives))")
            }
            guard k == 1 else { throw ValidationError("--k and --alternatives are two ways to choose paths; give one") }
        }
        guard maxOverlap.isFinite, (0...1).contains(maxOverlap) else {
            throw ValidationError("--max-overlap must be between 0 and 1 (got \(maxOverlap))")
        }
        guard maxDetour.isFinite, maxDetour >= 0 else {
            throw ValidationError("--max-detour must be 0 or more (got \(maxDetour))")
        }
    }

    func run() throws {
        try reportingErrors {
            let network = try costOptions.apply(to: networkOptions.load(), bundled: networkOptions.network == nil, asOf: closures.day())
            let source = try atOption("--from") { try network.resolveNode(from) }
            let target = try atOption("--to") { try network.resolveNode(to) }
            let overlay = try closures.overlay(for: network)
            let routes: [RouteDescription]
            if let alternatives {
                var settings = ChoiceSetSettings()
                settings.maxOverlap = maxOverlap; settings.maxDetour = maxDetour
                let groups = try Corridors.groups(in: network, graph: network.graph, asOf: closures.day())
                let found = try ShortestPathQuery(graph: network.graph)
                    .distinctPaths(from: source, to: target, rule: settings.rule(size: alternatives), groups: groups,
                                   overlay: overlay)
                routes = found.paths.enumerated().map { network.describe($0.element, rank: $0.offset + 1) }
            } else {
                let finder = RouteFinder(network: network, includeClosed: closures.includeClosed)
                // Without an overlay the finder would route on the network's closures as written, not those of
                // --on's day; an empty overlay is only needed when the network closes something as written.
                routes = try finder.routes(from: source, to: target, k: k, algorithm: algorithm,
                                           overlay: overlay ?? (finder.baseOverlay == nil ? nil : CostOverlay(graph: network.graph)))
            }
            try write(routes, network: network)
            if routes.isEmpty {
                Diagnostics.warning("no path from \(network.label(ofNode: source)) to \(network.label(ofNode: target))")
                throw ExitCode(ExitStatus.noResult)
            }
        }
    }

    private func write(_ routes: [RouteDescription], network: RouteNetwork) throws {
        try OutputSink.with(path: output.output) { sink in
            switch format {
            case .geojson:
                let collection = FeatureCollection(features: routes.map { RouteFormats.feature($0, in: network) })
                try sink.writeDocument(GeoJSON.encode(collection, options: .init(coordinatePrecision: output.precision)))
            case .json:
                try sink.writeDocument(GeoJSON.encode(RouteFormats.json(routes, in: network)))
            case .csv:
                try sink.write(RouteFormats.csvHeader)
                var seq = 1
                for route in routes {
                    try sink.write(RouteFormats.csvRows(route, in: network, seq: seq))
                    seq += route.steps.count + 1
                }
            }
        }
    }
}

extension PathAlgorithm: ExpressibleByArgument {}
