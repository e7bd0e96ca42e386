import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork

/// Origin–destination demand of each period built from the recorded data alone.
///
/// Method (each step is reported in `accounts`):
/// 1. **People, counted once at their first entry.** Frontex counts detections, and
///    in 2015 most people were detected twice: entering Greece (Eastern
///    Mediterranean) and again entering Hungary or Croatia (Western Balkans). Every
///    route except the Western Balkans is an entry route; Western Balkans
///    detections count only for nationals of the region (`regionalNationalities`:
///    ALB, BIH, MKD, MNE, SRB, XKX) and for nationals who could fly into the region
///    without a visa (`FlightsIntoRegion`: the network's air legs to a hub in Albania,
///    Bosnia and Herzegovina, Kosovo, Montenegro, North Macedonia or Serbia whose entry
///    rules let the nationality board, such as Tunisians to Belgrade until 20 November
///    2022), in the share of the month's days on which such a flight was open to them
///    (`flownIn`); the others are secondary movements of people already counted on entry,
///    and are reported as `secondary`.
/// 2. **Unknown nationality (`OOO`).** On entry routes, the `OOO` detections of a
///    month, route and crossing type are shared among the known nationalities of
///    the same cell in proportion to their detections (`unknownShare`); where the
///    cell has no known nationality they stay unplaced. `OOO` on the Western
///    Balkans is secondary movement like every non-regional detection there.
/// 3. **Where people start**, from the nationality alone (never from the route
///    they were detected on): the hubs of the nationality's country, weighted by
///    their population (GeoNames), together with the hubs of each country of first
///    asylum, weighted by UNHCR's stock of refugees and asylum-seekers of that
///    nationality there at the end of the previous year (nearest year where
///    missing), spread over the country's hubs by population. Countries of first
///    asylum are the countries of asylum with hubs in the network that are
///    neither the origin nor a country reporting to Eurostat. Syrians thus start in
///    Syria, Turkey, Lebanon and Jordan; Afghans in Afghanistan, Iran and Pakistan.
///    Of the origin country, hubs with the role `origin` are used when there are any.
///    A country of first asylum holding under 1% of the nationality's origin weight
///    is left out.
/// 4. **Where people go**: the nationality's first-time asylum applicants (Eurostat)
///    by country of application in the same year (nearest year where missing; all
///    nationalities of that year where the nationality has none), placed at the
///    country's hubs with the role `destination` (all its hubs where none),
///    weighted by population. Countries without hubs are left out.
/// 5. `flow = people × origin share × destination share`; a nationality without an
///    origin or a destination hub, or a pair whose origin is its destination, is
///    reported as `unplaced`.
///
/// Every row carries its period and provenance; totals satisfy, per period and
/// nationality, `placed + unplaced = firstEntries + unknownShare`.
public struct ObservedDemand: Hashable, Sendable {
    /// One origin–destination flow of one nationality in one period.
    public struct Row: Hashable, Sendable {
        public var period: Period
        public var originHub: String
        public var destinationHub: String
        public var nationality: String
        /// People in the period (an estimate built by the method above).
        public var flow: Double
        /// Which records the flow comes from.
        public var source: String
        public init(period: Period, originHub: String, destinationHub: String, nationality: String, flow: Double, source: String) {
            self.period = period; self.originHub = originHub; self.destinationHub = destinationHub
            self.nationality = nationality; self.flow = flow; self.source = source
        }
    }

    /// How one nationality's detections of one period became demand.
    public struct Account: Hashable, Sendable {
        public var period: Period
        /// ISO alpha-3, or `OOO` for the unknown-nationality detections.
        public var nationality: String
        /// All Frontex detections of the nationality (every route).
        public var detections: Double = 0
        /// Detections counted as first entries.
        public var firstEntries: Double = 0
        /// `OOO` detections attributed to this nationality (for `OOO`: shared out).
        public var unknownShare: Double = 0
        /// Western Balkans detections of people already counted on entry (left out).
        public var secondary: Double = 0
        /// Western Balkans detections counted as first entries because a flight into the
        /// region admitted the nationality (part of `firstEntries`).
        public var flownIn: Double = 0
        /// People in the demand rows.
        public var placed: Double = 0
        /// People counted but not placed (no origin or destination hub).
        public var unplaced: Double = 0
        /// Why some people were not placed, when any were.
        public var note: String = ""
        public init(period: Period, nationality: String) { self.period = period; self.nationality = nationality }
    }

