import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftScenario

/// The input parsers under fuzzing. Each takes arbitrary bytes: a thrown error
/// (with its message built) is the expected outcome for bad input; a trap, a
/// sanitizer report, a leak or a hang is a bug.
enum FuzzTarget: String, CaseIterable {
    /// pgRouting edges CSV (`id,source,target,cost,reverse_cost[,x1,y1,x2,y2]`), both readers,
    /// and the same bytes as a nodes CSV.
    case edgesCSV = "edges-csv"
    /// JSON / GeoJSON: the parser, the feature decoder and the network built from it.
    case geojson
    /// Scenario YAML / JSON.
    case scenario
    /// The `.rsnet` cache reader: the bytes as a payload under a valid header (so the
    /// version and length checks do not stop them), or, when they start with the magic,
    /// as a whole file; every array is used in place, as when the file is mapped.
    case rsnet

    func run(_ bytes: [UInt8]) {
        do {
            switch self {
            case .edgesCSV:
                let chunk = 64 + Int(bytes.first ?? 0)  // small chunks: lines across chunk ends
                if let edges = try? PgRoutingCSV.parseEdges(bytes, name: "edges.csv", chunkSize: chunk) {
                    _ = try? RoutingGraph(edges: edges.table)
                }
                _ = try? PgRoutingCSV.parseGraph(bytes, name: "edges.csv", chunkSize: chunk, workers: 1)
                _ = try PgRoutingCSV.parseNodes(bytes, name: "nodes.csv", chunkSize: chunk, workers: 1)
            case .geojson:
                _ = try? GeoJSON.decodeJSON(bytes, file: "in.json")
                let collection = try GeoJSON.decodeFeatureCollection(bytes, file: "in.geojson")
                _ = try GeoJSONNetwork.build(collection, file: "in.geojson")
            case .scenario:
                _ = try ScenarioParser.parse(String(decoding: bytes, as: UTF8.self), file: "scenario.yaml")
            case .rsnet:
                let file = bytes.starts(with: CompiledNetwork.magic) ? bytes : CompiledNetwork.framed(payload: bytes)
                _ = try CompiledNetwork.decode(file, path: "in.rsnet", checkSource: false)
            }
        } catch {
            // Building the message runs the excerpt and location code on hostile text too.
            precondition(!String(describing: error).isEmpty)
        }
    }
}
