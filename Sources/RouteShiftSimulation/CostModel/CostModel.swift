import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph
import RouteShiftNetwork

/// Generalised cost of crossing an edge, in euro equivalents:
///
///     cost = w_dist · length_km
///          + w_time · hours                    hours = length / speed(mode) + waiting(kind)
///          + w_price · price                   price = fare_or_price_per_km(mode) · length + per_crossing(kind)
///          + w_risk · value_of_life · risk/1000
///          + w_detect · turn_back_cost · p/(1 − p)
///
/// Overland kilometres pay the fare of public transport (`transitFarePerKm`): between
/// crossings people take buses, trains and taxis inside a country, and smugglers are paid
/// per crossing (`borderCrossingPrice` or the recorded price), as the record prices them.
/// `per_crossing` is the edge's recorded price (`price_eur`) where the sources give
/// one, else the parameter of its kind. An air leg (`kind: air`) costs its recorded
/// package price (flight, visa, hotel) and the wait of a priced crossing; its
/// kilometres cost nothing more (a flight of a few hours is in the ticket). A land border without systematic checks
/// (surveillance `none`: internal Schengen borders, Belarus–Russia) is crossed as an
/// ordinary traveller: no smuggling price, no waiting, no detection; a sea crossing without
/// them (the Øresund bridge, the Baltic ferries to Sweden before November 2015) costs a ticket.
///
/// `risk` is the schema's deaths and missing per 1,000 crossings; `p` the
/// probability of being detected and turned back at one attempt, from the
/// edge's `surveillance` level. With independent attempts, the expected number
/// of failed attempts before getting through is p/(1−p) (geometric), each
/// costing `turnBackCost`.
///
/// Euros are the unit because smuggling prices are the one cost people on these
/// routes state in money; the other terms are converted at the rates below.
/// The weights default to 1 so that a scenario can switch a term off (0) or
/// stress it (2, 5…) without re-deriving the rates.
public enum CostModel {
    public struct Parameters: Hashable, Sendable {
        public var distanceWeight = 1.0
        public var timeWeight = 1.0
        public var priceWeight = 1.0
        public var riskWeight = 1.0
        public var detectionWeight = 1.0

        /// Wear and exposure per kilometre (€0.05): small, it only breaks ties between equal offers.
        public var perKm = 0.05
        /// Value of one hour in transit (€3): subsistence and lodging on the way.
        public var valueOfHour = 3.0
        /// Mean overland speed (25 km/h): vehicle stretches mixed with walking and waiting for transport.
        public var landSpeedKmh = 25.0
        /// Speed at sea (10 km/h, about 5 knots): an overloaded dinghy or fishing boat.
        public var seaSpeedKmh = 10.0
        /// Speed of a scheduled ferry (30 km/h, about 16 knots; an estimate from conventional
        /// passenger ferries' timetables, e.g. Piraeus–Mytilene, about 350 km, in 11–12 h). Domestic
        /// ferries (the Greek islands to the mainland, the Canaries to Cádiz) and unchecked sea
        /// crossings are tickets on such boats, not smugglers' boats: their kilometres take this
        /// speed and no smuggling price per kilometre.
        public var ferrySpeedKmh = 30.0
        /// Waiting before a land border attempt (24 h) and a sea departure (72 h): smugglers' schedules and weather.
        public var borderWaitHours = 24.0
        public var seaWaitHours = 72.0
        /// Fare of overland travel inside a country (€0.05 per km): bus and train tickets.
        /// Reuters (2015): Gevgelija → Tabanovce, about 200 km, "a ticket costs about 6 euros";
        /// the railway raised the fare from €10 to €25 in September 2015 (IBNA): €0.03–0.125 per km.
        public var transitFarePerKm = 0.05
        /// Smuggling price per km at sea (€2), plus per crossing:
        /// land border €500, sea €1,500, domestic ferry €50 (ticket). Orders of magnitude
        /// reported for the Balkan and Mediterranean routes; edit them per scenario.
        public var seaPricePerKm = 2.0
        public var borderCrossingPrice = 500.0
        public var seaCrossingPrice = 1500.0
        public var ferryPrice = 50.0
        /// The weight people put on their own death (€100,000 per expected death): far below
        /// statistical-life values used by governments, since routes chosen show risks are accepted.
        public var valueOfLife = 100_000.0
        /// Cost of one failed attempt (€800): a new smuggling fee and days lost.
        public var turnBackCost = 800.0
        /// Probability of being turned back at one attempt, by surveillance level.
        public var detectionProbability: [Surveillance: Double] = [.low: 0.05, .medium: 0.2, .high: 0.5]
        /// Logit dispersion per euro; `nil` keeps the scenario's `assignment.theta`.
        public var theta: Double?
        /// The option not to go (`OutsideOption.margin`, euros); `nil` = no such option.
        public var outsideOption: Double?

