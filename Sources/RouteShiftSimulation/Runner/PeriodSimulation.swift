import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftObservations

/// One simulated period: its demand, and which share of it travels under each
/// combination of interventions (the days each combination is in force).
public struct PeriodInput: Sendable {
    public var period: Period
    /// Demand of the period, by OD pair (node ids); pairs may be absent or repeated.
    public var demand: [Demand]
    /// Share of the period's demand travelling under each state (index into the
    /// states given to `PeriodSimulation.run`); the shares sum to 1.
    public var stateShares: [Int: Double]
    public init(period: Period, demand: [Demand], stateShares: [Int: Double]) {
        self.period = period; self.demand = demand; self.stateShares = stateShares
    }
}

/// Baseline and scenario of every period, and of the whole range.
public struct PeriodSimulationReport: Sendable {
    /// One report per period, in order: baseline without interventions, scenario with
    /// the interventions of the period's days. A period's report has its segments, totals,
    /// stranded hubs, route labels and edge flows; the per-OD detail (`ods`, the
    /// assignments' `outcomes`) is kept for the whole range only.
    public var periods: [(period: Period, report: SimulationReport)]
    /// The whole range: the sums of the periods' flows.
    public var whole: SimulationReport
}

/// Month-by-month (or quarter, year) runs.
///
/// Each period's demand travels under the network and the interventions in force on
/// the days it travels: a window covering part of a period applies to that share of
/// the period's demand (demand spread evenly over the period's days), and so does a
/// dated change of the network (a `since` day, an entry rule's `from`/`until`). The
/// days of a period are grouped into states (network state and set of interventions
/// in force), and each state is assigned once for the whole range. The baseline of a
/// day is its network state without interventions.
///
/// All-or-nothing and logit assignments are linear in demand (choice
/// probabilities depend on costs only), so each state is assigned once with one
/// person per OD pair and every period's flows are that unit result scaled by the
/// period's demand and the state's share: exactly what assigning the period
/// separately gives, at the cost of one assignment per state instead of one per
/// period. The equilibrium assignment is not linear in demand and is run per period
/// and state.
public enum PeriodSimulation {
    /// - Parameters:
    ///   - states: resolved scenarios (their demand is ignored); `states[0]` has no
    ///     interventions.
    ///   - baselines: for each state, the index of the state without interventions on the
    ///     same network (itself for such a state); `nil`: every state shares the network
    ///     of `states[0]`, the baseline of every period.
    ///   - periods: the periods with their demand and state shares.
    /// - Complexity: one assignment per state of the pairs with demand on its days (linear
    ///   methods) or per period and state (equilibrium), plus O(periods × Σ paths × path
    ///   length) to scale and measure, the periods in parallel on `workers` threads (linear
    ///   methods).
    public static func run(states: [ResolvedScenario], baselines: [Int]? = nil, periods: [PeriodInput], workers: Int? = nil,
                           incremental: Bool = true) throws -> PeriodSimulationReport {
        precondition(!states.isEmpty, "no baseline state")
        let baselines = baselines ?? Array(repeating: 0, count: states.count)
        precondition(baselines.count == states.count && baselines[0] == 0 && baselines.allSatisfy { baselines[$0] == $0 },
                     "each state's baseline is a state of its own")
        // The networks of the states on one numbering of arcs, so that flows of different days add up.
        let networks = states.indices.filter { baselines[$0] == $0 }
        let common = CommonArcs(networks.map { states[$0].costed })
        let networkOf = Dictionary(uniqueKeysWithValues: networks.enumerated().map { ($1, $0) })
        let costed = common.costed, graph = costed.graph
        // The union of OD pairs, in order of first appearance (then every period uses the same order).
        // Pairs are per class of travellers: the entry rules may route the classes of one pair apart.
        var index: [ODPair: Int] = [:]
        var pairs: [Demand] = []
        var periodDemand: [[Double]] = []
        for p in periods {
            var flows = [Double](repeating: 0, count: pairs.count)
            for d in p.demand {
                if let i = index[ODPair(d)] { flows[i] += d.flow; continue }
                index[ODPair(d)] = pairs.count
                pairs.append(Demand(origin: d.origin, destination: d.destination, flow: 1, userClass: d.userClass))
                flows.append(d.flow)
            }
            periodDemand.append(flows)
        }
        for i in periodDemand.indices where periodDemand[i].count < pairs.count {
            periodDemand[i] += [Double](repeating: 0, count: pairs.count - periodDemand[i].count)
        }
        let linear: Bool
        switch states[0].scenario.assignment.method {
        case .allOrNothing, .logit: linear = true
        case .equilibrium: linear = false
        }
        // Each period's baseline: the network states of its days, without interventions.
        let baselineShares: [[Int: Double]] = periods.map { p in
            var out: [Int: Double] = [:]
            for (s, w) in p.stateShares { out[baselines[s], default: 0] += w }
            return out.isEmpty ? [0: 1] : out
        }
        // What each period is made of, by state in index order: its baseline's network states
        // with the share of its days (a single one at full weight), and its states with theirs.
        let baselineParts: [[(state: Int, weight: Double)]] = baselineShares.map { shares in
            let parts = shares.sorted(by: { $0.key < $1.key }).filter { $0.value > 0 }
            return parts.map { (state: $0.key, weight: parts.count == 1 ? 1 : $0.value) }
        }
        let scenarioParts: [[(state: Int, weight: Double)]] = periods.map { p in
            p.stateShares.sorted(by: { $0.key < $1.key }).filter { $0.value > 0 }.map { (state: $0.key, weight: $0.value) }
        }
        let used = Set(periods.flatMap { $0.stateShares.keys }).union([0]).sorted()
        // A pair without demand in a period adds nothing to the period's figures (no flow, no
        // path), nor to the whole range's sums when they add two periods or more: the period's
        // lists leave it out. (With one period the whole range is that period's list itself.)
        let sparse = linear && periods.count > 1
        let activePairs: [[Int]] = periodDemand.map { flows in sparse ? flows.indices.filter { flows[$0] > 0 } : Array(flows.indices) }

        var unit: [Int: [DemandOutcome]] = [:]
        if linear {
            // The last network state assigned: its outcomes by pair (on its own arcs).
            var carried: (state: Int, outcomes: [DemandOutcome?])?
            // The last state assigned with each set of interventions in force: its outcomes by pair,
            // and their reference costs (the cheapest cost of each pair's baseline on that network).
            var carriedScenario: [[Intervention]: (state: Int, outcomes: [DemandOutcome?], references: [Double?])] = [:]
            for b in networks where used.contains(where: { baselines[$0] == b }) {
                // The pairs travelling on this network on some day: the only ones its states are asked about.
                var needed = [Bool](repeating: false, count: pairs.count)
                for (pi, shares) in baselineShares.enumerated() where (shares[b] ?? 0) > 0 {
                    for i in activePairs[pi] { needed[i] = true }
                }
                let subset = needed.indices.filter { needed[$0] }
                guard !subset.isEmpty else { continue }
                let undisturbed = UndisturbedTrees(graph: states[b].costed.graph)
                let n = networkOf[b]!
                // Outcomes of the state before that this one cannot change are taken over (`NetworkChange`).
                var local = [DemandOutcome?](repeating: nil, count: subset.count)
                if incremental, let c = carried,
                   let keep = try NetworkChange.kept(from: states[c.state], to: states[b], outcomes: subset.map { c.outcomes[$0] }) {
                    for (j, i) in subset.enumerated() where keep[j] { local[j] = common.carry(c.outcomes[i]!, from: networkOf[c.state]!, to: n) }
                }
                // Classes that the network's entry rules bar from the same edges on its days see one
                // network: their pairs share one unit assignment (see `SharedPairs`).
                let redo = local.indices.filter { local[$0] == nil }
                if !redo.isEmpty {
                    let shared = SharedPairs(redo.map { pairs[subset[$0]] }, barredRows: states[b].costed.barredRows)
                    var baselineState = states[b]
                    baselineState.demand = shared.distinct
                    let assigned = try Simulation.assign(baselineState, workers: workers, undisturbed: undisturbed)
                    for (j, o) in zip(redo, shared.expand(assigned.outcomes)) { local[j] = o }
                }
                let outcomes = local.map { $0! }
                var byPair = [DemandOutcome?](repeating: nil, count: pairs.count)
                for (j, i) in subset.enumerated() { byPair[i] = outcomes[j] }
                carried = (b, byPair)
                unit[b] = common.place(outcomes, at: subset, network: n, pairs: pairs)
                let scenarios = used.filter { $0 != b && baselines[$0] == b }
                guard !scenarios.isEmpty else { continue }
                // The scenarios on this network, each re-assigning what its interventions can change.
                let shared = SharedPairs(subset.map { pairs[$0] }, barredRows: states[b].costed.barredRows)
                var first = [Int](repeating: -1, count: shared.distinct.count)
                for (j, k) in shared.position.enumerated() where first[k] < 0 { first[k] = j }
                let baseline = zip(first, shared.distinct).map { j, d in
                    var o = outcomes[j]; o.demand = d; return o
                }
                var references = [Double?](repeating: nil, count: pairs.count)
                for (j, i) in subset.enumerated() { references[i] = outcomes[j].cheapestCost }
                for s in scenarios {
                    var state = states[s]
                    state.demand = shared.distinct
                    // Outcomes of the same interventions on an earlier network that this one cannot change.
                    let interventions = state.scenario.interventions
                    var known: [DemandOutcome?]?
                    if incremental, let c = carriedScenario[interventions],
                       let keep = try NetworkChange.kept(from: states[c.state], to: state, outcomes: first.map { c.outcomes[subset[$0]] },
                                                         references: first.map { (c.references[subset[$0]], references[subset[$0]]) }) {
                        known = first.indices.map { k in
                            guard keep[k], let carried = c.outcomes[subset[first[k]]] else { return nil }
                            var o = common.carry(carried, from: networkOf[baselines[c.state]]!, to: n)
                            o.demand = shared.distinct[k]
                            return o
                        }
                    }
                    let outcomes = try Simulation.scenarioOutcomes(state, baseline: baseline, workers: workers, incremental: incremental,
                                                                   undisturbed: undisturbed, known: known)
                    let expanded = shared.expand(outcomes)
                    var byPair = [DemandOutcome?](repeating: nil, count: pairs.count)
                    for (j, i) in subset.enumerated() { byPair[i] = expanded[j] }
                    carriedScenario[interventions] = (s, byPair, references)
                    unit[s] = common.place(expanded, at: subset, network: n, pairs: pairs)
                }
            }
        }

        let labels = EdgeLabels(costed: costed)
        let unitResults = unit, allDemand = periodDemand, allPairs = pairs
        // One period: its flows scaled from the unit results (or assigned), then measured; the
        // outcomes are those of the pairs at `active` (indices into `pairs`).
        @Sendable func measurePeriod(_ pi: Int) throws -> (report: SimulationReport, baseline: [DemandOutcome], scenario: [DemandOutcome],
                                                           active: [Int]) {
            let p = periods[pi]
            let allFlows = allDemand[pi]
            let active = activePairs[pi]
            let flows = active.map { allFlows[$0] }
            let demand = active.map { i in
                Demand(origin: allPairs[i].origin, destination: allPairs[i].destination, flow: allFlows[i], userClass: allPairs[i].userClass)
            }
            let ones = [Double](repeating: 1, count: demand.count)
            let baseParts = baselineParts[pi]
            let baseline: [DemandOutcome]
            var parts: [(outcomes: [DemandOutcome], weight: Double)] = []
            if linear {
                baseline = baseParts.count == 1 ? scaled(unitResults[baseParts[0].state]!, at: active, by: flows, weight: baseParts[0].weight, demand: demand)
                    : combine(baseParts.map { scaled(unitResults[$0.state]!, at: active, by: flows, weight: $0.weight, demand: demand) }, demand: demand)
                for (s, w) in scenarioParts[pi] {
                    parts.append((scaled(unitResults[s]!, at: active, by: flows, weight: w, demand: demand), w))
                }
            } else {
                func weighted(_ w: Double) -> [Demand] {
                    demand.map { Demand(origin: $0.origin, destination: $0.destination, flow: $0.flow * w, userClass: $0.userClass) }
                }
                var baseOutcomes: [Int: (outcomes: [DemandOutcome], weight: Double)] = [:]
                for (b, w) in baseParts {
                    var st = states[b]; st.demand = baseParts.count == 1 ? demand : weighted(w)
                    baseOutcomes[b] = (common.remap(try Simulation.assign(st, workers: workers).outcomes, network: networkOf[b]!), w)
                }
                baseline = baseParts.count == 1 ? baseOutcomes[baseParts[0].state]!.outcomes
                    : combine(baseParts.map { baseOutcomes[$0.state]!.outcomes }, demand: demand)
                for (s, w) in scenarioParts[pi] {
                    if let b = baseOutcomes[s] {
                        parts.append((scaled(b.outcomes, at: nil, by: ones, weight: w / b.weight, demand: weighted(w)), w))
                    } else {
                        var st = states[s]; st.demand = weighted(w)
                        let outcomes = try Assignment.run(st.assignmentProblem(workers: workers)).outcomes
                        parts.append((common.remap(outcomes, network: networkOf[baselines[s]]!), w))
                    }
                }
            }
            let scenario = combine(parts.map(\.outcomes), demand: demand)
            // The period's statuses: those of the state in force longest (the baseline's when none).
            let main = p.stateShares.filter { baselines[$0.key] != $0.key && $0.value > 0 }
                .max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
                ?? baseParts.max { ($0.weight, -$0.state) < ($1.weight, -$1.state) }?.state ?? 0
            var resolved = states[main]
            resolved.demand = sparse ? zip(allPairs, allFlows).map {
                Demand(origin: $0.origin, destination: $0.destination, flow: $1, userClass: $0.userClass)
            } : demand
            let b = AssignmentResult(graph: graph, outcomes: baseline, relativeGap: nil, iterations: 1)
            let r = AssignmentResult(graph: graph, outcomes: scenario, relativeGap: nil, iterations: 1)
            // Per-OD detail is kept for the whole range only.
            let report = DisplacementMetrics.measure(resolved: resolved, costed: costed, baseline: b, result: r, labels: labels,
                                                     perPair: false)
            // Linear runs add the whole range from the unit outcomes (below), not from these.
            return linear ? (report, [], [], active) : (report, baseline, scenario, active)
        }
        // Periods are independent once the states are assigned: measured in parallel in blocks
        // of a few per thread, each into its own slot, then taken in period order, so the result
        // is the same whatever the number of threads and memory holds one block's outcomes.
        // (Equilibrium periods run one after the other, each assignment using the workers
        // itself, and their outcomes are added to the whole range here; linear runs add it
        // from the unit outcomes below.)
        let threads = linear ? max(1, workers ?? Assignment.defaultWorkers) : 1
        var reports: [(period: Period, report: SimulationReport)] = []
        reports.reserveCapacity(periods.count)
        var wholeBaseline = OutcomeSum(count: pairs.count), wholeScenario = OutcomeSum(count: pairs.count)
        var next = 0
        while next < periods.count {
            let first = next, end = min(periods.count, next + 4 * threads)
            let block = try Parallel.map(count: end - first, workers: threads, state: { () }) { _, j in try measurePeriod(first + j) }
            for (j, m) in block.enumerated() {
                if !linear { wholeBaseline.add(m.baseline, at: sparse ? m.active : nil); wholeScenario.add(m.scenario, at: sparse ? m.active : nil) }
                var report = m.report
                report.baseline.outcomes = []; report.result.outcomes = []
                reports.append((periods[first + j].period, report))
            }
            next = end
        }
        // The whole range: every period's outcomes added per OD pair.
        let totalFlows = pairs.indices.map { i in periodDemand.reduce(0) { $0 + $1[i] } }
        let totalDemand = zip(pairs, totalFlows).map { Demand(origin: $0.origin, destination: $0.destination, flow: $1, userClass: $0.userClass) }
        let lastMain = states.indices.last { baselines[$0] != $0 } ?? states.count - 1
        var resolved = states[lastMain]
        resolved.demand = totalDemand
        var weights: [[Int: [Double]]] = [[:], [:]]
        if linear {
            // Flows are linear in the demand: the whole range is each state's unit outcomes
            // scaled by the pair's demand summed over the days it is in force (Σ over periods
            // of flow × share, in period order), added in state order.
            var baselineWeight: [Int: [Double]] = [:], scenarioWeight: [Int: [Double]] = [:]
            for (pi, flows) in periodDemand.enumerated() {
                for (b, w) in baselineParts[pi] {
                    baselineWeight[b, default: [Double](repeating: 0, count: pairs.count)].withUnsafeMutableBufferPointer { c in
                        for i in activePairs[pi] { c[i] += flows[i] * w }
                    }
                }
                for (s, w) in scenarioParts[pi] {
                    scenarioWeight[s, default: [Double](repeating: 0, count: pairs.count)].withUnsafeMutableBufferPointer { c in
                        for i in activePairs[pi] { c[i] += flows[i] * w }
                    }
                }
            }
            weights = [baselineWeight, scenarioWeight]
        }
        // The two sums of the whole range side by side.
        let sums = [wholeBaseline, wholeScenario], stateWeights = weights
        let results = Parallel.map(count: 2, workers: min(2, threads), state: {}) { _, k in
            var sum = sums[k]
            for (s, c) in stateWeights[k].sorted(by: { $0.key < $1.key }) {
                let at = sparse ? c.indices.filter { c[$0] > 0 } : Array(c.indices)
                let demand = at.map { i in
                    Demand(origin: allPairs[i].origin, destination: allPairs[i].destination, flow: c[i], userClass: allPairs[i].userClass)
                }
                sum.add(scaled(unitResults[s]!, at: at, by: at.map { c[$0] }, weight: 1, demand: demand), at: sparse ? at : nil)
            }
            return AssignmentResult(graph: graph, outcomes: sum.total(demand: totalDemand), relativeGap: nil, iterations: 1)
        }
        let b = results[0], r = results[1]
        let whole = DisplacementMetrics.measure(resolved: resolved, costed: costed, baseline: b, result: r, labels: labels,
                                                workers: threads)
        return PeriodSimulationReport(periods: reports, whole: whole)
    }

