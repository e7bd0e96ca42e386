import Foundation
import RouteShiftCore
import RouteShiftNetwork

/// Frontex's migratory routes, as named in its monthly detections file.
public enum FrontexRoute: String, Hashable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case easternMediterranean = "Eastern Mediterranean Route"
    case centralMediterranean = "Central Mediterranean Route"
    case westernMediterranean = "Western Mediterranean Route"
    case westernAfrican = "Western African Route"
    case westernBalkans = "Western Balkan Route"
    case easternBorders = "Eastern Borders Route"
    case circularAlbaniaGreece = "Circular Route from Albania to Greece"
    case blackSea = "Black Sea Route"
    case other = "Other"

    /// The name Frontex uses.
    public var description: String { rawValue }

    /// A short key for command lines and CSV columns (`eastern-mediterranean`).
    public var key: String {
        switch self {
        case .easternMediterranean: "eastern-mediterranean"
        case .centralMediterranean: "central-mediterranean"
        case .westernMediterranean: "western-mediterranean"
        case .westernAfrican: "western-african"
        case .westernBalkans: "western-balkans"
        case .easternBorders: "eastern-borders"
        case .circularAlbaniaGreece: "circular-albania-greece"
        case .blackSea: "black-sea"
        case .other: "other"
        }
    }

    /// A route by its Frontex name or its key (case-insensitive).
    /// - Complexity: O(1) for a name or key as written (every row of the detections file),
    ///   O(routes) otherwise.
    public init?(name: String) {
        if let exact = Self.exactNames[name] { self = exact; return }
        let t = name.trimmingCharacters(in: .whitespaces).lowercased()
        guard let r = Self.allCases.first(where: { $0.rawValue.lowercased() == t || $0.key == t }) else { return nil }
        self = r
    }

    /// Every route under its Frontex name and its key, exactly as written.
    private static let exactNames: [String: FrontexRoute] = {
        var names: [String: FrontexRoute] = [:]
        for r in allCases { names[r.rawValue] = r; names[r.key] = r }
        return names
    }()

    public static func < (a: FrontexRoute, b: FrontexRoute) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Frontex's crossing type.
public enum CrossingType: String, Hashable, Sendable, CaseIterable {
    case land = "Land"
    case sea = "Sea"
}

/// Frontex "Detections of illegal border-crossings", one row per month, route,
/// crossing type and nationality (ISO 3166-1 alpha-3; `OOO` unknown, `XKX` Kosovo).
/// Detections count crossings, not people.
public struct FrontexDetections: Hashable, Sendable {
    public struct Row: Hashable, Sendable {
        public var month: YearMonth
        public var route: FrontexRoute
        public var type: CrossingType
        public var nationality: String
        public var detections: Int
        public init(month: YearMonth, route: FrontexRoute, type: CrossingType, nationality: String, detections: Int) {
            self.month = month; self.route = route; self.type = type; self.nationality = nationality; self.detections = detections
        }
    }

    /// Unknown nationality.
    public static let unknownNationality = "OOO"

    /// Rows sorted by month, route, type, nationality.
    public let rows: [Row]
    /// Row range of each month, for O(1) access by month.
    private let monthRanges: [Int: Range<Int>]
    /// First and last month with data.
    public let coverage: Period?

    public init(rows: [Row]) {
        let sorted = rows.sorted { ($0.month, $0.route, $0.type.rawValue, $0.nationality) < ($1.month, $1.route, $1.type.rawValue, $1.nationality) }
        self.rows = sorted
        var ranges: [Int: Range<Int>] = [:]
        var start = 0
        for i in 1...max(1, sorted.count) where i == sorted.count || sorted[i].month != sorted[start].month {
            if !sorted.isEmpty { ranges[sorted[start].month.index] = start..<i }
            start = i
        }
        monthRanges = ranges
        coverage = sorted.isEmpty ? nil : Period(first: sorted.first!.month, last: sorted.last!.month)
    }

    /// The rows of one month.
    /// - Complexity: O(1) to find them.
    public func rows(in month: YearMonth) -> ArraySlice<Row> {
        guard let r = monthRanges[month.index] else { return [] }
        return rows[r]
    }

