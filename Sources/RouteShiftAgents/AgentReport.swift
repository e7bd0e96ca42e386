import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork

/// Flee's validation figure: the averaged relative difference between simulated and
/// registered camp populations,
/// `ARD(t) = Σ_c |sim_c(t) − obs_c(t)| / max(Σ_c obs_c(t), 1)` over the camps with data,
/// averaged over the simulated days.
public struct ValidationScore: Hashable, Sendable {
    public var daily: [Double]
    public var mean: Double { daily.isEmpty ? 0 : daily.reduce(0, +) / Double(daily.count) }
    public var final: Double { daily.last ?? 0 }

    public init(daily: [Double]) { self.daily = daily }

    /// The score of `result`, or nil when no camp has validation data.
    public init?(_ result: FleeSimulation.Result) {
        guard result.observed.contains(where: { $0.contains { $0 != nil } }) else { return nil }
        daily = result.observed.indices.map { t in
            var difference = 0.0, observed = 0.0
            for (k, c) in result.campIndices.enumerated() {
                guard let obs = result.observed[t][k] else { continue }
                difference += abs(Double(result.counts[t][c]) - Double(obs))
                observed += Double(obs)
            }
            return difference / max(observed, 1)
        }
    }
}

/// The files `routeshift agents` writes, built in memory and written all or nothing.
///
/// - `out.csv`: Flee's own layout (`Day,Date,<camp> sim,<camp> data,<camp> error,…,Total error,
///   refugees in camps (UNHCR),total refugees (simulation),raw UNHCR refugee count,
///   refugees in camps (simulation),refugee_debt`), numbers formatted as Python prints them,
///   so Flee's plotting scripts read it. As in Flee, row `t` is dated start + t + 1 (Flee
///   prints the date after advancing the clock).
/// - `locations_daily.csv`: `day,date,location,count`, people at each location at the end of each day
///   (locations with nobody left out).
/// - `segments_daily.csv`: `day,date,segment,crossings`, people completing each route (either way),
///   `segment` being the route's edge id (its row in routes.csv, as `routeshift network` numbers it).
/// - `timeline.geojson`: one point per location and day, one line per route and day with
///   crossings, each with a `date` for QGIS's temporal controller.
/// - `summary.json`: schema `routeshift.agents/1` (Schemas/agents-summary.schema.json).
/// - `journeys_daily.csv` (RouteShift rules only): `day,date,departed,travelling,waiting,queued,
///   stranded,retries,crossed,arrived,gave_up,replanned,deterred`; `segment` is then the edge's segment id.
public enum AgentReport {
    public static let names = ["locations_daily.csv", "out.csv", "segments_daily.csv", "summary.json", "timeline.geojson"]

    public struct Context: Sendable {
        public var input: FleeScenarioInput
        public var validationDirectory: String?
        public var seed: UInt64
        public var rules: String
        public var coordinatePrecision: Int = 6
        public init(input: FleeScenarioInput, validationDirectory: String?, seed: UInt64, rules: String = "flee") {
            self.input = input; self.validationDirectory = validationDirectory; self.seed = seed; self.rules = rules
        }
    }

    /// File name → contents, in name order.
    public static func render(_ result: FleeSimulation.Result, context: Context) throws -> [(name: String, bytes: [UInt8])] {
        let score = ValidationScore(result)
        var files: [(name: String, bytes: [UInt8])] = [("locations_daily.csv", Array(locationsCSV(result).utf8))]
        if let journeys = result.journeys { files.append(("journeys_daily.csv", Array(journeysCSV(result, journeys).utf8))) }
        files += [
            ("out.csv", Array(fleeCSV(result).utf8)),
            ("segments_daily.csv", Array(segmentsCSV(result).utf8)),
            ("summary.json", try GeoJSON.encode(summary(result, score: score, context: context)) + [10]),
            ("timeline.geojson", try timeline(result, context: context)),
        ]
        return files
    }

    static let journeyColumns = "day,date,departed,travelling,waiting,queued,stranded,retries,crossed,arrived,gave_up,replanned,deterred"

    /// `journeys_daily.csv`: one row per day (see `JourneySimulation.DailyStatus`).
    static func journeysCSV(_ r: FleeSimulation.Result, _ days: [JourneySimulation.DailyStatus]) -> String {
        var out = journeyColumns + "\n"
        for (t, d) in days.enumerated() {
            out += "\(t),\(date(r, t)),\(d.departed),\(d.travelling),\(d.waiting),\(d.queued),\(d.stranded),\(d.retries),"
                + "\(d.crossed),\(d.arrived),\(d.gaveUp),\(d.replanned),\(d.deterred)\n"
        }
        return out
    }

    static func segmentLabel(_ r: FleeSimulation.Result, _ s: Int) -> String { r.segmentLabels.map { csvField($0[s]) } ?? String(s + 1) }

    static func date(_ result: FleeSimulation.Result, _ t: Int) -> String {
        CalendarDay(ordinal: result.startDay + t + result.dateOffset).description
    }

    /// Python's `repr` of a float for the values Flee prints (shortest round-trip digits).
    static func python(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e16 { return String(format: "%.1f", x) }
        return "\(x)"
    }

