import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph

/// One entry rule of a crossing or an air leg (the `entry` attribute of `NetworkSchema`):
/// whether travellers of the named nationalities may use the edge, and when.
///
/// A visa regime is an access restriction per class of traveller, as transport models
/// restrict links per user class (AequilibraE's modes per link, MATSim's allowed modes per
/// subpopulation): Russia required visas of Syrians and Afghans, so its land entries are
/// `barred` to them; Belarus eased entry for Iraqis and others in 2021, so the air legs to
/// Minsk are `open` to them for those months and `barred` to everyone else.
///
/// A rule acts on the edge both ways or on one direction (`forward`: source → target as in
/// the edge table): a visa is needed to enter a country, not to leave it, so Russia's land
/// borders are barred into Russia to those who need a Russian visa while the way out has
/// rules of its own (the exit checks and the border zone on Russia's side).
public struct EntryRule: Hashable, Sendable {
    public enum Access: String, CaseIterable, Hashable, Sendable {
        /// The edge may not be used (a visa the travellers cannot obtain, a flight they may not board).
        case barred
        /// The edge may be used.
        case open
    }

    /// ISO 3166-1 alpha-3 codes, sorted; empty: every nationality (`*`).
    public var nationalities: [String]
    public var access: Access
    /// First day in force; `nil`: always before `until`.
    public var from: CalendarDay?
    /// First day no longer in force; `nil`: still in force.
    public var until: CalendarDay?
    /// The way of the edge the rule acts on: `both`, or `forward` (source → target) or `backward` alone.
    public var direction: TravelDirection

    public init(nationalities: [String], access: Access, from: CalendarDay? = nil, until: CalendarDay? = nil,
                direction: TravelDirection = .both) {
        self.nationalities = nationalities.sorted(); self.access = access; self.from = from; self.until = until
        self.direction = direction
    }

    /// Whether the rule acts on travel in `direction` (`forward` or `backward`).
    public func acts(on direction: TravelDirection) -> Bool { self.direction == .both || self.direction == direction }

    /// Whether the rule names every nationality.
    public var coversAll: Bool { nationalities.isEmpty }

    /// Whether the rule is in force on `day`. Without a day (the network's current state, as
    /// `since` reads without one), the rules without an `until`.
    public func inForce(on day: CalendarDay?) -> Bool {
        guard let day else { return until == nil }
        if let from, from > day { return false }
        if let until, until <= day { return false }
        return true
    }