        public init() {}
    }

    /// The attributes of one edge that the cost depends on.
    public struct EdgeAttributes: Hashable, Sendable {
        public var kind: NetworkSchema.EdgeKind
        public var isSea: Bool
        public var lengthKm: Double
        /// Deaths and missing per 1,000 crossings.
        public var risk: Double
        public var detectionProbability: Double
        /// False for a land border or sea crossing without systematic checks (surveillance `none`).
        public var checked: Bool
        /// The crossing's recorded price per person (`price_eur`), euros; `nil`: the kind's parameter.
        public var recordedPrice: Double?
        /// The surveillance level in force (`nil`: none given).
        public var surveillance: Surveillance?
        /// Whether the edge is closed (`status` in force).
        public var closed: Bool
        public init(kind: NetworkSchema.EdgeKind, isSea: Bool, lengthKm: Double, risk: Double, detectionProbability: Double,
                    checked: Bool = true, recordedPrice: Double? = nil, surveillance: Surveillance? = nil, closed: Bool = false) {
            self.kind = kind; self.isSea = isSea; self.lengthKm = lengthKm; self.risk = risk
            self.detectionProbability = detectionProbability; self.checked = checked; self.recordedPrice = recordedPrice
            self.surveillance = surveillance; self.closed = closed
        }

        /// Whether the edge is a ticket on a scheduled boat (a domestic ferry, or a sea link
        /// without checks): its kilometres take `ferrySpeedKmh` and no smuggling price per km.
        public var isScheduledBoat: Bool { kind == .ferry || (kind == .sea && !checked) }
    }

    /// The generalised cost of one crossing of an edge.
    public static func cost(of e: EdgeAttributes, _ p: Parameters) -> Double {
        cost(of: CostFeatures(e), p)
    }

    /// The generalised cost of anything described by its features (one edge, or a
    /// whole path: features add up, and the cost is linear in them).
    public static func cost(of f: CostFeatures, _ p: Parameters) -> Double {
        cost(of: f.vector, coefficients: coefficients(p))
    }

    /// The cost per unit of each entry of `CostFeatures.vector`: the formula above
    /// gathered by feature, so a cost is one dot product.
    public static func coefficients(_ p: Parameters) -> [Double] {
        let hour = p.timeWeight * p.valueOfHour, km = p.distanceWeight * p.perKm
        let attempt = p.detectionWeight * p.turnBackCost
        return [
            km + hour / p.landSpeedKmh + p.priceWeight * p.transitFarePerKm,           // land km
            km + hour / p.seaSpeedKmh + p.priceWeight * p.seaPricePerKm,               // sea km
            hour * p.borderWaitHours + p.priceWeight * p.borderCrossingPrice,         // land border crossings
            hour * p.seaWaitHours + p.priceWeight * p.seaCrossingPrice,               // sea crossings
            p.priceWeight * p.ferryPrice,                                              // ferries
            p.riskWeight * p.valueOfLife / 1000,                                       // risk per 1,000
        ] + CostFeatures.levels.map { attempt * detectionOdds(p.detectionProbability[$0] ?? 0) }  // attempts by level
            + [attempt,                                                                // fixed detection odds
               hour * p.borderWaitHours,                                               // land borders with a recorded price
               hour * p.seaWaitHours,                                                  // sea crossings with a recorded price
               p.priceWeight,                                                         // recorded prices, euros
            km + hour / p.ferrySpeedKmh]                                               // ferry km (the ticket is the fare)
    }