    static func fleeCSV(_ r: FleeSimulation.Result) -> String {
        var out = "Day,Date,"
        for c in r.campIndices { out += "\(r.names[c]) sim,\(r.names[c]) data,\(r.names[c]) error," }
        out += "Total error,refugees in camps (UNHCR),total refugees (simulation),raw UNHCR refugee count,refugees in camps (simulation),refugee_debt\n"
        for t in r.counts.indices {
            var line = "\(t),\(date(r, t))"
            var absolute = 0.0, observedSum = 0, inCamps = 0
            for (k, c) in r.campIndices.enumerated() {
                let sim = Int(r.counts[t][c])
                let obs = r.observed[t][k] ?? 0
                let relative = obs < 1 ? 0 : ((abs(Double(sim) / Double(obs) - 1)) * 10_000).rounded() / 10_000
                absolute += abs(Double(sim - obs))
                observedSum += obs
                inCamps += sim
                line += ",\(sim),\(obs),\(python(relative))"
            }
            if r.refugeesRaw[t] > 0 {
                line += ",\(python(absolute / Double(r.refugeesRaw[t]))),\(observedSum),\(r.totals[t]),\(r.refugeesRaw[t]),\(inCamps),\(r.refugeeDebt[t])"
            } else {
                line += ",0.0,0,\(r.totals[t]),0,\(inCamps),0"
            }
            out += line + "\n"
        }
        return out
    }

    static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func locationsCSV(_ r: FleeSimulation.Result) -> String {
        var out = "day,date,location,count\n"
        let labels = r.names.map(csvField)
        for t in r.counts.indices {
            let d = date(r, t)
            for (l, n) in r.counts[t].enumerated() where n > 0 { out += "\(t),\(d),\(labels[l]),\(n)\n" }
        }
        return out
    }

    static func segmentsCSV(_ r: FleeSimulation.Result) -> String {
        var out = "day,date,segment,crossings\n"
        for t in r.crossings.indices {
            let d = date(r, t)
            for (s, n) in r.crossings[t].enumerated() where n > 0 { out += "\(t),\(d),\(segmentLabel(r, s)),\(n)\n" }
        }
        return out
    }

    static func timeline(_ r: FleeSimulation.Result, context: Context) throws -> [UInt8] {
        let rows = context.input.locations
        let index = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1.name, $0) })
        let points = rows.map { Coordinate(longitude: $0.longitude, latitude: $0.latitude) }
        var features: [Feature] = []
        for t in r.counts.indices {
            let d = JSONValue.string(date(r, t))
            for (l, n) in r.counts[t].enumerated() where n > 0 {
                features.append(Feature(geometry: .point(points[l]), properties: [
                    "kind": "location", "day": .number(Double(t)), "date": d, "location": .string(r.names[l]),
                    "count": .number(Double(n)),
                ]))
            }
            for (s, n) in r.crossings[t].enumerated() where n > 0 {
                let route = context.input.routes[s]
                let a = index[route.name1]!, b = index[route.name2]!
                features.append(Feature(geometry: .lineString([points[a], points[b]]), properties: [
                    "kind": "segment", "day": .number(Double(t)), "date": d,
                    "segment": r.segmentLabels.map { .string($0[s]) } ?? .number(Double(s + 1)),
                    "from": .string(route.name1), "to": .string(route.name2), "crossings": .number(Double(n)),
                ]))
            }
        }
        return try GeoJSON.encode(FeatureCollection(features: features),
                                  options: GeoJSONWriterOptions(coordinatePrecision: context.coordinatePrecision)) + [10]
    }

    static func rounded(_ x: Double, _ places: Int) -> JSONValue {
        let scale = pow(10, Double(places))
        let v = (x * scale).rounded() / scale
        return .number(v == 0 ? 0 : v)
    }

    static func summary(_ r: FleeSimulation.Result, score: ValidationScore?, context: Context) -> JSONValue {
        let last = r.counts.count - 1
        let atLocations = last >= 0 ? r.counts[last].reduce(0) { $0 + Int($1) } : 0
        let inCamps = last >= 0 ? r.campIndices.reduce(0) { $0 + Int(r.counts[last][$1]) } : 0
        let camps: [JSONValue] = r.campIndices.enumerated().map { k, c in
            .object([
                "camp": .string(r.names[c]),
                "simulated": .number(last >= 0 ? Double(r.counts[last][c]) : 0),
                "observed": last >= 0 ? (r.observed[last][k].map { .number(Double($0)) } ?? .null) : .null,
            ])
        }
        return .object([
            "schema": "routeshift.agents/1",
            "rules": .string(context.rules),
            "input": .string(context.input.directory),
            "validation": context.validationDirectory.map(JSONValue.string) ?? .null,
            "seed": .number(Double(context.seed)),
            "days": .number(Double(r.counts.count)),
            "start_date": .string(CalendarDay(ordinal: r.startDay).description),
            "agents": .number(Double(r.agentCount)),
            "bytes_per_agent": .number(Double(r.bytesPerAgent)),
            "final": .object([
                "at_locations": .number(Double(atLocations)),
                "on_links": .number(Double(r.agentCount - atLocations)),
                "in_camps": .number(Double(inCamps)),
            ]),
            "camps": .array(camps),
            "ard": score.map { .object(["mean": rounded($0.mean, 6), "final": rounded($0.final, 6)]) } ?? .null,
            "journeys": r.journeys.map { days in
                let last = days.last ?? JourneySimulation.DailyStatus()
                return .object([
                    "departed": .number(Double(days.reduce(0) { $0 + $1.departed })),
                    "arrived": .number(Double(last.arrived)),
                    "gave_up": .number(Double(last.gaveUp)),
                    "deterred": .number(Double(last.deterred)),
                    "travelling": .number(Double(last.travelling)),
                    "waiting": .number(Double(last.waiting)),
                    "stranded": .number(Double(last.stranded)),
                    "retries": .number(Double(days.reduce(0) { $0 + $1.retries })),
                    "peak_waiting": .number(Double(days.map(\.waiting).max() ?? 0)),
                    "peak_stranded": .number(Double(days.map(\.stranded).max() ?? 0)),
                ])
            } ?? .null,
        ])
    }
}
