import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork

/// A country polygon from `Geodata/countries.geojson` (Natural Earth 1:10m admin-0).
public struct Country: Hashable, Sendable {
    /// ISO 3166-1 alpha-2 (Natural Earth `ISO_A2_EH`, Kosovo `XK`), property `code`.
    public var code: String
    public var name: String
    /// UN subregion (Natural Earth `SUBREGION`), used for the fallback route label.
    public var subregion: String
    /// `Polygon` or `MultiPolygon`, WGS84 degrees.
    public var geometry: Geometry
}

/// A place from `Geodata/hubs.csv` (GeoNames-resolved).
public struct Hub: Hashable, Sendable {
    /// Unique slug, e.g. `athens`: the network node's `name`.
    public var id: String
    public var name: String
    public var country: String
    public var coordinate: Coordinate
    public var population: Int?
    /// e.g. `origin`, `hub`, `transit`, `departure`, `arrival`, `destination`.
    public var roles: [String]
}

/// A maritime leg from `Geodata/sources/sea_crossings.csv`.
public struct SeaCrossingSource: Hashable, Sendable {
    public var id: String
    public var fromHub: String
    public var toHub: String
    public var route: String
    /// Expected deaths and missing per 1,000 crossings.
    public var risk: Double?
    /// The recorded price of the crossing per person, euros (`price_eur`; `nil`: none recorded).
    public var price: Double?
}

/// A flight from `Geodata/sources/air_legs.csv` to an entry point some nationalities
/// could reach by air (Minsk in 2021): an `air` edge, one way, open to whom the
/// entry rules (`entry_rules.csv`) say.
public struct AirLegSource: Hashable, Sendable {
    public var id: String
    public var fromHub: String
    public var toHub: String
    /// The recorded price of the journey per person (flight, visa, hotel), euros.
    public var price: Double?
}

/// One row of `Geodata/sources/entry_rules.csv`: an entry rule (`EntryRule`) of the edges
/// of `element` (a border `AZ-RU`, a section `FI-RU-004`, a sea crossing `SEA-<id>` or an
/// air leg `AIR-<id>`), the way it acts on them, and the line it was read from.
public struct EntryRuleSource: Hashable, Sendable {
    /// The way a rule acts on its element's edges (`direction` and `country` of the row).
    public enum Way: Hashable, Sendable {
        /// Both ways (`both`, or the columns absent).
        case both
        /// Travel into the country (two-letter code, as in `countries.geojson`).
        case into(String)
        /// Travel out of the country.
        case outOf(String)
    }

    public var element: String
    /// `rule.direction` is `both` here; `GeodataBuilder.attach` turns `way` into each edge's direction.
    public var rule: EntryRule
    public var way: Way
    public var location: InputLocation

    public init(element: String, rule: EntryRule, way: Way = .both, location: InputLocation) {
        self.element = element; self.rule = rule; self.way = way; self.location = location
    }
}

/// Default barrier, surveillance and status of a land border (or one section),
/// from `Geodata/sources/border_attributes.csv`.
public struct BorderAttributes: Hashable, Sendable {
    public var barrier: String
    /// `none` (no systematic checks: crossed as an ordinary traveller), `low`, `medium`, `high`.
    public var surveillance: String
    public var status: String
    /// The recorded price of crossing per person, euros (`price_eur`; `nil`: none recorded).
    public var price: Double?
    /// The day these attributes took effect (`YYYY-MM-DD`); before it the border had the
    /// `earlier` states, and before the first of them the defaults (`none`/`medium`/`open`,
    /// no recorded price). `nil`: always.
    public var since: String?
    /// The states in force before `since`, oldest first, each with its own `since` (each
    /// holds until the next one's); empty when the border had only the defaults before.
    public var earlier: [BorderAttributes]

    public init(barrier: String, surveillance: String, status: String, price: Double? = nil, since: String? = nil,
                earlier: [BorderAttributes] = []) {
        self.barrier = barrier
        self.surveillance = surveillance
        self.status = status
        self.price = price
        self.since = since
        self.earlier = earlier
    }