    /// Detections per route in `period`, optionally of some nationalities only.
    /// - Complexity: O(rows of the period).
    public func totals(in period: Period, nationalities: Set<String>? = nil) -> [FrontexRoute: Int] {
        var out: [FrontexRoute: Int] = [:]
        for m in period.months {
            for r in rows(in: m) where nationalities?.contains(r.nationality) ?? true { out[r.route, default: 0] += r.detections }
        }
        return out
    }

    /// Reads `frontex_detections_monthly.csv` (`month,route,type,nationality,detections`).
    /// - Throws: `InputError` naming the file, line and column of a bad value.
    public static func read(path: String) throws -> FrontexDetections {
        let csv = try ObservationCSV(path: path, requiredColumns: ["month", "route", "type", "nationality", "detections"])
        let (cm, cr, ct, cn, cd) = (csv.column("month"), csv.column("route"), csv.column("type"), csv.column("nationality"), csv.column("detections"))
        var rows: [Row] = []
        rows.reserveCapacity(csv.records.count)
        for (line, f) in csv.records {
            guard let month = YearMonth(parsing: f[cm]) else {
                throw InputError("month '\(ObservationCSV.excerpt(f[cm]))' is not YYYY-MM", at: csv.location(line, "month"))
            }
            guard let route = FrontexRoute(name: f[cr]) else {
                throw InputError("unknown Frontex route '\(ObservationCSV.excerpt(f[cr]))'", at: csv.location(line, "route"),
                                 suggestions: NearestMatch.suggestions(for: f[cr], among: FrontexRoute.allCases.map(\.rawValue)))
            }
            guard let type = CrossingType(rawValue: f[ct]) else {
                throw InputError("type '\(ObservationCSV.excerpt(f[ct]))' is neither Land nor Sea", at: csv.location(line, "type"))
            }
            guard CountryCodes.isAlpha3(f[cn]) else {
                throw InputError("nationality '\(ObservationCSV.excerpt(f[cn]))' is not an ISO 3166-1 alpha-3 code", at: csv.location(line, "nationality"))
            }
            guard let d = Int(f[cd]), d >= 0 else {
                throw InputError("detections '\(ObservationCSV.excerpt(f[cd]))' is not a whole number ≥ 0", at: csv.location(line, "detections"))
            }
            rows.append(Row(month: month, route: route, type: type, nationality: f[cn], detections: d))
        }
        return FrontexDetections(rows: rows)
    }
}

/// Eurostat first-time asylum applicants (`migr_asyappctza`) by year, country of
/// application and nationality, summed over sex.
public struct AsylumApplications: Hashable, Sendable {
    /// applicants[year][nationality][country of application (alpha-3)].
    public let applicants: [Int: [String: [String: Int]]]
    /// Countries that report applications (the destinations Eurostat covers).
    public let reportingCountries: Set<String>

    public init(applicants: [Int: [String: [String: Int]]]) {
        self.applicants = applicants
        var countries = Set<String>()
        for byNationality in applicants.values { for byCountry in byNationality.values { countries.formUnion(byCountry.keys) } }
        reportingCountries = countries
    }

    public var years: [Int] { applicants.keys.sorted() }

    /// Applicants of `nationality` by country in `year`, or in the nearest year that
    /// has any (the earlier on a tie), with the year used; `nil` when none at all.
    /// - Complexity: O(years).
    public func byCountry(nationality: String, year: Int) -> (year: Int, counts: [String: Int])? {
        let candidates = years.filter { !(applicants[$0]?[nationality]?.isEmpty ?? true) }
        guard let best = candidates.min(by: { (abs($0 - year), $0) < (abs($1 - year), $1) }) else { return nil }
        return (best, applicants[best]![nationality]!)
    }

    /// Applicants of every nationality by country in `year` (or the nearest year).
    public func allNationalities(year: Int) -> (year: Int, counts: [String: Int])? {
        guard let best = years.min(by: { (abs($0 - year), $0) < (abs($1 - year), $1) }) else { return nil }
        var counts: [String: Int] = [:]
        for byCountry in applicants[best]!.values { for (c, n) in byCountry { counts[c, default: 0] += n } }
        return (best, counts)
    }

