import ArgumentParser
import Foundation
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
            try OutputSink.with(path: output.output) { sink in
                if format == .csv {
                    try sink.write("seq,from_v,node,name,edge,agg_cost,lon,lat\n")
                    var seq = 0
                    try Catchment.forEach(in: network, from: roots, maxCost: maxCost, reverse: reverse,
                                          overlay: overlay) { reached in
                        try writeRows(reached, seq: &seq, network: network, to: sink)
                    }
                    return
                }
                let catchment = try Catchment.compute(in: network, from: roots, maxCost: maxCost, reverse: reverse,
                                                      overlay: overlay)
                switch format {
                case .csv:
                    break
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

    /// CSV rows formatted straight into byte buffers: a million-node catchment is mostly
    /// number formatting, so no `String` or `Entry` is built per row; what each row
    /// prints is gathered for a block of rows at a time (`gatherNodeRows`). Segments of
    /// rows are formatted on one thread per processor (`Parallel.map`, each into its own
    /// buffer) and written in row order, so the bytes do not depend on the threads.
    /// `seq` is the number of rows written before (of earlier start nodes).
    private func writeRows(_ reached: Catchment.Reached, seq: inout Int, network: RouteNetwork,
                           to sink: OutputSink) throws {
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let segment = 4 * RoutingGraph.nodeRowBlock
        let total = reached.order.count
        var first = 0
        while first < total {
            let round = min(workers, (total - first + segment - 1) / segment)
            let base = first, seqBase = seq
            let texts = Parallel.map(count: round, workers: workers, state: {}) { _, i -> RowText in
                let low = base + i * segment
                return Self.formatRows(reached, low..<min(total, low + segment), seq: seqBase + (low - base),
                                       network: network)
            }
            for text in texts { try sink.write(bytes: text.bytes) }
            let written = min(total, base + round * segment) - base
            first += written
            seq += written
        }
    }

    /// The CSV rows of `reached.order[rows]`, numbered from `seq + 1`.
    private static func formatRows(_ reached: Catchment.Reached, _ rows: Range<Int>, seq: Int,
                                   network: RouteNetwork) -> RowText {
        let graph = network.graph, names = network.nodeNames
        let start = reached.root, hasCoordinates = graph.hasCoordinates
        let comma = UInt8(ascii: ",")
        let longest = 8 * NumberFormat.maximumLength
        let block = RoutingGraph.nodeRowBlock
        var nodes = [Int32](repeating: 0, count: block), ids = [Int64](repeating: 0, count: block)
        var edges = [Int64](repeating: 0, count: block)
        var longitudes = [Double](repeating: 0, count: block), latitudes = [Double](repeating: 0, count: block)
        let order = reached.order
        let text = RowText(capacity: rows.count * longest)
        var first = rows.lowerBound
        while first < rows.upperBound {
            let count = min(block, rows.upperBound - first)
            for k in 0..<count { nodes[k] = order[first + k].node }
            nodes.withUnsafeBufferPointer { nodes in
                reached.tree.predecessorArcs.withUnsafeBufferPointer { arcs in
                    graph.gatherNodeRows(nodes: UnsafeBufferPointer(rebasing: nodes[0..<count]), predecessorArcs: arcs,
                                         ids: &ids, edgeIds: &edges, longitudes: &longitudes, latitudes: &latitudes)
                }
            }
            for k in 0..<count {
                let node = ids[k]
                let name = names.isEmpty ? nil : names[node].map(RouteFormats.csvField)
                let row = Int64(seq + (first - rows.lowerBound) + k + 1)
                text.write(atMost: longest + (name?.utf8.count ?? 0)) { start0 in
                    var p = start0
                    p += NumberFormat.write(row, to: p); p.pointee = comma; p += 1
                    p += NumberFormat.write(start, to: p); p.pointee = comma; p += 1
                    p += NumberFormat.write(node, to: p); p.pointee = comma; p += 1
                    if var name {
                        name.withUTF8 { bytes in
                            guard let base = bytes.baseAddress else { return }
                            p.update(from: base, count: bytes.count)
                            p += bytes.count
                        }
                    }
                    p.pointee = comma; p += 1
                    p += NumberFormat.write(edges[k], to: p); p.pointee = comma; p += 1
                    p += NumberFormat.write(Double(bitPattern: order[first + k].cost), to: p); p.pointee = comma; p += 1
                    if hasCoordinates {
                        p += NumberFormat.write(longitudes[k], to: p); p.pointee = comma; p += 1
                        p += NumberFormat.write(latitudes[k], to: p)
                    } else {
                        p.pointee = comma; p += 1
                    }
                    p.pointee = UInt8(ascii: "\n"); p += 1
                    return p - start0
                }
            }
            first += count
        }
        return text
    }

    /// Bytes of formatted rows, grown as needed (one segment's worth, freed with it).
    final class RowText {
        private(set) var storage: UnsafeMutablePointer<UInt8>
        private var capacity: Int
        private(set) var count = 0

        init(capacity: Int) {
            self.capacity = max(1, capacity)
            storage = .allocate(capacity: self.capacity)
        }

        deinit { storage.deallocate() }

        /// Lets `body` write at most `limit` bytes at the end; it returns how many it wrote.
        @inline(__always)
        func write(atMost limit: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
            if count + limit > capacity {
                capacity = max(2 * capacity, count + limit)
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
                grown.update(from: storage, count: count)
                storage.deallocate()
                storage = grown
            }
            count += body(storage + count)
        }

        var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }
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