    /// Σ features × coefficients.
    @inline(__always)
    public static func cost(of features: UnsafeBufferPointer<Double>, coefficients c: [Double]) -> Double {
        var total = 0.0
        for i in 0..<CostFeatures.width { total += features[i] * c[i] }
        return total
    }

    public static func cost(of features: [Double], coefficients c: [Double]) -> Double {
        features.withUnsafeBufferPointer { cost(of: $0, coefficients: c) }
    }

    /// Expected failed attempts before getting through, p/(1 − p), with p clamped to [0, 0.99].
    public static func detectionOdds(_ p: Double) -> Double {
        let q = min(max(p, 0), 0.99)
        return q / (1 - q)
    }

    /// The calendar day `day` names (`CalendarDay(parsing:)`: `2015-09-15`, also `2015-9-15`), so that
    /// days compare as dates however they are written; `nil` without a day or when it is not a date.
    static func calendarDay(_ day: String?) -> CalendarDay? { day.flatMap { CalendarDay(parsing: $0) } }

    /// Whether the row's dated attributes (`since`) are not yet in force on `day`.
    static func pending(_ network: RouteNetwork, row: Int, asOf day: CalendarDay?) -> Bool {
        guard let day, let since = network.edgeAttributes?.since[row] else { return false }
        return since > day
    }

    /// The dated changes of `network` after `day`, sorted: the `since` days not yet reached and
    /// the days its entry rules start or stop (`EntryClasses.changes(after:)`). Two days with the
    /// same list see the same network. Empty without a day (or with one that is not a date).
    /// - Complexity: O(E).
    public static func pendingChanges(in network: RouteNetwork, asOf day: String?) -> [String] {
        guard let day = calendarDay(day) else { return [] }
        var out = Set(network.entryClasses.changes(after: day))
        for row in 0..<network.edgeCount {
            if pending(network, row: row, asOf: day), let columns = network.edgeAttributes, let since = columns.since[row] {
                out.insert(since)
                for state in columns.earlier[row] { if let s = state.since, s > day { out.insert(s) } }
            }
        }
        return out.sorted().map(\.description)
    }

    /// Reads an edge's cost attributes from the network (schema of `NetworkSchema`), as in force on
    /// `day` (`YYYY-MM-DD`; `nil`, or not a date: every attribute as written): an edge whose `since`
    /// is later has its `earlier` state of that day, before the first of them the defaults:
    /// surveillance `medium`, `open`, no recorded price.
    /// Missing attributes: kind `leg`, land, the edge's own cost as length, no risk, no surveillance.
    /// Reads the network's typed columns (`RouteNetwork.edgeAttributes`).
    /// - Complexity: O(1).
    public static func attributes(ofRow row: Int, in network: RouteNetwork, _ p: Parameters, asOf day: String? = nil) -> EdgeAttributes {
        attributes(ofRow: row, in: network, p, on: calendarDay(day))
    }

    static func attributes(ofRow row: Int, in network: RouteNetwork, _ p: Parameters, on day: CalendarDay?) -> EdgeAttributes {
        let columns = network.edgeAttributes
        let kind = columns?.kind[row] ?? .leg
        let isSea = columns?.mode[row].map { $0 == .sea } ?? (kind == .sea || kind == .ferry)
        let fallback = max(network.edges.costs[row], network.edges.reverseCosts[row], 0)
        let length = columns?.lengthKm[row] ?? fallback
        let risk = columns?.risk[row] ?? 0
        let state = columns?.state(ofRow: row, on: day)
        let level = state?.surveillance, price = state?.price, closed = state?.closed ?? false
        // Only crossings detect and turn back (`CostFeatures`): not legs, not domestic ferries.
        let detection = kind == .border || kind == .sea ? level.flatMap { p.detectionProbability[$0] } ?? 0 : 0
        return EdgeAttributes(kind: kind, isSea: isSea, lengthKm: length, risk: risk, detectionProbability: detection,
                              checked: level != .unchecked, recordedPrice: price, surveillance: level, closed: closed)
    }

