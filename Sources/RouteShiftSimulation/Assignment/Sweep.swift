import Foundation
import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork

/// Something a criticality sweep closes: a border section, a whole border or a
/// hub's incident edges, as edge rows (both directions are closed).
public struct SweepElement: Hashable, Sendable {
    public var id: String
    public var edgeRows: [Int]
    public init(id: String, edgeRows: [Int]) { self.id = id; self.edgeRows = edgeRows }
}

/// What closing one element does to the baseline assignment.
public struct SweepOutcome: Hashable, Sendable {
    public var id: String
    public var edgeRows: [Int]
    /// Baseline flow over the element's edges (both directions).
    public var baselineFlow: Double
    /// Demands re-assigned: those whose baseline paths use the element (all
    /// demands for equilibrium, which is re-run in full).
    public var reassignedDemands: Int
    /// Flow that leaves its baseline path, summed over demands as
    /// Σ_paths max(0, baseline flow − new flow); includes flow that is stranded.
    public var displacedFlow: Double
    /// Stranded flow added by the closure (new stranded − baseline stranded).
    public var strandedFlow: Double
    /// Extra generalised cost borne by the flow that still gets through:
    /// Σ_od assigned · (new mean path cost − baseline mean path cost).
    public var addedCost: Double
    /// Extra expected deaths, the same way with path risk Σ_a risk_a (0 without a risk array).
    public var addedRisk: Double
    public init(id: String, edgeRows: [Int], baselineFlow: Double, reassignedDemands: Int, displacedFlow: Double,
                strandedFlow: Double, addedCost: Double, addedRisk: Double) {
        self.id = id; self.edgeRows = edgeRows; self.baselineFlow = baselineFlow
        self.reassignedDemands = reassignedDemands; self.displacedFlow = displacedFlow
        self.strandedFlow = strandedFlow; self.addedCost = addedCost; self.addedRisk = addedRisk
    }
}

/// A ranked criticality sweep.
public struct SweepResult: Sendable {
    /// Ranked by displaced flow (descending), then id, then input order.
    public var outcomes: [SweepOutcome]
    /// Whether only affected demand was re-assigned (false for equilibrium, or when asked).
    public var incremental: Bool
    /// Wall-clock time of the sweep and elements closed per second.
    public var elapsedSeconds: Double
    public var elementsPerSecond: Double
    public init(outcomes: [SweepOutcome], incremental: Bool, elapsedSeconds: Double, elementsPerSecond: Double) {
        self.outcomes = outcomes; self.incremental = incremental
        self.elapsedSeconds = elapsedSeconds; self.elementsPerSecond = elementsPerSecond
    }
}

