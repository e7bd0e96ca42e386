import RouteShiftCore
import RouteShiftGeodesy
import RouteShiftGeoJSON
import RouteShiftGeometry
import RouteShiftNetwork

/// Derives RouteShift's bundled route network from the Geodata sources:
/// land-border sections (GEOS shared boundaries of Natural Earth countries),
/// a crossing edge per section, hubs, overland legs inside each country and
/// checked sea crossings.
///
/// Deterministic: the same sources and options give byte-identical outputs.
///
/// ```swift
/// let build = try GeodataBuilder().build(geodataDirectory: "Geodata")
/// try build.write(to: "Geodata")    // network.geojson, segments.geojson, build-report.json
/// ```
public struct GeodataBuilder: Sendable {
    public struct Options: Hashable, Sendable {
        /// Longest border section, km (geodesic).
        public var maxSectionKm = 25.0
        /// Legs from each node to its `legsK` nearest nodes in the same country.
        public var legsK = 4
        /// Leg cost = geodesic km × `detourFactor` (roads are longer than the chord).
        public var detourFactor = 1.3
        /// Added to the cost of every land-border crossing (km-equivalent): stands for
        /// the time a crossing takes, and stops shortest paths from zig-zagging
        /// across a border whose two sides both have legs running along it.
        public var borderCrossingCost = 10.0
        /// How far inside each country a border side is placed, km.
        public var borderSideOffsetKm = 1.0
        /// A leg may leave its country polygon by this much (a buffer in degrees,
        /// about 5 km north–south and 3.5 km east–west at 45°N): coast-hugging
        /// legs and towns on a coastline stay in, legs across a sea or a neighbour do not.
        public var legToleranceDegrees = 0.05
        /// A leg leaving its (buffered) country only over water is kept when at
        /// most this fraction of it is at sea; through another country, never.
        public var legMaximumSeaFraction = 0.2
        /// Radius around a sea crossing's hubs where a coastal approach over land may start, km.
        public var seaEndpointAllowanceKm = 10.0
        /// Longest coastal approach over land at either end of a sea crossing, km.
        public var seaApproachMaxKm = 60.0
        /// Spacing of the densified sea-crossing geodesic, km.
        public var seaDensifyKm = 10.0
        /// Shared-boundary pieces shorter than this are digitising slivers, not borders, km.
        public var minimumBorderPartKm = 0.1
        /// Snap tolerance (degrees) for pairs whose exact intersection has no lines.
        public var snapToleranceDegrees = 1e-6

        public init(maxSectionKm: Double = 25, legsK: Int = 4, detourFactor: Double = 1.3) {
            self.maxSectionKm = maxSectionKm
            self.legsK = legsK
            self.detourFactor = detourFactor
        }

        func validate() throws {
            guard maxSectionKm.isFinite, maxSectionKm > 0 else { throw InputError("maximum section length \(maxSectionKm) km must be positive") }
            guard legsK >= 1 else { throw InputError("legs k = \(legsK) must be at least 1") }
            guard detourFactor.isFinite, detourFactor >= 1 else { throw InputError("detour factor \(detourFactor) must be at least 1") }
        }
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Reads the sources in `geodataDirectory` and builds the network.
    public func build(geodataDirectory: String, referenceYear: Int = 2023) throws -> GeodataBuild {
        try build(try GeodataSources.read(directory: geodataDirectory, referenceYear: referenceYear))
    }

