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
        Several start nodes (--from 1,7,12, like pgr_drivingDistance with an array)
        give one catchment each, in the order given, from one load of the network.
        With --reverse the search follows arcs backwards: the nodes that can reach --from.

        EXAMPLES:
          routeshift reach --from agadez --max-cost 1500
          routeshift reach --from agadez --close NE-LY --format geojson > catchment.geojson
          routeshift reach --from erbil --max-cost 3000 --on 2021-09-01 --nationality IRQ
          routeshift reach --network edges.csv --from 1,7,12 --max-cost 30

        OUTPUT (stdout):
          csv      seq,from_v,node,name,edge,agg_cost,lon,lat  (from_v = start node; edge = last edge
                   of the path, -1 at the start; numbers at full round-trip precision)
          geojson  FeatureCollection of Points with the same properties
          json     {"from": ... (a list for several), "nodes": [{from_v, node, name, edge, agg_cost, lon, lat}]}

        \(ExitStatus.helpText)
        """
    )

    @OptionGroup var networkOptions: NetworkOptions
    @Option(name: .long, help: ArgumentHelp("Start node (name or id), or several separated by commas.",
                                            valueName: "node[,node...]"))
    var from: String
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
            let network = try costOptions.apply(to: networkOptions.load(), bundled: networkOptions.network == nil, asOf: closures.day())
            let roots = try from.split(separator: ",", omittingEmptySubsequences: false).map { text in
                try atOption("--from") { try network.resolveNode(String(text)) }
            }
            let overlay = try closures.overlay(for: network)
            let catchment = try Catchment.compute(in: network, from: roots, maxCost: maxCost, reverse: reverse,
                                                  overlay: overlay)
            try OutputSink.with(path: output.output) { sink in
                switch format {
                case .csv:
                    try sink.write("seq,from_v,node,name,edge,agg_cost,lon,lat\n")
                    try writeRows(catchment, network: network, to: sink)
                case .geojson:
                    let features = catchment.map { r in
                        Feature(geometry: r.coordinate.map(Geometry.point), properties: properties(r, network))
                    }
                    try sink.writeDocument(GeoJSON.encode(FeatureCollection(features: features),
                                                         options: .init(coordinatePrecision: output.precision)))
                case .json:
                    let nodes: [JSONValue] = catchment.map { r in
                        var p = properties(r, network)
                        if let c = r.coordinate {
                            p["lon"] = .number(c.longitude); p["lat"] = .number(c.latitude)
                        }
                        return .object(p)
                    }
                    let labels = roots.map { JSONValue.string(network.label(ofNode: $0)) }
                    try sink.writeDocument(GeoJSON.encode(JSONValue.object([
                        "from": labels.count == 1 ? labels[0] : .array(labels), "nodes": .array(nodes),
                    ])))
                }
            }
        }
    }

    /// CSV rows straight into bytes: a million-node catchment is mostly number
    /// formatting, so no `String` is built per row.
    private func writeRows(_ catchment: [Catchment.Entry], network: RouteNetwork, to sink: OutputSink) throws {
        var row: [UInt8] = []
        row.reserveCapacity(1 << 16)
        let comma = UInt8(ascii: ",")
        for (i, r) in catchment.enumerated() {
            NumberFormat.append(Int64(i + 1), to: &row); row.append(comma)
            NumberFormat.append(r.start, to: &row); row.append(comma)
            NumberFormat.append(r.node, to: &row); row.append(comma)
            if !network.nodeNames.isEmpty, let name = network.nodeNames[r.node] {
                row.append(contentsOf: RouteFormats.csvField(name).utf8)
            }
            row.append(comma)
            NumberFormat.append(r.edge ?? -1, to: &row); row.append(comma)
            NumberFormat.append(r.cost, to: &row); row.append(comma)
            if let c = r.coordinate {
                NumberFormat.append(c.longitude, to: &row); row.append(comma)
                NumberFormat.append(c.latitude, to: &row)
            } else {
                row.append(comma)
            }
            row.append(UInt8(ascii: "\n"))
            if row.count >= 1 << 16 {
                try sink.write(bytes: row)
                row.removeAll(keepingCapacity: true)
            }
        }
        try sink.write(bytes: row)
    }

    private func properties(_ r: Catchment.Entry, _ network: RouteNetwork) -> [String: JSONValue] {
        [
            "from_v": .number(Double(r.start)),
            "node": .number(Double(r.node)),
            "name": network.nodeNames[r.node].map(JSONValue.string) ?? .null,
            "edge": .number(Double(r.edge ?? -1)),
            "agg_cost": .number(r.cost),
        ]
    }
}
