import Foundation
import RouteShiftCore
import RouteShiftGraph

/// Finds and reads a route network from a path given by the user, or the
/// bundled Geodata network when none is given.
///
/// Accepted inputs:
/// - a pgRouting edge table as CSV (`id,source,target,cost[,reverse_cost][,x1,y1,x2,y2]`),
///   with node coordinates from a sibling `nodes.csv` (`id,lon,lat`) when present;
/// - a GeoJSON network (`.geojson` / `.json`, see `GeoJSONNetwork`);
/// - a directory holding `network.geojson`, or `edges.csv` (+ `nodes.csv`);
/// - a compiled network cache (`.rsnet`, see `CompiledNetwork`);
/// - a Flee scenario directory (`locations.csv` + `routes.csv`, see `FleeScenario`).
public enum NetworkSource {
    /// Environment variable naming the default network (file or directory).
    public static let networkVariable = "ROUTESHIFT_NETWORK"
    /// Environment variable naming the Geodata directory.
    public static let geodataVariable = "ROUTESHIFT_GEODATA"

    /// Where the default network is looked for, in order: `$ROUTESHIFT_NETWORK`,
    /// then `network.geojson` in each of `geodataDirectories(searchPath)`.
    public static func defaultCandidates(_ searchPath: GeodataSearchPath = .standard) -> [String] {
        if let path = ProcessInfo.processInfo.environment[networkVariable], !path.isEmpty { return [path] }
        return geodataDirectories(searchPath).map { $0 + "/network.geojson" }
    }

    /// The Geodata directories, in the order they are searched: `$ROUTESHIFT_GEODATA`
    /// alone when it is set; otherwise those of `searchPath`.
    public static func geodataDirectories(_ searchPath: GeodataSearchPath = .standard) -> [String] {
        searchPath.resolved
    }