    /// Unit outcomes (those at `indices`, all when `nil`) scaled by each pair's flow × `weight`;
    /// `flows` and `demand` are those of the pairs taken.
    static func scaled(_ outcomes: [DemandOutcome], at indices: [Int]?, by flows: [Double], weight: Double,
                       demand: [Demand]) -> [DemandOutcome] {
        var out: [DemandOutcome] = []
        out.reserveCapacity(flows.count)
        for i in flows.indices {
            let o = outcomes[indices?[i] ?? i]
            let f = flows[i] * weight
            let d = Demand(origin: demand[i].origin, destination: demand[i].destination, flow: f, userClass: demand[i].userClass)
            out.append(DemandOutcome(demand: d, assigned: o.assigned * f, stranded: o.stranded * f,
                                     paths: f > 0 ? o.paths.map { PathFlow(path: $0.path, flow: $0.flow * f) } : [],
                                     strandedAt: o.strandedAt, suppressed: o.suppressed * f, searchedRows: o.searchedRows))
        }
        return out
    }

    /// Adds outcome lists of the same pairs: flows of identical paths merged, paths most used first.
    static func combine(_ lists: [[DemandOutcome]], demand: [Demand]) -> [DemandOutcome] {
        var sum = OutcomeSum(count: demand.count)
        for list in lists { sum.add(list) }
        return sum.total(demand: demand)
    }
}

