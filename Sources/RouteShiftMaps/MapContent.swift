import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork

/// A polygon drawn as background, e.g. a country from `Geodata/countries.geojson`.
public struct MapArea: Hashable, Sendable {
    /// `.polygon` or `.multiPolygon`, WGS84 degrees.
    public var geometry: Geometry
    public var name: String?

    public init(geometry: Geometry, name: String? = nil) {
        self.geometry = geometry
        self.name = name
    }
}

/// How a line is drawn, decided from its properties (see `MapLine.role(for:)`).
public enum MapLineRole: String, Hashable, Sendable, CaseIterable {
    /// A network edge without flows (`kind` leg, border, sea, ferry, or a `segment` id).
    case network
    /// A border section or sea crossing with a flow change (`change`, `baseline_flow`, `scenario_flow`).
    case flowChange
    /// A path with a flow (`flow` with `phase`, `origin` or `destination`).
    case route
    /// Any other line.
    case other
}

/// A line feature to draw: its parts in WGS84 degrees and the properties that choose its style.
public struct MapLine: Hashable, Sendable {
    public var role: MapLineRole
    public var parts: [[Coordinate]]
    public var properties: [String: JSONValue]

    public init(role: MapLineRole, parts: [[Coordinate]], properties: [String: JSONValue]) {
        self.role = role
        self.parts = parts
        self.properties = properties
    }

    /// The role RouteShift's own outputs imply: simulation segments carry `change`,
    /// simulation paths carry `flow` and `phase`, network edges carry `kind` or `segment`.
    public static func role(for properties: [String: JSONValue]) -> MapLineRole {
        if SimulationOutput.isSegment(properties) { return .flowChange }
        if SimulationOutput.isRoute(properties) { return .route }
        if let kind = properties[NetworkSchema.kind]?.stringValue, NetworkSchema.EdgeKind(rawValue: kind) != nil {
            return .network
        }
        if properties[NetworkSchema.segment]?.stringValue != nil { return .network }
        return .other
    }

    public var kind: String? { properties[NetworkSchema.kind]?.stringValue }
    public var status: String? { properties[NetworkSchema.status]?.stringValue }

    /// Closed in at least one direction (`closed`, `closed-forward`, `closed-backward`).
    public var isClosed: Bool { status.flatMap(EdgeStatus.init(label:))?.isClosed ?? false }

    /// A maritime crossing: `kind` sea or ferry, `mode` sea, or a `SEA-…` segment id.
    public var isSea: Bool {
        if let kind, kind == "sea" || kind == "ferry" { return true }
        if properties[NetworkSchema.mode]?.stringValue == "sea" { return true }
        return properties[NetworkSchema.segment]?.stringValue?.hasPrefix("SEA-") ?? false
    }

    /// Scenario minus baseline flow: `change`, else the difference of the two flows.
    public var change: Double? {
        if let c = properties[SimulationOutput.Segment.change]?.doubleValue { return c }
        if let b = properties[SimulationOutput.Segment.baselineFlow]?.doubleValue,
           let s = properties[SimulationOutput.Segment.scenarioFlow]?.doubleValue { return s - b }
        return nil
    }

    /// The flow a path carries (`flow`).
    public var flow: Double? { properties[SimulationOutput.Route.flow]?.doubleValue }

    /// `baseline` or `scenario` for simulation paths.
    public var phase: String? { properties[SimulationOutput.Route.phase]?.stringValue }

    /// Largest of the baseline and scenario flows of a segment, 0 when it has none.
    public var peakFlow: Double {
        max(properties[SimulationOutput.Segment.baselineFlow]?.doubleValue ?? 0,
            properties[SimulationOutput.Segment.scenarioFlow]?.doubleValue ?? 0, 0)
    }
}

/// A place drawn as a dot with a label, e.g. a network hub.
public struct MapPlace: Hashable, Sendable {
    public var coordinate: Coordinate
    /// The label: `display_name`, else `name`.
    public var label: String
    /// Larger first when labels compete for space: population, else flow, else 0.
    public var priority: Double
    public var properties: [String: JSONValue]

    public init(coordinate: Coordinate, label: String, priority: Double = 0, properties: [String: JSONValue] = [:]) {
        self.coordinate = coordinate
        self.label = label
        self.priority = priority
        self.properties = properties
    }
}

/// One figure of a simulation's totals, as the legend writes it.
public struct PeopleTotal: Hashable, Sendable {
    public var label: String
    public var value: Double
    public init(label: String, value: Double) { self.label = label; self.value = value }
}

/// Everything a map shows, sorted into layers by geometry type and properties, so
/// that any RouteShift GeoJSON (network, Geodata, simulation output) can be drawn.
public struct MapContent: Hashable, Sendable {
    public var areas: [MapArea] = []
    public var lines: [MapLine] = []
    public var places: [MapPlace] = []
    /// A title suggested by the inputs (a simulation's scenario name), if any.
    public var suggestedTitle: String?
    /// A simulation's people per period that no line shows: displaced, stranded at a hub,
    /// and not going this period (suppressed), from its `summary.json`; the legend lists them.
    public var peopleTotals: [PeopleTotal] = []

    public init(areas: [MapArea] = [], lines: [MapLine] = [], places: [MapPlace] = []) {
        self.areas = areas
        self.lines = lines
        self.places = places
    }

