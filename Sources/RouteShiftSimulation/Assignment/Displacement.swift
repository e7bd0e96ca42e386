import RouteShiftCore
import RouteShiftGraph

/// How a scenario's assignment differs from the baseline's, demand by demand.
public struct Displacement: Hashable, Sendable {
    /// Flow that leaves its baseline path: Σ_od Σ_paths max(0, baseline flow −
    /// scenario flow), paths compared by their arcs; includes flow that is stranded.
    public var displacedFlow: Double
    /// Stranded flow added by the scenario (scenario stranded − baseline stranded).
    public var strandedFlow: Double
    /// Extra generalised cost borne by the flow that still gets through:
    /// Σ_od assigned · (scenario mean path cost − baseline mean path cost).
    public var addedCost: Double
    /// Extra expected deaths, the same way with path risk Σ_a risk_a (0 without a risk array).
    public var addedRisk: Double

    public init(displacedFlow: Double, strandedFlow: Double, addedCost: Double, addedRisk: Double) {
        self.displacedFlow = displacedFlow; self.strandedFlow = strandedFlow
        self.addedCost = addedCost; self.addedRisk = addedRisk
    }

    /// Compares two assignments of the same demand list (same graph, same order).
    ///
    /// - Parameter risk: expected deaths per person crossing, by edge row (see `Sweep.risks(in:)`).
    /// - Throws: `ContractError` when the demand lists differ or the risk array has the wrong length.
    /// - Complexity: O(total path arcs of both results).
    public init(baseline: AssignmentResult, scenario: AssignmentResult, graph: RoutingGraph,
                risk: [Double]? = nil) throws {
        guard baseline.outcomes.map(\.demand) == scenario.outcomes.map(\.demand) else {
            throw ContractError("the two assignments are not of the same demand list", function: "Displacement.init", argument: "scenario")
        }
        if let risk, risk.count != graph.edgeCount {
            throw ContractError("\(risk.count) risk values given for \(graph.edgeCount) edges", function: "Displacement.init", argument: "risk")
        }
        self.init(baseline: baseline.outcomes, scenario: scenario.outcomes,
                  pairs: baseline.outcomes.indices.map { ($0, $0) }, graph: graph, risk: risk)
    }

    /// Sums over `pairs` of (baseline index, scenario index), in the given order.
    init(baseline: [DemandOutcome], scenario: [DemandOutcome], pairs: [(Int, Int)], graph: RoutingGraph,
         risk: [Double]?) {
        var displaced = 0.0, stranded = 0.0, addedCost = 0.0, addedRisk = 0.0
        for (i, j) in pairs {
            let before = baseline[i], after = scenario[j]
            displaced += Self.displacedFlow(from: before, to: after)
            stranded += after.stranded - before.stranded
            addedCost += after.assigned * (after.meanCost - before.meanCost)
            if let risk {
                addedRisk += after.assigned * (Self.meanRisk(after, graph: graph, risk: risk)
                                               - Self.meanRisk(before, graph: graph, risk: risk))
            }
        }
        self.init(displacedFlow: displaced, strandedFlow: stranded, addedCost: addedCost, addedRisk: addedRisk)
    }

    /// Flow of one demand that leaves its baseline paths: Σ_paths max(0, baseline flow −
    /// scenario flow on the same arcs); includes flow that is stranded.
    /// - Complexity: O(arcs of both outcomes' paths).
    static func displacedFlow(from before: DemandOutcome, to after: DemandOutcome) -> Double {
        // An outcome has a handful of paths: comparing arcs pairwise is cheaper than hashing them.
        var displaced = 0.0
        before.paths.withUnsafeBufferPointer { before in
            after.paths.withUnsafeBufferPointer { after in
                for p in before.indices {
                    var flow = 0.0
                    for q in after.indices where after[q].path.arcs == before[p].path.arcs { flow += after[q].flow }
                    displaced += max(0, before[p].flow - flow)
                }
            }
        }
        return displaced
    }

    /// Expected deaths of the outcome's whole flow: Σ_paths flow · Σ_a risk_a.
    static func expectedDeaths(_ outcome: DemandOutcome, graph: RoutingGraph, risk: [Double]) -> Double {
        var total = 0.0
        let arcEdge = graph.arcEdge
        outcome.forEachPath { flow, arcs in
            var r = 0.0
            for arc in arcs { r += risk[Int(arcEdge[Int(arc)])] }
            total += flow * r
        }
        return total
    }

    /// Flow-weighted mean of Σ_a risk_a over the outcome's paths.
    static func meanRisk(_ outcome: DemandOutcome, graph: RoutingGraph, risk: [Double]) -> Double {
        guard outcome.assigned > 0 else { return 0 }
        return expectedDeaths(outcome, graph: graph, risk: risk) / outcome.assigned
    }
}