/// The networks of a run's states on one numbering of arcs.
///
/// A dated closure removes an edge's arcs from its day's graph (`CostModel.apply`), so the
/// graphs of two days may number their arcs differently; paths are carried over to a graph
/// holding every arc of any of them, by edge row and direction. When every graph has the
/// arcs of the first, that graph is the common one and nothing is carried over.
struct CommonArcs {
    /// The network whose graph has every arc: the first given, or the first with the missing arcs added.
    let costed: CostedNetwork
    /// For each given network, the common arc of each of its arcs; `nil`: the same numbering.
    private let maps: [[Int32]?]
    /// For each given network, its arc of each common arc (-1: it has none); `nil`: the same numbering.
    private let inverses: [[Int32]?]

    /// - Complexity: O(networks × E), plus building one graph when the arcs differ.
    init(_ networks: [CostedNetwork]) {
        let first = networks[0]
        let rows = first.graph.edgeCount
        func arcs(_ c: CostedNetwork) -> ([Int32], [Int32]) { (c.graph.edgeForwardArc, c.graph.edgeBackwardArc) }
        let reference = arcs(first)
        guard networks.dropFirst().contains(where: { arcs($0) != reference }) else {
            costed = first; maps = Array(repeating: nil, count: networks.count); inverses = maps
            return
        }
        // Every direction any network has, at the cost of the first network that has it.
        var table = EdgeTable()
        table.reserveCapacity(rows)
        let e = first.edges
        for row in 0..<rows {
            let forward = networks.first { $0.edges.costs[row] >= 0 }?.edges.costs[row] ?? -1
            let backward = networks.first { $0.edges.reverseCosts[row] >= 0 }?.edges.reverseCosts[row] ?? -1
            table.append(id: e.ids[row], source: e.sources[row], target: e.targets[row], cost: forward, reverseCost: backward)
        }
        var coordinates = NodeCoordinates()
        let network = first.network
        for (i, id) in network.graph.nodeIds.enumerated() {
            if let c = network.graph.coordinate(of: Int32(i)) { coordinates.append(id: id, longitude: c.longitude, latitude: c.latitude) }
        }
        // Cannot throw: the rows and costs are those of graphs already built.
        let graph = try! RoutingGraph(edges: table, coordinates: coordinates.count == network.nodeCount ? coordinates : nil)
        costed = CostedNetwork(network: network, graph: graph, edges: table, attributes: first.attributes, unitCosts: first.unitCosts,
                               parameters: first.parameters, asOf: first.asOf)
        let forward = graph.edgeForwardArc, backward = graph.edgeBackwardArc
        let maps = networks.map { c in
            let g = c.graph
            return (0..<g.arcCount).map { a in
                let row = Int(g.arcEdge[a])
                return g.isBackward(arc: Int32(a)) ? backward[row] : forward[row]
            }
        }
        self.maps = maps
        inverses = maps.map { map in
            var inverse = [Int32](repeating: -1, count: graph.arcCount)
            for (a, c) in map.enumerated() { inverse[Int(c)] = Int32(a) }
            return inverse
        }
    }

