import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph
import RouteShiftNetwork

/// Criticality sweep of a scenario: each border section, border or hub closed
/// in turn on top of the scenario's own interventions (`Sweep.run`).
public enum ScenarioSweep {
    public enum Granularity: String, CaseIterable, Sendable {
        /// Each border section or sea crossing (`segment` attribute of border and sea edges).
        case section
        /// Each border (`border` attribute, country pair) of border and sea edges.
        case border
        /// Each hub (node `kind` hub): all its incident edges.
        case hub
    }

    /// The elements to close, sorted by id.
    public static func elements(_ granularity: Granularity, in costed: CostedNetwork) -> [SweepElement] {
        let network = costed.network
        var groups: [String: [Int]] = [:]
        switch granularity {
        case .section, .border:
            for row in 0..<network.edgeCount {
                let kind = costed.attributes[row].kind
                guard kind == .border || kind == .sea else { continue }
                let key = granularity == .section ? network.edgeString(NetworkSchema.segment, row: row)
                    : network.edgeString(NetworkSchema.border, row: row).map(ScenarioResolver.pairKey)
                if let key { groups[key, default: []].append(row) }
            }
        case .hub:
            let hubs = Assignment.hubs(in: network)
            for row in 0..<network.edgeCount {
                for end in [network.edges.sources[row], network.edges.targets[row]] where hubs.contains(end) {
                    groups[network.label(ofNode: end), default: []].append(row)
                }
            }
        }
        return groups.keys.sorted().map { SweepElement(id: $0, edgeRows: groups[$0]!) }
    }

    /// Runs the sweep over the resolved scenario (its interventions stay applied);
    /// with `shard`, over that shard of the sorted elements only.
    public static func run(_ resolved: ResolvedScenario, by granularity: Granularity, workers: Int? = nil,
                           shard: Shard? = nil) throws -> (result: SweepResult, elements: [SweepElement]) {
        let costed = resolved.costed
        let problem = try resolved.assignmentProblem(workers: workers)
        let baseline = try Assignment.run(problem)
        let all = elements(granularity, in: costed)
        let elements = shard.map { $0.select(all) } ?? all
        let result = try Sweep.run(baseline: problem, baselineResult: baseline, elements: elements,
                                   risk: costed.attributes.map { $0.risk / 1000 },
                                   workers: workers ?? Assignment.defaultWorkers)
        return (result, elements)
    }

    /// `rank,id,edges,baseline_flow,reassigned_demands,displaced_flow,stranded_flow,added_cost,added_fatalities`.
    public static func csv(_ result: SweepResult) -> String {
        var out = "rank,id,edges,baseline_flow,reassigned_demands,displaced_flow,stranded_flow,added_cost,added_fatalities\n"
        for (i, o) in result.outcomes.enumerated() {
            out += [String(i + 1), ReportFiles.csvField(o.id), String(o.edgeRows.count), ReportFiles.fixed(o.baselineFlow, 3),
                    String(o.reassignedDemands), ReportFiles.fixed(o.displacedFlow, 3), ReportFiles.fixed(o.strandedFlow, 3),
                    ReportFiles.fixed(o.addedCost, 2), ReportFiles.fixed(o.addedRisk, 4)].joined(separator: ",") + "\n"
        }
        return out
    }

    /// One feature per element: its edges as a MultiLineString with the ranking's values.
    public static func features(_ result: SweepResult, network: RouteNetwork) -> [Feature] {
        result.outcomes.enumerated().map { i, o in
            let lines = o.edgeRows.sorted().compactMap { network.geometry(ofEdgeRow: $0) }
            return Feature(geometry: lines.isEmpty ? nil : .multiLineString(lines), properties: [
                "rank": .number(Double(i + 1)), "id": .string(o.id), "baseline_flow": ReportFiles.number(o.baselineFlow, 3),
                "reassigned_demands": .number(Double(o.reassignedDemands)),
                "displaced_flow": ReportFiles.number(o.displacedFlow, 3), "stranded_flow": ReportFiles.number(o.strandedFlow, 3),
                "added_cost": ReportFiles.number(o.addedCost, 2), "added_fatalities": ReportFiles.number(o.addedRisk, 4),
            ])
        }
    }

    /// Writes `sweep.geojson` and `sweep.csv` into `directory`, both or neither.
    public static func write(_ result: SweepResult, network: RouteNetwork, to directory: String,
                             coordinatePrecision: Int = 6) throws {
        let geo = try GeoJSON.encode(FeatureCollection(features: features(result, network: network)),
                                     options: GeoJSONWriterOptions(coordinatePrecision: coordinatePrecision)) + [10]
        try ReportFiles.writeAll([("sweep.csv", Array(csv(result).utf8)), ("sweep.geojson", geo)], to: directory)
    }
}
