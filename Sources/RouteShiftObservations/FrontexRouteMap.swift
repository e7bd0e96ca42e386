import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph
import RouteShiftNetwork

/// Which crossings of a network make up each Frontex route, decided from the
/// network's own attributes: the country pair of a border section (`border`, and
/// the `country` of the nodes on either side), the arrival coast of a sea leg (the
/// `country` of its target hub) and its `route` label.
///
/// Frontex counts detections at the external borders of the EU and Schengen
/// states (`externalBorderStates`), so only crossings with exactly one side in
/// that set belong to a route, counted in the entering direction:
///
/// | Frontex route | land sections | sea legs |
/// |---|---|---|
/// | Eastern Mediterranean | GR–TR, BG–TR | arriving in Greece or Cyprus, route label Eastern Mediterranean |
/// | Central Mediterranean | – | arriving in Italy or Malta (from Libya, Tunisia, Egypt, Algeria and, as Frontex counts the arrivals in Calabria and Apulia, Turkey) |
/// | Western Mediterranean | ES–MA (Ceuta, Melilla) | arriving in Spain, label Western Mediterranean |
/// | Western African | – | arriving in Spain (Canaries), label Western African |
/// | Western Balkans | a member state's border with AL, BA, ME, MK, RS or XK (HU–RS, HR–RS, HR–BA, HR–ME, RO–RS, BG–RS, BG–MK), except AL–GR and GR–MK | arriving in Italy from AL or ME (label Western Balkans) |
/// | Eastern Borders | a member state's border with BY, RU, UA or MD | – |
/// | Circular Albania–Greece | AL–GR | – |
/// | Black Sea | – | label Black Sea (arriving in Romania or Bulgaria) |
///
/// GR–MK is left out because Frontex's Western Balkans figures are entries from the
/// region, while the Greek side of that border is an exit from the EU. Crossings
/// between two member states (HR–SI; the ferries from Patras and Igoumenitsa to Italy,
/// whose ports are internal Schengen borders, Schengen Borders Code Art. 2(1)(c): people
/// hidden on them were counted once, entering Greece), the Channel (an exit to the
/// UK), the microstates and Gibraltar, flights, and everything outside Europe's external
/// border belong to no route.
public struct FrontexRouteMap: Hashable, Sendable {
    /// One crossing of the network counted on a Frontex route.
    public struct Crossing: Hashable, Sendable {
        /// Edge row in the network.
        public var row: Int
        public var route: FrontexRoute
        public var type: CrossingType
        /// The direction of the edge that enters the external border (`forward` =
        /// source→target).
        public var entering: TravelDirection
        public init(row: Int, route: FrontexRoute, type: CrossingType, entering: TravelDirection) {
            self.row = row; self.route = route; self.type = type; self.entering = entering
        }
    }

    /// Schengen states and Cyprus (ISO alpha-2): the external borders Frontex's
    /// detections are reported at (Regulation (EU) 2019/1896, Art. 2 and 10; Cyprus
    /// is counted on the Eastern Mediterranean route). Ireland, outside Schengen, is not.
    public static let externalBorderStates: Set<String> = [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IT", "LT", "LU",
        "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "NO", "CH", "IS", "LI",
    ]
    /// The Western Balkan states outside the EU (ISO alpha-2; `XK` Kosovo).
    public static let westernBalkanStates: Set<String> = ["AL", "BA", "ME", "MK", "RS", "XK"]
    /// The states behind the EU's eastern land border.
    public static let easternNeighbours: Set<String> = ["BY", "RU", "UA", "MD"]

    /// Crossings by edge row.
    public let crossings: [Crossing]
    private let byRoute: [FrontexRoute: [Int]]

    public init(crossings: [Crossing]) {
        self.crossings = crossings.sorted { $0.row < $1.row }
        var by: [FrontexRoute: [Int]] = [:]
        for (i, c) in self.crossings.enumerated() { by[c.route, default: []].append(i) }
        byRoute = by
    }

