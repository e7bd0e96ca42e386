import ArgumentParser
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph
import RouteShiftNetwork

struct ReachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reach",
        abstract: "Every node reachable from (or reaching) a node, with its cost: a catchment.",
        discussion: """
        Like pgRouting's pgr_drivingDistance: one Dijkstra search from --from,
        bounded by --max-cost, listing each reached node with the cost of its
        shortest path and the last edge on it. Rows are ordered by cost, then node id.
        With --reverse the search follows arcs backwards: the nodes that can reach --from.

        EXAMPLES:
          routeshift reach --from agadez --max-cost 1500
          routeshift reach --from agadez --close NE-LY --format geojson > catchment.geojson

        OUTPUT (stdout):
          csv      node,name,edge,agg_cost,lon,lat  (edge = last edge of the path, -1 at the start)
          geojson  FeatureCollection of Points with the same properties
          json     {"from": ..., "nodes": [{node, name, edge, agg_cost, lon, lat}]}

        \(ExitStatus.helpText)
        """
    )

    @OptionGroup var networkOptions: NetworkOptions
    @Option(name: .long, help: ArgumentHelp("Start node (name or id).", valueName: "node")) var from: String
    @Option(name: .long, help: ArgumentHelp("Largest cost to include.", valueName: "cost")) var maxCost: Double = .infinity
    @Flag(name: .long, help: "Search backwards: nodes from which --from can be reached.") var reverse = false
    @OptionGroup var costOptions: CostOptions
    @OptionGroup var closures: ClosureOptions
    @Option(name: .long, help: "Output format.") var format: ResultFormat = .csv
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard maxCost >= 0, !maxCost.isNaN else { throw ValidationError("--max-cost must be a number ≥ 0 (got \(maxCost))") }
    }

    func run() throws {
        try reportingErrors {
            let network = try costOptions.apply(to: networkOptions.load())
            let root = try option("--from") { try network.resolveNode(from) }
            let overlay = try closures.overlay(for: network)
            let catchment = try Catchment.compute(in: network, from: root, maxCost: maxCost, reverse: reverse, overlay: overlay)
            try OutputSink.with(path: output.output) { sink in
                switch format {
                case .csv:
                    try sink.write("node,name,edge,agg_cost,lon,lat\n")
                    for r in catchment {
                        let c = network.coordinate(ofNode: r.node)
                        try sink.write("\(r.node),\(RouteFormats.csvField(network.nodeNames[r.node] ?? "")),\(r.edge ?? -1),"
                            + "\(NumberFormat.shortest(r.cost)),"
                            + "\(c.map { NumberFormat.shortest($0.longitude) } ?? ""),\(c.map { NumberFormat.shortest($0.latitude) } ?? "")\n")
                    }
                case .geojson:
                    let features = catchment.map { r in
                        Feature(geometry: network.coordinate(ofNode: r.node).map(Geometry.point),
                                properties: properties(r, network))
                    }
                    try sink.writeDocument(GeoJSON.encode(FeatureCollection(features: features),
                                                         options: .init(coordinatePrecision: output.precision)))
                case .json:
                    let nodes: [JSONValue] = catchment.map { r in
                        var p = properties(r, network)
                        if let c = network.coordinate(ofNode: r.node) {
                            p["lon"] = .number(c.longitude); p["lat"] = .number(c.latitude)
                        }
                        return .object(p)
                    }
                    try sink.writeDocument(GeoJSON.encode(JSONValue.object([
                        "from": .string(network.label(ofNode: root)), "nodes": .array(nodes),
                    ])))
                }
            }
        }
    }

    private func properties(_ r: Catchment.Entry, _ network: RouteNetwork) -> [String: JSONValue] {
        [
            "node": .number(Double(r.node)),
            "name": network.nodeNames[r.node].map(JSONValue.string) ?? .null,
            "edge": .number(Double(r.edge ?? -1)),
            "agg_cost": .number(r.cost),
        ]
    }
}