    public static let regionalNationalities: Set<String> = ["ALB", "BIH", "MKD", "MNE", "SRB", "XKX"]

    public let periods: [Period]
    /// Sorted by period, origin hub, destination hub, nationality.
    public let rows: [Row]
    /// Sorted by period, then nationality (`OOO` in its alphabetical place).
    public let accounts: [Account]

    public init(periods: [Period], rows: [Row], accounts: [Account]) {
        self.periods = periods; self.rows = rows; self.accounts = accounts
    }

    /// Total flow of each period, in `periods` order.
    public var totals: [Double] {
        var by: [Period: Double] = [:]
        for r in rows { by[r.period, default: 0] += r.flow }
        return periods.map { by[$0] ?? 0 }
    }

    /// Builds the demand of each period.
    ///
    /// - Parameters:
    ///   - periods: the periods, each within the Frontex data.
    ///   - nationalities: only these (ISO alpha-3); `nil` = all.
    ///   - workers: threads that build runs of consecutive periods side by side (`nil`: all processors).
    /// - Throws: `InputError` for a period outside the data, an empty period or an
    ///   unknown nationality (with the nearest valid value).
    /// - Complexity: O(detection rows of the periods + Σ nationalities × origin hubs × destination hubs),
    ///   consecutive periods on separate threads.
    public static func build(periods: [Period], data: ObservationData, network: RouteNetwork,
                             nationalities: Set<String>? = nil, workers: Int? = nil) throws -> ObservedDemand {
        try check(periods: periods, data: data)
        if let nationalities {
            let known = Set(data.frontex.rows.map(\.nationality))
            for n in nationalities.sorted() where !known.contains(n) {
                throw InputError("unknown nationality '\(ObservationCSV.excerpt(n))' (no Frontex detections; ISO 3166-1 alpha-3 expected)",
                                 at: InputLocation(path: "nationality"),
                                 suggestions: NearestMatch.suggestions(for: n, among: known.sorted(), maxDistance: 1))
            }
        }
        let hubs = HubDirectory(network: network)
        let flights = FlightsIntoRegion(network: network)
        // Consecutive runs of periods side by side, one per thread, joined in period order: each
        // period's rows and accounts depend on that period alone (the placements on its year),
        // so they are the same whatever the runs, and an error is that of the first bad period.
        let workers = max(1, min(workers ?? Parallel.defaultWorkers, periods.count))
        let parts = try Parallel.map(count: workers, workers: workers, state: {}) { _, k throws(any Error) in
            try rows(of: Array(periods[(k * periods.count / workers)..<((k + 1) * periods.count / workers)]),
                     data: data, hubs: hubs, flights: flights, nationalities: nationalities)
        }
        return ObservedDemand(periods: periods, rows: parts.flatMap(\.rows), accounts: parts.flatMap(\.accounts))
    }

