import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork

/// What measuring reads of the network besides its typed columns, worked out once (a
/// run of many periods measures every period against the same network).
struct EdgeLabels {
    /// Index into `routeNames` of each row's `route`, -1 without one.
    var routeIndex: [Int32]
    var routeNames: [String]
    /// Deaths per crossing and length by row.
    var risk: [Double]
    var lengthKm: [Double]

    /// - Complexity: O(E).
    init(costed: CostedNetwork) {
        var index: [String: Int32] = [:]
        var names: [String] = []
        routeIndex = (0..<costed.network.edgeCount).map { row in
            guard let r = costed.network.edgeAttributes?.route[row] else { return -1 }
            if let i = index[r] { return i }
            index[r] = Int32(names.count); names.append(r)
            return Int32(names.count - 1)
        }
        routeNames = names
        risk = costed.attributes.map { $0.risk / 1000 }
        lengthKm = costed.attributes.map(\.lengthKm)
        let columns = costed.network.edgeAttributes, ids = costed.network.edges.ids
        let segment = (0..<costed.network.edgeCount).map { columns?.segment[$0] ?? String(ids[$0]) }
        segmentRows = (0..<costed.network.edgeCount).filter { costed.attributes[$0].kind != .leg }
            .sorted { segment[$0] != segment[$1] ? segment[$0] < segment[$1] : ids[$0] < ids[$1] }
    }

    /// Rows of the crossings (every kind but `leg`), by segment id then edge id: the order of
    /// `SimulationReport.segments`.
    var segmentRows: [Int]
}