    /// `outcome`'s paths on other arc numbers (`map`: the new number of each old arc).
    private static func renumbered(_ outcome: DemandOutcome, _ map: (Int32) -> Int32) -> DemandOutcome {
        var o = outcome
        o.paths = o.paths.map { p in
            let q = p.path
            return PathFlow(path: Path(nodes: q.nodes, edges: q.edges, arcCosts: q.arcCosts, arcs: q.arcs.map(map)), flow: p.flow)
        }
        return o
    }

    /// An outcome of network `m`'s graph on network `n`'s arcs, every arc of its paths being one
    /// that `n` has too (`NetworkChange.kept` keeps only such outcomes).
    /// - Complexity: O(path lengths), O(1) when the numbering is the same.
    func carry(_ outcome: DemandOutcome, from m: Int, to n: Int) -> DemandOutcome {
        switch (maps[m], inverses[n]) {
        case (nil, nil): return outcome
        case let (map?, nil): return Self.renumbered(outcome) { map[Int($0)] }
        case let (nil, inverse?): return Self.renumbered(outcome) { inverse[Int($0)] }
        case let (map?, inverse?): return m == n ? outcome : Self.renumbered(outcome) { inverse[Int(map[Int($0)])] }
        }
    }

    /// `outcomes` of network `n`'s graph on the common arcs.
    /// - Complexity: O(Σ path lengths), O(1) when the numbering is the same.
    func remap(_ outcomes: [DemandOutcome], network n: Int) -> [DemandOutcome] {
        guard let map = maps[n] else { return outcomes }
        return outcomes.map { Self.renumbered($0) { map[Int($0)] } }
    }