    /// The rows and accounts of `periods` (see `build`), in period order.
    private static func rows(of periods: [Period], data: ObservationData, hubs: HubDirectory, flights: FlightsIntoRegion,
                             nationalities: Set<String>?) throws -> (rows: [Row], accounts: [Account]) {
        var placer = Placer(data: data, hubs: hubs)
        var rows: [Row] = []
        var accounts: [Account] = []
        // Cells are keyed by interned names (hub, nationality, source), turned back into text per period.
        var names = Interned()
        var interned: [String: (keys: [Int], origins: [Int], destination: Int)] = [:]
        for period in periods {
            var cells: [Int: Cell] = [:]
            var acc: [String: Account] = [:]
            func account(_ n: String) -> Account { acc[n] ?? Account(period: period, nationality: n) }
            for month in period.months {
                let people = firstEntries(data.frontex.rows(in: month), period: period, flights: flights, accounts: &acc)
                for (n, p) in people.sorted(by: { $0.key < $1.key }) where nationalities?.contains(n) ?? true {
                    guard p.total > 0 else { continue }
                    var a = account(n)
                    let placement = placer.placement(nationality: n, year: month.year)
                    guard !placement.pairs.isEmpty else {
                        a.unplaced += p.total
                        a.note = placement.note
                        acc[n] = a
                        continue
                    }
                    var placed = 0.0
                    let memoKey = "\(n)/\(month.year)"
                    let ids = interned[memoKey] ?? {
                        let nationality = names.id(n)
                        let ids = (keys: placement.pairs.map { RowKey.packed(names.id($0.origin), names.id($0.destination), nationality) },
                                   origins: placement.pairs.map { names.id($0.originSource) },
                                   destination: names.id(placement.destinationSource))
                        interned[memoKey] = ids
                        return ids
                    }()
                    for (j, pair) in placement.pairs.enumerated() {
                        let f = p.total * pair.share
                        cells[ids.keys[j], default: Cell()].add(flow: f, origin: ids.origins[j], destination: ids.destination)
                        placed += f
                    }
                    a.placed += placed
                    // Shares sum to 1 up to rounding: only a real gap (origin = destination) is unplaced.
                    if p.total - placed > 1e-9 * p.total { a.unplaced += p.total - placed; a.note = placement.note } else { a.placed = a.placed - placed + p.total }
                    acc[n] = a
                }
            }
            if let nationalities { acc = acc.filter { nationalities.contains($0.key) || $0.key == FrontexDetections.unknownNationality } }
            let total = acc.values.reduce(0) { $0 + $1.placed }
            guard total > 0 else {
                let whose = nationalities.map { " of " + $0.sorted().joined(separator: ",") } ?? ""
                throw InputError("period \(period) has no first-entry detections\(whose) to place")
            }
            // Sorted by the names' alphabetical ranks (the order of the texts themselves);
            // cells with the same sources share one source text.
            let rank = names.alphabeticalRanks()
            let mask = (1 << 21) - 1
            let keys = cells.keys.sorted { a, b in
                (rank[a >> 42], rank[(a >> 21) & mask], rank[a & mask]) < (rank[b >> 42], rank[(b >> 21) & mask], rank[b & mask])
            }
            var sources: [[Int]: String] = [:]
            for k in keys {
                let cell = cells[k]!, key = RowKey(packed: k, names: names)
                let sourceKey = cell.origins + [-1] + cell.destinations
                let source = sources[sourceKey] ?? {
                    let text = cell.source(period: period, names: names)
                    sources[sourceKey] = text
                    return text
                }()
                rows.append(Row(period: period, originHub: key.origin, destinationHub: key.destination, nationality: key.nationality,
                                flow: cell.flow, source: source))
            }
            accounts += acc.values.sorted { $0.nationality < $1.nationality }
        }
        return (rows, accounts)
    }

    /// Rejects periods outside the Frontex data.
    static func check(periods: [Period], data: ObservationData) throws {
        guard let coverage = data.frontex.coverage else {
            throw InputError("the Frontex table has no rows", at: InputLocation(file: data.directory))
        }
        for p in periods where !(coverage.contains(p.first) && coverage.contains(p.last)) {
            let nearest = p.first < coverage.first ? coverage.first.description : coverage.last.description
            throw InputError("period \(p) lies outside the Frontex data (\(coverage.first)…\(coverage.last))",
                             suggestions: [nearest])
        }
    }