    /// Reads `eurostat_first_time_asylum_applicants.csv`
    /// (`year,country_of_application,nationality,sex,first_time_applicants`); the
    /// `EU27` aggregate is skipped so that reporting countries are not counted twice.
    public static func read(path: String) throws -> AsylumApplications {
        let csv = try ObservationCSV(path: path, requiredColumns: ["year", "country_of_application", "nationality", "first_time_applicants"])
        let (cy, cc, cn, ca) = (csv.column("year"), csv.column("country_of_application"), csv.column("nationality"), csv.column("first_time_applicants"))
        var out: [Int: [String: [String: Int]]] = [:]
        for (line, f) in csv.records {
            guard let year = Int(f[cy]) else {
                throw InputError("year '\(ObservationCSV.excerpt(f[cy]))' is not a year", at: csv.location(line, "year"))
            }
            if f[cc] == "EU27" || f[cc].hasPrefix("EU") && f[cc].count > 3 { continue }
            guard CountryCodes.isAlpha3(f[cc]) else {
                throw InputError("country '\(ObservationCSV.excerpt(f[cc]))' is not an ISO 3166-1 alpha-3 code", at: csv.location(line, "country_of_application"))
            }
            guard CountryCodes.isAlpha3(f[cn]) else {
                throw InputError("nationality '\(ObservationCSV.excerpt(f[cn]))' is not an ISO 3166-1 alpha-3 code", at: csv.location(line, "nationality"))
            }
            guard let n = Int(f[ca]), n >= 0 else {
                throw InputError("applicants '\(ObservationCSV.excerpt(f[ca]))' is not a whole number ≥ 0", at: csv.location(line, "first_time_applicants"))
            }
            if n > 0 { out[year, default: [:]][f[cn], default: [:]][f[cc], default: 0] += n }
        }
        return AsylumApplications(applicants: out)
    }
}

/// UNHCR year-end stocks of refugees and asylum-seekers by origin and country of asylum.
public struct RefugeeStocks: Hashable, Sendable {
    /// people[year][origin][country of asylum], refugees + asylum-seekers.
    public let people: [Int: [String: [String: Int]]]

    public init(people: [Int: [String: [String: Int]]]) { self.people = people }

    public var years: [Int] { people.keys.sorted() }

    /// Stocks of `origin` by country of asylum at the end of `year`, or of the nearest
    /// year with data (the earlier on a tie), with the year used.
    public func byCountry(origin: String, year: Int) -> (year: Int, counts: [String: Int])? {
        guard let best = years.min(by: { (abs($0 - year), $0) < (abs($1 - year), $1) }) else { return nil }
        return (best, people[best]?[origin] ?? [:])
    }

    /// Reads `unhcr_refugees_asylum_seekers.csv` (`year,country_of_asylum,origin,group,people`).
    public static func read(path: String) throws -> RefugeeStocks {
        let csv = try ObservationCSV(path: path, requiredColumns: ["year", "country_of_asylum", "origin", "group", "people"])
        let (cy, ca, co, cg, cp) = (csv.column("year"), csv.column("country_of_asylum"), csv.column("origin"), csv.column("group"), csv.column("people"))
        var out: [Int: [String: [String: Int]]] = [:]
        for (line, f) in csv.records {
            guard let year = Int(f[cy]) else {
                throw InputError("year '\(ObservationCSV.excerpt(f[cy]))' is not a year", at: csv.location(line, "year"))
            }
            guard f[cg] == "refugee" || f[cg] == "asylum" else { continue }
            guard let n = Int(f[cp]), n >= 0 else {
                throw InputError("people '\(ObservationCSV.excerpt(f[cp]))' is not a whole number ≥ 0", at: csv.location(line, "people"))
            }
            out[year, default: [:]][f[co], default: [:]][f[ca], default: 0] += n
        }
        return RefugeeStocks(people: out)
    }
}

/// IOM Missing Migrants Project records: dead and missing per incident, with coordinates.
public struct MissingMigrantsIncidents: Hashable, Sendable {
    public enum RecordType: String, Hashable, Sendable {
        /// One incident.
        case incident
        /// One of several records an incident was split into (their counts add up).
        case split
        /// Deaths recorded over time or places in one record, which may repeat
        /// incidents recorded one by one: never added to incident counts.
        case cumulative
    }