    /// Outcomes of `pairs` (unit demand): those of network `n` at `subset` (in order), carried
    /// to the common arcs; nothing assigned for the others.
    func place(_ outcomes: [DemandOutcome], at subset: [Int], network n: Int, pairs: [Demand]) -> [DemandOutcome] {
        if subset.count == pairs.count { return remap(outcomes, network: n) }
        var out = pairs.map { DemandOutcome(demand: $0, assigned: 0, stranded: 0, paths: []) }
        for (o, i) in zip(remap(outcomes, network: n), subset) { out[i] = o }
        return out
    }
}

/// Demand pairs that differ only by classes of travellers seeing the same network, found once.
///
/// A class's network is the state's overlay with the edges its entry rules bar closed
/// (`AssignmentProblem.overlay(forClass:)`); classes barred from the same edges in the same
/// directions (often most classes: rules that distinguish them may be in force on other days
/// only), and classes barred from none, therefore get the same outcome for the same origin
/// and destination under all-or-nothing and logit, which treat pairs independently. Each
/// such group of pairs is assigned once, as the pair of its first class, and the outcome
/// copied to the others.
struct SharedPairs {
    /// The pairs to assign, in order of first appearance, each with the first class of its group.
    let distinct: [Demand]
    /// For each given pair, its index in `distinct`.
    let position: [Int]
    private let pairs: [Demand]

