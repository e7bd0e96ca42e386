import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork
import RouteShiftSimulation

/// The sweep ranking as files: `sweep.csv` and `sweep.geojson`.
extension ScenarioSweep {
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
        try ReportFiles.writeRunDirectory([("sweep.csv", Array(csv(result).utf8)), ("sweep.geojson", geo)], to: directory)
    }
}
