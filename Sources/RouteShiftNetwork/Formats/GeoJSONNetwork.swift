import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGeodesy
import RouteShiftGraph

/// Reads a route network from a GeoJSON FeatureCollection (RFC 7946).
///
/// - `LineString` features are edges. Properties read: `id` (integer edge id;
///   else the numeric feature id; else the feature's position, from 1), `cost`
///   (default: geodesic length in km), `reverse_cost` (default: equal to `cost`,
///   i.e. two-way; negative = no arc in that direction, as in pgRouting),
///   `source`/`target` (node ids; when absent the endpoints are snapped to the
///   nearest node within `snapTolerance` metres, or become new nodes).
/// - `Point` features are nodes: `id` (integer), optional `name` (unique, used
///   by `--from`/`--to`), other properties kept.
/// - Every other property is kept and exported with results.
public enum GeoJSONNetwork {
    public struct Options: Sendable {
        /// Endpoints closer than this many metres (geodesic) share a node.
        public var snapTolerance: Double = 1.0
        /// Edge property holding the cost.
        public var costProperty: String = "cost"
        /// Edge property holding the reverse cost.
        public var reverseCostProperty: String = "reverse_cost"
        public init() {}
        /// Whether these are the default options.
        public var isDefault: Bool {
            let d = Options()
            return snapTolerance == d.snapTolerance && costProperty == d.costProperty && reverseCostProperty == d.reverseCostProperty
        }
    }

    public static func read(path: String, options: Options = Options()) throws -> RouteNetwork {
        let collection = try GeoJSON.readFeatureCollection(path: path)
        return try build(collection, file: path, options: options)
    }

    /// Builds the network from decoded features; `file` is used in messages.
    ///
    /// - Complexity: O(F · log F) for F features (snapping uses a hash grid).
    public static func build(_ collection: FeatureCollection, file: String, options: Options = Options()) throws -> RouteNetwork {
        let geodesic = Geodesic.wgs84
        var nodeNames: [Int64: String] = [:]
        var nodeProperties: [Int64: [String: JSONValue]] = [:]
        var coordinates = NodeCoordinates()
        var nodeCoordinate: [Int64: Coordinate] = [:]
        var grid = SnapGrid(toleranceMeters: options.snapTolerance)

        func location(_ i: Int, _ member: String) -> InputLocation {
            InputLocation(file: file, path: "$.features[\(i)]\(member)")
        }

        // Nodes first, so that lines can snap to them whatever the feature order.
        for (i, feature) in collection.features.enumerated() {
            guard case .point(let c)? = feature.geometry else { continue }
            let id = try integerId(feature, location: location(i, ".properties.id"))
                ?? { throw InputError("a Point node needs an integer 'id' property", at: location(i, ".properties")) }()
            if nodeCoordinate[id] != nil {
                throw InputError("duplicate node id \(id)", at: location(i, ".properties.id"))
            }
            nodeCoordinate[id] = c
            coordinates.append(id: id, longitude: c.longitude, latitude: c.latitude)
            grid.insert(id: id, at: c)
            var props = feature.properties
            if case .string(let name)? = props.removeValue(forKey: "name") { nodeNames[id] = name }
            props.removeValue(forKey: "id")
            if !props.isEmpty { nodeProperties[id] = props }
        }

        var nextNodeId = (nodeCoordinate.keys.max() ?? 0) + 1
        func node(at c: Coordinate) -> Int64 {
            if let id = grid.nearest(to: c, geodesic: geodesic) { return id }
            let id = nextNodeId
            nextNodeId += 1
            nodeCoordinate[id] = c
            coordinates.append(id: id, longitude: c.longitude, latitude: c.latitude)
            grid.insert(id: id, at: c)
            return id
        }

        var table = EdgeTable()
        var geometries: [[Coordinate]] = []
        var properties: [[String: JSONValue]] = []
        var featureOfRow: [Int] = []
        for (i, feature) in collection.features.enumerated() {
            let line: [Coordinate]
            switch feature.geometry {
            case .lineString(let l)?: line = l
            case .multiLineString(let parts)? where parts.count == 1: line = parts[0]
            case .point?, nil: continue
            case let other?:
                throw InputError("edges must be LineString features, found \(other.typeName)",
                                 at: location(i, ".geometry.type"))
            }
            let id = try integerId(feature, location: location(i, ".properties.id")) ?? Int64(i + 1)
            var props = feature.properties
            props.removeValue(forKey: "id")
            let lengthKm = geodesic.length(of: line) / 1000
            let cost = try number(props.removeValue(forKey: options.costProperty),
                                  location: location(i, ".properties.\(options.costProperty)")) ?? lengthKm
            let reverse = try number(props.removeValue(forKey: options.reverseCostProperty),
                                     location: location(i, ".properties.\(options.reverseCostProperty)")) ?? cost
            let source: Int64, target: Int64
            if let s = try integer(props.removeValue(forKey: "source"), location: location(i, ".properties.source")),
               let t = try integer(props.removeValue(forKey: "target"), location: location(i, ".properties.target")) {
                for (end, name) in [(s, "source"), (t, "target")] where nodeCoordinate[end] == nil {
                    throw InputError("\(name) node \(end) has no Point feature", at: location(i, ".properties.\(name)"),
                                     suggestions: NearestMatch.suggestions(
                                        for: String(end), among: nodeCoordinate.keys.sorted().map(String.init)))
                }
                source = s; target = t
            } else {
                source = node(at: line.first!)
                target = node(at: line.last!)
            }
            if props["length_km"] == nil { props["length_km"] = .number(lengthKm) }
            table.append(id: id, source: source, target: target, cost: cost, reverseCost: reverse)
            geometries.append(line)
            properties.append(props)
            featureOfRow.append(i)
        }
        guard table.count > 0 else {
            throw InputError("no LineString edges in the FeatureCollection", at: InputLocation(file: file, path: "$.features"))
        }
        let graph: RoutingGraph
        do {
            graph = try RoutingGraph(edges: table, coordinates: coordinates)
        } catch let error as GraphError {
            throw InputError(error, at: InputLocation(file: file))
        }
        return try RouteNetwork(graph: graph, edges: table, nodeNames: nodeNames, nodeProperties: nodeProperties,
                                edgeGeometries: geometries, edgeProperties: properties, origin: file,
                                edgeLocation: { row, key in location(featureOfRow[row], ".properties.\(key)") })
    }

