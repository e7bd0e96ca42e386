import RouteShiftCore
import RouteShiftGeoJSON

/// One entry rule of a crossing or an air leg (the `entry` attribute of `NetworkSchema`):
/// whether travellers of the named nationalities may use the edge, and when.
///
/// A visa regime is an access restriction per class of traveller, as transport models
/// restrict links per user class (AequilibraE's modes per link, MATSim's allowed modes per
/// subpopulation): Russia required visas of Syrians and Afghans, so its land entries are
/// `barred` to them; Belarus eased entry for Iraqis and others in 2021, so the air legs to
/// Minsk are `open` to them for those months and `barred` to everyone else.
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
    /// First day in force (`YYYY-MM-DD`); `nil`: always before `until`.
    public var from: String?
    /// First day no longer in force (`YYYY-MM-DD`); `nil`: still in force.
    public var until: String?

    public init(nationalities: [String], access: Access, from: String? = nil, until: String? = nil) {
        self.nationalities = nationalities.sorted(); self.access = access; self.from = from; self.until = until
    }

    /// Whether the rule names every nationality.
    public var coversAll: Bool { nationalities.isEmpty }

    /// Whether the rule is in force on `day` (`YYYY-MM-DD`). Without a day (the network's
    /// current state, as `since` reads without one), the rules without an `until`.
    public func inForce(on day: String?) -> Bool {
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
        if let from { o["from"] = .string(from) }
        if let until { o["until"] = .string(until) }
        return .object(o)
    }

    /// Whether the rules of one edge let a traveller of `nationality` use it on `day`: the last
    /// rule in force that names the nationality decides, else the last one in force for every
    /// nationality, else the edge is open.
    /// - Complexity: O(rules × nationalities named).
    public static func allows(_ rules: [EntryRule], nationality: String, on day: String?) -> Bool {
        var named: Access?, all: Access?
        for r in rules where r.inForce(on: day) {
            if r.coversAll { all = r.access } else if r.nationalities.contains(nationality) { named = r.access }
        }
        return (named ?? all ?? .open) == .open
    }

    /// Parses an edge's `entry` attribute: an array of objects with `nationalities` (`*`, or
    /// ISO alpha-3 codes separated by `;`), `access` (`barred` or `open`) and optional `from`
    /// and `until` days (`YYYY-MM-DD`, `from` before `until`).
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
                let keys = ["nationalities", "access", "from", "until"]
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
                let from = try text("from"), until = try text("until")
                for (k, d) in [("from", from), ("until", until)] {
                    if let d, !isDay(d) {
                        throw InputError("\(k) \(InputError.excerpt(d)) is not a day (YYYY-MM-DD)", at: at("[\(i)].\(k)"))
                    }
                }
                if let from, let until, from >= until {
                    throw InputError("until \(InputError.excerpt(until)) must be after from \(InputError.excerpt(from))", at: at("[\(i)].until"))
                }
                return EntryRule(nationalities: nationalities, access: access, from: from, until: until)
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

    static func isDay(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let m = Int(parts[1]), let d = Int(parts[2]), Int(parts[0]) != nil else { return false }
        return (1...12).contains(m) && (1...31).contains(d)
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

    /// The edge rows each class may not use on `day` (`nil`: the current rules); classes
    /// that may use every edge are left out.
    /// - Complexity: O(classes × ruled edges × rules).
    public func barredRows(on day: String?) -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for (name, n) in representative {
            let rows = ruled.filter { !EntryRule.allows($0.rules, nationality: n, on: day) }.map(\.row)
            if !rows.isEmpty { out[name] = rows }
        }
        return out
    }

    /// The days on which some rule starts or stops being in force, after `day`, sorted: two days
    /// with the same list see the same rules in force.
    public func changes(after day: String) -> [String] {
        var out = Set<String>()
        for (_, rules) in ruled {
            for r in rules {
                if let f = r.from, f > day { out.insert(f) }
                if let u = r.until, u > day { out.insert(u) }
            }
        }
        return out.sorted()
    }
}
