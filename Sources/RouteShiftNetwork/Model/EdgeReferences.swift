import RouteShiftCore
import RouteShiftGraph

/// Resolves the names people give to parts of a network (an edge id, a border
/// section `HU-RS-003`, a border `HU-RS`, a hub, a country) to edge rows.
///
/// One index, built once, behind both a closure given on the command line and
/// an intervention in a scenario file, so that both accept the same names with
/// the same meaning. Errors are `InputError`s at the location the caller passes
/// (a scenario file's line and key path, or nothing), with the nearest names.
public struct EdgeReferences: Sendable {
    public let network: RouteNetwork
    private let segmentRows: [String: [Int]]
    private let borderRows: [String: [Int]]
    private let countryRows: [String: [Int]]

    /// Indexes the `segment` and `border` attributes, and the countries of border and sea crossings.
    /// - Complexity: O(E).
    public init(network: RouteNetwork) {
        self.network = network
        var segments: [String: [Int]] = [:], borders: [String: [Int]] = [:], countries: [String: [Int]] = [:]
        if let columns = network.edgeAttributes {
            for row in 0..<network.edgeCount {
                if let s = columns.segment[row] { segments[s.uppercased(), default: []].append(row) }
                if let b = columns.border[row] {
                    borders[NetworkSchema.borderKey(b), default: []].append(row)
                    let kind = columns.kind[row]
                    if kind == .border || kind == .sea {
                        for c in Set(b.uppercased().split(separator: "-").map(String.init)) { countries[c, default: []].append(row) }
                    }
                }
            }
        }
        segmentRows = segments; borderRows = borders; countryRows = countries
    }

    /// Segment ids (upper case), sorted.
    public var segments: [String] { segmentRows.keys.sorted() }
    /// Border keys (`NetworkSchema.borderKey`), sorted.
    public var borders: [String] { borderRows.keys.sorted() }
    /// Countries with a border or sea crossing, sorted.
    public var countries: [String] { countryRows.keys.sorted() }

    /// Edge rows a reference names, tried in this order: a numeric edge id, a
    /// segment id, a border (either order of the pair), a hub (its incident edges).
    /// - Complexity: O(1) average for ids, segments and borders; O(E) for a hub.
    public func rows(of reference: String, at location: InputLocation = InputLocation()) throws -> [Int] {
        let t = reference.trimmingWhitespace()
        if let id = Int64(t), let row = network.graph.edgeIndex(of: id) { return [Int(row)] }
        if let rows = segmentRows[t.uppercased()] { return rows }
        if let rows = borderRows[NetworkSchema.borderKey(t)] { return rows }
        if let node = try? network.resolveNode(t) { return incidentRows(node) }
        var candidates = segments + borders + network.nodeNames.values.sorted()
        if candidates.isEmpty { candidates = network.edges.ids.prefix(200_000).map(String.init) }
        throw InputError("unknown edge, segment, border or hub '\(reference)'", at: location,
                         suggestions: NearestMatch.suggestions(for: t, among: candidates))
    }

    /// Edge rows of a segment id (case-insensitive) or a numeric edge id.
    public func rows(ofSegment segment: String, at location: InputLocation = InputLocation()) throws -> [Int] {
        let t = segment.trimmingWhitespace()
        if let rows = segmentRows[t.uppercased()] { return rows }
        if let id = Int64(t), let row = network.graph.edgeIndex(of: id) { return [Int(row)] }
        throw InputError("unknown segment '\(segment)'", at: location,
                         suggestions: NearestMatch.suggestions(for: t, among: segments))
    }

    /// Edge rows of a border (`HU-RS`, either order).
    public func rows(ofBorder border: String, at location: InputLocation = InputLocation()) throws -> [Int] {
        if let rows = borderRows[NetworkSchema.borderKey(border.trimmingWhitespace())] { return rows }
        throw InputError("unknown border '\(border)'", at: location,
                         suggestions: NearestMatch.suggestions(for: border, among: borders))
    }

    /// Edge rows incident to a hub (node name or id).
    public func rows(ofHub hub: String, at location: InputLocation = InputLocation()) throws -> [Int] {
        if let node = try? network.resolveNode(hub) { return incidentRows(node) }
        throw InputError("unknown hub '\(hub)'", at: location,
                         suggestions: NearestMatch.suggestions(for: hub, among: network.nodeNames.values.sorted()))
    }

    /// Edge rows of every border and sea crossing of a country (ISO 3166-1 alpha-2).
    public func rows(ofCountry country: String, at location: InputLocation = InputLocation()) throws -> [Int] {
        if let rows = countryRows[country.uppercased()] { return rows }
        throw InputError("no border or sea crossing of country '\(country)'", at: location,
                         suggestions: NearestMatch.suggestions(for: country, among: countries, maxDistance: 1))
    }

    /// Rows of the edges with `node` as an endpoint, in row order.
    /// - Complexity: O(E).
    private func incidentRows(_ node: Int64) -> [Int] {
        (0..<network.edgeCount).filter { network.edges.sources[$0] == node || network.edges.targets[$0] == node }
    }
}
