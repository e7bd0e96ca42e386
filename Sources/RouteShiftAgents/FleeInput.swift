import Foundation
import RouteShiftCore
import RouteShiftNetwork

/// One row of a Flee `closures.csv`: `closure_type,name1,name2,closure_start,closure_end`.
public struct FleeClosure: Hashable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        /// Every link between the two countries, both ways.
        case country
        /// Every link into and out of location `name1`.
        case location
        /// The link between `name1` and `name2`, both ways.
        case link
        /// Camp `name1` becomes a town for the period (`idpcamp`: an IDP camp).
        case camp, idpcamp
        /// Flee 3 reads it; its movement rules never consult forced redirection, so it has no effect.
        case removeForcedRedirection = "remove_forced_redirection"
    }

    public var kind: Kind
    public var name1, name2: String
    /// First day of the closure and the day it is lifted (simulation days from the start date).
    public var start, end: Int
    public var line: Int

    public init(kind: Kind, name1: String, name2: String, start: Int, end: Int, line: Int = 0) {
        self.kind = kind; self.name1 = name1; self.name2 = name2; self.start = start; self.end = end; self.line = line
    }
}

/// `conflicts.csv`: one row per day (`#Day,<loc>,<loc>,…`), the conflict intensity of each
/// listed location on that day.
public struct FleeConflictTable: Hashable, Sendable {
    public var names: [String]
    /// `intensity[day][k]` for `names[k]`.
    public var intensity: [[Double]]

    public init(names: [String], intensity: [[Double]]) {
        self.names = names; self.intensity = intensity
    }
}

/// A registration correction: the series of `name` is scaled before `day` so it joins the
/// level-2 registrations that start on that day (Flee's `ReadL1Corrections`).
public struct RegistrationCorrection: Hashable, Sendable {
    public var name: String
    /// Calendar day (days since 1970-01-01).
    public var day: Int
    public var line: Int
}

/// The input files of a Flee scenario directory besides the network itself.
public struct FleeScenarioInput: Sendable {
    public var directory: String
    public var locations: [FleeLocationRow]
    public var routes: [FleeRouteRow]
    public var closures: [FleeClosure]
    public var conflicts: FleeConflictTable?
    /// `sim_period.csv`: start date (calendar day) and length in days.
    public var startDay: Int?
    public var length: Int?
    public var corrections: [RegistrationCorrection]
    /// Problems Flee tolerates, to be reported (an unknown location in conflicts.csv).
    public var warnings: [String] = []

    public init(directory: String, locations: [FleeLocationRow], routes: [FleeRouteRow], closures: [FleeClosure] = [],
                conflicts: FleeConflictTable? = nil, startDay: Int? = nil, length: Int? = nil,
                corrections: [RegistrationCorrection] = []) {
        self.directory = directory; self.locations = locations; self.routes = routes; self.closures = closures
        self.conflicts = conflicts; self.startDay = startDay; self.length = length; self.corrections = corrections
    }