    /// Builds and checks the network.
    /// - Throws: `InputError` for inconsistent sources (a sea crossing naming an
    ///   unknown hub, a hub in an unknown country), `GeodataCheckFailure` when the
    ///   result fails a reachability check, `GEOSError` from GEOS.
    /// - Complexity: dominated by the GEOS overlays of the touching country pairs and
    ///   the land union; legs are O(Σ n_c² log n_c) over the nodes n_c of each country.
    public func build(_ sources: GeodataSources) throws -> GeodataBuild {
        try options.validate()
        let engine = try GeometryEngine()
        let geodesic = Geodesic.wgs84
        let countries = sources.countries
        let countryIndex = Dictionary(uniqueKeysWithValues: countries.enumerated().map { ($1.code, $0) })
        let subregions = Dictionary(uniqueKeysWithValues: countries.map { ($0.code, $0.subregion) })
        let polygons = try countries.map { try engine.geometry($0.geometry) }
        let prepared = try polygons.map { try engine.prepare($0) }

        // Borders.
        let (sections, borderStats) = try BorderDerivation.sections(
            countries: countries, polygons: polygons, engine: engine,
            parameters: .init(maxSectionKm: options.maxSectionKm, minimumPartKm: options.minimumBorderPartKm,
                              snapTolerance: options.snapToleranceDegrees),
            attributes: sources.borderAttributes,
            route: { LandBorderRoutes.label(for: $0, subregion: { subregions[$0] ?? "" })?.rawValue })

        // Nodes: hubs 1…, border sides from 100001 (two per section, first country first).
        var nodes: [NetworkNode] = []
        var hubNode: [String: Int] = [:]
        for hub in sources.hubs {
            guard countryIndex[hub.country] != nil else {
                throw InputError("hub \(hub.id) is in country '\(hub.country)', which countries.geojson does not have")
            }
            hubNode[hub.id] = nodes.count
            nodes.append(NetworkNode(id: Int64(nodes.count + 1), name: hub.id, kind: .hub, country: hub.country,
                                     coordinate: hub.coordinate, roles: hub.roles, displayName: hub.name,
                                     population: hub.population))
        }
        precondition(nodes.count < 100_000, "hub ids would run into border-side ids")
        var edges: [NetworkEdge] = []
        for (k, section) in sections.enumerated() {
            let a = countryIndex[section.pair.first]!, b = countryIndex[section.pair.second]!
            let (sideA, mid, sideB) = try borderSides(section, inside: prepared[a], prepared[b], engine: engine)
            let idA = Int64(100_001 + 2 * k), idB = idA + 1
            for (id, code, c) in [(idA, section.pair.first, sideA), (idB, section.pair.second, sideB)] {
                nodes.append(NetworkNode(id: id, name: "\(section.id):\(code)", kind: .borderSide, country: code,
                                         coordinate: c, roles: [], displayName: "\(section.id) (\(code) side)",
                                         population: nil, segment: section.id))
            }
            let line = [sideA, mid, sideB]
            let km = rounded(geodesic.length(of: line) / 1000)
            let cost = rounded(km + options.borderCrossingCost)
            edges.append(NetworkEdge(id: Int64(k + 1), source: idA, target: idB, cost: cost, reverseCost: cost,
                                     kind: .border, lengthKm: km, line: line, segment: section.id,
                                     border: section.pair.id, route: section.route, attributes: section.attributes))
        }
        precondition(sections.count < 100_000, "border edge ids would run into sea edge ids")

        // Sea crossings.
        let land = try engine.unaryUnion(polygons)
        let seaCheck = try SeaCrossingCheck(engine: engine, land: land, endpointAllowanceKm: options.seaEndpointAllowanceKm,
                                            approachMaxKm: options.seaApproachMaxKm, densifyKm: options.seaDensifyKm)
        var crossings: [SeaCrossing] = []
        var excluded: [ExcludedCrossing] = []
        for source in sources.seaCrossings {
            guard let from = hubNode[source.fromHub], let to = hubNode[source.toHub] else {
                let missing = hubNode[source.fromHub] == nil ? source.fromHub : source.toHub
                throw InputError("sea crossing \(source.id) names unknown hub '\(missing)'",
                                 suggestions: NearestMatch.suggestions(for: missing, among: Array(hubNode.keys)))
            }
            let line: [Coordinate], waypoints: [Coordinate]
            switch try seaCheck.route(from: nodes[from].coordinate, to: nodes[to].coordinate) {
            case .direct(let l): (line, waypoints) = (l, [])
            case .detour(let l, let w): (line, waypoints) = (l, w)
            case .fails(let landKm):
                excluded.append(ExcludedCrossing(
                    id: source.id, reason: "crosses \(rounded(landKm, 1)) km of land away from its coastal approaches, no detour found",
                    landKm: rounded(landKm, 1)))
                continue
            }
            let a = nodes[from].country, b = nodes[to].country
            // A domestic crossing with checks of its own (a SEA- row whose surveillance is not
            // `none`: the ferries from Ceuta and Melilla to the mainland) is a crossing, one way.
            let checked = sources.borderAttributes["SEA-" + source.id].map { $0.surveillance != "none" } ?? false
            crossings.append(SeaCrossing(source: source, segment: "SEA-" + source.id, line: line,
                                         lengthKm: rounded(geodesic.length(of: line) / 1000),
                                         border: a == b ? a : BorderPair(a, b).id, isDomestic: a == b && !checked,
                                         waypoints: waypoints))
        }
        var hasEdge = Set<Int64>()
        for (i, crossing) in crossings.enumerated() {
            let from = nodes[hubNode[crossing.source.fromHub]!].id, to = nodes[hubNode[crossing.source.toHub]!].id
            // Irregular crossings run one way, departure → arrival; domestic ferries both ways.
            // A `SEA-<id>` row of border_attributes.csv gives a crossing its (dated) surveillance,
            // status and price, as a land border's: the bridge and ferries between two Schengen
            // states are `none` (a ticket, no checks) until a state reintroduces checks.
            edges.append(NetworkEdge(
                id: Int64(100_001 + i), source: from, target: to, cost: crossing.lengthKm,
                reverseCost: crossing.isDomestic ? crossing.lengthKm : -1, kind: crossing.isDomestic ? .ferry : .sea,
                lengthKm: crossing.lengthKm, line: crossing.line, segment: crossing.segment, border: crossing.border,
                route: crossing.source.route.isEmpty ? nil : crossing.source.route, risk: crossing.source.risk,
                attributes: Self.seaHistory(sources.borderAttributes[crossing.segment], price: crossing.source.price),
                price: crossing.source.price))
            hasEdge.insert(from)
            hasEdge.insert(to)
        }
        for edge in edges where edge.kind == .border {
            hasEdge.insert(edge.source)
            hasEdge.insert(edge.target)
        }

        // Air legs: one way, along the geodesic (drawn every 50 km), ids from 300001.
        for (i, leg) in sources.airLegs.enumerated() {
            guard let from = hubNode[leg.fromHub], let to = hubNode[leg.toHub] else {
                let missing = hubNode[leg.fromHub] == nil ? leg.fromHub : leg.toHub
                throw InputError("air leg \(leg.id) names unknown hub '\(missing)'",
                                 suggestions: NearestMatch.suggestions(for: missing, among: Array(hubNode.keys)))
            }
            let a = nodes[from], b = nodes[to]
            let line = geodesic.densified([a.coordinate, b.coordinate], maximumSpacing: 50_000)
            let km = rounded(geodesic.length(of: line) / 1000)
            edges.append(NetworkEdge(
                id: Int64(300_001 + i), source: a.id, target: b.id, cost: km, reverseCost: -1, kind: .air,
                lengthKm: km, line: line, segment: "AIR-" + leg.id,
                border: a.country == b.country ? a.country : BorderPair(a.country, b.country).id, route: nil, risk: 0,
                attributes: BorderAttributes(barrier: "none", surveillance: "none", status: "open"), price: leg.price))
            hasEdge.insert(a.id)
            hasEdge.insert(b.id)
        }

        // Legs.
        let legs = try LegPlanner(engine: engine, geodesic: geodesic, k: options.legsK,
                                  toleranceDegrees: options.legToleranceDegrees, land: seaCheck.land,
                                  maximumSeaFraction: options.legMaximumSeaFraction)
            .legs(nodes: nodes, countryPolygons: Dictionary(uniqueKeysWithValues: countries.indices.map { (countries[$0].code, polygons[$0]) }),
                  prepared: Dictionary(uniqueKeysWithValues: countries.indices.map { (countries[$0].code, prepared[$0]) }),
                  alreadyConnected: hasEdge, exclaves: Set(sources.exclaves))
        for (i, leg) in legs.enumerated() {
            let a = nodes[leg.a], b = nodes[leg.b]
            let km = rounded(leg.km)
            let cost = rounded(leg.km * options.detourFactor)
            edges.append(NetworkEdge(id: Int64(200_001 + i), source: a.id, target: b.id, cost: cost, reverseCost: cost,
                                     kind: .leg, lengthKm: km, line: [a.coordinate, b.coordinate], country: a.country,
                                     flag: leg.leavesCountry ? "leaves-country" : nil))
        }

        nodes.sort { $0.id < $1.id }
        edges.sort { $0.id < $1.id }
        try Self.attach(sources.entryRules, to: &edges, countryOf: Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, $0.country) }))
        let result = GeodataBuild(nodes: nodes, edges: edges, sections: sections, seaCrossings: crossings,
                                  excludedCrossings: excluded, borderStats: borderStats,
                                  countryCount: countries.count, options: options)
        try GeodataChecks.verify(result)
        return result
    }

    /// Puts each entry rule on the edges of its element: a border pair (every section), a
    /// section id, or the segment of a sea crossing (`SEA-<id>`) or an air leg (`AIR-<id>`).
    /// A rule into or out of a country acts on each edge in the direction that enters or
    /// leaves it (`countryOf`: the country of each node id).
    /// - Throws: `InputError` at the rule's line for an element the network does not have
    ///   (nearest valid ids suggested), or a direction none of an edge's arcs takes (a
    ///   country the element does not join, the absent way of a one-way edge).
    /// - Complexity: O(E + rules × edges of their element).
    static func attach(_ rules: [EntryRuleSource], to edges: inout [NetworkEdge], countryOf: [Int64: String]) throws {
        guard !rules.isEmpty else { return }
        var rowsOf: [String: [Int]] = [:]
        for (row, e) in edges.enumerated() {
            if let segment = e.segment { rowsOf[segment, default: []].append(row) }
            if e.kind == .border, let border = e.border { rowsOf[border, default: []].append(row) }
        }
        for r in rules {
            let key = r.element.contains("-") && !r.element.hasPrefix("SEA-") && !r.element.hasPrefix("AIR-")
                && r.element.split(separator: "-").count == 2 ? NetworkSchema.borderKey(r.element) : r.element
            guard let rows = rowsOf[key] else {
                throw InputError("entry rule for \(InputError.excerpt(r.element)), which is not a border, section, sea crossing or air leg of the network",
                                 at: r.location, suggestions: NearestMatch.suggestions(for: r.element, among: rowsOf.keys.sorted()))
            }
            for row in rows {
                var rule = r.rule
                let from = countryOf[edges[row].source], to = countryOf[edges[row].target]
                let country: String, into: Bool
                switch r.way {
                case .both:
                    edges[row].entry.append(rule)
                    continue
                case .into(let c): country = c; into = true
                case .outOf(let c): country = c; into = false
                }
                let forward = into ? (to == country && from != country) : (from == country && to != country)
                let backward = into ? (from == country && to != country) : (to == country && from != country)
                guard forward || (backward && edges[row].reverseCost >= 0) else {
                    let way = (into ? "into " : "out of ") + country
                    let ends = "\(from ?? "?") to \(to ?? "?")" + (edges[row].reverseCost < 0 ? ", one way" : "")
                    throw InputError("entry rule for \(InputError.excerpt(r.element)) acts \(way), which its edge \(edges[row].id) (\(ends)) never takes",
                                     at: r.location, suggestions: [from, to].compactMap { $0 }.filter { $0 != country })
                }
                rule.direction = forward ? .forward : .backward
                edges[row].entry.append(rule)
            }
        }
    }

    /// The two border-side points of a section and its midpoint: perpendicular to
    /// the section at its geodesic midpoint, `borderSideOffsetKm` into each country
    /// (shorter when the country is narrower there; on the midpoint itself as a last resort).
    private func borderSides(_ section: BorderSection, inside a: PreparedGeometry, _ b: PreparedGeometry,
                             engine: GeometryEngine) throws -> (Coordinate, Coordinate, Coordinate) {
        let geodesic = Geodesic.wgs84
        let length = section.lengthKm * 1000
        let mid = geodesic.point(along: section.line, atDistance: length / 2)!
        let delta = min(500, length / 4)
        let p = geodesic.point(along: section.line, atDistance: length / 2 - delta)!
        let q = geodesic.point(along: section.line, atDistance: length / 2 + delta)!
        let azimuth = geodesic.inverse(from: p, to: q).initialAzimuth
        for offset in [options.borderSideOffsetKm, options.borderSideOffsetKm / 4, options.borderSideOffsetKm / 16] {
            let left = geodesic.direct(from: mid, azimuth: azimuth - 90, distance: offset * 1000)
            let right = geodesic.direct(from: mid, azimuth: azimuth + 90, distance: offset * 1000)
            let l = try engine.point(left), r = try engine.point(right)
            if try a.covers(l), try b.covers(r) { return (left, mid, right) }
            if try a.covers(r), try b.covers(l) { return (right, mid, left) }
        }
        return (mid, mid, mid)
    }
}

extension GeodataBuilder {
    /// The dated states of a sea crossing (its `SEA-` rows) with the crossing's own recorded
    /// price (`sea_crossings.csv`) in every state that records none, and, when the first row has
    /// a day, the defaults with that price before it: a row that changes the checks of a
    /// crossing (a coast guard from a given day) does not change what the passage costs.
    static func seaHistory(_ rows: BorderAttributes?, price: Double?) -> BorderAttributes {
        guard var history = rows else { return .default }
        guard let price else { return history }
        history.price = history.price ?? price
        history.earlier = history.earlier.map { state in
            var s = state
            s.price = s.price ?? price
            return s
        }
        if history.since != nil {
            // Without a day: in force before every dated state (`EdgeAttributeColumns.state(ofRow:on:)`).
            var before = BorderAttributes.default
            before.price = price
            history.earlier.insert(before, at: 0)
        }
        return history
    }
}