    public struct Incident: Hashable, Sendable {
        /// The source line, for messages and ties.
        public var line: Int
        public var date: String
        public var month: YearMonth
        public var type: RecordType
        /// IOM's route label (`Central Mediterranean Route`, `Undefined`, …).
        public var route: String
        public var country: String
        public var deadMissing: Double
        public var coordinate: Coordinate?
        public init(line: Int, date: String, month: YearMonth, type: RecordType, route: String, country: String,
                    deadMissing: Double, coordinate: Coordinate?) {
            self.line = line; self.date = date; self.month = month; self.type = type; self.route = route
            self.country = country; self.deadMissing = deadMissing; self.coordinate = coordinate
        }
    }

    public let incidents: [Incident]
    public init(incidents: [Incident]) { self.incidents = incidents }

    /// The Frontex route an IOM route label names, if any.
    public static func frontexRoute(ofLabel label: String) -> FrontexRoute? {
        switch label {
        case "Eastern Mediterranean Route": .easternMediterranean
        case "Central Mediterranean Route": .centralMediterranean
        case "Western Mediterranean Route": .westernMediterranean
        case "Western African Atlantic Route": .westernAfrican
        case "Western Balkans Route", "Western Balkan Route": .westernBalkans
        default: nil
        }
    }

    /// Reads `iom_missing_migrants_europe_africa.csv`
    /// (`date,month,type,route,country,dead_missing,survivors,cause,nationalities,location,lon,lat`).
    public static func read(path: String) throws -> MissingMigrantsIncidents {
        let csv = try ObservationCSV(path: path, requiredColumns: ["date", "month", "type", "route", "country", "dead_missing", "lon", "lat"])
        let (cdate, cm, ct, cr, cc, cd, clon, clat) = (csv.column("date"), csv.column("month"), csv.column("type"), csv.column("route"),
                                                       csv.column("country"), csv.column("dead_missing"), csv.column("lon"), csv.column("lat"))
        var out: [Incident] = []
        for (line, f) in csv.records {
            guard let month = YearMonth(parsing: f[cm]) else {
                throw InputError("month '\(ObservationCSV.excerpt(f[cm]))' is not YYYY-MM", at: csv.location(line, "month"))
            }
            let type: RecordType
            let t = f[ct].lowercased()
            if t.contains("cumulative") { type = .cumulative } else if t.contains("split") { type = .split } else if t == "incident" { type = .incident } else {
                throw InputError("type '\(ObservationCSV.excerpt(f[ct]))' is not Incident, Split Incident or Cumulative Incident",
                                 at: csv.location(line, "type"))
            }
            let deadText = f[cd]
            let dead: Double
            if deadText.isEmpty { dead = 0 } else {
                guard let d = Double(deadText), d.isFinite, d >= 0 else {
                    throw InputError("dead_missing '\(ObservationCSV.excerpt(deadText))' is not a number ≥ 0", at: csv.location(line, "dead_missing"))
                }
                dead = d
            }
            var coordinate: Coordinate?
            if !f[clon].isEmpty || !f[clat].isEmpty {
                guard let lon = Double(f[clon]), let lat = Double(f[clat]), (-180...180).contains(lon), (-90...90).contains(lat) else {
                    throw InputError("coordinates '\(ObservationCSV.excerpt(f[clon])),\(ObservationCSV.excerpt(f[clat]))' are not a longitude and latitude",
                                     at: csv.location(line, "lon"))
                }
                coordinate = Coordinate(longitude: lon, latitude: lat)
            }
            out.append(Incident(line: line, date: f[cdate], month: month, type: type, route: f[cr], country: f[cc],
                                deadMissing: dead, coordinate: coordinate))
        }
        return MissingMigrantsIncidents(incidents: out)
    }
}

/// ISO 3166-1 alpha-3 ↔ alpha-2 for the countries of the network's region
/// (`country_codes.csv`, built from Geodata/countries.geojson).
public struct CountryCodes: Hashable, Sendable {
    public let alpha2ByAlpha3: [String: String]
    public let alpha3ByAlpha2: [String: String]

    public init(alpha2ByAlpha3: [String: String]) {
        self.alpha2ByAlpha3 = alpha2ByAlpha3
        alpha3ByAlpha2 = Dictionary(alpha2ByAlpha3.map { ($0.value, $0.key) }, uniquingKeysWith: min)
    }

    static func isAlpha3(_ s: String) -> Bool {
        s.utf8.count == 3 && s.utf8.allSatisfy { (65...90).contains($0) }
    }