    /// Applies the model to every edge of `network`, with the attributes in force on `day`
    /// (`YYYY-MM-DD`; `nil`: every attribute as written, the network's reference state).
    /// - Throws: `InputError` when `day` is not a calendar date.
    /// - Complexity: O(E).
    public static func apply(_ p: Parameters, to network: RouteNetwork, asOf day: String? = nil) throws -> CostedNetwork {
        let date = calendarDay(day)
        if let day, date == nil {
            throw InputError("\(InputError.excerpt(day)) is not a calendar date (YYYY-MM-DD)")
        }
        var table = EdgeTable()
        table.reserveCapacity(network.edgeCount)
        var attributes: [EdgeAttributes] = []
        attributes.reserveCapacity(network.edgeCount)
        var costs: [Double] = []
        costs.reserveCapacity(network.edgeCount)
        for row in 0..<network.edgeCount {
            let a = Self.attributes(ofRow: row, in: network, p, on: date)
            let c = cost(of: a, p)
            attributes.append(a); costs.append(c)
            // Keep the network's one-way edges and closed directions: negative stays absent.
            let e = network.edges
            table.append(id: e.ids[row], source: e.sources[row], target: e.targets[row],
                         cost: e.costs[row] < 0 || a.closed ? -1 : c,
                         reverseCost: e.reverseCosts[row] < 0 || a.closed ? -1 : c)
        }
        var coordinates = NodeCoordinates()
        for (i, id) in network.graph.nodeIds.enumerated() {
            if let c = network.graph.coordinate(of: Int32(i)) { coordinates.append(id: id, longitude: c.longitude, latitude: c.latitude) }
        }
        let graph = try RoutingGraph(edges: table, coordinates: coordinates.count == network.nodeCount ? coordinates : nil)
        return CostedNetwork(network: network, graph: graph, edges: table, attributes: attributes, unitCosts: costs,
                             parameters: p, asOf: date?.description)
    }
}

/// What the generalised cost of an edge or a path depends on, summed over
/// its edges, so a path's cost under any parameters is one dot product.
public struct CostFeatures: Hashable, Sendable {
    /// Surveillance levels whose detection probability is a parameter.
    public static let levels = Surveillance.levels
    public var landKm = 0.0
    public var seaKm = 0.0
    /// Land border, sea and ferry crossings.
    public var borders = 0.0
    public var seas = 0.0
    public var ferries = 0.0
    /// Deaths and missing per 1,000 crossings, summed.
    public var risk = 0.0
    /// Crossings at each of `levels` (detection odds from the parameters).
    public var attemptsByLevel = [0.0, 0.0, 0.0]
    /// Σ p/(1 − p) of crossings whose detection probability is fixed (set by an intervention).
    public var fixedDetectionOdds = 0.0
    /// Land border and sea crossings with a recorded price (they wait, but pay that price).
    public var pricedBorders = 0.0
    public var pricedSeas = 0.0
    /// Σ recorded prices, euros.
    public var recordedPrice = 0.0
    /// Kilometres on scheduled ferries (domestic ferries and unchecked sea crossings), not in `seaKm`.
    public var ferryKm = 0.0

    public init() {}

    /// One edge with its detection probability fixed as given.
    public init(_ e: CostModel.EdgeAttributes) {
        self.init(e, surveillance: nil)
        if e.kind == .border || e.kind == .sea { fixedDetectionOdds = CostModel.detectionOdds(e.detectionProbability) }
    }

    /// One edge whose detection follows its `surveillance` level (none: no detection).
    public init(_ e: CostModel.EdgeAttributes, surveillance: Surveillance?) {
        if e.kind != .air {
            if e.isScheduledBoat { ferryKm = e.lengthKm } else if e.isSea { seaKm = e.lengthKm } else { landKm = e.lengthKm }
        }
        switch e.kind {
        case .border where !e.checked: break
        case .border:
            if let price = e.recordedPrice { pricedBorders = 1; recordedPrice = price } else { borders = 1 }
        // A sea crossing without systematic checks (a bridge or ferry between two Schengen states
        // before checks were reintroduced) is a ticket, as a domestic ferry: its recorded fare, else `ferryPrice`.
        case .sea where !e.checked:
            if let price = e.recordedPrice { recordedPrice = price } else { ferries = 1 }
        case .sea:
            if let price = e.recordedPrice { pricedSeas = 1; recordedPrice = price } else { seas = 1 }
        case .ferry: ferries = 1
        case .air:
            if let price = e.recordedPrice { pricedBorders = 1; recordedPrice = price } else { borders = 1 }
        case .leg: break
        }
        risk = e.risk
        // Only crossings are attempts that can be turned back: a domestic ferry is a ticket
        // (people who reached the islands travel on to the mainland on scheduled boats), a leg
        // is travel inside one country.
        guard e.kind == .border || e.kind == .sea else { return }
        if let surveillance, let i = Self.levels.firstIndex(of: surveillance) { attemptsByLevel[i] = 1 }
    }

