import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftSimulation

/// The files `routeshift simulate` writes, built in memory and then written
/// all or nothing.
///
/// Every file is a pure function of the report: rows sorted, numbers with a
/// fixed number of decimals (flows 3, km 1, cost 2, expected deaths 4,
/// relative change 4), so two runs give the same bytes.
///
/// `summary.json` schema (`"schema": "routeshift.simulation/1"`), keys in byte order:
/// - `scenario`: `name`, `file`, `network`, `method` (`name`, `k`, `theta`, `max_iterations`, `gap`, `bpr_alpha`, `bpr_beta`), `seed`, `interventions` (count);
/// - `totals`: `demand`, `displaced`, `stranded_baseline`, `stranded_scenario`, `suppressed_baseline`, `suppressed_scenario`
///   (chose not to go; assigned + stranded + suppressed = demand), `assigned_baseline`, `assigned_scenario`,
///   `person_km_baseline`, `person_km_scenario`, `person_km_change`, `cost_baseline`, `cost_scenario`, `cost_change`,
///   `fatalities_baseline`, `fatalities_scenario`, `fatalities_change` (totals over all arriving flow), `mean_km_baseline`, `mean_km_scenario`, `mean_km_change`, `mean_cost_baseline`, `mean_cost_scenario`,
///   `mean_cost_change`, `mean_risk_baseline`, `mean_risk_scenario`, `mean_risk_change` (expected deaths per arriving person);
/// - `stranded_by_hub`: `[{hub, flow}]` by flow descending;
/// - `routes`: `[{route, baseline_flow, scenario_flow, change}]` by label;
/// - `top_absorbing`: `[{segment, border, kind, route, baseline_flow, scenario_flow, change}]`, largest gain first;
/// - `closed_segments`: segment ids closed in at least one direction, sorted;
/// - `od_count`, `segment_count`.
public enum ReportFiles {
    public static let names = SimulationOutput.File.all

    /// File name → contents.
    public static func render(_ report: SimulationReport, coordinatePrecision: Int = 6,
                              workers: Int? = nil) throws -> [(name: String, bytes: [UInt8])] {
        let geo = GeoJSONWriterOptions(coordinatePrecision: coordinatePrecision)
        typealias F = SimulationOutput.File
        let summary = summary(report)
        // A total that overflowed (flows × costs beyond the largest double) is the input's scale, not a write failure.
        if case let .object(fields) = summary, case let .object(totals)? = fields["totals"],
           let (key, value) = totals.sorted(by: { $0.key < $1.key }).first(where: {
               if case let .number(x) = $0.value { return !x.isFinite }
               return false
           }) {
            throw InputError("total \(key) is \(value): flows times costs exceed the largest number a double holds; "
                             + "give costs or demand in larger units", at: InputLocation(file: report.scenario.file))
        }
        let rows = routeRows(report)
        // The files are rendered side by side, listed in this order (an error is that of the first).
        let names = [F.od, F.report, F.routesCSV, F.routes, F.segmentsCSV, F.segments, F.summary]
        let bytes = try Parallel.map(count: names.count, workers: workers ?? Parallel.defaultWorkers,
                                     state: {}) { _, i throws(any Error) -> [UInt8] in
            switch i {
            case 0: Array(odCSV(report).utf8)
            case 1: Array(markdown(report).utf8)
            case 2: Array(routesCSV(report, rows: rows).utf8)
            case 3: try routesGeoJSON(report, rows: rows, options: geo)
            case 4: Array(segmentsCSV(report).utf8)
            case 5: try GeoJSON.encode(FeatureCollection(features: segmentFeatures(report)), options: geo) + [10]
            default: try GeoJSON.encode(summary) + [10]
            }
        }
        return Array(zip(names, bytes)).map { (name: $0.0, bytes: $0.1) }
    }