    /// The `entry` value of one rule, as the network file writes it.
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "nationalities": .string(coversAll ? "*" : nationalities.joined(separator: ";")),
            "access": .string(access.rawValue),
        ]
        if let from { o["from"] = .string(from.description) }
        if let until { o["until"] = .string(until.description) }
        if direction != .both { o["direction"] = .string(direction.rawValue) }
        return .object(o)
    }

    /// Whether the rules of one edge let a traveller of `nationality` use it on `day` in
    /// `direction` (`forward` or `backward`; `both`: either way, i.e. the rules of both
    /// directions together): among the rules in force acting on that direction, the last one
    /// that names the nationality decides, else the last one for every nationality, else the
    /// edge is open.
    /// - Complexity: O(rules × nationalities named).
    public static func allows(_ rules: [EntryRule], nationality: String, on day: CalendarDay?,
                              direction: TravelDirection = .both) -> Bool {
        if direction == .both {
            return allows(rules, nationality: nationality, on: day, direction: .forward)
                && allows(rules, nationality: nationality, on: day, direction: .backward)
        }
        var named: Access?, all: Access?
        for r in rules where r.inForce(on: day) && r.acts(on: direction) {
            if r.coversAll { all = r.access } else if r.nationalities.contains(nationality) { named = r.access }
        }
        return (named ?? all ?? .open) == .open
    }

    /// Parses an edge's `entry` attribute: an array of objects with `nationalities` (`*`, or
    /// ISO alpha-3 codes separated by `;`), `access` (`barred` or `open`), optional `from`
    /// and `until` days (`YYYY-MM-DD`, as `CalendarDay(parsing:)` reads them; `from` before `until`)
    /// and an optional `direction`
    /// (`forward`, `backward` or `both`, the default).
    /// - Throws: `InputError` at `location` extended by the JSON path of the bad value, quoting
    ///   it, with the nearest valid word.
    public static func parse(_ value: JSONValue?, location: InputLocation) throws -> [EntryRule] {
        func at(_ suffix: String) -> InputLocation {
            var l = location
            l.path = (l.path ?? "entry") + suffix
            return l
        }
        switch value {
        case nil, .null?: return []
        case .array(let items)?:
            return try items.enumerated().map { i, item in
                guard case .object(let o) = item else {
                    throw InputError("an entry rule must be an object, found \(InputError.excerpt(item.description))", at: at("[\(i)]"))
                }
                let keys = ["nationalities", "access", "from", "until", "direction"]
                for k in o.keys.sorted() where !keys.contains(k) {
                    throw InputError("unknown key \(InputError.excerpt(k)) in an entry rule", at: at("[\(i)].\(k)"),
                                     suggestions: NearestMatch.suggestions(for: k, among: keys))
                }
                func text(_ k: String) throws -> String? {
                    switch o[k] {
                    case nil, .null?: return nil
                    case .string(let s)?: return s
                    case let other?: throw InputError("\(k) must be a string, found \(InputError.excerpt(other.description))", at: at("[\(i)].\(k)"))
                    }
                }
                guard let accessText = try text("access") else { throw InputError("an entry rule needs access (barred or open)", at: at("[\(i)]")) }
                guard let access = Access(rawValue: accessText) else {
                    let valid = Access.allCases.map(\.rawValue)
                    throw InputError("access \(InputError.excerpt(accessText)) is not one of \(valid.joined(separator: ", "))",
                                     at: at("[\(i)].access"), suggestions: NearestMatch.suggestions(for: accessText, among: valid))
                }
                guard let list = try text("nationalities") else {
                    throw InputError("an entry rule needs nationalities (* or ISO alpha-3 codes separated by ;)", at: at("[\(i)]"))
                }
                let nationalities = try parseNationalities(list, at: at("[\(i)].nationalities"))
                func day(_ k: String) throws -> (text: String, day: CalendarDay)? {
                    guard let d = try text(k) else { return nil }
                    guard let day = CalendarDay(parsing: d) else {
                        throw InputError("\(k) \(InputError.excerpt(d)) is not a calendar date (YYYY-MM-DD)", at: at("[\(i)].\(k)"))
                    }
                    return (d, day)
                }
                let from = try day("from"), until = try day("until")
                if let from, let until, from.day >= until.day {
                    throw InputError("until \(InputError.excerpt(until.text)) must be after from \(InputError.excerpt(from.text))",
                                     at: at("[\(i)].until"))
                }
                var direction = TravelDirection.both
                if let d = try text("direction") {
                    let valid = TravelDirection.allCases.map(\.rawValue)
                    guard let value = TravelDirection(rawValue: d) else {
                        throw InputError("direction \(InputError.excerpt(d)) is not one of \(valid.joined(separator: ", "))",
                                         at: at("[\(i)].direction"), suggestions: NearestMatch.suggestions(for: d, among: valid))
                    }
                    direction = value
                }
                return EntryRule(nationalities: nationalities, access: access, from: from?.day, until: until?.day, direction: direction)
            }
        case let other?:
            throw InputError("entry must be an array of rules, found \(InputError.excerpt(other.description))", at: location)
        }
    }

    /// `*` (every nationality: empty) or ISO alpha-3 codes separated by `;`.
    /// - Throws: `InputError` at `at` for anything else, quoting the bad code.
    public static func parseNationalities(_ text: String, at: InputLocation) throws -> [String] {
        if text == "*" { return [] }
        let codes = text.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        for c in codes where !(c.count == 3 && c.allSatisfy({ $0.isASCII && $0.isUppercase })) {
            throw InputError("nationality \(InputError.excerpt(c)) is not an ISO 3166-1 alpha-3 code (or * for every nationality)",
                             at: at, suggestions: c.count == 3 ? [c.uppercased()] : ["*"])
        }
        return codes.sorted()
    }
}

/// Classes of travellers under a network's entry rules: nationalities named by the same
/// rules are treated alike on every day, so demand is grouped by class, not by nationality.
///
/// A class is named by its members joined by `+` (`IRQ+SYR+YEM`); nationalities no rule
/// names form the class `*`, on which only the rules for every nationality act.
public struct EntryClasses: Sendable {
    /// Class name of each nationality some rule names.
    public let classOf: [String: String]
    /// One member of each class (`*`: a code no rule names), to evaluate the rules with.
    let representative: [String: String]
    /// Edge rows that carry rules, with their rules.
    let ruled: [(row: Int, rules: [EntryRule])]

