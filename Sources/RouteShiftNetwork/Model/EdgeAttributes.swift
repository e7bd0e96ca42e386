import RouteShiftCore
import RouteShiftGeoJSON

/// Surveillance level of a crossing (the `surveillance` attribute of `NetworkSchema`).
public enum Surveillance: String, CaseIterable, Hashable, Sendable {
    case low, medium, high
    /// No systematic checks (internal Schengen borders, Belarus–Russia): crossed as an ordinary traveller.
    case unchecked = "none"

    /// The levels that have a detection probability (every case but `unchecked`).
    public static let levels: [Surveillance] = [.low, .medium, .high]
}

/// How an edge is travelled (the `mode` attribute of `NetworkSchema`).
public enum TravelMode: String, CaseIterable, Hashable, Sendable {
    case land, sea, air
}

/// What holds an edge shut or limits it: the network's own `status`, and what a
/// scenario does to the edge. Reports write it as `label`.
public struct EdgeStatus: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Closed in the edge's source→target direction by a scenario.
    public static let closedForward = EdgeStatus(rawValue: 1 << 0)
    /// Closed in the target→source direction by a scenario.
    public static let closedBackward = EdgeStatus(rawValue: 1 << 1)
    /// Under added surveillance (cost multiplier or detection probability).
    public static let surveillance = EdgeStatus(rawValue: 1 << 2)
    /// Capped at a number of people per period.
    public static let capacity = EdgeStatus(rawValue: 1 << 3)
    /// Closed by the network itself (`status: closed`), before any scenario.
    public static let closedInNetwork = EdgeStatus(rawValue: 1 << 4)

    public static let open: EdgeStatus = []
    /// Closed both ways by a scenario.
    public static let closed: EdgeStatus = [.closedForward, .closedBackward]

    /// Closed in at least one direction, by a scenario or by the network.
    public var isClosed: Bool { !isDisjoint(with: [.closed, .closedInNetwork]) }

    /// The report word: `open`, `closed`, `closed-forward`, `closed-backward`, `surveillance`,
    /// `capacity`, `closed-in-network`, or several joined by `+` (`surveillance+capacity`).
    public var label: String {
        var parts: [String] = []
        if contains(.closedInNetwork) { parts.append("closed-in-network") }
        switch intersection(.closed) {
        case .closed: parts.append("closed")
        case .closedForward: parts.append("closed-forward")
        case .closedBackward: parts.append("closed-backward")
        default: break
        }
        if contains(.surveillance) { parts.append("surveillance") }
        if contains(.capacity) { parts.append("capacity") }
        return parts.isEmpty ? "open" : parts.joined(separator: "+")
    }

    public var description: String { label }

    /// Reads a `label` back; `nil` for any other text.
    public init?(label: String) {
        if label == "open" { self = .open; return }
        var status = EdgeStatus.open
        for part in label.split(separator: "+", omittingEmptySubsequences: false) {
            switch part {
            case "closed": status.formUnion(.closed)
            case "closed-forward": status.formUnion(.closedForward)
            case "closed-backward": status.formUnion(.closedBackward)
            case "closed-in-network": status.formUnion(.closedInNetwork)
            case "surveillance": status.formUnion(.surveillance)
            case "capacity": status.formUnion(.capacity)
            default: return nil
            }
        }
        self = status
    }
}

/// The attributes of `NetworkSchema` that the simulation, reports and maps read,
/// as typed columns by edge row, parsed once when a network is loaded so that
/// no query looks a string up in a dictionary.
///
/// An attribute an edge does not have is `nil` in its column; a present value
/// that the schema does not allow is rejected at load (see `init(properties:location:)`).
public struct EdgeAttributeColumns: Sendable {
    public let kind: [NetworkSchema.EdgeKind?]
    public let mode: [TravelMode?]
    public let lengthKm: [Double?]
    /// Deaths and missing per 1,000 crossings.
    public let risk: [Double?]
    public let surveillance: [Surveillance?]
    /// `status: closed` in the network.
    public let closed: [Bool]
    public let segment: [String?]
    public let border: [String?]
    public let route: [String?]
    public let country: [String?]
    /// Recorded price of the crossing per person (`price_eur`).
    public let price: [Double?]
    /// The day the dated attributes took effect (`since`).
    public let since: [CalendarDay?]
    /// The border's states before `since` (`earlier`), oldest first; empty without any.
    public let earlier: [[BorderState]]