    /// Adds every feature: polygons become areas, lines are classified by `MapLine.role(for:)`,
    /// points become places, except network `border-side` nodes, which only anchor border edges.
    /// - Complexity: O(n) in the number of features.
    public mutating func add(_ collection: FeatureCollection) {
        for feature in collection.features {
            guard let geometry = feature.geometry else { continue }
            add(geometry, properties: feature.properties)
        }
    }

    private mutating func add(_ geometry: Geometry, properties: [String: JSONValue]) {
        switch geometry {
        case .polygon, .multiPolygon:
            areas.append(MapArea(geometry: geometry, name: properties["name"]?.stringValue))
        case .lineString(let line):
            lines.append(MapLine(role: MapLine.role(for: properties), parts: [line], properties: properties))
        case .multiLineString(let parts):
            lines.append(MapLine(role: MapLine.role(for: properties), parts: parts, properties: properties))
        case .point(let c):
            if let place = Self.place(at: c, properties: properties) { places.append(place) }
        case .multiPoint(let cs):
            for c in cs { if let place = Self.place(at: c, properties: properties) { places.append(place) } }
        case .geometryCollection(let members):
            for member in members { add(member, properties: properties) }
        }
    }

    static func place(at c: Coordinate, properties: [String: JSONValue]) -> MapPlace? {
        if properties[NetworkSchema.kind]?.stringValue == "border-side" { return nil }
        let label = properties["display_name"]?.stringValue ?? properties["name"]?.stringValue
            ?? properties["hub"]?.stringValue ?? ""
        let priority = properties["population"]?.doubleValue ?? properties["flow"]?.doubleValue ?? 0
        return MapPlace(coordinate: c, label: label, priority: priority, properties: properties)
    }

    /// Adds a loaded network's edges (with their geometry and attributes) and named nodes.
    /// - Complexity: O(V + E) plus the edges' vertices.
    public mutating func add(_ network: RouteNetwork) {
        for row in 0..<network.edgeCount {
            guard let line = network.geometry(ofEdgeRow: row), line.count >= 2 else { continue }
            let properties = network.edgeProperties?[row] ?? [:]
            var role = MapLine.role(for: properties)
            if role == .other { role = .network }
            lines.append(MapLine(role: role, parts: [line], properties: properties))
        }
        for (id, name) in network.nodeNames.sorted(by: { $0.key < $1.key }) {
            guard let c = network.coordinate(ofNode: id) else { continue }
            var properties = network.nodeProperties[id] ?? [:]
            properties["name"] = .string(name)
            if let place = Self.place(at: c, properties: properties) { places.append(place) }
        }
    }

    /// `true` when something besides background areas would be drawn.
    public var hasForeground: Bool { !lines.isEmpty || !places.isEmpty }
}

extension MapContent {
    /// The colour scale for flow changes, fitted to the largest |change|; `nil` without flow-change lines.
    public var changeScale: DivergingColorScale? {
        let changes = lines.compactMap { $0.role == .flowChange ? ($0.change ?? 0) : nil }
        return changes.isEmpty ? nil : DivergingColorScale(fitting: changes)
    }

    /// The width scale for path flows, its maximum the largest flow rounded up; `nil` without paths.
    public func flowScale(maximumWidth: Double, minimumWidth: Double) -> SqrtWidthScale? {
        let flows = lines.compactMap { $0.role == .route ? $0.flow : nil }.filter { $0 > 0 }
        guard let largest = flows.max() else { return nil }
        return SqrtWidthScale(maximumValue: NiceNumber.ceiling(largest), maximumWidth: maximumWidth, minimumWidth: minimumWidth)
    }
}

/// How a simulation path compares between the two runs.
public enum PathChange: String, Hashable, Sendable {
    /// The same OD pair uses the same path in both runs (drawn once, with its scenario flow).
    case unchanged
    /// Used only after the interventions: where flow was pushed to.
    case scenarioOnly
    /// Used only before: the path the interventions cut or made unattractive.
    case baselineOnly
    /// A path without a `phase` (not part of a before/after pair).
    case single
}

extension MapContent {
    /// For each route line (by index in `lines`), how it compares between baseline and
    /// scenario: paths with the same origin, destination and geometry in both runs are unchanged.
    /// - Complexity: O(n) in the number of path vertices.
    public func pathChanges() -> [Int: PathChange] {
        struct Key: Hashable { var origin: String?; var destination: String?; var parts: [[Coordinate]] }
        var phases: [Key: Set<String>] = [:]
        func key(_ line: MapLine) -> Key {
            Key(origin: line.properties["origin"]?.stringValue, destination: line.properties["destination"]?.stringValue,
                parts: line.parts)
        }
        for line in lines where line.role == .route {
            if let phase = line.phase { phases[key(line), default: []].insert(phase) }
        }
        var result: [Int: PathChange] = [:]
        for (i, line) in lines.enumerated() where line.role == .route {
            guard let phase = line.phase, let present = phases[key(line)] else {
                result[i] = .single
                continue
            }
            if present.contains("baseline") && present.contains("scenario") {
                result[i] = .unchanged
            } else {
                result[i] = phase == "baseline" ? .baselineOnly : phase == "scenario" ? .scenarioOnly : .single
            }
        }
        return result
    }
}