    /// Per nationality: first-entry detections plus its share of the unknown, for one month's rows.
    static func firstEntries(_ rows: ArraySlice<FrontexDetections.Row>, period: Period, flights: FlightsIntoRegion = .none,
                             accounts: inout [String: Account]) -> [String: (entries: Double, share: Double, total: Double)] {
        struct CellKey: Hashable { var route: FrontexRoute; var type: CrossingType }
        var known: [CellKey: [String: Double]] = [:]
        var unknown: [CellKey: Double] = [:]
        let ooo = FrontexDetections.unknownNationality
        func bump(_ n: String, _ update: (inout Account) -> Void) {
            var a = accounts[n] ?? Account(period: period, nationality: n)
            update(&a); accounts[n] = a
        }
        for r in rows {
            let d = Double(r.detections)
            bump(r.nationality) { $0.detections += d }
            // What counts as first entries: all of an entry route's detections; of the Western
            // Balkans', those of nationals of the region and of nationals flying in.
            var counted = d
            if r.route == .westernBalkans && !regionalNationalities.contains(r.nationality) {
                counted = r.nationality == ooo ? 0 : d * flights.openShare(nationality: r.nationality, month: r.month)
                bump(r.nationality) { $0.secondary += d - counted; $0.flownIn += counted }
                guard counted > 0 else { continue }
            }
            let cell = CellKey(route: r.route, type: r.type)
            if r.nationality == ooo { unknown[cell, default: 0] += counted } else { known[cell, default: [:]][r.nationality, default: 0] += counted }
        }
        var out: [String: (entries: Double, share: Double, total: Double)] = [:]
        for (_, byNat) in known { for (n, d) in byNat { out[n, default: (0, 0, 0)].entries += d } }
        for (cell, u) in unknown.sorted(by: { ($0.key.route, $0.key.type.rawValue) < ($1.key.route, $1.key.type.rawValue) }) {
            let byNat = known[cell] ?? [:]
            let sum = byNat.values.reduce(0, +)
            guard sum > 0 else {
                bump(ooo) { $0.unplaced += u; $0.note = "OOO with no known nationality in the same month, route and type" }
                continue
            }
            for (n, d) in byNat { out[n, default: (0, 0, 0)].share += u * d / sum }
            bump(ooo) { $0.unknownShare += u }
        }
        for (n, v) in out {
            out[n]!.total = v.entries + v.share
            bump(n) { $0.firstEntries += v.entries; $0.unknownShare += v.share }
        }
        return out
    }

    struct RowKey: Hashable, Comparable {
        var origin: String, destination: String, nationality: String
        static func < (a: RowKey, b: RowKey) -> Bool { (a.origin, a.destination, a.nationality) < (b.origin, b.destination, b.nationality) }

        /// Three interned ids in one integer (21 bits each).
        static func packed(_ origin: Int, _ destination: Int, _ nationality: Int) -> Int {
            precondition(max(origin, destination, nationality) < 1 << 21, "too many distinct names")
            return origin << 42 | destination << 21 | nationality
        }

        init(packed key: Int, names: Interned) {
            let mask = (1 << 21) - 1
            origin = names.text[key >> 42]; destination = names.text[(key >> 21) & mask]; nationality = names.text[key & mask]
        }
    }

    /// Strings numbered in order of first use.
    struct Interned {
        private var ids: [String: Int] = [:]
        private(set) var text: [String] = []
        mutating func id(_ s: String) -> Int {
            if let i = ids[s] { return i }
            ids[s] = text.count; text.append(s)
            return text.count - 1
        }

        /// Each id's place among the texts sorted alphabetically.
        func alphabeticalRanks() -> [Int] {
            var rank = [Int](repeating: 0, count: text.count)
            for (r, i) in text.indices.sorted(by: { text[$0] < text[$1] }).enumerated() { rank[i] = r }
            return rank
        }
    }

    struct Cell {
        var flow = 0.0
        /// Interned source texts (a handful at most), each once.
        var origins: [Int] = []
        var destinations: [Int] = []
        mutating func add(flow f: Double, origin: Int, destination: Int) {
            flow += f
            if !origins.contains(origin) { origins.append(origin) }
            if !destinations.contains(destination) { destinations.append(destination) }
        }
        func source(period: Period, names: Interned) -> String {
            "Frontex \(period) first entries; origin \(origins.map { names.text[$0] }.sorted().joined(separator: ", ")); destination \(destinations.map { names.text[$0] }.sorted().joined(separator: ", "))"
        }
    }
}