    /// The surveillance, status and price of edge row `row` in force on `day` (`nil`: every
    /// attribute as written): before the row's `since`, its `earlier` state of that day, before
    /// the first of them the defaults (surveillance `medium`, `open`, no price).
    /// - Complexity: O(earlier states of the row).
    public func state(ofRow row: Int, on day: CalendarDay?) -> BorderState {
        guard let day, let start = since[row], start > day else {
            return BorderState(since: since[row], surveillance: surveillance[row], closed: closed[row], price: price[row])
        }
        return earlier[row].last { $0.started(by: day) } ?? BorderState(since: nil, surveillance: .medium)
    }
    /// Entry rules (visa regimes) of each edge, in file order; empty: open to everyone.
    public let entry: [[EntryRule]]

    /// Parses the schema's attributes of each edge.
    ///
    /// - Parameter location: where edge row `row`'s attribute `key` stands in the input, for messages.
    /// - Throws: `InputError` at that location (for `earlier`, extended by the JSON path of the
    ///   state) for a value of the wrong JSON type, outside the schema's words (`kind`, `mode`,
    ///   `surveillance`, `status`), for `since` not a calendar date, or for `earlier` states out of
    ///   order, quoting the value, with the nearest valid word.
    /// - Complexity: O(E + states).
    public init(properties: [[String: JSONValue]], location: (_ row: Int, _ key: String) -> InputLocation) throws {
        func word<T: RawRepresentable & CaseIterable>(_ key: String, _: T.Type, _ row: Int) throws -> T?
        where T.RawValue == String {
            try Self.word(properties[row][key], key, T.self, location(row, key))
        }
        let rows = properties.indices
        kind = try rows.map { try word(NetworkSchema.kind, NetworkSchema.EdgeKind.self, $0) }
        mode = try rows.map { try word(NetworkSchema.mode, TravelMode.self, $0) }
        surveillance = try rows.map { try word(NetworkSchema.surveillance, Surveillance.self, $0) }
        closed = try rows.map { try word(NetworkSchema.status, NetworkStatus.self, $0) == .closed }
        lengthKm = try rows.map { try Self.number(properties[$0][NetworkSchema.lengthKm], NetworkSchema.lengthKm,
                                                  location($0, NetworkSchema.lengthKm)) }
        risk = try rows.map { try Self.number(properties[$0][NetworkSchema.risk], NetworkSchema.risk,
                                              location($0, NetworkSchema.risk)) }
        price = try rows.map { try Self.number(properties[$0][NetworkSchema.price], NetworkSchema.price,
                                               location($0, NetworkSchema.price)) }
        let since = try rows.map { try Self.day(properties[$0][NetworkSchema.since], NetworkSchema.since, location($0, NetworkSchema.since)) }
        self.since = since
        earlier = try rows.map { row in
            try BorderState.parse(properties[row][NetworkSchema.earlier], before: since[row],
                                   location: location(row, NetworkSchema.earlier))
        }
        func text(_ key: String) throws -> [String?] {
            try rows.map { try Self.string(properties[$0][key], key, location($0, key)) }
        }
        segment = try text(NetworkSchema.segment)
        border = try text(NetworkSchema.border)
        route = try text(NetworkSchema.route)
        country = try text(NetworkSchema.country)
        entry = try rows.map { try EntryRule.parse(properties[$0][NetworkSchema.entry], location: location($0, NetworkSchema.entry)) }
    }

    /// The `status` words of the network itself.
    fileprivate enum NetworkStatus: String, CaseIterable { case open, closed }

    fileprivate static func word<T: RawRepresentable & CaseIterable>(_ value: JSONValue?, _ key: String, _: T.Type,
                                                                     _ at: InputLocation) throws -> T?
    where T.RawValue == String {
        guard let s = try string(value, key, at) else { return nil }
        if let value = T(rawValue: s) { return value }
        let valid = T.allCases.map(\.rawValue)
        throw InputError("\(key) \(InputError.excerpt(s)) is not one of \(valid.joined(separator: ", "))",
                         at: at, suggestions: NearestMatch.suggestions(for: s, among: valid))
    }

    /// A day as `CalendarDay(parsing:)` reads it (`2015-09-15`, also `2015-9-15`).
    fileprivate static func day(_ value: JSONValue?, _ key: String, _ at: InputLocation) throws -> CalendarDay? {
        guard let s = try string(value, key, at) else { return nil }
        guard let day = CalendarDay(parsing: s) else {
            throw InputError("\(key) \(InputError.excerpt(s)) is not a calendar date (YYYY-MM-DD)", at: at)
        }
        return day
    }

    fileprivate static func string(_ value: JSONValue?, _ key: String, _ at: InputLocation) throws -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw InputError("\(key) must be a string, found \(InputError.excerpt(other.description))", at: at)
        }
    }

    fileprivate static func number(_ value: JSONValue?, _ key: String, _ at: InputLocation) throws -> Double? {
        switch value {
        case nil, .null?: return nil
        case .number(let x)?: return x
        case let other?: throw InputError("\(key) must be a number, found \(InputError.excerpt(other.description))", at: at)
        }
    }
}