    public static func read(path: String) throws -> CountryCodes {
        let csv = try ObservationCSV(path: path, requiredColumns: ["iso3", "iso2"])
        let (c3, c2) = (csv.column("iso3"), csv.column("iso2"))
        var map: [String: String] = [:]
        for (line, f) in csv.records {
            guard isAlpha3(f[c3]), f[c2].utf8.count == 2 else {
                throw InputError("'\(ObservationCSV.excerpt(f[c3])),\(ObservationCSV.excerpt(f[c2]))' is not an alpha-3, alpha-2 pair", at: csv.location(line, "iso3"))
            }
            map[f[c3]] = f[c2]
        }
        return CountryCodes(alpha2ByAlpha3: map)
    }
}

/// The four observation tables and the country codes, read from one directory.
public struct ObservationData: Sendable {
    public var frontex: FrontexDetections
    public var asylum: AsylumApplications
    public var stocks: RefugeeStocks
    public var incidents: MissingMigrantsIncidents
    public var countries: CountryCodes
    /// Where the tables were read from.
    public var directory: String

    public init(frontex: FrontexDetections, asylum: AsylumApplications, stocks: RefugeeStocks,
                incidents: MissingMigrantsIncidents, countries: CountryCodes, directory: String = "") {
        self.frontex = frontex; self.asylum = asylum; self.stocks = stocks; self.incidents = incidents
        self.countries = countries; self.directory = directory
    }

    public static let frontexFile = "frontex_detections_monthly.csv"
    public static let asylumFile = "eurostat_first_time_asylum_applicants.csv"
    public static let stocksFile = "unhcr_refugees_asylum_seekers.csv"
    public static let incidentsFile = "iom_missing_migrants_europe_africa.csv"
    public static let countriesFile = "country_codes.csv"
    /// Environment variable naming the observations directory.
    public static let directoryVariable = "ROUTESHIFT_OBSERVATIONS"

    /// Where the tables are looked for without a directory: `$ROUTESHIFT_OBSERVATIONS`,
    /// else `observations/` in each Geodata directory (`NetworkSource.geodataDirectories`).
    public static func defaultCandidates() -> [String] {
        if let dir = ProcessInfo.processInfo.environment[directoryVariable], !dir.isEmpty { return [dir] }
        return NetworkSource.geodataDirectories().map { $0 + "/observations" }
    }

    /// Locates the observations directory.
    public static func locate(_ directory: String?) throws -> String {
        let candidates = directory.map { [$0] } ?? defaultCandidates()
        for c in candidates where FileManager.default.fileExists(atPath: c + "/" + frontexFile) { return c }
        throw ObservationDataNotFound(path: directory, searched: candidates.map { $0 + "/" + frontexFile })
    }

    /// Reads all tables from `directory` (or the bundled `Geodata/observations`).
    /// The five files are read side by side, the largest first (the UNHCR stocks, then
    /// Eurostat, Frontex, IOM, the country codes); an error is the one of the first failing
    /// file in that order, whatever the thread count.
    /// - Complexity: O(bytes of the five files).
    public static func load(directory: String? = nil, workers: Int? = nil) throws -> ObservationData {
        let dir = try locate(directory)
        enum Table: Sendable {
            case frontex(FrontexDetections), asylum(AsylumApplications), stocks(RefugeeStocks)
            case incidents(MissingMigrantsIncidents), countries(CountryCodes)
        }
        // Largest first, so that two threads finish together (the stocks are 60 % of the rows).
        let tables = try Parallel.map(count: 5, workers: workers ?? Parallel.defaultWorkers,
                                      state: {}) { _, i throws(any Error) -> Table in
            switch i {
            case 0: .stocks(try .read(path: dir + "/" + stocksFile))
            case 1: .asylum(try .read(path: dir + "/" + asylumFile))
            case 2: .frontex(try .read(path: dir + "/" + frontexFile))
            case 3: .incidents(try .read(path: dir + "/" + incidentsFile))
            default: .countries(try .read(path: dir + "/" + countriesFile))
            }
        }
        guard case let .stocks(stocks) = tables[0], case let .asylum(asylum) = tables[1], case let .frontex(frontex) = tables[2],
              case let .incidents(incidents) = tables[3], case let .countries(countries) = tables[4] else {
            preconditionFailure("observation tables out of order")
        }
        return ObservationData(frontex: frontex, asylum: asylum, stocks: stocks, incidents: incidents,
                               countries: countries, directory: dir)
    }
}
