import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph

/// A geographic route network: the routing graph plus what a person needs to
/// read its answers: node names, edge geometries and edge attributes.
///
/// Row `i` of `edges` is edge index `i` of `graph` (`graph.edgeIds[i] == edges.ids[i]`).
/// Rich attributes are optional so that a million-edge pgRouting table costs
/// only its numeric columns; a missing geometry is the straight segment
/// between the endpoints' coordinates.
public struct RouteNetwork: Sendable {
    public let graph: RoutingGraph
    public let edges: EdgeTable
    /// Display name of a node (e.g. `athens`), by external node id.
    public let nodeNames: [Int64: String]
    /// Other node attributes (kind, country, roles…), by external node id.
    public let nodeProperties: [Int64: [String: JSONValue]]
    /// Polyline of each edge in source→target order, by edge row; `nil` when
    /// edges are straight lines between their endpoints.
    public let edgeGeometries: [[Coordinate]]?
    /// Attributes of each edge (kind, segment id, route label…), by edge row.
    public let edgeProperties: [[String: JSONValue]]?
    /// The schema's attributes of `edgeProperties` as typed columns (`nil` without properties).
    public let edgeAttributes: EdgeAttributeColumns?
    /// Where the network was read from, for messages (the network file, also when read from its cache).
    public internal(set) var origin: String
    /// Landmark distances of `graph` for A* (`PathAlgorithm.landmarks`), when computed
    /// or read from a cache; a network derived with other costs starts without them.
    public var landmarks: Landmarks?
    /// Classes of travellers under the edges' entry rules (visa regimes).
    public let entryClasses: EntryClasses

    private let nameIndex: [String: Int64]

    /// - Parameter edgeLocation: where edge row `row`'s attribute `key` stands in the input, for
    ///   messages about its value (default: the origin and the attribute's key).
    /// - Throws: `InputError` for a node name used twice, or an edge attribute outside
    ///   `NetworkSchema` (see `EdgeAttributeColumns`).
    public init(graph: RoutingGraph, edges: EdgeTable, nodeNames: [Int64: String] = [:],
                nodeProperties: [Int64: [String: JSONValue]] = [:], edgeGeometries: [[Coordinate]]? = nil,
                edgeProperties: [[String: JSONValue]]? = nil, origin: String,
                edgeLocation: ((_ row: Int, _ key: String) -> InputLocation)? = nil) throws {
        self.graph = graph
        self.edges = edges
        self.nodeNames = nodeNames
        self.nodeProperties = nodeProperties
        self.edgeGeometries = edgeGeometries
        self.edgeProperties = edgeProperties
        self.origin = origin
        edgeAttributes = try edgeProperties.map { properties in
            try EdgeAttributeColumns(properties: properties, location: edgeLocation ?? { row, key in
                InputLocation(file: origin, path: "edge \(edges.ids[row]) \(key)")
            })
        }
        entryClasses = EntryClasses(rules: edgeAttributes?.entry ?? [])
        var index: [String: Int64] = [:]
        for (id, name) in nodeNames.sorted(by: { $0.key < $1.key }) {
            let key = name.lowercased()
            if let other = index[key] {
                throw InputError("node name '\(name)' is used by nodes \(other) and \(id); names must be unique",
                                 at: InputLocation(file: origin))
            }
            index[key] = id
        }
        nameIndex = index
    }

    public var nodeCount: Int { graph.nodeCount }
    public var edgeCount: Int { graph.edgeCount }

    /// The display label of a node: its name, or its id.
    public func label(ofNode id: Int64) -> String { nodeNames[id] ?? String(id) }

    /// Coordinate of a node, when the network has them.
    public func coordinate(ofNode id: Int64) -> Coordinate? {
        guard let index = graph.index(of: id), let c = graph.coordinate(of: index) else { return nil }
        return Coordinate(longitude: c.longitude, latitude: c.latitude)
    }