    /// Reads `locations.csv` and `routes.csv` (required) and `closures.csv`, `conflicts.csv`,
    /// `sim_period.csv`, `registration_corrections.csv` (each optional), checking names and
    /// numbers; errors name the file and line.
    public static func read(directory: String) throws -> FleeScenarioInput {
        let locations = try FleeScenario.locationRows(directory: directory)
        let routes = try FleeScenario.routeRows(directory: directory, locations: locations)
        let names = Set(locations.map(\.name))
        var input = FleeScenarioInput(directory: directory, locations: locations, routes: routes)
        let fm = FileManager.default

        let closuresPath = directory + "/closures.csv"
        if fm.fileExists(atPath: closuresPath) {
            for (line, f) in try SimpleCSV.rows(path: closuresPath) {
                let at = InputLocation(file: closuresPath, line: line)
                guard f.count >= 5 else { throw InputError("expected closure_type,name1,name2,closure_start,closure_end", at: at) }
                guard let kind = FleeClosure.Kind(rawValue: f[0]) else {
                    throw InputError("unknown closure type '\(f[0])'", at: InputLocation(file: closuresPath, line: line, path: "closure_type"),
                                     suggestions: NearestMatch.suggestions(for: f[0], among: FleeClosure.Kind.allCases.map(\.rawValue)))
                }
                guard let start = Int(f[3]) else { throw InputError("closure_start '\(f[3])' is not a day number", at: at) }
                guard let end = Int(f[4]) else { throw InputError("closure_end '\(f[4])' is not a day number", at: at) }
                switch kind {
                case .country:
                    let countries = Set(locations.map(\.country))
                    for (column, name) in [("name1", f[1]), ("name2", f[2])] where !countries.contains(name) {
                        throw InputError("unknown country '\(name)'", at: InputLocation(file: closuresPath, line: line, path: column),
                                         suggestions: NearestMatch.suggestions(for: name, among: countries))
                    }
                case .link, .removeForcedRedirection:
                    for (column, name) in [("name1", f[1]), ("name2", f[2])] where !names.contains(name) {
                        throw InputError("unknown location '\(name)'", at: InputLocation(file: closuresPath, line: line, path: column),
                                         suggestions: NearestMatch.suggestions(for: name, among: names))
                    }
                case .location, .camp, .idpcamp:
                    guard names.contains(f[1]) else {
                        throw InputError("unknown location '\(f[1])'", at: InputLocation(file: closuresPath, line: line, path: "name1"),
                                         suggestions: NearestMatch.suggestions(for: f[1], among: names))
                    }
                }
                input.closures.append(FleeClosure(kind: kind, name1: f[1], name2: f[2], start: start, end: end, line: line))
            }
        }

        let conflictsPath = directory + "/conflicts.csv"
        if fm.fileExists(atPath: conflictsPath) {
            let rows = try SimpleCSV.rows(path: conflictsPath, keepingComments: true)
            guard let header = rows.first else { throw InputError("empty conflicts table", at: InputLocation(file: conflictsPath)) }
            var columns: [(index: Int, name: String)] = []
            // Flee strips the names and values of conflicts.csv (Ethiopia's header is `"#Day"," Adigrat",…`).
            for (i, raw) in header.1.enumerated().dropFirst() {
                let name = raw.trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { continue }
                guard names.contains(name) else {
                    // Flee reports such a column and goes on without it (burundi's has one).
                    let near = NearestMatch.suggestions(for: name, among: names)
                    input.warnings.append("\(InputLocation(file: conflictsPath, line: header.0, path: "column \(i + 1)")): "
                        + "unknown location '\(name)' ignored" + (near.isEmpty ? "" : " (did you mean '\(near[0])'?)"))
                    continue
                }
                columns.append((i, name))
            }
            var intensity: [[Double]] = []
            for (line, f) in rows.dropFirst() {
                let day = f[0].hasPrefix("#") ? String(f[0].dropFirst()) : f[0]
                guard let d = Int(day) else {
                    throw InputError("day '\(f[0])' is not a day number", at: InputLocation(file: conflictsPath, line: line, path: "#Day"))
                }
                guard d == intensity.count else {
                    throw InputError("day \(d) out of order: expected day \(intensity.count)", at: InputLocation(file: conflictsPath, line: line, path: "#Day"))
                }
                var values: [Double] = []
                for (i, name) in columns {
                    guard i < f.count, let v = Double(f[i].trimmingCharacters(in: .whitespaces)), v.isFinite else {
                        throw InputError("intensity '\(i < f.count ? f[i] : "")' is not a number",
                                         at: InputLocation(file: conflictsPath, line: line, path: name))
                    }
                    values.append(v)
                }
                intensity.append(values)
            }
            input.conflicts = FleeConflictTable(names: columns.map(\.name), intensity: intensity)
        }

        let periodPath = directory + "/sim_period.csv"
        if fm.fileExists(atPath: periodPath) {
            for (line, f) in try SimpleCSV.rows(path: periodPath) where f.count >= 2 {
                switch f[0].lowercased() {
                case "startdate":
                    guard let day = CalendarDay(parsing: f[1])?.ordinal else {
                        throw InputError("StartDate '\(f[1])' is not a YYYY-MM-DD date", at: InputLocation(file: periodPath, line: line))
                    }
                    input.startDay = day
                case "length":
                    guard let n = Int(f[1]), n > 0 else {
                        throw InputError("Length '\(f[1])' is not a positive number of days", at: InputLocation(file: periodPath, line: line))
                    }
                    input.length = n
                default: continue
                }
            }
        }

        let correctionsPath = directory + "/registration_corrections.csv"
        if fm.fileExists(atPath: correctionsPath) {
            for (line, f) in try SimpleCSV.rows(path: correctionsPath) where f.count >= 2 {
                guard let day = CalendarDay(parsing: f[1])?.ordinal else {
                    throw InputError("'\(f[1])' is not a YYYY-MM-DD date", at: InputLocation(file: correctionsPath, line: line))
                }
                input.corrections.append(RegistrationCorrection(name: f[0], day: day, line: line))
            }
        }
        return input
    }

