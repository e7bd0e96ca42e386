import Foundation
import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftSimulation

/// Checks that need more than one value of a scenario (its cost model with the
/// network's edges, its demand with the costs, a capacity with the congestion
/// function), made after parsing. Each reports at the scenario key behind the
/// problem (`Scenario.valueLocations`), never at a variable of the code.
extension ScenarioResolver {
    /// The most people a scenario's demand may add up to (10¹⁵): far above any real
    /// movement, low enough that sums of flows stay exact to a person (2⁵³ ≈ 9·10¹⁵).
    public static let maximumTotalFlow = 1e15

    /// The scenario's cost model applied to `network` as it stood on the scenario's day
    /// (`Scenario.networkDay`: `date:`, else a period run's first day; none: the current network).
    ///
    /// A cost-model value that makes an edge's cost infinite, not a number, or so
    /// large that a path could sum to infinity (`GraphError.nonFiniteCost`,
    /// `.costSumOverflow`) is reported at the `cost_model` key behind that term of
    /// the cost, with the edge it broke.
    /// - Complexity: O(E), as `CostModel.apply`.
    public static func costed(_ scenario: Scenario, network: RouteNetwork) throws -> CostedNetwork {
        do {
            return try CostModel.apply(scenario.costModel, to: network, asOf: scenario.networkDay)
        } catch let error as GraphError {
            switch error {
            case .nonFiniteCost(let edgeId, _, let value):
                throw costModelError(scenario, network, edgeId: edgeId, problem: value.isNaN ? "not a number" : "infinite",
                                     underlying: error) ?? error
            case .costSumOverflow(let edgeId, let value, _):
                throw costModelError(scenario, network, edgeId: edgeId, problem: "\(value), too large (\(error.description))",
                                     underlying: error) ?? error
            default:
                throw error
            }
        }
    }

    /// Parameters each entry of `CostModel.coefficients` is made of, by scenario key.
    static let coefficientKeys: [[String]] = {
        let km = ["w_dist", "per_km", "w_time", "value_of_hour"]
        let attempt = ["w_detect", "turn_back_cost"]
        return [
            km + ["land_speed_kmh", "w_price", "transit_fare_per_km"],
            km + ["sea_speed_kmh", "w_price", "sea_price_per_km"],
            ["w_time", "value_of_hour", "border_wait_hours", "w_price", "border_crossing_price"],
            ["w_time", "value_of_hour", "sea_wait_hours", "w_price", "sea_crossing_price"],
            ["w_price", "ferry_price"],
            ["w_risk", "value_of_life"],
        ] + CostFeatures.levels.map { attempt + ["detection_probability.\($0)"] } + [
            attempt,
            ["w_time", "value_of_hour", "border_wait_hours"],  // land borders with a recorded price
            ["w_time", "value_of_hour", "sea_wait_hours"],     // sea crossings with a recorded price
            ["w_price"],                                       // recorded prices
            km + ["ferry_speed_kmh"],                          // ferry km
        ]
    }()

    /// The cost-model keys the file sets behind the broken term of edge `edgeId`'s
    /// cost, as an error at the most suspicious of them (the largest value, or a
    /// speed of 0); `nil` when the file sets none (the network is at fault).
    private static func costModelError(_ scenario: Scenario, _ network: RouteNetwork, edgeId: Int64, problem: String,
                                       underlying: GraphError) -> InputError? {
        guard let row = network.edges.ids.firstIndex(of: edgeId) else { return nil }
        let p = scenario.costModel
        let features = CostFeatures(CostModel.attributes(ofRow: row, in: network, p)).vector
        let coefficients = CostModel.coefficients(p)
        let terms = zip(features, coefficients).map { $0 * $1 }
        // The broken term: not finite, else the largest.
        let term = terms.firstIndex(where: { !$0.isFinite })
            ?? terms.indices.max(by: { abs(terms[$0]) < abs(terms[$1]) }) ?? 0
        let keys = term < coefficientKeys.count ? coefficientKeys[term] : coefficientKeys.flatMap { $0 }
        let written = keys.filter { scenario.valueLocations["$.cost_model." + $0] != nil }
        guard !written.isEmpty else { return nil }
        func suspicion(_ key: String) -> Double {
            let x = abs(p.value(ofFileKey: key) ?? 0)
            return key.hasSuffix("_speed_kmh") ? (x == 0 ? .infinity : 1 / x) : x
        }
        let blamed = written.max(by: { suspicion($0) < suspicion($1) })!
        let values = written.map { "\($0) = \(p.value(ofFileKey: $0).map { "\($0)" } ?? "?")" }.joined(separator: ", ")
        let edge = network.edgeAttributes?.segment[row].map { "\($0) (edge \(edgeId))" } ?? "edge \(edgeId)"
        return InputError("\(blamed) makes the generalised cost of \(edge) \(problem) (\(values)); "
                          + "lower it so every cost stays finite", at: scenario.location(of: "$.cost_model." + blamed),
                          underlying: underlying)
    }

