import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftSimulation

/// Modelled crossings of one Frontex route in one period next to the recorded detections.
public struct RouteComparison: Hashable, Sendable {
    public var period: Period
    public var route: FrontexRoute
    /// People crossing the route's sections and legs in the entering direction.
    public var modelledBaseline: Double
    public var modelledScenario: Double
    /// Frontex detections; `nil` outside the data.
    public var observed: Int?
}

/// The files of a period run: the whole range's files (as `ReportFiles`) plus the time series.
///
/// - `timeseries.csv`: `period,segment,edge_id,kind,border,route,baseline_flow,scenario_flow,change`,
///   crossings with flow in either run;
/// - `summary_timeseries.csv`: `period,demand,assigned,stranded,suppressed,displaced,expected_deaths_baseline,expected_deaths_scenario`
///   of the scenario (`assigned + stranded + suppressed = demand`; suppressed: chose not to go, the
///   logit's outside option), expected deaths with the observed risk of each crossing where IOM records deaths on it, see `PeriodRun.observedRisk`);
/// - `stranded_timeseries.csv`: `period,hub,country,stranded`;
/// - `routes_timeseries.csv`: `period,frontex_route,modelled_baseline,modelled_scenario,observed`;
/// - `segments_timeseries.geojson`: one LineString per crossing with flow and period, with RFC 3339
///   `start` and `end` (QGIS's temporal controller: "separate fields for start and end date/time").
public enum PeriodReportFiles {
    public static let names = ReportFiles.names + ["routes_timeseries.csv", "segments_timeseries.geojson",
                                                   "stranded_timeseries.csv", "summary_timeseries.csv", "timeseries.csv"]

    /// Modelled and observed crossings per period and Frontex route, every route in
    /// Frontex's order.
    /// - Complexity: O(periods × crossings).
    public static func routeComparisons(_ run: PeriodRun) -> [RouteComparison] {
        var out: [RouteComparison] = []
        for (i, p) in run.report.periods.enumerated() {
            let b = run.routeMap.enteringFlow(forward: p.report.baseline.forwardFlows, backward: p.report.baseline.backwardFlows)
            let s = run.routeMap.enteringFlow(forward: p.report.result.forwardFlows, backward: p.report.result.backwardFlows)
            for r in FrontexRoute.allCases {
                out.append(RouteComparison(period: p.period, route: r, modelledBaseline: b[r] ?? 0, modelledScenario: s[r] ?? 0,
                                           observed: run.observed[i].map { $0[r] ?? 0 }))
            }
        }
        return out
    }

    /// Route ARD of each period, Σ_routes |modelled − observed| / Σ_routes observed, over
    /// all nine Frontex routes, with the scenario's modelled crossings; `nil` without observations.
    public static func routeARD(_ comparisons: [RouteComparison]) -> [(period: Period, ard: Double?)] {
        var order: [Period] = []
        var sums: [Period: (abs: Double, obs: Double, missing: Bool)] = [:]
        for c in comparisons {
            if sums[c.period] == nil { order.append(c.period); sums[c.period] = (0, 0, false) }
            guard let o = c.observed else { sums[c.period]!.missing = true; continue }
            sums[c.period]!.abs += abs(c.modelledScenario - Double(o))
            sums[c.period]!.obs += Double(o)
        }
        return order.map { p in
            let s = sums[p]!
            return (p, s.missing || s.obs <= 0 ? nil : s.abs / s.obs)
        }
    }

    /// File name → contents.
    public static func render(_ run: PeriodRun, coordinatePrecision: Int = 6,
                              workers: Int? = nil) throws -> [(name: String, bytes: [UInt8])] {
        let comparisons = routeComparisons(run)
        // The whole range's files and the time series side by side (an error is the whole range's first).
        let parts = try Parallel.map(count: 2, workers: workers ?? Parallel.defaultWorkers, state: {}) { _, i throws(any Error) -> [(name: String, bytes: [UInt8])] in
            i == 0 ? try ReportFiles.render(run.report.whole, coordinatePrecision: coordinatePrecision, workers: workers)
                : try timeSeries(run, comparisons: comparisons, coordinatePrecision: coordinatePrecision)
        }
        var files = parts[0]
        let ard = routeARD(comparisons)
        if let i = files.firstIndex(where: { $0.name == "report.md" }) {
            files[i].bytes.append(contentsOf: markdown(run, comparisons: comparisons, ard: ard).utf8)
        }
        return files + parts[1]
    }