    /// - Complexity: O(pairs + classes × barred rows).
    init(_ pairs: [Demand], barredRows: [String: [BarredEdge]]) {
        // Each class's stand-in: the first class (by name) barred from the same edges; `nil` for none.
        var standIn: [String: String] = [:], firstWith: [[BarredEdge]: String] = [:]
        for (c, rows) in barredRows.sorted(by: { $0.key < $1.key }) where !rows.isEmpty {
            let key = rows.sorted()
            if let first = firstWith[key] { standIn[c] = first } else { firstWith[key] = c; standIn[c] = c }
        }
        var index: [ODPair: Int] = [:], distinct: [Demand] = [], position: [Int] = []
        position.reserveCapacity(pairs.count)
        for d in pairs {
            let key = ODPair(origin: d.origin, destination: d.destination, userClass: d.userClass.flatMap { standIn[$0] })
            if let i = index[key] { position.append(i); continue }
            index[key] = distinct.count
            position.append(distinct.count)
            distinct.append(Demand(origin: d.origin, destination: d.destination, flow: d.flow, userClass: key.userClass))
        }
        self.distinct = distinct; self.position = position; self.pairs = pairs
    }

    /// The outcomes of an assignment of `distinct`, one per given pair (with its own demand).
    /// - Complexity: O(pairs).
    func expand(_ outcomes: [DemandOutcome]) -> [DemandOutcome] {
        zip(pairs, position).map { d, i in
            var o = outcomes[i]
            o.demand = d
            return o
        }
    }
}