    /// Entries of `vector`.
    public static let width = 14

    /// `landKm, seaKm, borders, seas, ferries, risk, attempts low/medium/high, fixedDetectionOdds,
    /// pricedBorders, pricedSeas, recordedPrice, ferryKm`, the order of `CostModel.coefficients`.
    public var vector: [Double] {
        [landKm, seaKm, borders, seas, ferries, risk] + attemptsByLevel
            + [fixedDetectionOdds, pricedBorders, pricedSeas, recordedPrice, ferryKm]
    }

    public static func += (a: inout CostFeatures, b: CostFeatures) {
        a.landKm += b.landKm; a.seaKm += b.seaKm; a.borders += b.borders; a.seas += b.seas; a.ferries += b.ferries
        a.risk += b.risk; a.fixedDetectionOdds += b.fixedDetectionOdds
        a.pricedBorders += b.pricedBorders; a.pricedSeas += b.pricedSeas; a.recordedPrice += b.recordedPrice
        a.ferryKm += b.ferryKm
        for i in 0..<3 { a.attemptsByLevel[i] += b.attemptsByLevel[i] }
    }
}

/// A network with generalised costs: same edge ids and topology as `network`,
/// costs from the cost model; the arrays are by edge row.
public struct CostedNetwork: Sendable {
    public let network: RouteNetwork
    public let graph: RoutingGraph
    public let edges: EdgeTable
    public let attributes: [CostModel.EdgeAttributes]
    /// Generalised cost of one crossing of each edge (before any intervention).
    public let unitCosts: [Double]
    public let parameters: CostModel.Parameters
    /// The day whose network state was applied (`YYYY-MM-DD`, as `CalendarDay` writes it); `nil`: every attribute as written.
    public var asOf: String? = nil

    /// The edge rows each class of travellers may not use under the entry rules in force on
    /// `asOf` (`EntryClasses.barredRows(on:)`); classes not listed may use every edge.
    public var barredRows: [String: [BarredEdge]] { network.entryClasses.barredRows(on: CostModel.calendarDay(asOf)) }

    /// Deaths and missing per 1,000 crossings, by edge row.
    public var risk: [Double] { attributes.map(\.risk) }
    public var lengthKm: [Double] { attributes.map(\.lengthKm) }

    /// What is worked out from the network once and shared by the copies of this value.
    private let memo = CostedNetworkMemo()

    /// The corridors of this network state (`Corridors.groups(in:graph:asOf:)` on `asOf`),
    /// worked out the first time and shared by every copy: a run asks for them once per
    /// assignment and per comparison of two states.
    /// - Complexity: O(E) dictionary work the first time, O(1) after.
    public func corridorGroups() throws -> LinkGroups {
        if let known = memo.corridors(asOf: asOf) { return known }
        let groups = try Corridors.groups(in: network, graph: graph, asOf: asOf)
        memo.store(groups, asOf: asOf)
        return groups
    }
}

/// The corridors of a `CostedNetwork`, by day, behind a lock (a costed network is shared by threads).
final class CostedNetworkMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var groups: [String: LinkGroups] = [:]
    private static let undated = ""

    func corridors(asOf day: String?) -> LinkGroups? { lock.withLock { groups[day ?? Self.undated] } }
    func store(_ value: LinkGroups, asOf day: String?) { lock.withLock { groups[day ?? Self.undated] = groups[day ?? Self.undated] ?? value } }
}