/// The air legs into the Western Balkan states outside the EU
/// (`FrontexRouteMap.westernBalkanStates`) and their entry rules: who could fly in without a
/// visa, and on which days.
struct FlightsIntoRegion {
    static let none = FlightsIntoRegion(rules: [])

    /// Entry rules of each air leg into the region.
    let rules: [[EntryRule]]

    init(rules: [[EntryRule]]) { self.rules = rules }

    /// - Complexity: O(E).
    init(network: RouteNetwork) {
        guard let attributes = network.edgeAttributes else { self.init(rules: []); return }
        var rules: [[EntryRule]] = []
        for row in 0..<network.edges.count where attributes.kind[row] == .air {
            guard case .string(let country)? = network.nodeProperties[network.edges.targets[row]]?[NetworkSchema.country],
                  FrontexRouteMap.westernBalkanStates.contains(country.uppercased()) else { continue }
            rules.append(attributes.entry[row])
        }
        self.init(rules: rules)
    }

    /// The share of `month`'s days on which some air leg into the region let `nationality`
    /// board (0 where no leg names it: a flight open to every nationality is not a visa-free
    /// entry of anyone in particular).
    /// - Complexity: O(days × legs × rules).
    func openShare(nationality: String, month: YearMonth) -> Double {
        let named = rules.filter { $0.contains { !$0.coversAll && $0.nationalities.contains(nationality) } }
        guard !named.isEmpty else { return 0 }
        let first = month.firstDay.ordinal
        var open = 0
        for d in 0..<month.days {
            let day = CalendarDay(ordinal: first + d)
            if named.contains(where: { EntryRule.allows($0, nationality: nationality, on: day, direction: .forward) }) { open += 1 }
        }
        return Double(open) / Double(month.days)
    }
}

/// The network's hubs by country (ISO alpha-2), with population and roles.
struct HubDirectory {
    struct Hub { var name: String; var population: Double; var roles: Set<String> }
    var byCountry: [String: [Hub]] = [:]

    init(network: RouteNetwork) {
        for (id, props) in network.nodeProperties {
            guard case .string("hub")? = props[NetworkSchema.kind], case .string(let country)? = props[NetworkSchema.country],
                  let name = network.nodeNames[id] else { continue }
            var population = 0.0
            if case .number(let p)? = props["population"] { population = p }
            var roles = Set<String>()
            if case .string(let r)? = props["roles"] { roles = Set(r.split(separator: ";").map { String($0) }) }
            byCountry[country.uppercased(), default: []].append(Hub(name: name, population: population, roles: roles))
        }
        for k in byCountry.keys { byCountry[k]!.sort { $0.name < $1.name } }
    }

    /// Hubs of `country` with `role` (all its hubs where none has it), with population shares summing to 1.
    func shares(country: String, preferring role: String?) -> [(name: String, share: Double)] {
        guard let all = byCountry[country], !all.isEmpty else { return [] }
        let withRole = role.map { r in all.filter { $0.roles.contains(r) } } ?? []
        let chosen = withRole.isEmpty ? all : withRole
        let total = chosen.reduce(0) { $0 + $1.population }
        if total <= 0 { return chosen.map { ($0.name, 1 / Double(chosen.count)) } }
        return chosen.map { ($0.name, $0.population / total) }
    }

    func population(country: String, preferring role: String) -> Double {
        guard let all = byCountry[country] else { return 0 }
        let withRole = all.filter { $0.roles.contains(role) }
        return (withRole.isEmpty ? all : withRole).reduce(0) { $0 + $1.population }
    }
}

/// Origin and destination shares per nationality and year, memoised.
struct Placer {
    struct Pair { var origin: String; var destination: String; var share: Double; var originSource: String }
    struct Placement { var pairs: [Pair]; var destinationSource: String; var note: String }

    let data: ObservationData
    let hubs: HubDirectory
    private var memo: [String: Placement] = [:]

    init(data: ObservationData, hubs: HubDirectory) { self.data = data; self.hubs = hubs }