    /// Rejects demand whose flow-weighted sums could overflow: a total above
    /// `maximumTotalFlow`, or one that times the dearest possible path (the dearest
    /// edge n − 1 times) is infinite. Reported at the row where the total crosses.
    /// - Complexity: O(D + E).
    func checkDemandTotal(_ entries: [DemandEntry]) throws {
        let dearest = costed.unitCosts.lazy.filter(\.isFinite).max() ?? 0
        let dearestPath = dearest * Double(max(1, costed.graph.nodeCount - 1))
        var total = 0.0
        for entry in entries {
            total += entry.flow
            if total > Self.maximumTotalFlow {
                throw InputError("the demand adds up to \(total) people by this row; at most 10^15 are modelled", at: entry.location)
            }
            if !(total * dearestPath).isFinite {
                throw InputError("the demand adds up to \(total) people by this row; times the dearest possible path "
                                 + "(\(dearestPath)) the cost totals overflow: lower the demand or the cost model's weights",
                                 at: entry.location)
            }
        }
    }

    /// With the equilibrium assignment, a capacity so small (or a BPR exponent so
    /// large) that the whole demand on the edge would make its congested cost
    /// t₀ (1 + α (v/c)^β) overflow is rejected at `per_period`.
    func checkCapacity(_ perPeriod: Double, row: Int, totalFlow: Double, scenario: Scenario, intervention: Intervention) throws {
        let a = scenario.assignment
        guard a.method == .equilibrium, totalFlow > 0 else { return }
        let factor = 1 + a.bprAlpha * pow(totalFlow / perPeriod, a.bprBeta)
        let congested = costed.unitCosts[row] * factor * Double(max(1, costed.graph.nodeCount - 1)) * totalFlow
        guard !congested.isFinite else { return }
        let path = (intervention.location.path ?? "$") + ".capacity.per_period"
        throw InputError("capacity \(perPeriod) per period is too small for \(totalFlow) people: with BPR alpha "
                         + "\(a.bprAlpha) and beta \(a.bprBeta) the congested cost of the edge would overflow",
                         at: scenario.location(of: path))
    }

    /// Scenario keys behind the arguments `Assignment.run` checks, most specific first.
    static let assignmentArgumentKeys: [String: [String]] = [
        "problem.method.k": ["$.choice_set.size", "$.assignment.k"],
        "problem.method.theta": ["$.cost_model.theta", "$.assignment.theta"],
        "problem.method.maxIterations": ["$.assignment.max_iterations"],
        "problem.method.relativeGap": ["$.assignment.gap"],
        "problem.method.alpha": ["$.assignment.bpr.alpha"],
        "problem.method.beta": ["$.assignment.bpr.beta"],
        "problem.outsideOption.margin": ["$.cost_model.outside_option"],
        "problem.choiceSet.maxOverlap": ["$.choice_set.max_overlap"],
        "problem.choiceSet.maxDetour": ["$.choice_set.max_detour"],
        "problem.choiceSet.searchLimit": ["$.choice_set.search_limit"],
    ]

    /// Runs `body`; a value of the scenario that the assignment refuses (a
    /// `ContractError` of `Assignment.run` the checks above did not foresee) is
    /// reported as invalid input at the scenario key that set it, not as a
    /// failure of RouteShift at a Swift argument.
    public static func reportingAtScenarioKeys<T>(_ scenario: Scenario, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ContractError where error.function == "Assignment.run" {
            if let keys = assignmentArgumentKeys[error.argument] {
                throw InputError(error.message, at: scenario.location(of: keys), underlying: error)
            }
            if error.argument.hasPrefix("problem.capacities[") {
                throw InputError(error.message, at: InputLocation(file: scenario.file, path: "$.interventions"), underlying: error)
            }
            throw error
        }
    }
}