    /// Where `registration_corrections.csv` is (for error messages).
    var correctionsPath: String { directory + "/registration_corrections.csv" }
}

/// UNHCR registration series of a Flee validation directory (`data_layout.csv` names one
/// CSV of `date,count` rows per camp, and the total), as Flee's `DataTable` reads them.
public struct ValidationData: Sendable {
    /// Series names in `data_layout.csv` order (Flee's header; the first is the total).
    public private(set) var names: [String]
    /// Per series: (day offset from the start date, count) in file order.
    private var tables: [[(day: Int, value: Double)]]

    public init(names: [String], tables: [[(day: Int, value: Double)]]) {
        self.names = names; self.tables = tables
    }

    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    /// Day offset of the first row of series `k`.
    public func firstDay(_ k: Int) -> Int? { tables[k].first?.day }

    /// Reads `directory/data_layout.csv` and every file it names, with dates as offsets from
    /// `startDay`; counts are divided by `scaleDown` (Flee's `hasten`).
    public static func read(directory: String, startDay: Int, scaleDown: Int = 1) throws -> ValidationData {
        let layout = directory + "/data_layout.csv"
        guard FileManager.default.fileExists(atPath: layout) else {
            throw InputError("missing data_layout.csv in the validation directory", at: InputLocation(file: layout))
        }
        var names: [String] = []
        var tables: [[(day: Int, value: Double)]] = []
        for (line, f) in try SimpleCSV.rows(path: layout) where f.count > 1 {
            guard f.count == 2 || f[2...].allSatisfy(\.isEmpty) else {
                throw InputError("several files for one series are not supported", at: InputLocation(file: layout, line: line))
            }
            let path = directory + "/" + f[1]
            guard FileManager.default.fileExists(atPath: path) else {
                throw InputError("names a missing file '\(f[1])'", at: InputLocation(file: layout, line: line, path: f[0]))
            }
            var table: [(day: Int, value: Double)] = []
            for (dataLine, r) in try SimpleCSV.rows(path: path) {
                guard r.count >= 2, !r[1].isEmpty else { continue }
                if table.isEmpty, ["DateTime", "Date"].contains(r[0]) { continue }
                guard let day = CalendarDay(parsing: r[0])?.ordinal else {
                    throw InputError("'\(r[0])' is not a YYYY-MM-DD date", at: InputLocation(file: path, line: dataLine))
                }
                guard let value = Double(r[1]), value.isFinite else {
                    throw InputError("'\(r[1])' is not a count", at: InputLocation(file: path, line: dataLine))
                }
                table.append((day - startDay, value / Double(scaleDown)))
            }
            guard !table.isEmpty else { throw InputError("no rows", at: InputLocation(file: path)) }
            names.append(f[0]); tables.append(table)
        }
        return ValidationData(names: names, tables: tables)
    }

    /// Flee's `correctLevel1Registrations`: for the row dated `correction.day`, every earlier
    /// row of the series is scaled by (value on that row) / (value on the row before).
    public mutating func apply(_ correction: RegistrationCorrection, startDay: Int, file: String) throws {
        let at = InputLocation(file: file, line: correction.line)
        guard let k = index(of: correction.name) else {
            throw InputError("no validation series '\(correction.name)'", at: at,
                             suggestions: NearestMatch.suggestions(for: correction.name, among: names))
        }
        let offset = correction.day - startDay
        if offset < 0 { return }  // before the simulated period: Flee ignores it
        var matched = false
        for i in tables[k].indices where tables[k][i].day == offset {
            matched = true
            guard i > 0 else { continue }
            let last = tables[k][i - 1].value, first = tables[k][i].value
            guard last >= 1 else { throw InputError("the registration before \(CalendarDay(ordinal: correction.day).description) is below 1", at: at) }
            for j in 0..<i { tables[k][j].value *= first / last }
        }
        guard matched else {
            throw InputError("series '\(correction.name)' has no row dated \(CalendarDay(ordinal: correction.day).description)", at: at)
        }
    }

    /// Count of series `k` on `day`, linearly interpolated between rows and truncated to
    /// whole people (Flee's `get_interpolated_data`); the first value before the first
    /// row, the last after the last.
    public func value(_ k: Int, day: Int) -> Int {
        let t = tables[k]
        if day <= t[0].day { return Int(t[0].value) }
        for i in 1..<t.count where day < t[i].day {
            let fraction = Double(day - t[i - 1].day) / Double(t[i].day - t[i - 1].day)
            return Int(t[i - 1].value + fraction * (t[i].value - t[i - 1].value))
        }
        return Int(t[t.count - 1].value)
    }
}
