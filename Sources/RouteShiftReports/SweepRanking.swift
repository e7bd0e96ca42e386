import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftSimulation

/// The sweep ranking as one JSON document (`routeshift sweep --format json`).
///
/// Schema `routeshift.sweep/1`, keys in byte order: `schema`, `by`, `shard` (`"K/N"` or `null`),
/// `ranking`: `[{rank, id, edges, baseline_flow, reassigned_demands, displaced_flow,
/// stranded_flow, added_cost, added_fatalities}]` in rank order; the same columns
/// and decimals as `sweep.csv`.
public enum SweepRanking {
    public static let schema = "routeshift.sweep/1"

    public static func json(_ result: SweepResult, by granularity: ScenarioSweep.Granularity, shard: Shard? = nil) -> JSONValue {
        .object([
            "schema": .string(schema), "by": .string(granularity.rawValue),
            "shard": shard.map { .string($0.description) } ?? .null,
            "ranking": .array(result.outcomes.enumerated().map { i, o in
                .object([
                    "rank": .number(Double(i + 1)), "id": .string(o.id), "edges": .number(Double(o.edgeRows.count)),
                    "baseline_flow": ReportFiles.number(o.baselineFlow, 3),
                    "reassigned_demands": .number(Double(o.reassignedDemands)),
                    "displaced_flow": ReportFiles.number(o.displacedFlow, 3),
                    "stranded_flow": ReportFiles.number(o.strandedFlow, 3),
                    "added_cost": ReportFiles.number(o.addedCost, 2), "added_fatalities": ReportFiles.number(o.addedRisk, 4),
                ])
            }),
        ])
    }
}
