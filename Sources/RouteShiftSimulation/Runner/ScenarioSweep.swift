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
                let key = granularity == .section ? network.edgeAttributes?.segment[row]
                    : network.edgeAttributes?.border[row].map(NetworkSchema.borderKey)
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
}