/// Compares a baseline and a scenario assignment of the same demand.
enum DisplacementMetrics {
    /// - Parameters:
    ///   - perPair: whether to report each pair (`SimulationReport.ods`); the totals are the same either way.
    ///   - workers: threads that measure the pairs (in blocks, each pair into its own slot); the
    ///     totals are then added in pair order, so they are the same whatever the number.
    static func measure(resolved: ResolvedScenario, costed: CostedNetwork, baseline: AssignmentResult,
                        result: AssignmentResult, labels: EdgeLabels? = nil, perPair: Bool = true,
                        workers: Int = 1) -> SimulationReport {
        let network = costed.network, graph = costed.graph
        let labels = labels ?? EdgeLabels(costed: costed)
        let risk = labels.risk
        let length = labels.lengthKm
        let arcEdge = graph.arcEdge

        @Sendable func state(_ outcome: DemandOutcome) -> JourneyState {
            var km = 0.0, cost = 0.0
            outcome.forEachPath { flow, arcs in
                var pathKm = 0.0
                for arc in arcs { pathKm += length[Int(arcEdge[Int(arc)])] }
                km += flow * pathKm
            }
            outcome.paths.withUnsafeBufferPointer { paths in
                for j in paths.indices { cost += paths[j].flow * paths[j].path.totalCost }
            }
            let fatalities = Displacement.expectedDeaths(outcome, graph: graph, risk: risk)
            let a = outcome.assigned
            return JourneyState(assigned: a, stranded: outcome.stranded, suppressed: outcome.suppressed, meanDistanceKm: a > 0 ? km / a : 0,
                                meanCost: a > 0 ? cost / a : 0, meanRisk: a > 0 ? fatalities / a : 0,
                                expectedFatalities: fatalities, paths: outcome.paths)
        }

        var totals = DisplacementTotals(demand: 0, displaced: 0, baselineStranded: 0, scenarioStranded: 0,
                                        baselineSuppressed: 0, scenarioSuppressed: 0,
                                        baselinePersonKm: 0, scenarioPersonKm: 0, baselineCost: 0, scenarioCost: 0,
                                        baselineFatalities: 0, scenarioFatalities: 0, baselineAssigned: 0,
                                        scenarioAssigned: 0)
        var strandedByHub: [String: Double] = [:]
        var ods: [ODDisplacement] = []
        // Each pair's journeys before and after, blocks of pairs side by side.
        let before = baseline.outcomes, after = result.outcomes
        let count = min(before.count, after.count), block = 512
        let measured = Parallel.map(count: (count + block - 1) / block, workers: workers, state: {}) { _, k in
            (k * block..<min(count, (k + 1) * block)).map { i in
                (state(before[i]), state(after[i]), Displacement.displacedFlow(from: before[i], to: after[i]))
            }
        }.joined()
        for ((before, after), (b, s, displaced)) in zip(zip(before, after), measured) {
            let d = before.demand
            let hub = after.stranded > 0 ? (after.strandedAt.map { network.label(ofNode: $0) } ?? "(unknown)") : nil
            if let hub { strandedByHub[hub, default: 0] += after.stranded }
            if perPair { ods.append(ODDisplacement(origin: d.origin, destination: d.destination,
                                      originName: network.label(ofNode: d.origin),
                                      destinationName: network.label(ofNode: d.destination),
                                      demand: d.flow, baseline: b, scenario: s, displaced: displaced, strandedAt: hub)) }
            totals.demand += d.flow
            totals.displaced += displaced
            totals.baselineStranded += b.stranded; totals.scenarioStranded += s.stranded
            totals.baselineSuppressed += b.suppressed; totals.scenarioSuppressed += s.suppressed
            totals.baselineAssigned += b.assigned; totals.scenarioAssigned += s.assigned
            totals.baselinePersonKm += b.meanDistanceKm * b.assigned; totals.scenarioPersonKm += s.meanDistanceKm * s.assigned
            totals.baselineCost += b.meanCost * b.assigned; totals.scenarioCost += s.meanCost * s.assigned
            totals.baselineFatalities += b.expectedFatalities; totals.scenarioFatalities += s.expectedFatalities
        }

        let columns = network.edgeAttributes
        var segments: [SegmentDisplacement] = []
        segments.reserveCapacity(labels.segmentRows.count)
        for row in labels.segmentRows {
            let kind = costed.attributes[row].kind
            segments.append(SegmentDisplacement(
                row: row, edgeId: network.edges.ids[row],
                segment: columns?.segment[row] ?? String(network.edges.ids[row]),
                border: columns?.border[row], kind: kind, route: columns?.route[row],
                baselineFlow: baseline.edgeFlows[row], scenarioFlow: result.edgeFlows[row],
                status: resolved.status[row] ?? (columns?.closed[row] == true ? .closedInNetwork : .open)))
        }

        let top = segments.filter { $0.change > 1e-9 }
            .sorted { $0.change != $1.change ? $0.change > $1.change : ($0.segment, $0.edgeId) < ($1.segment, $1.edgeId) }
            .prefix(resolved.scenario.topSegments)

        // Each path adds its flow once to every route label it touches, in outcome and path order.
        func labelFlows(_ r: AssignmentResult) -> [String: Double] {
            var sums = [Double](repeating: 0, count: labels.routeNames.count)
            var used = [Bool](repeating: false, count: labels.routeNames.count)
            var seen = [Int](repeating: -1, count: labels.routeNames.count)
            var stamp = 0
            let routeIndex = labels.routeIndex
            r.outcomes.withUnsafeBufferPointer { outcomes in
                for o in outcomes.indices {
                    outcomes[o].forEachPath { flow, arcs in
                        stamp += 1
                        for arc in arcs {
                            let l = Int(routeIndex[Int(arcEdge[Int(arc)])])
                            guard l >= 0, seen[l] != stamp else { continue }
                            seen[l] = stamp
                            sums[l] += flow; used[l] = true
                        }
                    }
                }
            }
            var flows: [String: Double] = [:]
            for (l, name) in labels.routeNames.enumerated() where used[l] { flows[name] = sums[l] }
            return flows
        }
        let lb = labelFlows(baseline), ls = labelFlows(result)
        let routeFlows = Set(lb.keys).union(ls.keys).sorted().map {
            RouteLabelFlow(route: $0, baselineFlow: lb[$0] ?? 0, scenarioFlow: ls[$0] ?? 0)
        }

        return SimulationReport(
            scenario: resolved.scenario, costed: costed, resolved: resolved, baseline: baseline, result: result,
            segments: segments, ods: ods, totals: totals,
            strandedByHub: strandedByHub.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { (hub: $0.key, flow: $0.value) },
            routeFlows: routeFlows, topAbsorbing: Array(top))
    }
}