    /// Writes the run as the whole content of `directory`, all or nothing even
    /// under `kill -9`: the files (and `extraFiles`, e.g. a completion marker) are
    /// written into a staging directory that replaces `directory` in one rename
    /// (`StagedDirectory`), so no mix of this run's and a previous run's files is
    /// ever seen. Stale staging and temporary files of killed runs beside it are removed first.
    public static func write(_ report: SimulationReport, to directory: String, coordinatePrecision: Int = 6,
                             extraFiles: [(name: String, bytes: [UInt8])] = [], workers: Int? = nil) throws {
        try writeRunDirectory(try render(report, coordinatePrecision: coordinatePrecision, workers: workers) + extraFiles,
                              to: directory)
    }

    /// `files` as the whole content of a run's `directory`, swapped in by one rename
    /// (`StagedDirectory`), after clearing killed runs' leftovers beside it.
    public static func writeRunDirectory(_ files: [(name: String, bytes: [UInt8])], to directory: String) throws {
        var parent = directory
        while parent.count > 1 && parent.hasSuffix("/") { parent.removeLast() }
        InFlightOutputs.clearStale(in: parent.lastIndex(of: "/").map { String(parent[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? ".")
        try StagedDirectory.write(files, to: directory)
    }

    // MARK: Numbers

    /// `x` with `places` decimals, never `-0`; a magnitude of 10^15 or more (where a
    /// double has no decimals left) in its shortest round-trip form (`1e+300`), not
    /// as hundreds of digits.
    public static func fixed(_ x: Double, _ places: Int) -> String {
        guard x.isFinite, x.magnitude < 1e15 else { return "\(x)" }
        let s = FixedDecimal.text(x, places: places)
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(s.dropFirst()) }
        return s
    }

    /// `x` rounded to `places` decimals as a JSON number, never `-0`.
    public static func number(_ x: Double, _ places: Int) -> JSONValue {
        // Beyond 10^15 a double has no decimals to round (and x * scale could overflow).
        guard x.magnitude < 1e15 else { return .number(x) }
        let scale = pow(10, Double(places))
        let r = (x * scale).rounded() / scale
        return .number(r == 0 ? 0 : r)
    }

    /// `number(x, places)` appended as JSON text.
    static func appendNumber(_ x: Double, _ places: Int, to out: inout [UInt8]) throws {
        guard case let .number(r) = number(x, places) else { return }
        try GeoJSONText.appendNumber(r, to: &out)
    }

    static func csvField(_ s: String) -> String { CSV.field(s) }

    // MARK: Segments

    static func segmentProperties(_ s: SegmentDisplacement) -> [String: JSONValue] {
        typealias P = SimulationOutput.Segment
        return [
            P.segment: .string(s.segment), P.edgeId: .number(Double(s.edgeId)), P.kind: .string(s.kind.rawValue),
            P.border: s.border.map(JSONValue.string) ?? .null, P.route: s.route.map(JSONValue.string) ?? .null,
            P.baselineFlow: number(s.baselineFlow, 3), P.scenarioFlow: number(s.scenarioFlow, 3),
            P.change: number(s.change, 3), P.relativeChange: s.relativeChange.map { number($0, 4) } ?? .null,
            P.status: .string(s.status.label),
        ]
    }

    static func segmentFeatures(_ report: SimulationReport) -> [Feature] {
        report.segments.map { s in
            Feature(geometry: report.network.geometry(ofEdgeRow: s.row).map(Geometry.lineString),
                    properties: segmentProperties(s))
        }
    }

    static func segmentsCSV(_ report: SimulationReport) -> String {
        var out = SimulationOutput.Segment.columns.joined(separator: ",") + "\n"
        for s in report.segments {
            out += [csvField(s.segment), String(s.edgeId), s.kind.rawValue, csvField(s.border ?? ""), csvField(s.route ?? ""), s.status.label,
                    fixed(s.baselineFlow, 3), fixed(s.scenarioFlow, 3), fixed(s.change, 3),
                    s.relativeChange.map { fixed($0, 4) } ?? ""].joined(separator: ",") + "\n"
        }
        return out
    }

    // MARK: Routes

    /// Paths worth drawing: the most used one and any other carrying at least 10% of the OD's flow, at most 3.
    static func mainPaths(_ state: JourneyState) -> [PathFlow] {
        let total = state.assigned
        return Array(state.paths.enumerated().filter { $0.offset == 0 || $0.element.flow >= 0.1 * total }.prefix(3).map(\.element))
    }

    struct RouteRow {
        var od: ODDisplacement
        var phase: String
        var rank: Int
        var path: PathFlow
        var km: Double
        var risk: Double
        var segments: [String]
        var labels: [String]
    }

    static func routeRows(_ report: SimulationReport) -> [RouteRow] {
        let graph = report.costed.graph, network = report.network
        var rows: [RouteRow] = []
        for od in report.ods {
            for (phase, state) in [("baseline", od.baseline), ("scenario", od.scenario)] {
                for (i, p) in mainPaths(state).enumerated() {
                    var km = 0.0, risk = 0.0
                    var segments: [String] = [], labels: [String] = []
                    for arc in p.path.arcs {
                        let row = Int(graph.arcEdge[Int(arc)])
                        let a = report.costed.attributes[row]
                        km += a.lengthKm; risk += a.risk / 1000
                        if a.kind != .leg { segments.append(network.edgeAttributes?.segment[row] ?? String(network.edges.ids[row])) }
                        if let l = network.edgeAttributes?.route[row], !labels.contains(l) { labels.append(l) }
                    }
                    rows.append(RouteRow(od: od, phase: phase, rank: i + 1, path: p, km: km, risk: risk,
                                         segments: segments, labels: labels))
                }
            }
        }
        return rows
    }

    /// `routes.geojson`: one LineString per main path (the edges' geometries joined, a
    /// shared end point once), written feature by feature straight into its bytes with each
    /// edge's positions encoded once: the same bytes as `GeoJSON.encode` of the features.
    /// - Complexity: O(total positions of the routes).
    static func routesGeoJSON(_ report: SimulationReport, rows: [RouteRow], options: GeoJSONWriterOptions) throws -> [UInt8] {
        let graph = report.costed.graph, network = report.network
        var positionsOfRow: [Int: (coordinates: [Coordinate], text: [[UInt8]])] = [:]
        var out = Array(#"{"type":"FeatureCollection","features":["#.utf8)
        var line: [Coordinate] = [], text: [[UInt8]] = []
        for (i, r) in rows.enumerated() {
            line.removeAll(keepingCapacity: true); text.removeAll(keepingCapacity: true)
            for arc in r.path.path.arcs {
                let row = Int(graph.arcEdge[Int(arc)])
                let part: (coordinates: [Coordinate], text: [[UInt8]])
                if let known = positionsOfRow[row] { part = known } else {
                    let cs = network.geometry(ofEdgeRow: row) ?? []
                    part = (cs, try cs.map { try GeoJSONText.position($0, options: options) })
                    positionsOfRow[row] = part
                }
                let reversed = graph.edgeForwardArc[row] != arc
                let count = part.coordinates.count
                for j in 0..<count {
                    let k = reversed ? count - 1 - j : j
                    if j == 0, let last = line.last, last == part.coordinates[k] { continue }
                    line.append(part.coordinates[k]); text.append(part.text[k])
                }
            }
            out.append(contentsOf: (i == 0 ? "\n" : ",\n").utf8)
            out.append(contentsOf: #"{"type":"Feature","geometry":"#.utf8)
            if line.count >= 2 {
                out.append(contentsOf: #"{"type":"LineString","coordinates":["#.utf8)
                for (j, t) in text.enumerated() {
                    if j > 0 { out.append(UInt8(ascii: ",")) }
                    out += t
                }
                out.append(contentsOf: "]}".utf8)
            } else {
                out.append(contentsOf: "null".utf8)
            }
            // Properties in UTF-8 byte order of their names, as every GeoJSON writer here.
            out.append(contentsOf: #","properties":{"cost":"#.utf8)
            try appendNumber(r.path.path.totalCost, 2, to: &out)
            out.append(contentsOf: #","destination":"#.utf8)
            GeoJSONText.appendString(r.od.destinationName, to: &out)
            out.append(contentsOf: #","distance_km":"#.utf8)
            try appendNumber(r.km, 1, to: &out)
            out.append(contentsOf: #","expected_fatalities":"#.utf8)
            try appendNumber(r.risk * r.path.flow, 4, to: &out)
            out.append(contentsOf: #","flow":"#.utf8)
            try appendNumber(r.path.flow, 3, to: &out)
            out.append(contentsOf: #","origin":"#.utf8)
            GeoJSONText.appendString(r.od.originName, to: &out)
            out.append(contentsOf: #","phase":"#.utf8)
            GeoJSONText.appendString(r.phase, to: &out)
            out.append(contentsOf: #","rank":"#.utf8)
            try GeoJSONText.appendNumber(Double(r.rank), to: &out)
            out.append(contentsOf: #","risk":"#.utf8)
            try appendNumber(r.risk, 6, to: &out)
            out.append(contentsOf: #","routes":["#.utf8)
            for (j, l) in r.labels.enumerated() {
                if j > 0 { out.append(UInt8(ascii: ",")) }
                GeoJSONText.appendString(l, to: &out)
            }
            out.append(contentsOf: #"],"segments":["#.utf8)
            for (j, seg) in r.segments.enumerated() {
                if j > 0 { out.append(UInt8(ascii: ",")) }
                GeoJSONText.appendString(seg, to: &out)
            }
            out.append(contentsOf: "]}}".utf8)
        }
        out += Array((rows.isEmpty ? "]}\n" : "\n]}\n").utf8) + [10]
        return out
    }

    static func routesCSV(_ report: SimulationReport, rows: [RouteRow]) -> String {
        var out = "origin,destination,phase,rank,flow,distance_km,cost,risk,expected_fatalities,segments,routes\n"
        for r in rows {
            out += [csvField(r.od.originName), csvField(r.od.destinationName), r.phase, String(r.rank), fixed(r.path.flow, 3),
                    fixed(r.km, 1), fixed(r.path.path.totalCost, 2), fixed(r.risk, 6), fixed(r.risk * r.path.flow, 4),
                    csvField(r.segments.joined(separator: ";")), csvField(r.labels.joined(separator: ";"))]
                .joined(separator: ",") + "\n"
        }
        return out
    }

    // MARK: OD

    static func odCSV(_ report: SimulationReport) -> String {
        var out = "origin,destination,demand,assigned_baseline,assigned_scenario,stranded_baseline,stranded_scenario,stranded_at,"
            + "displaced,distance_km_baseline,distance_km_scenario,cost_baseline,cost_scenario,risk_baseline,risk_scenario,"
            + "fatalities_baseline,fatalities_scenario,suppressed_baseline,suppressed_scenario\n"
        for od in report.ods {
            let b = od.baseline, s = od.scenario
            out += [csvField(od.originName), csvField(od.destinationName), fixed(od.demand, 3), fixed(b.assigned, 3),
                    fixed(s.assigned, 3), fixed(b.stranded, 3), fixed(s.stranded, 3), csvField(od.strandedAt ?? ""),
                    fixed(od.displaced, 3), fixed(b.meanDistanceKm, 1), fixed(s.meanDistanceKm, 1), fixed(b.meanCost, 2),
                    fixed(s.meanCost, 2), fixed(b.meanRisk, 6), fixed(s.meanRisk, 6), fixed(b.expectedFatalities, 4),
                    fixed(s.expectedFatalities, 4), fixed(b.suppressed, 3), fixed(s.suppressed, 3)].joined(separator: ",") + "\n"
        }
        return out
    }

    // MARK: Summary

    static func methodJSON(_ a: AssignmentSettings) -> JSONValue {
        var m: [String: JSONValue] = ["name": .string(a.method.rawValue)]
        switch a.method {
        case .allOrNothing: break
        case .logit: m["k"] = .number(Double(a.k)); m["theta"] = .number(a.theta)
        case .equilibrium:
            m["max_iterations"] = .number(Double(a.maxIterations)); m["gap"] = .number(a.gap)
            m["bpr_alpha"] = .number(a.bprAlpha); m["bpr_beta"] = .number(a.bprBeta)
        }
        return .object(m)
    }

    static func summary(_ report: SimulationReport) -> JSONValue {
        let t = report.totals, s = report.scenario
        let totals: [String: JSONValue] = [
            "demand": number(t.demand, 3), "displaced": number(t.displaced, 3),
            "stranded_baseline": number(t.baselineStranded, 3), "stranded_scenario": number(t.scenarioStranded, 3),
            "suppressed_baseline": number(t.baselineSuppressed, 3), "suppressed_scenario": number(t.scenarioSuppressed, 3),
            "assigned_baseline": number(t.baselineAssigned, 3), "assigned_scenario": number(t.scenarioAssigned, 3),
            "person_km_baseline": number(t.baselinePersonKm, 1), "person_km_scenario": number(t.scenarioPersonKm, 1),
            "cost_baseline": number(t.baselineCost, 2), "cost_scenario": number(t.scenarioCost, 2),
            "fatalities_baseline": number(t.baselineFatalities, 4), "fatalities_scenario": number(t.scenarioFatalities, 4),
            "person_km_change": number(t.scenarioPersonKm - t.baselinePersonKm, 1),
            "cost_change": number(t.scenarioCost - t.baselineCost, 2),
            "fatalities_change": number(t.scenarioFatalities - t.baselineFatalities, 4),
            "mean_km_baseline": number(t.baselineMeanKm, 1), "mean_km_scenario": number(t.scenarioMeanKm, 1),
            "mean_km_change": number(t.scenarioMeanKm - t.baselineMeanKm, 1),
            "mean_cost_baseline": number(t.baselineMeanCost, 2), "mean_cost_scenario": number(t.scenarioMeanCost, 2),
            "mean_cost_change": number(t.scenarioMeanCost - t.baselineMeanCost, 2),
            "mean_risk_baseline": number(t.baselineMeanRisk, 6), "mean_risk_scenario": number(t.scenarioMeanRisk, 6),
            "mean_risk_change": number(t.scenarioMeanRisk - t.baselineMeanRisk, 6),
        ]
        let closed = Set(report.segments.filter { $0.status.isClosed }.map(\.segment)).sorted()
        return .object([
            "schema": .string(SimulationOutput.schema),
            "scenario": .object([
                "name": .string(s.name), "file": s.file.map(JSONValue.string) ?? .null,
                "network": .string(report.network.origin), "method": methodJSON(s.assignment),
                "seed": .number(Double(s.seed)), "interventions": .number(Double(s.interventions.count)),
            ]),
            "totals": .object(totals),
            "stranded_by_hub": .array(report.strandedByHub.map { .object(["hub": .string($0.hub), "flow": number($0.flow, 3)]) }),
            "routes": .array(report.routeFlows.map {
                .object(["route": .string($0.route), "baseline_flow": number($0.baselineFlow, 3),
                         "scenario_flow": number($0.scenarioFlow, 3), "change": number($0.scenarioFlow - $0.baselineFlow, 3)])
            }),
            "top_absorbing": .array(report.topAbsorbing.map { seg in
                var p = segmentProperties(seg)
                p["edge_id"] = nil; p["relative_change"] = nil; p["status"] = nil
                return .object(p)
            }),
            "closed_segments": .array(closed.map(JSONValue.string)),
            "od_count": .number(Double(report.ods.count)), "segment_count": .number(Double(report.segments.count)),
        ])
    }

    // MARK: Text

    /// A few lines for the terminal. `span` names what the totals cover when they add
    /// several periods (e.g. "in 2015-01…2015-12, 12 periods"); by default they are per period.
    public static func brief(_ report: SimulationReport, span: String? = nil) -> String {
        let t = report.totals
        var lines = [
            "scenario \(report.scenario.name): \(fixed(t.demand, 0)) people\(span.map { " " + $0 } ?? "/period"), \(report.ods.count) OD pairs, method \(report.scenario.assignment.method.rawValue)",
            "  displaced \(fixed(t.displaced, 1)), stranded \(fixed(t.baselineStranded, 1)) → \(fixed(t.scenarioStranded, 1)), "
                + "not going \(fixed(t.baselineSuppressed, 1)) → \(fixed(t.scenarioSuppressed, 1))",
            "  mean distance \(fixed(t.baselineMeanKm, 0)) → \(fixed(t.scenarioMeanKm, 0)) km, mean cost €\(fixed(t.baselineMeanCost, 0)) → €\(fixed(t.scenarioMeanCost, 0))",
            "  expected deaths \(fixed(t.baselineFatalities, 2)) → \(fixed(t.scenarioFatalities, 2))\(span == nil ? " per period" : "")",
        ]
        if let top = report.topAbsorbing.first {
            lines.append("  largest gain: \(top.segment) +\(fixed(top.change, 1))")
        }
        for s in report.strandedByHub.prefix(3) { lines.append("  stranded at \(s.hub): \(fixed(s.flow, 1))") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func markdown(_ report: SimulationReport) -> String {
        let t = report.totals, s = report.scenario
        var md = "# Scenario: \(s.name)\n\n"
        md += "Network `\(report.network.origin)`, assignment \(s.assignment.method.rawValue), \(s.interventions.count) intervention(s), \(report.ods.count) OD pair(s).\n\n"
        md += "| | baseline | scenario | change |\n|---|---:|---:|---:|\n"
        func row(_ name: String, _ a: Double, _ b: Double, _ places: Int) {
            md += "| \(name) | \(fixed(a, places)) | \(fixed(b, places)) | \(fixed(b - a, places)) |\n"
        }
        row("arriving (people/period)", t.baselineAssigned, t.scenarioAssigned, 1)
        row("stranded", t.baselineStranded, t.scenarioStranded, 1)
        row("suppressed (not going this period)", t.baselineSuppressed, t.scenarioSuppressed, 1)
        row("mean distance (km)", t.baselineMeanKm, t.scenarioMeanKm, 1)
        row("mean generalised cost (€)", t.baselineMeanCost, t.scenarioMeanCost, 2)
        row("expected deaths per period", t.baselineFatalities, t.scenarioFatalities, 4)
        md += "\nDisplaced flow (left its baseline path, stranded included): \(fixed(t.displaced, 1)) of \(fixed(t.demand, 1)).\n"
        if !report.strandedByHub.isEmpty {
            md += "\n## Stranded\n\n"
            for h in report.strandedByHub { md += "- \(h.hub): \(fixed(h.flow, 1))\n" }
        }
        if !report.topAbsorbing.isEmpty {
            md += "\n## Segments absorbing diverted flow\n\n| segment | kind | route | baseline | scenario | change |\n|---|---|---|---:|---:|---:|\n"
            for seg in report.topAbsorbing {
                md += "| \(seg.segment) | \(seg.kind) | \(seg.route ?? "") | \(fixed(seg.baselineFlow, 1)) | \(fixed(seg.scenarioFlow, 1)) | +\(fixed(seg.change, 1)) |\n"
            }
        }
        if !report.routeFlows.isEmpty {
            md += "\n## Flow by route\n\n| route | baseline | scenario | change |\n|---|---:|---:|---:|\n"
            for r in report.routeFlows {
                md += "| \(r.route) | \(fixed(r.baselineFlow, 1)) | \(fixed(r.scenarioFlow, 1)) | \(fixed(r.scenarioFlow - r.baselineFlow, 1)) |\n"
            }
        }
        return md
    }
}