    /// The per-period files: `routes_timeseries.csv`, `segments_timeseries.geojson`,
    /// `stranded_timeseries.csv`, `summary_timeseries.csv`, `timeseries.csv`.
    static func timeSeries(_ run: PeriodRun, comparisons: [RouteComparison], coordinatePrecision: Int) throws
        -> [(name: String, bytes: [UInt8])] {
        let network = run.report.whole.network
        var series = "period,segment,edge_id,kind,border,route,baseline_flow,scenario_flow,change\n"
        var summary = "period,demand,assigned,stranded,suppressed,displaced,expected_deaths_baseline,expected_deaths_scenario\n"
        var stranded = "period,hub,country,stranded\n"
        // The time-stamped GeoJSON is written feature by feature straight into its bytes (each
        // crossing's geometry encoded once for all periods), the same bytes as
        // `GeoJSON.encode` of the features with these properties.
        let geo = GeoJSONWriterOptions(coordinatePrecision: coordinatePrecision)
        var collection = Array(#"{"type":"FeatureCollection","features":["#.utf8)
        var geometryOfRow: [Int: [UInt8]] = [:]
        var featureCount = 0
        for (pi, (p, report)) in run.report.periods.enumerated() {
            var periodText: [UInt8] = [], startText: [UInt8] = [], endText: [UInt8] = []
            GeoJSONText.appendString(p.description, to: &periodText)
            GeoJSONText.appendString(p.startTimestamp, to: &startText)
            GeoJSONText.appendString(p.endTimestamp, to: &endText)
            for s in report.segments where s.baselineFlow > 0 || s.scenarioFlow > 0 {
                series += "\(p),\(csv(s.segment)),\(s.edgeId),\(s.kind.rawValue),\(csv(s.border ?? "")),\(csv(s.route ?? "")),"
                    + "\(ReportFiles.fixed(s.baselineFlow, 3)),\(ReportFiles.fixed(s.scenarioFlow, 3)),\(ReportFiles.fixed(s.change, 3))\n"
                guard let line = network.geometry(ofEdgeRow: s.row) else { continue }
                let geometry: [UInt8]
                if let known = geometryOfRow[s.row] { geometry = known } else {
                    geometry = try GeoJSON.encode(Geometry.lineString(line), options: geo)
                    geometryOfRow[s.row] = geometry
                }
                // Properties in UTF-8 byte order of their names, as every GeoJSON writer here.
                collection.append(contentsOf: (featureCount == 0 ? "\n" : ",\n").utf8)
                collection.append(contentsOf: #"{"type":"Feature","geometry":"#.utf8)
                collection += geometry
                collection.append(contentsOf: #","properties":{"baseline_flow":"#.utf8)
                try ReportFiles.appendNumber(s.baselineFlow, 3, to: &collection)
                collection.append(contentsOf: #","border":"#.utf8)
                appendOptionalString(s.border, to: &collection)
                collection.append(contentsOf: #","change":"#.utf8)
                try ReportFiles.appendNumber(s.change, 3, to: &collection)
                collection.append(contentsOf: #","edge_id":"#.utf8)
                try GeoJSONText.appendNumber(Double(s.edgeId), to: &collection)
                collection.append(contentsOf: #","end":"#.utf8)
                collection += endText
                collection.append(contentsOf: #","kind":"#.utf8)
                GeoJSONText.appendString(s.kind.rawValue, to: &collection)
                collection.append(contentsOf: #","period":"#.utf8)
                collection += periodText
                collection.append(contentsOf: #","route":"#.utf8)
                appendOptionalString(s.route, to: &collection)
                collection.append(contentsOf: #","scenario_flow":"#.utf8)
                try ReportFiles.appendNumber(s.scenarioFlow, 3, to: &collection)
                collection.append(contentsOf: #","segment":"#.utf8)
                GeoJSONText.appendString(s.segment, to: &collection)
                collection.append(contentsOf: #","start":"#.utf8)
                collection += startText
                collection.append(contentsOf: "}}".utf8)
                featureCount += 1
            }
            let t = report.totals
            let deaths = run.expectedDeaths(period: pi)
            summary += "\(p),\(ReportFiles.fixed(t.demand, 3)),\(ReportFiles.fixed(t.scenarioAssigned, 3)),\(ReportFiles.fixed(t.scenarioStranded, 3)),"
                + "\(ReportFiles.fixed(t.scenarioSuppressed, 3)),\(ReportFiles.fixed(t.displaced, 3)),\(ReportFiles.fixed(deaths.baseline, 3)),\(ReportFiles.fixed(deaths.scenario, 3))\n"
            for h in report.strandedByHub {
                let country: String
                if let id = try? network.resolveNode(h.hub), case .string(let c)? = network.nodeProperties[id]?[NetworkSchema.country] {
                    country = c
                } else { country = "" }
                stranded += "\(p),\(csv(h.hub)),\(country),\(ReportFiles.fixed(h.flow, 3))\n"
            }
        }
        var routes = "period,frontex_route,modelled_baseline,modelled_scenario,observed\n"
        for c in comparisons {
            routes += "\(c.period),\(c.route.key),\(ReportFiles.fixed(c.modelledBaseline, 3)),\(ReportFiles.fixed(c.modelledScenario, 3)),\(c.observed.map(String.init) ?? "")\n"
        }
        collection += Array((featureCount == 0 ? "]}\n" : "\n]}\n").utf8) + [10]
        return [
            ("routes_timeseries.csv", Array(routes.utf8)),
            ("segments_timeseries.geojson", collection),
            ("stranded_timeseries.csv", Array(stranded.utf8)),
            ("summary_timeseries.csv", Array(summary.utf8)),
            ("timeseries.csv", Array(series.utf8)),
        ]
    }

    /// Writes every file into `directory`, all or none.
    /// All or nothing under kill, as `ReportFiles.write`; `extraFiles` join the same swap.
    public static func write(_ run: PeriodRun, to directory: String, coordinatePrecision: Int = 6,
                             extraFiles: [(name: String, bytes: [UInt8])] = [], workers: Int? = nil) throws {
        try ReportFiles.writeRunDirectory(try render(run, coordinatePrecision: coordinatePrecision, workers: workers) + extraFiles,
                                          to: directory)
    }

    /// The per-period section of `report.md`, ending with the route ARD per period.
    static func markdown(_ run: PeriodRun, comparisons: [RouteComparison], ard: [(period: Period, ard: Double?)]) -> String {
        var md = "\n## By period\n\n| period | demand | arriving | stranded | not going | displaced | route ARD |\n|---|---:|---:|---:|---:|---:|---:|\n"
        for ((p, r), a) in zip(run.report.periods, ard) {
            let t = r.totals
            md += "| \(p) | \(ReportFiles.fixed(t.demand, 0)) | \(ReportFiles.fixed(t.scenarioAssigned, 0)) | \(ReportFiles.fixed(t.scenarioStranded, 0)) | \(ReportFiles.fixed(t.scenarioSuppressed, 0)) | \(ReportFiles.fixed(t.displaced, 0)) | \(a.ard.map { ReportFiles.fixed($0, 3) } ?? "–") |\n"
        }
        md += "\nNot going: chose not to travel this period (the logit's outside option); arriving + stranded + not going = demand.\n"
        md += "\nRoute ARD = Σ_routes |modelled − observed| / Σ_routes observed over the nine Frontex routes, modelled = people crossing each route's sections and legs in the entering direction (scenario run), observed = Frontex detections (routes_timeseries.csv).\n"
        return md
    }

    /// The terminal lines ending a period run's report: the route ARD of each period.
    public static func brief(_ run: PeriodRun) -> String {
        let periods = run.report.periods.map(\.period)
        let span = periods.first.map { "in \($0.firstDay)…\(periods.last!.lastDay), \(periods.count) period\(periods.count == 1 ? "" : "s")" }
        var out = ReportFiles.brief(run.report.whole, span: span)
        if let demand = run.demand {
            // People the record counts but the demand could not place, by nationality over the range.
            var unplaced: [String: Double] = [:]
            var placed = 0.0
            for a in demand.accounts where a.nationality != FrontexDetections.unknownNationality {
                placed += a.placed
                if a.unplaced > 0 { unplaced[a.nationality, default: 0] += a.unplaced }
            }
            let ooo = demand.accounts.filter { $0.nationality == FrontexDetections.unknownNationality }.reduce(0) { $0 + $1.unplaced }
            let sorted = unplaced.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            let total = sorted.reduce(0) { $0 + $1.value } + ooo
            out += "observed demand: \(ReportFiles.fixed(placed, 0)) people placed, \(ReportFiles.fixed(total, 0)) unplaced"
            let named = sorted.prefix(8).map { "\($0.key) \(ReportFiles.fixed($0.value, 0))" }
                + (ooo > 0 ? ["OOO \(ReportFiles.fixed(ooo, 0))"] : [])
            if !named.isEmpty {
                out += " (" + named.joined(separator: ", ") + (sorted.count > 8 ? ", … \(sorted.count - 8) more nationalities" : "") + ")"
            }
            out += "\n"
        }
        out += "route ARD per period (Σ|modelled − observed| / Σ observed, Frontex routes):\n"
        for a in routeARD(routeComparisons(run)) {
            out += "  \(a.period) \(a.ard.map { ReportFiles.fixed($0, 3) } ?? "–")\n"
        }
        return out
    }

    static func csv(_ s: String) -> String { CSV.field(s) }

    /// A JSON string, or `null` for `nil`.
    static func appendOptionalString(_ s: String?, to out: inout [UInt8]) {
        if let s { GeoJSONText.appendString(s, to: &out) } else { out.append(contentsOf: "null".utf8) }
    }
}