/// A dated state of a border: the one its attributes write from its `since`, or one of its
/// `earlier` states (`NetworkSchema.earlier`), each in force from its own `since` until the
/// next state's, the last one until the edge's `since`.
public struct BorderState: Hashable, Sendable {
    /// The first day in force; `nil`: before every dated state (an earlier state holding before
    /// every dated one, a sea crossing's defaults at its own recorded price, `GeodataBuilder`;
    /// the defaults; an edge's attributes without a `since`).
    public var since: CalendarDay?
    public var surveillance: Surveillance?
    /// `status: closed`.
    public var closed: Bool
    /// Recorded price of the crossing per person (`price_eur`).
    public var price: Double?

    public init(since: CalendarDay?, surveillance: Surveillance? = nil, closed: Bool = false, price: Double? = nil) {
        self.since = since; self.surveillance = surveillance; self.closed = closed; self.price = price
    }

    /// Whether the state is in force from `day` on (a state without a day always is).
    public func started(by day: CalendarDay) -> Bool { since.map { $0 <= day } ?? true }

    static let keys = [NetworkSchema.since, NetworkSchema.barrier, NetworkSchema.surveillance, NetworkSchema.status,
                       NetworkSchema.price]

    /// Parses an edge's `earlier` attribute: an array of objects with an optional `since`, and
    /// `barrier`, `surveillance`, `status` and `price_eur` as the edge itself has them; the
    /// states oldest first, each dated one after the one before and before `edgeSince` (the
    /// edge's own `since`, which an edge with earlier states needs).
    /// - Throws: `InputError` at `location` extended by the JSON path of the bad value, quoting it,
    ///   with the nearest valid word.
    /// - Complexity: O(states).
    public static func parse(_ value: JSONValue?, before edgeSince: CalendarDay?, location: InputLocation) throws -> [BorderState] {
        func at(_ suffix: String) -> InputLocation {
            var l = location
            l.path = (l.path ?? NetworkSchema.earlier) + suffix
            return l
        }
        let items: [JSONValue]
        switch value {
        case nil, .null?: return []
        case .array(let a)?: items = a
        case let other?:
            throw InputError("\(NetworkSchema.earlier) must be an array of states, found \(InputError.excerpt(other.description))", at: location)
        }
        guard !items.isEmpty else { return [] }
        guard let edgeSince else {
            throw InputError("\(NetworkSchema.earlier) needs the edge's \(NetworkSchema.since), the day the states before it end",
                             at: location)
        }
        var states: [BorderState] = []
        for (i, item) in items.enumerated() {
            guard case .object(let o) = item else {
                throw InputError("an earlier state must be an object, found \(InputError.excerpt(item.description))", at: at("[\(i)]"))
            }
            for k in o.keys.sorted() where !keys.contains(k) {
                throw InputError("unknown key \(InputError.excerpt(k)) in an earlier state", at: at("[\(i)].\(k)"),
                                 suggestions: NearestMatch.suggestions(for: k, among: keys))
            }
            func here(_ k: String) -> InputLocation { at("[\(i)].\(k)") }
            let since = try EdgeAttributeColumns.day(o[NetworkSchema.since], NetworkSchema.since, here(NetworkSchema.since))
            _ = try EdgeAttributeColumns.string(o[NetworkSchema.barrier], NetworkSchema.barrier, here(NetworkSchema.barrier))
            let state = BorderState(
                since: since,
                surveillance: try EdgeAttributeColumns.word(o[NetworkSchema.surveillance], NetworkSchema.surveillance,
                                                            Surveillance.self, here(NetworkSchema.surveillance)),
                closed: try EdgeAttributeColumns.word(o[NetworkSchema.status], NetworkSchema.status,
                                                      EdgeAttributeColumns.NetworkStatus.self, here(NetworkSchema.status)) == .closed,
                price: try EdgeAttributeColumns.number(o[NetworkSchema.price], NetworkSchema.price, here(NetworkSchema.price)))
            if let since {
                let text = InputError.excerpt(o[NetworkSchema.since]?.stringValue ?? since.description)
                if let previous = states.last?.since, previous >= since {
                    throw InputError("\(NetworkSchema.since) \(text) must be after the state before it (\(previous)): states oldest first",
                                     at: here(NetworkSchema.since))
                }
                if since >= edgeSince {
                    throw InputError("\(NetworkSchema.since) \(text) must be before the edge's own \(NetworkSchema.since) (\(edgeSince))",
                                     at: here(NetworkSchema.since))
                }
            } else if i > 0 {
                throw InputError("only the first earlier state may be without \(NetworkSchema.since) (it holds before every dated one)",
                                 at: at("[\(i)]"))
            }
            states.append(state)
        }
        return states
    }
}