/// Criticality sweep: closes each element in turn on top of the baseline
/// scenario and measures displaced and stranded flow and added cost and risk.
public enum Sweep {
    /// Closes each of `elements` in turn on top of `baseline` and compares
    /// with `baselineResult` (which must be `Assignment.run(baseline)`).
    ///
    /// Incremental for all-or-nothing and path-size logit: closing edges only
    /// removes paths, so a demand none of whose baseline paths uses the element
    /// keeps its cheapest path (and its whole choice set of k cheapest paths),
    /// and only the affected demand is re-assigned. This equals a full
    /// re-assignment up to ties between equally cheap paths and, for logit, a
    /// choice-set path whose share underflows to 0 (not reported in
    /// `DemandOutcome.paths`). Equilibrium is not separable by demand
    /// (congestion couples every path), so it is re-run in full per element
    /// from free flow; pass `incremental: false` to get the same for every method.
    ///
    /// Elements are processed in parallel (`DispatchQueue.concurrentPerform`),
    /// each re-assignment on one thread, and ranked afterwards, so the output
    /// does not depend on scheduling.
    ///
    /// - Parameter risk: expected deaths per person crossing, by edge row (see `risks(in:)`).
    /// - Throws: `ContractError` for an edge row out of range, a risk array of the
    ///   wrong length or with negative or non-finite values, or a baseline
    ///   result that does not match the problem; anything `Assignment.run` throws.
    /// - Complexity: per element, one assignment of the affected demand only.
    public static func run(baseline: AssignmentProblem, baselineResult: AssignmentResult, elements: [SweepElement],
                           risk: [Double]? = nil, incremental: Bool = true,
                           workers: Int = Assignment.defaultWorkers) throws -> SweepResult {
        let start = DispatchTime.now().uptimeNanoseconds
        try Assignment.validate(baseline)
        let graph = baseline.graph
        guard baselineResult.outcomes.count == baseline.demand.count else {
            throw ContractError("baseline result has \(baselineResult.outcomes.count) outcomes for "
                             + "\(baseline.demand.count) demands", function: "Sweep.run", argument: "baselineResult")
        }
        for (e, element) in elements.enumerated() {
            for row in element.edgeRows where row < 0 || row >= graph.edgeCount {
                throw ContractError("element '\(element.id)' names edge row \(row), which does not exist", function: "Sweep.run", argument: "elements[\(e)].edgeRows")
            }
        }
        if let risk {
            guard risk.count == graph.edgeCount else {
                throw ContractError("\(risk.count) risk values given for \(graph.edgeCount) edges", function: "Sweep.run", argument: "risk")
            }
            for (row, r) in risk.enumerated() where !(r.isFinite && r >= 0) {
                throw ContractError("risk \(r) of edge \(graph.edgeIds[row]) must be finite and not negative", function: "Sweep.run", argument: "risk[\(row)]")
            }
        }
        guard workers >= 1 else { throw ContractError("workers = \(workers) must be at least 1", function: "Sweep.run", argument: "workers") }
        let separable: Bool
        if case .equilibrium = baseline.method { separable = false } else { separable = true }
        let useIncremental = incremental && separable

        let users = useIncremental ? DemandIndex(baselineResult, graph: graph) : nil
        let measured = try Parallel.map(count: elements.count, workers: workers, state: { () }) { _, e in
            try measure(elements[e], baseline: baseline, baselineResult: baselineResult, risk: risk, users: users)
        }
        let order = measured.indices.sorted { a, b in
            let x = measured[a], y = measured[b]
            if x.displacedFlow != y.displacedFlow { return x.displacedFlow > y.displacedFlow }
            if x.id != y.id { return x.id < y.id }
            return a < b
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return SweepResult(outcomes: order.map { measured[$0] }, incremental: useIncremental,
                           elapsedSeconds: seconds,
                           elementsPerSecond: seconds > 0 ? Double(elements.count) / seconds : 0)
    }

    /// `problem` with every edge of `element` closed in both directions, on top of its overlay.
    public static func closing(_ element: SweepElement, in problem: AssignmentProblem) throws -> AssignmentProblem {
        var overlay = problem.overlay ?? CostOverlay(graph: problem.graph)
        for row in element.edgeRows { try overlay.close(edge: problem.graph.edgeIds[row]) }
        var closed = problem
        closed.overlay = overlay
        return closed
    }

    /// Expected deaths per person crossing each edge row: the `risk` attribute
    /// (per 1,000 crossings, see `NetworkSchema`) divided by 1,000; 0 where absent.
    public static func risks(in network: RouteNetwork) -> [Double] {
        network.edgeAttributes?.risk.map { ($0 ?? 0) / 1_000 } ?? [Double](repeating: 0, count: network.edgeCount)
    }

    static func measure(_ element: SweepElement, baseline: AssignmentProblem, baselineResult: AssignmentResult,
                        risk: [Double]?, users: DemandIndex?) throws -> SweepOutcome {
        let graph = baseline.graph
        var problem = try closing(element, in: baseline)
        problem.options.workers = 1
        let closedRows = Set(element.edgeRows)
        var baselineFlow = 0.0
        for row in closedRows.sorted() { baselineFlow += baselineResult.edgeFlows[row] }

        let affected: [Int]
        let newOutcomes: [DemandOutcome]
        if let users {
            affected = users.users(of: element.edgeRows)
            problem.demand = affected.map { baseline.demand[$0] }
            newOutcomes = affected.isEmpty ? [] : try Assignment.assign(problem).outcomes
        } else {
            affected = Array(baseline.demand.indices)
            newOutcomes = try Assignment.assign(problem).outcomes
        }

        let change = Displacement(baseline: baselineResult.outcomes, scenario: newOutcomes,
                                  pairs: affected.enumerated().map { ($1, $0) }, graph: graph, risk: risk)
        return SweepOutcome(id: element.id, edgeRows: element.edgeRows, baselineFlow: baselineFlow,
                            reassignedDemands: affected.count, displacedFlow: change.displacedFlow,
                            strandedFlow: change.strandedFlow, addedCost: change.addedCost, addedRisk: change.addedRisk)
    }

}
