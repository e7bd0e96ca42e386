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
    /// Entry rules (visa regimes) of each edge, in file order; empty: open to everyone.
    public let entry: [[EntryRule]]

    /// Parses the schema's attributes of each edge.
    ///
    /// - Parameter location: where edge row `row`'s attribute `key` stands in the input, for messages.
    /// - Throws: `InputError` at that location for a value of the wrong JSON type, outside the
    ///   schema's words (`kind`, `mode`, `surveillance`, `status`) or, for `since`, not a calendar
    ///   date, quoting it, with the nearest valid word.
    /// - Complexity: O(E).
    public init(properties: [[String: JSONValue]], location: (_ row: Int, _ key: String) -> InputLocation) throws {
        func word<T: RawRepresentable & CaseIterable>(_ key: String, _: T.Type, _ row: Int) throws -> T?
        where T.RawValue == String {
            guard let s = try Self.string(properties[row][key], key, location(row, key)) else { return nil }
            if let value = T(rawValue: s) { return value }
            let valid = T.allCases.map(\.rawValue)
            throw InputError("\(key) \(InputError.excerpt(s)) is not one of \(valid.joined(separator: ", "))",
                             at: location(row, key), suggestions: NearestMatch.suggestions(for: s, among: valid))
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
        since = try rows.map { row in
            guard let s = try Self.string(properties[row][NetworkSchema.since], NetworkSchema.since,
                                          location(row, NetworkSchema.since)) else { return nil }
            guard let day = CalendarDay(parsing: s) else {
                throw InputError("\(NetworkSchema.since) \(InputError.excerpt(s)) is not a calendar date (YYYY-MM-DD)",
                                 at: location(row, NetworkSchema.since))
            }
            return day
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
    private enum NetworkStatus: String, CaseIterable { case open, closed }

    private static func string(_ value: JSONValue?, _ key: String, _ at: InputLocation) throws -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw InputError("\(key) must be a string, found \(InputError.excerpt(other.description))", at: at)
        }
    }

    private static func number(_ value: JSONValue?, _ key: String, _ at: InputLocation) throws -> Double? {
        switch value {
        case nil, .null?: return nil
        case .number(let x)?: return x
        case let other?: throw InputError("\(key) must be a number, found \(InputError.excerpt(other.description))", at: at)
        }
    }
}