    /// The first of `geodataDirectories(searchPath)` holding a file `name`, as a path.
    public static func geodataFile(_ name: String, searchPath: GeodataSearchPath = .standard) -> String? {
        geodataDirectories(searchPath).map { $0 + "/" + name }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Resolves `path` (or the default network of `searchPath` when `nil`) to a file to read.
    public static func locate(_ path: String?, searchPath: GeodataSearchPath = .standard) throws -> String {
        if let path {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw NetworkNotFound(path: path, searched: [path])
            }
            guard isDir.boolValue else { return path }
            if FleeScenario.isScenario(path) { return path }
            for name in ["network.geojson", "edges.csv"] {
                let candidate = (path as NSString).appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
            }
            throw NetworkNotFound(path: path, searched: [path + "/network.geojson", path + "/edges.csv"])
        }
        let candidates = defaultCandidates(searchPath)
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate) {
            return try locate(candidate)
        }
        throw NetworkNotFound(path: nil, searched: candidates)
    }

    /// The files `load(path, nodesPath:)` reads or looks for, in order: the network file
    /// (for a pgRouting table also its nodes table, `nodesPath` or the sibling `nodes.csv`
    /// whether or not it exists; for a Flee directory its `locations.csv` and `routes.csv`).
    /// A network compiled from them is stale when one of them changes.
    public static func inputs(of path: String?, nodesPath: String? = nil) throws -> [String] {
        let file = try locate(path)
        if file.lowercased().hasSuffix(".csv") {
            let sibling = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("nodes.csv").path
            return [file, nodesPath ?? sibling]
        }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isDir), isDir.boolValue {
            return [file + "/locations.csv", file + "/routes.csv"]
        }
        return [file]
    }

    /// Reads the network at `path`, or the default one (a GeoJSON default network read with
    /// default options goes through its compiled cache, `NetworkCache`).
    /// - Parameter undirected: make every edge usable both ways (pgRouting's
    ///   `directed => false`, see `EdgeTable.undirected()`).
    public static func load(_ path: String?, nodesPath: String? = nil,
                            geoJSONOptions: GeoJSONNetwork.Options = .init(), undirected: Bool = false) throws -> RouteNetwork {
        let file = try locate(path)
        if file.lowercased().hasSuffix(".csv") {
            return try loadPgRouting(edgesPath: file, nodesPath: nodesPath, undirected: undirected)
        }
        let network: RouteNetwork
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isDir), isDir.boolValue {
            network = try FleeScenario.read(directory: file)
        } else if file.lowercased().hasSuffix("." + CompiledNetwork.fileExtension) {
            network = try CompiledNetwork.read(path: file)
        } else if path == nil, geoJSONOptions.isDefault {
            // The default network, read again and again: through its compiled cache.
            network = try NetworkCache.read(geoJSON: file, directory: NetworkCache.directory())
        } else {
            network = try GeoJSONNetwork.read(path: file, options: geoJSONOptions)
        }
        return undirected ? try network.undirected() : network
    }

    /// Reads a pgRouting edge table and optional nodes table.
    public static func loadPgRouting(edgesPath: String, nodesPath: String? = nil, undirected: Bool = false) throws -> RouteNetwork {
        var edges = try PgRoutingCSV.readEdges(path: edgesPath)
        if undirected { edges.table = edges.table.undirected() }
        let siblingNodes = URL(fileURLWithPath: edgesPath).deletingLastPathComponent().appendingPathComponent("nodes.csv").path
        let nodesFile = nodesPath ?? (FileManager.default.fileExists(atPath: siblingNodes) ? siblingNodes : nil)
        let nodes = try nodesFile.map { try PgRoutingCSV.readNodes(path: $0) } ?? edges.nodeCoordinates()
        // The graph rejects an edge endpoint without a coordinate, naming the node.
        let coordinates: NodeCoordinates? = nodes.count > 0 ? nodes : nil
        let graph: RoutingGraph
        do {
            graph = try RoutingGraph(edges: edges.table, coordinates: coordinates)
        } catch let error as GraphError {
            throw locate(error, edgesPath: edgesPath, nodesPath: nodesFile)
        }
        return try RouteNetwork(graph: graph, edges: edges.table, origin: edgesPath)
    }

    /// The input error behind a failed build, blamed on the file and line it comes from.
    static func locate(_ error: GraphError, edgesPath: String, nodesPath: String?) -> InputError {
        func rows(_ path: String, nodes: Bool, _ limit: Int, _ matches: (CSVRow) -> Bool) -> [Int] {
            PgRoutingCSV.lines(in: path, nodes: nodes, limit: limit, where: matches)
        }
        switch error {
        case let .duplicateCoordinate(id):
            guard let nodesPath else { break }
            let lines = rows(nodesPath, nodes: true, 2) { $0.id == id }
            guard lines.count == 2 else { break }
            return InputError("node id \(id) appears twice (first at line \(lines[0]))",
                              at: InputLocation(file: nodesPath, line: lines[1], path: "id"), underlying: error)
        case let .missingCoordinate(id):
            let line = rows(edgesPath, nodes: false, 1) { $0.source == id || $0.target == id }.first
            let place = nodesPath.map { "is not in \($0)" } ?? "has no coordinate"
            return InputError("node \(id) \(place)", at: InputLocation(file: edgesPath, line: line), underlying: error)
        case let .duplicateEdgeId(id):
            let lines = rows(edgesPath, nodes: false, 2) { $0.id == id }
            guard lines.count == 2 else { break }
            return InputError("edge id \(id) appears twice (first at line \(lines[0]))",
                              at: InputLocation(file: edgesPath, line: lines[1], path: "id"), underlying: error)
        case let .nonFiniteCost(id, _, _), let .costSumOverflow(id, _, _):
            let line = rows(edgesPath, nodes: false, 1) { $0.id == id }.first
            return InputError(error.description, at: InputLocation(file: edgesPath, line: line), underlying: error)
        default:
            break
        }
        return InputError(error, at: InputLocation(file: edgesPath))
    }
}

/// No network at the given path, or none found on the default search path.
/// Domain `missingInput`.
public struct NetworkNotFound: DomainError, Sendable {
    /// The path given, or `nil` when the default network was looked for.
    public var path: String?
    public var searched: [String]
    public init(path: String?, searched: [String]) { self.path = path; self.searched = searched }
    public var domain: ErrorDomain { .missingInput }
    public var description: String {
        if let path {
            return "\(path): no network there (looked for \(searched.joined(separator: ", ")))"
        }
        return "no default network found; name one or set \(NetworkSource.networkVariable) "
            + "(looked in \(searched.joined(separator: ", ")))"
    }
}