    /// This history with `state` added at its `since` (it must have one): the latest state stays
    /// the main one, the others move to `earlier`, oldest first.
    /// - Returns: `nil` when the history already has a state from that day, or one without a day.
    func adding(_ state: BorderAttributes) -> BorderAttributes? {
        guard let day = state.since else { return nil }
        var states = earlier + [BorderAttributes(barrier: barrier, surveillance: surveillance, status: status,
                                                 price: price, since: since)]
        guard states.allSatisfy({ $0.since != nil && $0.since != day }) else { return nil }
        states.append(state)
        states.sort { $0.since! < $1.since! }
        var latest = states.removeLast()
        latest.earlier = states
        return latest
    }

    /// Where the table says nothing: no barrier, medium surveillance, open.
    public static let `default` = BorderAttributes(barrier: "none", surveillance: "medium", status: "open")
}

/// Everything the builder reads, as plain values.
public struct GeodataSources: Sendable {
    public var countries: [Country]
    public var hubs: [Hub]
    public var seaCrossings: [SeaCrossingSource]
    /// Whole-border defaults keyed by pair (`HU-RS`) and per-section overrides keyed by segment id.
    public var borderAttributes: [String: BorderAttributes]
    public var airLegs: [AirLegSource]
    /// In file order (the last rule in force that names a nationality decides).
    public var entryRules: [EntryRuleSource]
    /// Hubs whose polygon part is an exclave that no leg joins to the rest of its country
    /// (`sources/exclaves.csv`: Ceuta, Melilla).
    public var exclaves: [String]

    public init(countries: [Country], hubs: [Hub], seaCrossings: [SeaCrossingSource],
                borderAttributes: [String: BorderAttributes] = [:], airLegs: [AirLegSource] = [],
                entryRules: [EntryRuleSource] = [], exclaves: [String] = []) {
        self.countries = countries
        self.hubs = hubs
        self.seaCrossings = seaCrossings
        self.borderAttributes = borderAttributes
        self.airLegs = airLegs
        self.entryRules = entryRules
        self.exclaves = exclaves
    }

    /// Reads `countries.geojson`, `hubs.csv`, `sources/sea_crossings.csv` and,
    /// when present, `sources/border_attributes.csv` from a Geodata directory.
    /// - Throws: `InputError` naming the file, line and column of bad input.
    /// - Parameter referenceYear: the year the network describes: Schengen members
    ///   that joined later keep checked borders (default 2023, the example demand's year).
    public static func read(directory: String, referenceYear: Int = 2023) throws -> GeodataSources {
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let countries = try readCountries(path: dir + "/countries.geojson")
        let hubs = try readHubs(path: dir + "/hubs.csv")
        let sea = try readSeaCrossings(path: dir + "/sources/sea_crossings.csv")
        let attributesPath = dir + "/sources/border_attributes.csv"
        let countryOf = Dictionary(uniqueKeysWithValues: hubs.map { ($0.id, $0.country) })
        var pairOf: [String: String] = [:]
        for c in sea {
            if let a = countryOf[c.fromHub], let b = countryOf[c.toHub] { pairOf[c.id] = a == b ? a : BorderPair(a, b).id }
        }
        var attributes = FileManager.default.fileExists(atPath: attributesPath)
            ? try readBorderAttributes(path: attributesPath, seaCrossings: pairOf) : [:]
        let schengenPath = dir + "/sources/schengen_members.csv"
        if FileManager.default.fileExists(atPath: schengenPath) {
            let joined = try readSchengenJoinYears(path: schengenPath)
            let members = joined.filter { $0.value <= referenceYear }.keys.sorted()
            // Internal Schengen borders have no systematic checks (Schengen Borders Code, Art. 22):
            // surveillance `none`, crossed without a smuggler, since the later of the two joined;
            // rows of border_attributes.csv still win: a row without a day, or one from that day
            // or later, keeps the Schengen state out; earlier rows hold until the day of joining.
            for a in members { for b in members where a < b {
                let key = "\(a)-\(b)"
                let schengen = BorderAttributes(barrier: "none", surveillance: "none", status: "open",
                                                since: "\(max(joined[a]!, joined[b]!))-01-01")
                guard let rows = attributes[key] else { attributes[key] = schengen; continue }
                if let since = rows.since, since < schengen.since!, let merged = rows.adding(schengen) {
                    attributes[key] = merged
                }
            } }
        }
        let airPath = dir + "/sources/air_legs.csv", rulesPath = dir + "/sources/entry_rules.csv"
        let air = FileManager.default.fileExists(atPath: airPath) ? try readAirLegs(path: airPath) : []
        let rules = FileManager.default.fileExists(atPath: rulesPath) ? try readEntryRules(path: rulesPath) : []
        let exclavesPath = dir + "/sources/exclaves.csv"
        let exclaves = FileManager.default.fileExists(atPath: exclavesPath)
            ? try readExclaves(path: exclavesPath, hubs: Set(hubs.map(\.id))) : []
        return GeodataSources(countries: countries, hubs: hubs, seaCrossings: sea, borderAttributes: attributes,
                              airLegs: air, entryRules: rules, exclaves: exclaves)
    }