    /// The crossings of one route, by edge row.
    public func crossings(of route: FrontexRoute) -> [Crossing] { (byRoute[route] ?? []).map { crossings[$0] } }

    /// Routes with at least one crossing in the network.
    public var routes: [FrontexRoute] { FrontexRoute.allCases.filter { byRoute[$0] != nil } }

    /// The route of one crossing, from its attributes; `nil` when it is on no Frontex route.
    ///
    /// - Parameters:
    ///   - kind: `border` or `sea` (legs and ferries are never on a route).
    ///   - sourceCountry, targetCountry: ISO alpha-2 of the edge's two ends.
    ///   - label: the edge's `route` attribute.
    public static func classify(kind: NetworkSchema.EdgeKind, sourceCountry: String, targetCountry: String,
                                label: String?) -> (route: FrontexRoute, type: CrossingType, entering: TravelDirection)? {
        let a = sourceCountry.uppercased(), b = targetCountry.uppercased()
        let inA = externalBorderStates.contains(a), inB = externalBorderStates.contains(b)
        guard inA != inB else { return nil }
        let inside = inA ? a : b, outside = inA ? b : a
        let entering: TravelDirection = inB ? .forward : .backward
        switch kind {
        case .border:
            let pair = Set([inside, outside])
            if pair == ["AL", "GR"] { return (.circularAlbaniaGreece, .land, entering) }
            if outside == "TR", inside == "GR" || inside == "BG" { return (.easternMediterranean, .land, entering) }
            if pair == ["ES", "MA"] { return (.westernMediterranean, .land, entering) }
            if westernBalkanStates.contains(outside), !(inside == "GR" && outside == "MK") { return (.westernBalkans, .land, entering) }
            if easternNeighbours.contains(outside) { return (.easternBorders, .land, entering) }
            // Microstates (AD, MC, SM, VA) and Gibraltar: no detections are reported there.
            return nil
        case .sea:
            // Sea legs run departure → arrival; a leg leaving the EU is on no route.
            guard inB else { return nil }
            let l = label?.lowercased() ?? ""
            switch b {
            case "IT", "MT":
                return (l.contains("balkan") ? .westernBalkans : .centralMediterranean, .sea, .forward)
            case "GR", "CY": return (.easternMediterranean, .sea, .forward)
            case "ES": return (l.contains("african") ? .westernAfrican : .westernMediterranean, .sea, .forward)
            case "RO", "BG": return (l.contains("black") ? .blackSea : .easternMediterranean, .sea, .forward)
            default: return (.other, .sea, .forward)
            }
        case .leg, .ferry, .air:
            // Flights are legal entries by air, not detections of illegal border-crossing.
            return nil
        }
    }

    /// Maps every border section and sea leg of `network`.
    /// - Complexity: O(E).
    public static func build(network: RouteNetwork) -> FrontexRouteMap {
        var out: [Crossing] = []
        guard let columns = network.edgeAttributes else { return FrontexRouteMap(crossings: out) }
        for row in 0..<network.edgeCount {
            guard let kind = columns.kind[row], kind == .border || kind == .sea else { continue }
            guard let ca = country(network, network.edges.sources[row]), let cb = country(network, network.edges.targets[row]) else { continue }
            if let c = classify(kind: kind, sourceCountry: ca, targetCountry: cb, label: columns.route[row]) {
                out.append(Crossing(row: row, route: c.route, type: c.type, entering: c.entering))
            }
        }
        return FrontexRouteMap(crossings: out)
    }

    static func country(_ network: RouteNetwork, _ node: Int64) -> String? {
        guard case .string(let s)? = network.nodeProperties[node]?[NetworkSchema.country] else { return nil }
        return s
    }

    /// Flow entering the external border on each route, from per-direction edge flows.
    /// - Complexity: O(crossings).
    public func enteringFlow(forward: [Double], backward: [Double]) -> [FrontexRoute: Double] {
        var out: [FrontexRoute: Double] = [:]
        for c in crossings {
            let f = c.entering == .forward ? forward[c.row] : backward[c.row]
            out[c.route, default: 0] += f
        }
        return out
    }
}