    private static func integerId(_ feature: Feature, location: InputLocation) throws -> Int64? {
        if let id = try integer(feature.properties["id"], location: location) { return id }
        if case .number(let x)? = feature.id, let id = Int64(exactly: x) { return id }
        return nil
    }

    private static func integer(_ value: JSONValue?, location: InputLocation) throws -> Int64? {
        switch value {
        case nil, .null?: return nil
        case .number(let x)?:
            guard let id = Int64(exactly: x) else { throw InputError("\(x) is not an integer id", at: location) }
            return id
        case .string(let s)?:
            guard let id = Int64(s) else { throw InputError("'\(s)' is not an integer id", at: location) }
            return id
        case let other?:
            throw InputError("expected an integer id, found \(other)", at: location)
        }
    }

    private static func number(_ value: JSONValue?, location: InputLocation) throws -> Double? {
        switch value {
        case nil, .null?: return nil
        case .number(let x)?: return x
        case let other?: throw InputError("expected a number, found \(other)", at: location)
        }
    }
}

/// Buckets points on a lon/lat grid whose cells are at least the tolerance wide,
/// so a snap query looks at 9 cells and confirms with a geodesic distance.
struct SnapGrid {
    let toleranceMeters: Double
    private let cellDegrees: Double
    private var cells: [Int64: [(Int64, Coordinate)]] = [:]

    init(toleranceMeters: Double) {
        self.toleranceMeters = toleranceMeters
        // One degree of latitude is at least 110.5 km; longitude cells are
        // widened by 1/cos(lat) at query time through the neighbour span.
        cellDegrees = max(toleranceMeters / 110_000, 1e-7)
    }

    private func key(_ x: Int64, _ y: Int64) -> Int64 { x &* 73_856_093 ^ y &* 19_349_663 }

    mutating func insert(id: Int64, at c: Coordinate) {
        let x = Int64((c.longitude / cellDegrees).rounded(.down)), y = Int64((c.latitude / cellDegrees).rounded(.down))
        cells[key(x, y), default: []].append((id, c))
    }

    /// The nearest inserted point within the tolerance (ties: smallest id).
    func nearest(to c: Coordinate, geodesic: Geodesic) -> Int64? {
        let x = Int64((c.longitude / cellDegrees).rounded(.down)), y = Int64((c.latitude / cellDegrees).rounded(.down))
        let cosLat = max(cos(c.latitude * .pi / 180), 0.01)
        let span = Int64((1 / cosLat).rounded(.up))
        var best: (Double, Int64)?
        for dx in (-span)...span {
            for dy in Int64(-1)...1 {
                for (id, p) in cells[key(x + dx, y + dy)] ?? [] {
                    let d = geodesic.inverse(from: c, to: p).distance
                    guard d <= toleranceMeters else { continue }
                    if best == nil || d < best!.0 || (d == best!.0 && id < best!.1) { best = (d, id) }
                }
            }
        }
        return best?.1
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