/// Outcome lists of the same pairs added one list at a time (see `PeriodSimulation.combine`):
/// per pair the flows summed in list order, flows of identical paths merged, the stranded
/// place of the list stranding most. A single list is returned as it is.
struct OutcomeSum {
    private var lists = 0
    private var first: [DemandOutcome] = []
    private var firstAt: [Int]?
    private var assigned: [Double], stranded: [Double], suppressed: [Double], largestStranded: [Double]
    private var strandedAt: [Int64?]
    private var paths: [[PathFlow]]

    init(count: Int) {
        assigned = Array(repeating: 0, count: count); stranded = assigned; suppressed = assigned; largestStranded = assigned
        strandedAt = Array(repeating: nil, count: count)
        paths = Array(repeating: [], count: count)
    }

    /// Adds the outcomes of the pairs at `indices` (every pair, in order, when `nil`); a pair
    /// left out adds nothing, as a pair without demand would.
    /// - Complexity: O(Σ paths of the list × paths of its pair so far).
    mutating func add(_ list: [DemandOutcome], at indices: [Int]? = nil) {
        lists += 1
        if lists == 1 { first = list; firstAt = indices; return }
        if lists == 2 { fold(first, at: firstAt); first = []; firstAt = nil }
        fold(list, at: indices)
    }

    private mutating func fold(_ list: [DemandOutcome], at indices: [Int]?) {
        list.withUnsafeBufferPointer { list in
            for j in list.indices {
                let i = indices?[j] ?? j
                let s = list[j].stranded
                assigned[i] += list[j].assigned; stranded[i] += s; suppressed[i] += list[j].suppressed
                if s > largestStranded[i] { largestStranded[i] = s; strandedAt[i] = list[j].strandedAt }
                // A pair has a handful of distinct paths: a linear scan beats hashing their arcs.
                list[j].paths.withUnsafeBufferPointer { new in
                    for q in new.indices where new[q].flow > 0 {
                        if let k = paths[i].firstIndex(where: { $0.path.arcs == new[q].path.arcs }) { paths[i][k].flow += new[q].flow }
                        else { paths[i].append(new[q]) }
                    }
                }
            }
        }
    }

    /// The sums as outcomes of `demand` (one per pair).
    func total(demand: [Demand]) -> [DemandOutcome] {
        if lists == 0 { return demand.map { DemandOutcome(demand: $0, assigned: 0, stranded: 0, paths: []) } }
        if lists == 1 && firstAt == nil { return zip(first, demand).map { o, d in var o = o; o.demand = d; return o } }
        var sum = self
        if lists == 1 { sum.fold(first, at: firstAt); sum.lists = 2 }
        return sum.folded(demand: demand)
    }

    private func folded(demand: [Demand]) -> [DemandOutcome] {
        return demand.indices.map { i in
            var p = paths[i]
            p.sortByUse()
            return DemandOutcome(demand: demand[i], assigned: assigned[i], stranded: stranded[i], paths: p,
                                 strandedAt: strandedAt[i], suppressed: suppressed[i])
        }
    }
}