    /// Rows `hub,source` of `exclaves.csv`: hubs of `hubs.csv` whose polygon part is an exclave.
    /// - Throws: `InputError` at the line of a hub that `hubs.csv` lacks, with the nearest ids.
    public static func readExclaves(path: String, hubs: Set<String>) throws -> [String] {
        let table = try SourceTable(path: path)
        let hub = try table.column("hub")
        _ = try table.column("source")
        return try table.rows.map { line, row in
            let id = table.field(row, hub)
            guard hubs.contains(id) else {
                throw InputError("exclave hub \(InputError.excerpt(id)) is not in hubs.csv", at: table.location(line: line, column: "hub"),
                                 suggestions: NearestMatch.suggestions(for: id, among: hubs.sorted()))
            }
            return id
        }.sorted()
    }

    /// Rows `id,from_hub,to_hub,price_eur,...` of `air_legs.csv`, sorted by id.
    public static func readAirLegs(path: String) throws -> [AirLegSource] {
        let table = try SourceTable(path: path)
        let id = try table.column("id"), from = try table.column("from_hub"), to = try table.column("to_hub")
        let price = table.optionalColumn("price_eur")
        var seen = Set<String>()
        return try table.rows.map { line, row in
            let leg = AirLegSource(id: table.field(row, id), fromHub: table.field(row, from), toHub: table.field(row, to),
                                   price: try price.flatMap { try priceValue(table, line: line, row: row, column: $0) })
            guard !leg.id.isEmpty, !leg.fromHub.isEmpty, !leg.toHub.isEmpty else {
                throw InputError("an air leg needs id, from_hub and to_hub", at: table.location(line: line))
            }
            guard seen.insert(leg.id).inserted else {
                throw InputError("air leg id '\(leg.id)' is repeated", at: table.location(line: line, column: "id"))
            }
            return leg
        }.sorted { $0.id < $1.id }
    }