    mutating func placement(nationality n: String, year: Int) -> Placement {
        let key = "\(n)/\(year)"
        if let p = memo[key] { return p }
        let p = compute(n, year)
        memo[key] = p
        return p
    }

    /// Least share of a nationality's origin weight a country of first asylum needs to be used.
    static let minimumAsylumShare = 0.01

    private func compute(_ n: String, _ year: Int) -> Placement {
        let codes = data.countries
        // Origins: the nationality's own country, by hub population, and its countries of first asylum, by stock.
        var origins: [(hub: String, weight: Double, source: String)] = []
        if let c = codes.alpha2ByAlpha3[n] {
            let pop = hubs.population(country: c, preferring: "origin")
            let shares = hubs.shares(country: c, preferring: "origin")
            let weight = pop > 0 ? pop : (shares.isEmpty ? 0 : 1)
            for s in shares { origins.append((s.name, weight * s.share, "\(c) hub population")) }
        }
        if let stocks = data.stocks.byCountry(origin: n, year: year - 1) {
            for (asylum, people) in stocks.counts.sorted(by: { $0.key < $1.key })
            where people > 0 && asylum != n && !data.asylum.reportingCountries.contains(asylum) {
                guard let c = codes.alpha2ByAlpha3[asylum] else { continue }
                for s in hubs.shares(country: c, preferring: nil) {
                    origins.append((s.name, Double(people) * s.share, "UNHCR \(stocks.year) stock in \(c)"))
                }
            }
        }
        // Countries of first asylum holding under 1% of the origin weight are left out
        // (a few refugees far from any route would otherwise add thousands of near-zero rows).
        let fullTotal = origins.reduce(0) { $0 + $1.weight }
        var bySource: [String: Double] = [:]
        for o in origins { bySource[o.source, default: 0] += o.weight }
        origins = origins.filter { !$0.source.hasPrefix("UNHCR") || bySource[$0.source]! >= Self.minimumAsylumShare * fullTotal }
        let originTotal = origins.reduce(0) { $0 + $1.weight }
        guard originTotal > 0 else {
            return Placement(pairs: [], destinationSource: "", note: "no hub in the nationality's country or its countries of first asylum")
        }
        // Destinations: first-time asylum applicants by country of application.
        var applications = data.asylum.byCountry(nationality: n, year: year)
        var destinationSource = applications.map { "Eurostat \($0.year) first-time applicants" } ?? ""
        var destinations = Self.destinationShares(applications?.counts ?? [:], codes: codes, hubs: hubs)
        if destinations.isEmpty {
            applications = data.asylum.allNationalities(year: year)
            destinationSource = applications.map { "Eurostat \($0.year) first-time applicants of all nationalities" } ?? ""
            destinations = Self.destinationShares(applications?.counts ?? [:], codes: codes, hubs: hubs)
        }
        guard !destinations.isEmpty else {
            return Placement(pairs: [], destinationSource: "", note: "no Eurostat applications in a country with hubs")
        }
        var pairs: [Pair] = []
        var note = ""
        for o in origins {
            for d in destinations {
                guard o.hub != d.hub else { note = "origin hub equals destination hub"; continue }
                pairs.append(Pair(origin: o.hub, destination: d.hub, share: o.weight / originTotal * d.share, originSource: o.source))
            }
        }
        return Placement(pairs: pairs, destinationSource: destinationSource, note: note)
    }

    static func destinationShares(_ counts: [String: Int], codes: CountryCodes, hubs: HubDirectory) -> [(hub: String, share: Double)] {
        var out: [(hub: String, share: Double)] = []
        for (country, k) in counts.sorted(by: { $0.key < $1.key }) where k > 0 {
            guard let c = codes.alpha2ByAlpha3[country] else { continue }
            for s in hubs.shares(country: c, preferring: "destination") { out.append((s.name, Double(k) * s.share)) }
        }
        let total = out.reduce(0) { $0 + $1.share }
        guard total > 0 else { return [] }
        return out.map { ($0.hub, $0.share / total) }
    }
}