extension Simulation {
    /// The baseline assignment of a resolved scenario (no overlay, no capacities).
    static func assign(_ resolved: ResolvedScenario, workers: Int?, undisturbed: UndisturbedTrees? = nil) throws -> AssignmentResult {
        var problem = try resolved.assignmentProblem(workers: workers)
        problem.undisturbed = undisturbed
        problem.overlay = nil
        problem.capacities = [:]
        return try Assignment.run(problem)
    }

    /// The scenario assignment's outcomes, re-assigning only the affected demand when it can
    /// (the baseline's outcomes, one per demand of `resolved`, stand for the others).
    ///
    /// `known` (one entry per demand; `nil` where unknown) holds outcomes found to hold under
    /// `resolved` already (`NetworkChange.kept` from the same interventions on an earlier
    /// network state): an affected demand with one takes it instead of being assigned again.
    static func scenarioOutcomes(_ resolved: ResolvedScenario, baseline: [DemandOutcome], workers: Int?,
                                 incremental: Bool, undisturbed: UndisturbedTrees? = nil,
                                 known: [DemandOutcome?]? = nil) throws -> [DemandOutcome] {
        var problem = try resolved.assignmentProblem(workers: workers)
        problem.undisturbed = undisturbed
        if incremental, let affected = affectedDemand(resolved, baseline: baseline) {
            let redo = known.map { known in affected.filter { known[$0] == nil } } ?? affected
            var subset = problem
            subset.demand = redo.map { resolved.demand[$0] }
            subset.referenceCosts = redo.map { baseline[$0].cheapestCost }
            let changed = redo.isEmpty ? [] : try Assignment.run(subset).outcomes
            var outcomes = baseline
            if let known { for i in affected { if let o = known[i] { outcomes[i] = o } } }
            for (j, i) in redo.enumerated() { outcomes[i] = changed[j] }
            return outcomes
        }
        return try Assignment.run(problem).outcomes
    }
}

/// A month-by-month (quarter, year) run of a scenario and what it is compared with.
public struct PeriodRun: Sendable {
    public var scenario: Scenario
    public var report: PeriodSimulationReport
    /// The observed demand, when the scenario says `demand: observed`.
    public var demand: ObservedDemand?
    /// Which crossings make up each Frontex route.
    public var routeMap: FrontexRouteMap
    /// Recorded detections per route for each period (in `report.periods` order);
    /// `nil` for a period outside the Frontex data.
    public var observed: [[FrontexRoute: Int]?]
    /// Share of each period's demand under each intervention (by intervention index), per period.
    public var interventionShares: [[Double]]
    /// Observed risk per 1,000 crossings by edge row, per period: IOM dead and missing
    /// located on the crossing (`IncidentLocator`) ÷ its crossings in the period: the
    /// route's recorded sea detections where a Frontex route has that one sea leg, the
    /// baseline modelled crossings otherwise; rows without located deaths or without
    /// crossings keep the network's default.
    /// Empty when the record is not available.
    public var observedRisk: [[Int: Double]]

    public init(scenario: Scenario, report: PeriodSimulationReport, demand: ObservedDemand?, routeMap: FrontexRouteMap,
                observed: [[FrontexRoute: Int]?], interventionShares: [[Double]], observedRisk: [[Int: Double]] = []) {
        self.scenario = scenario; self.report = report; self.demand = demand; self.routeMap = routeMap
        self.observed = observed; self.interventionShares = interventionShares; self.observedRisk = observedRisk
    }

    /// Expected deaths of period `i`, baseline and scenario: Σ over edges of flow × risk / 1,000,
    /// with the observed risk where there is one and the network's default elsewhere.
    /// - Complexity: O(rows with observed risk).
    public func expectedDeaths(period i: Int) -> (baseline: Double, scenario: Double) {
        let r = report.periods[i].report
        var b = r.totals.baselineFatalities, s = r.totals.scenarioFatalities
        guard i < observedRisk.count else { return (b, s) }
        for (row, risk) in observedRisk[i].sorted(by: { $0.key < $1.key }) {
            let d = (risk - r.costed.attributes[row].risk) / 1000
            b += d * r.baseline.edgeFlows[row]; s += d * r.result.edgeFlows[row]
        }
        return (b, s)
    }
}

