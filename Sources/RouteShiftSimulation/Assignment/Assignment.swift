import Dispatch
import Foundation
import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork

/// Traffic assignment: loads origin–destination demand onto the route graph
/// under a scenario's overlay, by all-or-nothing, path-size logit or
/// capacity-constrained user equilibrium.
///
/// Every method groups demand by origin and grows one shortest-path tree per
/// origin, in parallel across origins (one `ShortestPathQuery` per worker);
/// results are merged in demand order, so the output is the same bit for bit
/// whatever the number of workers or their scheduling.
///
/// Demand whose destination cannot be reached is never dropped: it is reported
/// as `stranded`, with the hub where it is held up (`DemandOutcome.strandedAt`).
public enum Assignment {
    /// Worker threads used when `AssignmentOptions.workers` is not given.
    public static var defaultWorkers: Int { Parallel.defaultWorkers }

    /// Assigns `problem.demand` by `problem.method`.
    ///
    /// - Throws: `ContractError` for a negative or non-finite flow, an unknown node
    ///   (with the nearest ids), bad method parameters, capacities or options;
    ///   `GraphError.overlayFromAnotherGraph` for an overlay of another graph.
    /// - Complexity: all-or-nothing: one Dijkstra per distinct origin,
    ///   O(o · (n + m) log n); path-size logit: Yen's O(k · L) searches per
    ///   demand; equilibrium: one all-or-nothing per iteration plus O(m) line search.
    public static func run(_ problem: AssignmentProblem) throws -> AssignmentResult {
        try validate(problem)
        return try assign(problem)
    }

    /// `run` without validation, for callers that validated once (sweeps).
    ///
    /// Demand of classes with barred edges (`AssignmentProblem.barredRows`) is assigned class by
    /// class, each on the overlay that closes its barred edges, and merged in demand order
    /// (all-or-nothing and logit treat demands independently, so this equals one assignment
    /// in which each class sees its own network). Equilibrium keeps the classes together:
    /// its all-or-nothing steps search each class on its own overlay over the shared congested costs.
    static func assign(_ problem: AssignmentProblem) throws -> AssignmentResult {
        var problem = problem
        if problem.undisturbed == nil { problem.undisturbed = UndisturbedTrees(graph: problem.graph) }
        if case .equilibrium = problem.method {} else if let byClass = try assignByClass(problem) { return byClass }
        let result: AssignmentResult
        switch problem.method {
        case .allOrNothing:
            result = try AllOrNothing.assign(problem)
        case let .pathSizeLogit(k, theta):
            result = try PathSizeLogit.assign(problem, k: k, theta: theta)
        case let .equilibrium(maxIterations, relativeGap, alpha, beta):
            result = try Equilibrium.assign(problem, maxIterations: maxIterations, relativeGap: relativeGap,
                                            alpha: alpha, beta: beta)
        }
        checkConservation(result)
        return result
    }

    /// Demand indices grouped by their overlay: `nil` key for the demand no barred row concerns,
    /// then the classes with barred rows in name order; `nil` when every demand is in the first group.
    static func classGroups(_ problem: AssignmentProblem) -> [(userClass: String?, members: [Int])]? {
        guard !problem.barredRows.isEmpty else { return nil }
        var free: [Int] = [], byClass: [String: [Int]] = [:]
        for (i, d) in problem.demand.enumerated() {
            if let c = d.userClass, let rows = problem.barredRows[c], !rows.isEmpty { byClass[c, default: []].append(i) } else { free.append(i) }
        }
        guard !byClass.isEmpty else { return nil }
        return [(nil, free)] + byClass.keys.sorted().map { ($0, byClass[$0]!) }
    }

    /// All-or-nothing or logit class by class (see `assign`); `nil` when no class has barred edges.
    static func assignByClass(_ problem: AssignmentProblem) throws -> AssignmentResult? {
        guard let groups = classGroups(problem) else { return nil }
        var outcomes = [DemandOutcome?](repeating: nil, count: problem.demand.count)
        for (userClass, members) in groups where !members.isEmpty {
            var sub = problem
            sub.demand = members.map { problem.demand[$0] }
            sub.overlay = try problem.overlay(forClass: userClass)
            sub.referenceClass = userClass
            sub.referenceBarred = userClass.flatMap { problem.barredRows[$0] }
            sub.overlayIsEntryRulesOnly = problem.overlay?.isEmpty ?? true
            sub.referenceCosts = problem.referenceCosts.map { costs in members.map { costs[$0] } }
            sub.barredRows = [:]
            let r = try assign(sub)
            for (j, i) in members.enumerated() { outcomes[i] = r.outcomes[j] }
        }
        return AssignmentResult(graph: problem.graph, outcomes: outcomes.map { $0! }, relativeGap: nil, iterations: 1)
    }

    /// Where demand is held up when its destination cannot be reached: the last
    /// node of `baselinePath` (origin first) that is a hub and is still
    /// reachable from the origin, or `nil` if there is none.
    ///
    /// A hub beyond a closed crossing counts when a detour still reaches it:
    /// people travel as far along their usual route as they can.
    /// - Complexity: O(L) calls of the two predicates.
    public static func strandedLocation(baselinePath: Path, reachable: (Int64) -> Bool,
                                        isHub: (Int64) -> Bool) -> Int64? {
        for node in baselinePath.nodes.reversed() where isHub(node) && reachable(node) {
            return node
        }
        return nil
    }

    /// Ids of the nodes whose `kind` attribute is `hub` (see `NetworkSchema`).
    public static func hubs(in network: RouteNetwork) -> Set<Int64> {
        var hubs = Set<Int64>()
        for (id, properties) in network.nodeProperties {
            if case .string(let kind)? = properties[NetworkSchema.kind], kind == "hub" { hubs.insert(id) }
        }
        return hubs
    }