    /// The class every nationality no rule names belongs to.
    public static let unnamed = "*"

    /// - Complexity: O(E + Σ rules × nationalities named).
    public init(rules: [[EntryRule]]) {
        var ruled: [(row: Int, rules: [EntryRule])] = []
        var lists = Set<[String]>()
        for (row, r) in rules.enumerated() where !r.isEmpty {
            ruled.append((row, r))
            for rule in r where !rule.coversAll { lists.insert(rule.nationalities) }
        }
        let sortedLists = lists.sorted { $0.lexicographicallyPrecedes($1) }
        var signature: [String: [Int]] = [:]
        for (i, list) in sortedLists.enumerated() { for n in list { signature[n, default: []].append(i) } }
        var members: [[Int]: [String]] = [:]
        for (n, s) in signature { members[s, default: []].append(n) }
        var classOf: [String: String] = [:], representative: [String: String] = [EntryClasses.unnamed: "*"]
        for (_, m) in members {
            let sorted = m.sorted()
            let name = sorted.joined(separator: "+")
            representative[name] = sorted[0]
            for n in sorted { classOf[n] = name }
        }
        self.classOf = classOf; self.representative = representative; self.ruled = ruled
    }

    /// The class of a nationality (ISO alpha-3).
    public func userClass(of nationality: String) -> String { classOf[nationality] ?? Self.unnamed }

    /// Every class name, sorted (`*` first).
    public var names: [String] { representative.keys.sorted() }

    /// The edge rows each class may not use on `day` (`nil`: the current rules), each with the
    /// direction barred (`both`, or the one way the rules bar), in row order; classes that may
    /// use every edge both ways are left out.
    /// - Complexity: O(classes × ruled edges × rules).
    public func barredRows(on day: CalendarDay?) -> [String: [BarredEdge]] {
        var out: [String: [BarredEdge]] = [:]
        for (name, n) in representative {
            let rows = ruled.compactMap { row, rules -> BarredEdge? in
                let forward = EntryRule.allows(rules, nationality: n, on: day, direction: .forward)
                let backward = EntryRule.allows(rules, nationality: n, on: day, direction: .backward)
                switch (forward, backward) {
                case (true, true): return nil
                case (false, false): return BarredEdge(row: row)
                case (false, true): return BarredEdge(row: row, direction: .forward)
                case (true, false): return BarredEdge(row: row, direction: .backward)
                }
            }
            if !rows.isEmpty { out[name] = rows }
        }
        return out
    }

    /// The days on which some rule starts or stops being in force, after `day`, sorted: two days
    /// with the same list see the same rules in force.
    public func changes(after day: CalendarDay) -> [CalendarDay] {
        var out = Set<CalendarDay>()
        for (_, rules) in ruled {
            for r in rules {
                if let f = r.from, f > day { out.insert(f) }
                if let u = r.until, u > day { out.insert(u) }
            }
        }
        return out.sorted()
    }
}

/// An edge row a class of travellers may not use (`EntryClasses.barredRows(on:)`): both ways,
/// or in one direction only (`forward`: source → target as in the edge table). An integer
/// literal is a row barred both ways.
public struct BarredEdge: Hashable, Sendable, Comparable, ExpressibleByIntegerLiteral {
    public var row: Int
    public var direction: TravelDirection

    public init(row: Int, direction: TravelDirection = .both) { self.row = row; self.direction = direction }
    public init(integerLiteral row: Int) { self.init(row: row) }

    /// Row order, then `both` < `forward` < `backward`.
    public static func < (a: BarredEdge, b: BarredEdge) -> Bool {
        let order = TravelDirection.allCases
        return (a.row, order.firstIndex(of: a.direction)!) < (b.row, order.firstIndex(of: b.direction)!)
    }
}

extension CostOverlay {
    /// Closes the barred arcs of `barred.row` of `graph`. A direction the edge has no arc for
    /// (a one-way air leg barred backward) is impassable already and is left as it is.
    /// - Throws: `GraphError.unknownEdge` when the row is not one of `graph`'s.
    /// - Complexity: O(1) expected.
    public mutating func close(_ barred: BarredEdge, in graph: RoutingGraph) throws {
        guard barred.row >= 0, barred.row < graph.edgeCount else { throw GraphError.unknownEdge(Int64(barred.row)) }
        do {
            try close(edge: graph.edgeIds[barred.row], direction: barred.direction)
        } catch GraphError.absentDirection {
            return
        }
    }
}