    /// Resolves a node reference: a node name (case-insensitive) or a numeric id.
    ///
    /// - Throws: `InputError` quoting the text, with the nearest names or ids (no location:
    ///   the caller knows where the text came from and sets it).
    public func resolveNode(_ text: String) throws -> Int64 {
        let trimmed = text.trimmingWhitespace()
        if let id = nameIndex[trimmed.lowercased()] { return id }
        if let id = Int64(trimmed), graph.index(of: id) != nil { return id }
        let candidates: [String] = nodeNames.isEmpty
            ? graph.nodeIds.prefix(200_000).map(String.init)
            : Array(nodeNames.values)
        throw InputError("unknown node '\(text)'", suggestions: NearestMatch.suggestions(for: trimmed, among: candidates))
    }

    /// The string attribute `key` of edge row `row`, if any.
    public func edgeString(_ key: String, row: Int) -> String? {
        guard let edgeProperties, case .string(let s)? = edgeProperties[row][key] else { return nil }
        return s
    }

    /// The numeric attribute `key` of edge row `row`, if any.
    public func edgeNumber(_ key: String, row: Int) -> Double? {
        guard let edgeProperties, case .number(let x)? = edgeProperties[row][key] else { return nil }
        return x
    }

    /// Resolves a reference to edge rows as `EdgeReferences.rows(of:)` does: a
    /// numeric edge id, a segment id (`HU-RS-003`), a border (`HU-RS`, either
    /// order) or a hub (its incident edges).
    ///
    /// - Complexity: O(E) to index the network; resolve many references through one `EdgeReferences`.
    /// - Throws: `InputError` quoting the text, with the nearest names.
    public func resolveEdges(_ text: String) throws -> [Int] {
        try EdgeReferences(network: self).rows(of: text)
    }

    /// The overlay every route over this network starts from: the edges whose
    /// `status` attribute is `closed` are absent, unless `includeClosed`, and so are the
    /// edges the entry rules bar to the class of travellers `userClass` (`EntryClasses`;
    /// default `*`, the nationalities no rule names; `nil`: no entry rule applies).
    /// With `day`, the state of that day: an edge whose `since` is later has its `earlier`
    /// state of that day or the defaults (open) (`EdgeAttributeColumns.state(ofRow:on:)`),
    /// and the entry rules in force that day apply; without a
    /// day, every attribute as written and the rules still in force.
    /// `nil` when nothing is closed.
    /// - Complexity: O(E).
    public func baseOverlay(includeClosed: Bool = false, asOf day: CalendarDay? = nil,
                            userClass: String? = EntryClasses.unnamed) -> CostOverlay? {
        var rows: [BarredEdge] = []
        if !includeClosed, let columns = edgeAttributes {
            rows = columns.closed.indices.filter { columns.state(ofRow: $0, on: day).closed }.map { BarredEdge(row: $0) }
        }
        if let userClass { rows += entryClasses.barredRows(on: day)[userClass] ?? [] }
        guard !rows.isEmpty else { return nil }
        var overlay = CostOverlay(graph: graph)
        for row in rows {
            // Cannot throw: the row is this graph's, and an absent direction is skipped.
            try! overlay.close(row, in: graph)
        }
        return overlay
    }

    /// The polyline of edge row `row` in source→target order.
    public func geometry(ofEdgeRow row: Int) -> [Coordinate]? {
        if let edgeGeometries, !edgeGeometries[row].isEmpty { return edgeGeometries[row] }
        guard let a = coordinate(ofNode: edges.sources[row]), let b = coordinate(ofNode: edges.targets[row]) else {
            return nil
        }
        return [a, b]
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

extension RouteNetwork {
    /// This network with every edge usable both ways (pgRouting's `directed => false`,
    /// see `EdgeTable.undirected()`); names, attributes and geometries are kept.
    /// - Complexity: one graph build, O(n + m).
    public func undirected() throws -> RouteNetwork {
        let table = edges.undirected()
        var coordinates: NodeCoordinates?
        if graph.hasCoordinates {
            var c = NodeCoordinates()
            c.reserveCapacity(graph.nodeCount)
            for i in 0..<graph.nodeCount {
                let p = graph.coordinate(of: Int32(i))!
                c.append(id: graph.externalId(of: Int32(i)), longitude: p.longitude, latitude: p.latitude)
            }
            coordinates = c
        }
        return try RouteNetwork(graph: RoutingGraph(edges: table, coordinates: coordinates), edges: table,
                                nodeNames: nodeNames, nodeProperties: nodeProperties, edgeGeometries: edgeGeometries,
                                edgeProperties: edgeProperties, origin: origin)
    }
}