    /// Rows `element,nationalities,access,from,until,direction,country,source` of `entry_rules.csv`,
    /// in file order: `nationalities` `*` or ISO alpha-3 codes separated by `;`, `access` `barred`
    /// or `open`, `from`/`until` empty, `YYYY`, `YYYY-MM` or a day (`until`: the first day no
    /// longer in force), `direction` `both` (or empty), `into` or `out-of` the two-letter
    /// `country` (which must be empty for `both`). Without the two columns every rule acts both ways.
    /// - Throws: `InputError` at the file, line and column, quoting the value, with the nearest valid word.
    public static func readEntryRules(path: String) throws -> [EntryRuleSource] {
        let table = try SourceTable(path: path)
        let element = try table.column("element"), nationalities = try table.column("nationalities")
        let access = try table.column("access"), from = try table.column("from"), until = try table.column("until")
        _ = try table.column("source")
        let direction = table.optionalColumn("direction"), country = table.optionalColumn("country")
        return try table.rows.map { line, row in
            let e = table.field(row, element)
            guard !e.isEmpty else { throw InputError("an entry rule needs an element", at: table.location(line: line, column: "element")) }
            let a = table.field(row, access)
            guard let kind = EntryRule.Access(rawValue: a) else {
                let valid = EntryRule.Access.allCases.map(\.rawValue)
                throw InputError("access \(InputError.excerpt(a)) is not one of \(valid.joined(separator: ", "))",
                                 at: table.location(line: line, column: "access"),
                                 suggestions: NearestMatch.suggestions(for: a, among: valid))
            }
            let list = try EntryRule.parseNationalities(table.field(row, nationalities),
                                                        at: table.location(line: line, column: "nationalities"))
            let start = try calendarDayValue(table, line: line, row: row, column: from, name: "from")
            let end = try calendarDayValue(table, line: line, row: row, column: until, name: "until")
            if let start, let end, start >= end {
                throw InputError("until '\(end)' must be after from '\(start)'", at: table.location(line: line, column: "until"))
            }
            let word = direction.map { table.field(row, $0) } ?? "", code = country.map { table.field(row, $0) } ?? ""
            let way: EntryRuleSource.Way
            switch word {
            case "", "both":
                guard code.isEmpty else {
                    throw InputError("country '\(InputError.excerpt(code))' needs direction into or out-of",
                                     at: table.location(line: line, column: "direction"), suggestions: ["into", "out-of"])
                }
                way = .both
            case "into", "out-of":
                guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                    throw InputError("direction \(word) needs the two-letter code of a country, found '\(InputError.excerpt(code))'",
                                     at: table.location(line: line, column: "country"),
                                     suggestions: code.count == 2 ? [code.uppercased()] : [])
                }
                way = word == "into" ? .into(code) : .outOf(code)
            default:
                let valid = ["both", "into", "out-of"]
                throw InputError("direction '\(InputError.excerpt(word))' is not one of \(valid.joined(separator: ", "))",
                                 at: table.location(line: line, column: "direction"),
                                 suggestions: NearestMatch.suggestions(for: word, among: valid))
            }
            return EntryRuleSource(element: e.uppercased().hasPrefix("SEA-") || e.uppercased().hasPrefix("AIR-") ? e : e.uppercased(),
                                   rule: EntryRule(nationalities: list, access: kind, from: start, until: end),
                                   way: way, location: table.location(line: line, column: "element"))
        }
    }

    /// Codes of the Schengen area's members in `year` from `schengen_members.csv` (`code,name,since`).
    public static func readSchengenMembers(path: String, asOf year: Int) throws -> [String] {
        try readSchengenJoinYears(path: path).filter { $0.value <= year }.keys.sorted()
    }

    /// The year each member joined, from `schengen_members.csv`.
    public static func readSchengenJoinYears(path: String) throws -> [String: Int] {
        let table = try SourceTable(path: path)
        let code = try table.column("code"), since = try table.column("since")
        var out: [String: Int] = [:]
        for row in table.rows {
            guard let joined = Int(table.field(row.fields, since)) else {
                throw InputError("'\(table.field(row.fields, since))' is not a year", at: table.location(line: row.line, column: "since"))
            }
            let c = table.field(row.fields, code)
            guard c.count == 2, c.uppercased() == c else {
                throw InputError("'\(c)' is not a two-letter country code", at: table.location(line: row.line, column: "code"))
            }
            out[c] = joined
        }
        return out
    }

    public static func readCountries(path: String) throws -> [Country] {
        let collection = try GeoJSON.readFeatureCollection(path: path)
        var seen = Set<String>()
        var countries: [Country] = []
        for (i, feature) in collection.features.enumerated() {
            let at = InputLocation(file: path, path: "$.features[\(i)]")
            guard case .string(let code)? = feature.properties["code"] ?? feature.properties["ISO_A2_EH"] else {
                throw InputError("a country needs a 'code' (ISO_A2_EH) property", at: at)
            }
            guard code.count == 2, code.uppercased() == code, !seen.contains(code) else {
                throw InputError("country code '\(code)' must be two upper-case letters and unique", at: at)
            }
            seen.insert(code)
            guard let geometry = feature.geometry else { throw InputError("country \(code) has no geometry", at: at) }
            switch geometry {
            case .polygon, .multiPolygon: break
            default: throw InputError("country \(code) must be a Polygon or MultiPolygon, not \(geometry.typeName)", at: at)
            }
            var name = code, subregion = ""
            if case .string(let s)? = feature.properties["name"] { name = s }
            if case .string(let s)? = feature.properties["subregion"] { subregion = s }
            countries.append(Country(code: code, name: name, subregion: subregion, geometry: geometry))
        }
        return countries.sorted { $0.code < $1.code }
    }

    public static func readHubs(path: String) throws -> [Hub] {
        let table = try SourceTable(path: path)
        let id = try table.column("id"), name = try table.column("name"), country = try table.column("country")
        let lon = try table.column("lon"), lat = try table.column("lat")
        let population = table.optionalColumn("population"), roles = table.optionalColumn("roles")
        var seen = Set<String>()
        var hubs: [Hub] = []
        for (line, row) in table.rows {
            let slug = table.field(row, id)
            guard !slug.isEmpty, !seen.contains(slug) else {
                throw InputError("hub id '\(slug)' is empty or repeated", at: table.location(line: line, column: "id"))
            }
            seen.insert(slug)
            guard let x = Double(table.field(row, lon)), let y = Double(table.field(row, lat)) else {
                throw InputError("hub \(slug) has no numeric lon/lat", at: table.location(line: line, column: "lon"))
            }
            let c = Coordinate(longitude: x, latitude: y)
            guard c.isValidGeographic else {
                throw InputError("hub \(slug) position \(c) is outside WGS84 ranges", at: table.location(line: line, column: "lon"))
            }
            hubs.append(Hub(
                id: slug, name: table.field(row, name), country: table.field(row, country), coordinate: c,
                population: population.flatMap { Int(table.field(row, $0)) },
                roles: roles.map { table.field(row, $0).split(separator: ";").map(String.init) } ?? []))
        }
        return hubs.sorted { $0.id < $1.id }
    }

    public static func readSeaCrossings(path: String) throws -> [SeaCrossingSource] {
        let table = try SourceTable(path: path)
        let id = try table.column("id"), from = try table.column("from_hub"), to = try table.column("to_hub")
        let route = try table.column("route")
        let risk = table.optionalColumn("risk_missing_per_1000")
        let price = table.optionalColumn("price_eur")
        return try table.rows.map { line, row in
            let crossing = SeaCrossingSource(
                id: table.field(row, id), fromHub: table.field(row, from), toHub: table.field(row, to),
                route: table.field(row, route), risk: risk.flatMap { Double(table.field(row, $0)) },
                price: try price.flatMap { try priceValue(table, line: line, row: row, column: $0) })
            guard !crossing.id.isEmpty, !crossing.fromHub.isEmpty, !crossing.toHub.isEmpty else {
                throw InputError("a sea crossing needs id, from_hub and to_hub", at: table.location(line: line))
            }
            return crossing
        }.sorted { $0.id < $1.id }
    }

    /// An optional `since` field: empty, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as the first day it
    /// covers (`CalendarDay.firstDay(of:)`), written `YYYY-MM-DD`.
    static func dayValue(_ table: SourceTable, line: Int, row: [String], column: Int, name: String = "since") throws -> String? {
        try calendarDayValue(table, line: line, row: row, column: column, name: name)?.description
    }

    /// An optional day field as `dayValue` reads it.
    /// - Throws: `InputError` at the file, line and column, quoting the value.
    static func calendarDayValue(_ table: SourceTable, line: Int, row: [String], column: Int, name: String) throws -> CalendarDay? {
        let raw = table.field(row, column)
        guard !raw.isEmpty else { return nil }
        guard let day = try? CalendarDay.firstDay(of: raw) else {
            throw InputError("\(name) \(InputError.excerpt(raw)) is not a year, YYYY-MM or YYYY-MM-DD", at: table.location(line: line, column: name))
        }
        return day
    }

    /// An optional `price_eur` field: empty (none recorded) or a finite number ≥ 0.
    static func priceValue(_ table: SourceTable, line: Int, row: [String], column: Int) throws -> Double? {
        let raw = table.field(row, column)
        guard !raw.isEmpty else { return nil }
        guard let x = Double(raw), x.isFinite, x >= 0 else {
            throw InputError("price_eur '\(raw)' is not a number of euros", at: table.location(line: line, column: "price_eur"))
        }
        return x
    }

    /// Rows `border,segment,barrier,surveillance,status,...`: `segment` empty for
    /// the whole border, a section id (`HU-RS-003`), or a sea crossing (`SEA-<id>` of
    /// `sea_crossings.csv`, its `border` the pair of its two hubs' countries, `DK-SE`, or the
    /// one country of a domestic ferry, `ES`). Values are checked against the schema's vocabularies.
    /// - Parameter seaCrossings: the border of each sea crossing by id (`DK-SE`; one code for a
    ///   domestic ferry); when given, a `SEA-` row naming another id or another border is an error.
    public static func readBorderAttributes(path: String, seaCrossings: [String: String]? = nil) throws -> [String: BorderAttributes] {
        let table = try SourceTable(path: path)
        let border = try table.column("border"), segment = try table.column("segment")
        let barrier = try table.column("barrier"), surveillance = try table.column("surveillance")
        let status = try table.column("status")
        let price = table.optionalColumn("price_eur"), since = table.optionalColumn("since")
        var result: [String: BorderAttributes] = [:]
        for (line, row) in table.rows {
            let named = table.field(row, segment)
            let isSea = named.uppercased().hasPrefix("SEA-")
            let written = table.field(row, border).uppercased()
            // A domestic ferry's border is its one country.
            let domestic = isSea && written.count == 2 && written.allSatisfy { $0.isASCII && $0.isLetter }
            guard let borderId = domestic ? written : BorderPair(parsing: written)?.id else {
                throw InputError("border must be a pair like HU-RS (or one country code for a domestic ferry's SEA- row)",
                                 at: table.location(line: line, column: "border"))
            }
            let value = BorderAttributes(barrier: table.field(row, barrier), surveillance: table.field(row, surveillance),
                                         status: table.field(row, status),
                                         price: try price.flatMap { try priceValue(table, line: line, row: row, column: $0) },
                                         since: try since.flatMap { try dayValue(table, line: line, row: row, column: $0) })
            let vocabularies: [(String, String, Set<String>)] = [
                ("barrier", value.barrier, ["none", "fence", "river"]),
                ("surveillance", value.surveillance, ["none", "low", "medium", "high"]),
                ("status", value.status, ["open", "closed"]),
            ]
            for (column, v, allowed) in vocabularies where !allowed.contains(v) {
                throw InputError("\(column) '\(v)' is not one of \(allowed.sorted().joined(separator: ", "))",
                                 at: table.location(line: line, column: column))
            }
            let key = named.isEmpty ? borderId : isSea ? "SEA-" + named.dropFirst(4) : named.uppercased()
            if isSea, let seaCrossings {
                let id = String(key.dropFirst(4))
                guard let border = seaCrossings[id] else {
                    throw InputError("segment \(InputError.excerpt(named)) is not a sea crossing of sea_crossings.csv",
                                     at: table.location(line: line, column: "segment"),
                                     suggestions: NearestMatch.suggestions(for: id, among: seaCrossings.keys.sorted()).map { "SEA-" + $0 })
                }
                guard border == borderId else {
                    throw InputError("sea crossing \(key) is on border \(border), not \(borderId)",
                                     at: table.location(line: line, column: "border"), suggestions: [border])
                }
            }
            // Several rows of one border (or section) are its dated states, each from its `since`.
            if let before = result[key] {
                guard let merged = before.adding(value) else {
                    throw InputError("\(key) has two rows in force from the same day (\(value.since ?? "always")): give each state its own since",
                                     at: table.location(line: line, column: "since"))
                }
                result[key] = merged
            } else {
                result[key] = value
            }
        }
        return result
    }
}

/// An unordered pair of country codes, stored in alphabetical order (`HU-RS`).
public struct BorderPair: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let first: String
    public let second: String

    public init(_ a: String, _ b: String) {
        (first, second) = a < b ? (a, b) : (b, a)
    }

    init?(parsing text: String) {
        let parts = text.uppercased().split(separator: "-")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, parts[0] != parts[1] else { return nil }
        self.init(String(parts[0]), String(parts[1]))
    }

    /// `AA-BB`.
    public var id: String { "\(first)-\(second)" }
    public var description: String { id }

    public func contains(_ code: String) -> Bool { first == code || second == code }

    public static func < (a: BorderPair, b: BorderPair) -> Bool { a.id < b.id }
}