    /// The `length_km` attribute of every edge row, or `nil` if the network has
    /// no edge attributes; rows without it get 0 (the path-size factor then uses the arc cost).
    public static func edgeLengths(in network: RouteNetwork) -> [Double]? {
        network.edgeAttributes?.lengthKm.map { $0 ?? 0 }
    }

    // MARK: Validation

    static func validate(_ problem: AssignmentProblem) throws {
        let graph = problem.graph
        func unknown(_ id: Int64, _ path: String) -> ContractError {
            ContractError("node \(id) is not in the graph", function: "Assignment.run", argument: "problem." + path)
        }
        for (i, d) in problem.demand.enumerated() {
            guard d.flow.isFinite, d.flow >= 0 else {
                throw ContractError("flow \(d.flow) must be a finite number not below 0",
                                    function: "Assignment.run", argument: "problem.demand[\(i)].flow")
            }
            if graph.index(of: d.origin) == nil { throw unknown(d.origin, "demand[\(i)].origin") }
            if graph.index(of: d.destination) == nil { throw unknown(d.destination, "demand[\(i)].destination") }
        }
        func require(_ ok: Bool, _ message: String, _ path: String) throws {
            if !ok { throw ContractError(message, function: "Assignment.run", argument: "problem." + path) }
        }
        switch problem.method {
        case .allOrNothing:
            break
        case let .pathSizeLogit(k, theta):
            try require(k >= 1 && k <= ShortestPathQuery.maximumPathCount,
                        "path count k = \(k) must be between 1 and \(ShortestPathQuery.maximumPathCount)", "method.k")
            try require(theta.isFinite && theta >= 0, "theta = \(theta) must be finite and not negative", "method.theta")
        case let .equilibrium(maxIterations, relativeGap, alpha, beta):
            try require(maxIterations >= 0, "maxIterations = \(maxIterations) must not be negative",
                        "method.maxIterations")
            try require(relativeGap.isFinite && relativeGap >= 0,
                        "relative gap \(relativeGap) must be finite and not negative", "method.relativeGap")
            try require(alpha.isFinite && alpha >= 0, "BPR alpha = \(alpha) must be finite and not negative",
                        "method.alpha")
            try require(beta.isFinite && beta >= 0, "BPR beta = \(beta) must be finite and not negative",
                        "method.beta")
        }
        for (row, capacity) in problem.capacities.sorted(by: { $0.key < $1.key }) {
            try require(row >= 0 && row < graph.edgeCount, "capacity given for edge row \(row), which does not exist",
                        "capacities[\(row)]")
            try require(capacity.isFinite && capacity > 0,
                        "capacity \(capacity) of edge \(graph.edgeIds[row]) must be finite and positive",
                        "capacities[\(row)]")
        }
        let options = problem.options
        if let bound = options.pathCostBound {
            try require(bound.isFinite && bound >= 0, "path cost bound \(bound) must be finite and not negative",
                        "options.pathCostBound")
        }
        if let lengths = options.edgeLengths {
            try require(lengths.count == graph.edgeCount,
                        "\(lengths.count) edge lengths given for \(graph.edgeCount) edges", "options.edgeLengths")
            for (row, l) in lengths.enumerated() where !l.isFinite {
                throw ContractError("length \(l) of edge \(graph.edgeIds[row]) is not finite",
                                    function: "Assignment.run", argument: "problem.options.edgeLengths[\(row)]")
            }
        }
        try require(options.workers >= 1, "workers = \(options.workers) must be at least 1", "options.workers")
        if let outside = problem.outsideOption {
            try require(outside.margin.isFinite, "outside option margin \(outside.margin) must be finite",
                        "outsideOption.margin")
        }
        if case let .distinct(rule, groups) = problem.choiceSet {
            try require(rule.maxOverlap.isFinite && rule.maxOverlap >= 0 && rule.maxOverlap <= 1,
                        "max_overlap \(rule.maxOverlap) must be between 0 and 1", "choiceSet.maxOverlap")
            try require(rule.maxDetour.isFinite && rule.maxDetour >= 0,
                        "max_detour \(rule.maxDetour) must be finite and not negative", "choiceSet.maxDetour")
            try require((1...ChoiceSetRule.maximumSearchLimit).contains(rule.searchLimit),
                        "search limit \(rule.searchLimit) must be between 1 and \(ChoiceSetRule.maximumSearchLimit)",
                        "choiceSet.searchLimit")
            try require(groups.groupOfEdge.count == graph.edgeCount,
                        "link groups are for \(groups.groupOfEdge.count) edges, the graph has \(graph.edgeCount)",
                        "choiceSet.groups")
        }
        for (c, rows) in problem.barredRows.sorted(by: { $0.key < $1.key }) {
            for barred in rows {
                let row = barred.row
                try require(row >= 0 && row < graph.edgeCount, "barred edge row \(row) of class \(c) does not exist",
                            "barredRows[\(c)]")
            }
        }
        if let overlay = problem.overlay, let node = graph.nodeIds.first {
            // Cheapest way to have the graph module check the overlay belongs to this graph.
            _ = try ShortestPathQuery(graph: graph).cost(from: node, to: node, overlay: overlay)
        }
    }

    /// Debug builds: every outcome conserves its demand.
    static func checkConservation(_ result: AssignmentResult) {
        #if DEBUG
        for outcome in result.outcomes {
            let flow = outcome.demand.flow
            assert(abs(outcome.assigned + outcome.stranded + outcome.suppressed - flow) <= 1e-9 * max(1, flow),
                   "assigned + stranded + suppressed != demand for \(outcome.demand)")
        }
        #endif
    }
}
