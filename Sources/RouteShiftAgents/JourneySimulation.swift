import Foundation
import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftSimulation

/// One network state: what the interventions in force do to the arcs.
public struct JourneyNetworkState: Sendable {
    /// Closures and cost changes (what people plan with when they know of them).
    public var overlay: CostOverlay
    /// Detection probability of one attempt, by arc, where an intervention sets it.
    public var detection: [Int32: Double]
    /// People who may cross each edge row per day, each direction on its own (`capacityPerMonth`
    /// in `JourneyInput` reads them per calendar month instead).
    public var capacities: [Int: Double]
    public init(overlay: CostOverlay, detection: [Int32: Double] = [:], capacities: [Int: Double] = [:]) {
        self.overlay = overlay; self.detection = detection; self.capacities = capacities
    }
}

/// People setting out on one day from one origin to one destination.
public struct Departure: Hashable, Sendable {
    public var origin: Int64
    public var destination: Int64
    public var people: Int
    /// Their class under the network's entry rules (`Demand.userClass`: `EntryClasses`, `*` for
    /// the nationalities no rule names); `nil`: no entry rule applies.
    public var userClass: String?
    public init(origin: Int64, destination: Int64, people: Int, userClass: String? = EntryClasses.unnamed) {
        self.origin = origin; self.destination = destination; self.people = people; self.userClass = userClass
    }
}

/// How people travel, learn and give up.
public struct JourneySettings: Hashable, Sendable {
    /// Days between a change at the border (a closure, its lifting) and people planning with it.
    /// News of the Hungarian fence reached people on the route within a day or two (social
    /// media, smugglers); 2 by default.
    public var informationDelay = 2
    /// Failed attempts at one crossing after which a person gives up the journey and stays.
    public var retryLimit = 10
    /// Hours a day spent travelling (the cost model's speeds and waits count against them);
    /// 12 by default, daylight travel.
    public var travelHoursPerDay = 12.0
    public var seed: UInt64 = 0
    /// Worker threads; results do not depend on it.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    public init() {}
}

/// Everything a journey simulation needs: a costed network, choice-set rule and dispersion
/// (as `simulate` uses them), the departures of each day, and the network state of each day.
public struct JourneyInput: Sendable {
    public var costed: CostedNetwork
    /// The choice-set rule (`ChoiceSetSettings.rule(size: k)`; size 1 for all-or-nothing).
    public var rule: ChoiceSetRule
    /// Logit dispersion per euro.
    public var theta: Double
    public var startDay: CalendarDay
    public var days: Int
    /// `departures[t]`: people setting out on day t (t from 0).
    public var departures: [[Departure]]
    /// Network states; `stateOfDay(t)` indexes them for any day offset t (negative: before the start).
    public var states: [JourneyNetworkState]
    public var stateOfDay: @Sendable (Int) -> Int
    /// Whether state capacities are people per calendar month (the scenario's `per_period` of a
    /// monthly run) rather than per day.
    public var capacityPerMonth = false
    /// The option not to go, as `simulate` has it (`CostModel.Parameters`' `outside_option`):
    /// one more alternative of each plan; nil: everyone with an open route takes one.
    public var outsideOption: OutsideOption?

    public init(costed: CostedNetwork, rule: ChoiceSetRule, theta: Double, startDay: CalendarDay, days: Int,
                departures: [[Departure]], states: [JourneyNetworkState], stateOfDay: @escaping @Sendable (Int) -> Int) {
        self.costed = costed; self.rule = rule; self.theta = theta; self.startDay = startDay; self.days = days
        self.departures = departures; self.states = states; self.stateOfDay = stateOfDay
    }
}

/// People travelling day by day on a RouteShift network under the generalised cost model
/// (the RouteShift rule set of `routeshift agents`).
///
/// Each person sets out on their day with a destination and picks one of the choice set's
/// routes with the path-size logit's probabilities (Ben-Akiva & Bierlaire 1999), the same
/// sets and shares `simulate` assigns flows by (`FixedChoiceSets`, link elimination of
/// Rieser-Schüssler et al. 2013), planned on the network as they know it: the state of
/// `informationDelay` days ago. Plans are per class of travellers (`Departure.userClass`):
/// the edges the entry rules bar to a class are closed to its people, in the sets as in
/// `simulate` and in the outside option's c₀. Each day:
/// 1. people learn of the state of `informationDelay` days ago; when it changed, everyone
///    still travelling re-plans from where they stand (someone on a link finishes it first);
///    someone with no route left waits where they are (stranded) until the next change;
///    with an outside option, a plan also offers not going (utility −θ (c₀ + margin), c₀ the
///    cheapest cost from where they stand without interventions, as in `simulate`): chosen
///    before setting out, the person stays home (deterred, for good); chosen on the way, they
///    wait where they stand (stranded) until the next change;
/// 2. the day's departures set out;
/// 3. everyone travels `travelHoursPerDay` hours along their route, each link taking the cost
///    model's hours (length / speed of its mode, plus the wait before a border or sea
///    crossing). At the start of a link that is actually closed they wait (they have not
///    heard), and someone on a link when it closes is turned back to its start; at a crossing with a detection probability p they make one attempt a day,
///    turned back with probability p, giving up after `retryLimit` failures; at a crossing with
///    a daily capacity they queue, admitted in person order up to the capacity, crossing the
///    next day.
///
/// Random draws come from per-person streams keyed by (seed, person, day) (`CounterRandom`),
/// and people are processed in contiguous blocks whose tallies are added in block order, so
/// the output is identical whatever the number of threads.
///
/// - Complexity: per day O(people + Σ link hops), plus one choice-set search
///   (`ShortestPathQuery.distinctPaths`) per new (place, destination, state) plan whose set
///   cannot be taken over from the pair's plan under an earlier state (`FixedChoiceSets.build(reusing:)`:
///   none of its searched paths touches an edge the change affects, nothing within reach got cheaper).
public final class JourneySimulation {
    public let input: JourneyInput
    public let settings: JourneySettings
    let graph: RoutingGraph
    /// Location index (`FleeScenarioInput(network:)` order: node ids ascending) of each graph node.
    let locationOfNode: [Int32]
    public let locations: FleeScenarioInput
    /// Hours to traverse each arc.
    let arcHours: [Float]
    /// Head node (graph index) of each arc.
    let arcHead: [Int32]
    let arcEdge: [Int32]
    /// Base detection probability of each arc (its surveillance level under the cost model).
    let baseDetection: [Double]

    let agents = AgentStore()
    var parallelGrain = 65_536

    // Interned routes (arcs, origin first).
    var pathStart: [Int32] = [0], pathArcs: [Int32] = []
    // Plans: alternatives of plan p are planStart[p]..<planStart[p+1], each a path and a cumulative share.
    var planStart: [Int32] = [0], planPath: [Int32] = [], planCumulative: [Double] = []
    /// Plan index by (state, place, destination).
    var planIndex: [PlanKey: Int32] = [:]
    let groups: LinkGroups
    /// Remaining fraction of a person of each capped arc's allowance (capacities are fractional per day).
    var capacityCarry: [Int32: Double] = [:]

    /// The classes of travellers of the departures (`Departure.userClass`), in order of first
    /// appearance; a person's class is an index into it (`AgentStore.userClass`).
    let classes: [String?]
    let classOf: [String?: UInt8]

    struct PlanKey: Hashable { var state: Int32; var node: Int32; var destination: Int32; var userClass: UInt8 }

    /// Path sentinels: `-1` needs a plan, then these.
    static let stranded: Int32 = -2, arrived: Int32 = -3, gaveUp: Int32 = -4, deterred: Int32 = -5
    /// The plan entry of the option not to go.
    static let notGoing: Int32 = -1
    /// `pathStep` of someone who has not set out yet (it is 0 from their first plan on).
    static let notSetOut = UInt16.max
    /// Cheapest cost without interventions by (place, destination): the outside option's c₀.
    var referenceCost: [PlanKey: Double] = [:]
    /// Every choice-set build so far, and by (place, destination) the latest holding that pair:
    /// re-planning under another network state takes a set over from it when it cannot differ.
    var builds: [Int: FixedChoiceSets] = [:], buildCount = 0
    var latestBuild: [PlanKey: Int] = [:]
    /// Builds kept for taking over (each holds the network's edge features).
    static let buildsKept = 4
    /// Plans whose choice set was searched, and taken over from another state's build.
    public private(set) var plansSearched = 0, plansTakenOver = 0
    /// Whether plans take sets over from earlier states (off: every plan searched; for checks).
    var reusesChoiceSets = true

    public init(input: JourneyInput, settings: JourneySettings = JourneySettings()) throws {
        self.input = input
        self.settings = settings
        let costed = input.costed
        graph = costed.graph
        locations = FleeScenarioInput(network: costed.network)
        var locationOfId: [Int64: Int32] = [:]
        for (i, id) in Self.locationIds(costed.network).enumerated() { locationOfId[id] = Int32(i) }
        locationOfNode = graph.nodeIds.map { locationOfId[$0]! }
        arcHead = graph.arcHead.array
        arcEdge = graph.arcEdge.array
        let p = costed.parameters
        arcHours = graph.arcEdge.map { row in
            let a = costed.attributes[Int(row)]
            var hours = a.lengthKm / (a.isScheduledBoat ? p.ferrySpeedKmh : a.isSea ? p.seaSpeedKmh : p.landSpeedKmh)
            switch a.kind {
            case .border: hours += p.borderWaitHours
            case .sea: hours += p.seaWaitHours
            // A scheduled flight (about 800 km/h) after the wait of a priced crossing (visa, booking).
            case .air: hours = a.lengthKm / 800 + p.borderWaitHours
            case .ferry, .leg: break
            }
            return Float(max(hours, 0))
        }
        baseDetection = graph.arcEdge.map { costed.attributes[Int($0)].detectionProbability }
        groups = try costed.corridorGroups()
        guard input.departures.count >= input.days else {
            throw ContractError("departures cover \(input.departures.count) days, \(input.days) are simulated",
                                function: "JourneySimulation.init", argument: "input.departures")
        }
        guard settings.travelHoursPerDay > 0, settings.travelHoursPerDay.isFinite else {
            throw ContractError("travel hours per day \(settings.travelHoursPerDay) must be positive",
                                function: "JourneySimulation.init", argument: "settings.travelHoursPerDay")
        }
        guard settings.informationDelay >= 0, settings.retryLimit >= 0 else {
            throw ContractError("information delay and retry limit must not be negative",
                                function: "JourneySimulation.init", argument: "settings")
        }
        var classes: [String?] = [], classIndex: [String?: Int] = [:]
        for d in input.departures.joined() where classIndex[d.userClass] == nil {
            guard classes.count <= Int(UInt8.max) else {
                throw ContractError("more than \(Int(UInt8.max) + 1) classes of travellers", function: "JourneySimulation.init",
                                    argument: "input.departures")
            }
            classIndex[d.userClass] = classes.count
            classes.append(d.userClass)
        }
        self.classes = classes
        classOf = classIndex.mapValues { UInt8($0) }
        for d in input.departures.joined() {
            for id in [d.origin, d.destination] where graph.index(of: id) == nil {
                throw ContractError("node \(id) is not in the network", function: "JourneySimulation.init",
                                    argument: "input.departures")
            }
        }
    }

    /// Node ids in the order of `FleeScenarioInput(network:)`.
    static func locationIds(_ network: RouteNetwork) -> [Int64] {
        var ids = Set<Int64>()
        for row in 0..<network.edges.count { ids.insert(network.edges.sources[row]); ids.insert(network.edges.targets[row]) }
        ids.formUnion(network.nodeProperties.keys)
        return ids.sorted()
    }

    // MARK: Results

    /// What happened each day, for the whole population.
    public struct DailyStatus: Hashable, Sendable {
        /// People whose journey began that day (the day's demand; deterred ones included).
        public var departed = 0
        /// On a link at the end of the day.
        public var travelling = 0
        /// Waiting at a crossing that is closed without their knowing, or queued at a capped one.
        public var waiting = 0
        /// Of those waiting, queued at a crossing with a daily capacity.
        public var queued = 0
        /// Waiting where they stand with no open route they know of.
        public var stranded = 0
        /// Failed attempts (turned back) that day.
        public var retries = 0
        /// Attempts at crossings with a detection probability that succeeded that day.
        public var crossed = 0
        /// Reached their destination (cumulative).
        public var arrived = 0
        /// Gave up after `retryLimit` failures at one crossing (cumulative).
        public var gaveUp = 0
        /// Re-planned that day after news of a change.
        public var replanned = 0
        /// Chose the option not to go when planning before setting out (cumulative).
        public var deterred = 0
        public init() {}
    }

    private(set) var counts: [[Int32]] = []
    private(set) var crossings: [[Int32]] = []
    private(set) var totals: [Int] = []
    public private(set) var status: [DailyStatus] = []
    private var arrivedSoFar = 0, gaveUpSoFar = 0, deterredSoFar = 0

    public var day: Int { status.count }
    public var agentCount: Int { agents.count }

    /// Where person `i` is: at a node (its id), or on the edge row toward a node, hours along it.
    public enum Position: Hashable, Sendable {
        case at(Int64)
        case onEdge(row: Int, toward: Int64, hours: Double)
    }

    public func position(of i: Int) -> Position {
        let a = Int(agents.arc[i])
        guard a >= 0 else { return .at(graph.externalId(of: agents.node[i])) }
        return .onEdge(row: Int(arcEdge[a]), toward: graph.externalId(of: arcHead[a]), hours: Double(agents.onLink[i]))
    }

    /// Failed attempts of person `i` at the crossing ahead.
    public func attempts(of i: Int) -> Int { Int(agents.trips[i]) }

    /// The result in the layout the agent report files read.
    public var result: FleeSimulation.Result {
        let destinations = Set(input.departures.joined().map { locationOfNode[Int(graph.index(of: $0.destination)!)] })
        var r = FleeSimulation.Result(
            names: locations.locations.map(\.name), campIndices: destinations.sorted().map(Int.init),
            routeCount: graph.edgeCount, startDay: input.startDay.ordinal, counts: counts, crossings: crossings,
            totals: totals, refugeesRaw: totals.map { _ in 0 }, refugeeDebt: totals.map { _ in 0 },
            observed: counts.map { _ in Array(repeating: nil, count: destinations.count) }, agentCount: agents.count,
            bytesPerAgent: AgentStore.bytesPerAgent)
        r.journeys = status
        r.dateOffset = 0
        r.segmentLabels = (0..<graph.edgeCount).map { row in
            input.costed.network.edgeAttributes?.segment[row] ?? String(input.costed.network.edges.ids[row])
        }
        return r
    }

    /// Runs the remaining days; `progress(day, days)` after each.
    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> FleeSimulation.Result {
        while day < input.days {
            try advance()
            progress?(day, input.days)
        }
        return result
    }

    // MARK: One day

    /// Simulates the next day.
    public func advance() throws {
        let t = day
        var today = DailyStatus()
        let known = Int32(input.stateOfDay(t - settings.informationDelay))
        if t > 0, known != Int32(input.stateOfDay(t - 1 - settings.informationDelay)) {
            today.replanned = forgetPlans()
        }
        for d in input.departures[t] where d.people > 0 {
            let o = graph.index(of: d.origin)!, dest = graph.index(of: d.destination)!, userClass = classOf[d.userClass]!
            try agents.reserve(d.people)
            for _ in 0..<d.people {
                agents.append(at: o, home: dest, userClass: userClass)
                agents.pathStep[agents.count - 1] = Self.notSetOut
            }
            today.departed += d.people
        }
        try plan(state: known)
        let actual = input.stateOfDay(t)
        let state = input.states[actual]
        var open = [UInt8](repeating: 1, count: graph.arcCount)
        var detection = baseDetection
        var capped = [UInt8](repeating: 0, count: graph.arcCount)
        for a in 0..<graph.arcCount where state.overlay.cost(ofArc: Int32(a)) == .infinity { open[a] = 0 }
        for (a, p) in state.detection { detection[Int(a)] = p }
        for row in state.capacities.keys {
            for a in [graph.edgeForwardArc[row], graph.edgeBackwardArc[row]] where a >= 0 { capped[Int(a)] = 1 }
        }
        let n = agents.count
        let blocks = n < parallelGrain || settings.threads == 1 ? 1 : min(settings.threads * 4, max(1, n / max(parallelGrain / 4, 1)))
        let per = (n + blocks - 1) / max(blocks, 1)
        let edgeCount = graph.edgeCount
        let move = JourneyDay(key: CounterRandom.key(seed: settings.seed, counter: UInt64(t)),
                              hours: Float(settings.travelHoursPerDay), retryLimit: settings.retryLimit,
                              known: known, s: AgentColumns(agents))
        let tallies: [(crossings: [Int32], status: DailyStatus, pending: [Int32])] =
            arcHours.withUnsafeBufferPointer { arcHours in
            arcHead.withUnsafeBufferPointer { arcHead in
            arcEdge.withUnsafeBufferPointer { arcEdge in
            open.withUnsafeBufferPointer { open in
            detection.withUnsafeBufferPointer { detection in
            capped.withUnsafeBufferPointer { capped in
            pathStart.withUnsafeBufferPointer { pathStart in
            pathArcs.withUnsafeBufferPointer { pathArcs in
            planStart.withUnsafeBufferPointer { planStart in
            planPath.withUnsafeBufferPointer { planPath in
            planCumulative.withUnsafeBufferPointer { planCumulative in
                let g = JourneyGraph(arcHours: arcHours, arcHead: arcHead, arcEdge: arcEdge, open: open, detection: detection,
                                     capped: capped, pathStart: pathStart, pathArcs: pathArcs, planStart: planStart,
                                     planPath: planPath, planCumulative: planCumulative)
                let plans = PlanLookup(self.planIndex, state: known)
                return Parallel.map(count: blocks, workers: settings.threads, state: { () }) { _, b in
                    var crossings = [Int32](repeating: 0, count: edgeCount)
                    var status = DailyStatus()
                    var pending: [Int32] = []
                    let lo = b * per, hi = min(n, lo + per)
                    if lo < hi {
                        crossings.withUnsafeMutableBufferPointer { c in
                            for i in lo..<hi { move.move(i, g, plans, c.baseAddress!, &status, &pending) }
                        }
                    }
                    return (crossings, status, pending)
                }
            }}}}}}}}}}}
        var dayCrossings = [Int32](repeating: 0, count: edgeCount)
        for tally in tallies {
            for r in 0..<edgeCount { dayCrossings[r] &+= tally.crossings[r] }
            today.waiting += tally.status.waiting
            today.stranded += tally.status.stranded
            today.retries += tally.status.retries
            today.crossed += tally.status.crossed
            arrivedSoFar += tally.status.arrived
            gaveUpSoFar += tally.status.gaveUp
            deterredSoFar += tally.status.deterred
        }
        admit(tallies.flatMap(\.pending), day: t, state: state, detection: detection, status: &today)
        gaveUpSoFar += today.gaveUp
        today.arrived = arrivedSoFar
        today.gaveUp = gaveUpSoFar
        today.deterred = deterredSoFar
        // People at each location, people on links.
        var here = [Int32](repeating: 0, count: locations.locations.count)
        var travelling = 0
        for i in 0..<n {
            if agents.arc[i] >= 0 { travelling += 1 } else { here[Int(locationOfNode[Int(agents.node[i])])] += 1 }
        }
        today.travelling = travelling
        counts.append(here)
        crossings.append(dayCrossings)
        totals.append(n)
        status.append(today)
    }

    /// After news of a change: everyone still on their way (or stranded) needs a new plan.
    private func forgetPlans() -> Int {
        var count = 0
        // `pathStep` is left alone: it is reset when a plan is taken, and marks who has not set out.
        for i in 0..<agents.count where agents.path[i] >= -1 || agents.path[i] == Self.stranded {
            agents.path[i] = -1
            count += 1
        }
        return count
    }

    /// Builds the plans people at a node without one will need today, in state `state`.
    private func plan(state: Int32) throws {
        var needed = Set<PlanKey>()
        for i in 0..<agents.count where agents.path[i] == -1 && agents.arc[i] < 0 && agents.node[i] != agents.home[i] {
            let key = PlanKey(state: state, node: agents.node[i], destination: agents.home[i], userClass: agents.userClass[i])
            if planIndex[key] == nil { needed.insert(key) }
        }
        guard !needed.isEmpty else { return }
        let keys = needed.sorted { ($0.node, $0.destination, $0.userClass) < ($1.node, $1.destination, $1.userClass) }
        // Each class's pairs: `FixedChoiceSets` closes the edges the entry rules bar to it, as in `simulate`.
        let pairs = keys.map { ODPair(origin: graph.externalId(of: $0.node), destination: graph.externalId(of: $0.destination),
                                      userClass: classes[Int($0.userClass)]) }
        let overlay = input.states[Int(state)].overlay
        // One build, against the earlier build that holds most of these pairs (planned under
        // another state): `FixedChoiceSets.build(reusing:)` takes their sets over where they
        // cannot differ and searches the rest.
        var holding: [Int: Int] = [:]
        if reusesChoiceSets {
            for key in keys {
                if let b = latestBuild[PlanKey(state: -1, node: key.node, destination: key.destination, userClass: key.userClass)] { holding[b, default: 0] += 1 }
            }
        }
        let earlier = holding.max { ($0.value, $1.key) < ($1.value, $0.key) }.flatMap { builds[$0.key] }
        let sets = try FixedChoiceSets.build(costed: input.costed, pairs: pairs, rule: input.rule,
                                             overlay: overlay.isEmpty ? nil : overlay, counter: { _, _ in [] },
                                             workers: settings.threads, reusing: earlier)
        plansTakenOver += sets.reusedSets
        plansSearched += keys.count - sets.reusedSets
        let id = buildCount
        buildCount += 1
        builds[id] = sets
        builds[id - Self.buildsKept] = nil
        for key in keys { latestBuild[PlanKey(state: -1, node: key.node, destination: key.destination, userClass: key.userClass)] = id }
        let references = try referenceCosts(keys)
        for (key, pair) in zip(keys, pairs) {
            let alternatives = sets.alternatives(of: pair) ?? []
            let (shares, stay) = FixedSetLogit.shares(of: pair, sets: sets, parameters: input.costed.parameters, theta: input.theta,
                                                      outsideOption: input.outsideOption, reference: references[key]) ?? ([], 0)
            var sum = 0.0
            for (alternative, share) in zip(alternatives, shares) {
                pathArcs.append(contentsOf: alternative.arcs)
                pathStart.append(Int32(pathArcs.count))
                planPath.append(Int32(pathStart.count - 2))
                sum += share
                planCumulative.append(sum)
            }
            if !alternatives.isEmpty && stay > 0 {
                planPath.append(Self.notGoing)
                planCumulative.append(sum + stay)
            }
            if let last = planCumulative.indices.last, !alternatives.isEmpty { planCumulative[last] = .infinity }
            planStart.append(Int32(planPath.count))
            planIndex[key] = Int32(planStart.count - 2)
        }
    }

    /// c₀ of the outside option for each key: the cheapest cost from its place to its destination
    /// with no intervention, the edges the entry rules bar to its class closed (the network's
    /// `baseOverlay` for the class; one search per new (place, destination, class), kept across
    /// states); empty without an outside option.
    private func referenceCosts(_ keys: [PlanKey]) throws -> [PlanKey: Double] {
        guard input.outsideOption != nil else { return [:] }
        var out: [PlanKey: Double] = [:]
        let missing = Array(Set(keys.map { PlanKey(state: -1, node: $0.node, destination: $0.destination, userClass: $0.userClass) })
            .filter { referenceCost[$0] == nil })
            .sorted { ($0.node, $0.destination, $0.userClass) < ($1.node, $1.destination, $1.userClass) }
        let graph = self.graph
        let network = input.costed.network, asOf = input.costed.asOf.flatMap { CalendarDay(parsing: $0) }
        let barred = Set(missing.map(\.userClass)).sorted().map { c in
            (c, network.baseOverlay(includeClosed: true, asOf: asOf, userClass: classes[Int(c)]))
        }
        let overlayOf = Dictionary(uniqueKeysWithValues: barred)
        let found = try Parallel.map(count: missing.count, workers: settings.threads, state: { ShortestPathQuery(graph: graph) }) { query, i in
            try query.shortestPath(from: graph.externalId(of: missing[i].node), to: graph.externalId(of: missing[i].destination),
                                   overlay: overlayOf[missing[i].userClass]!)?.totalCost
        }
        for (key, cost) in zip(missing, found) { referenceCost[key] = cost ?? .infinity }
        for key in keys {
            let c = referenceCost[PlanKey(state: -1, node: key.node, destination: key.destination, userClass: key.userClass)]!
            if c.isFinite { out[key] = c }
        }
        return out
    }

    /// Queued people at capped crossings, in person order: admitted while the day's allowance
    /// lasts (then an attempt if the crossing has a detection probability); the rest wait.
    private func admit(_ pending: [Int32], day t: Int, state: JourneyNetworkState, detection: [Double], status: inout DailyStatus) {
        guard !pending.isEmpty || !state.capacities.isEmpty else { return }
        var allowance: [Int32: Int] = [:]
        let calendar = input.startDay.adding(days: t).civil
        for (row, perPeriod) in state.capacities.sorted(by: { $0.key < $1.key }) {
            let rate = input.capacityPerMonth ? perPeriod / Double(CalendarDay.days(year: calendar.year, month: calendar.month)) : perPeriod
            for a in [graph.edgeForwardArc[row], graph.edgeBackwardArc[row]] where a >= 0 {
                let carried = capacityCarry[a, default: 0] + rate
                let whole = Int(carried.rounded(.down))
                capacityCarry[a] = carried - Double(whole)
                allowance[a] = whole
            }
        }
        let key = CounterRandom.key(seed: settings.seed ^ 0xA5A5_5A5A_C3C3_3C3C, counter: UInt64(t))
        let columns = AgentColumns(agents)
        for i32 in pending {
            let i = Int(i32)
            let p = Int(agents.path[i])
            let next = pathArcs[Int(pathStart[p]) + Int(agents.pathStep[i])]
            guard let left = allowance[next], left > 0 else {
                status.waiting += 1; status.queued += 1
                continue
            }
            allowance[next] = left - 1
            var rng = CounterRandom(key: key, stream: UInt64(i))
            _ = columns.attempt(i, onto: next, detection: detection[Int(next)], rng: &rng,
                                retryLimit: settings.retryLimit, status: &status)
        }
    }
}

extension AgentColumns {
    /// Person `i`, at the tail of arc `next`, tries to enter it: with a detection probability
    /// above 0 one draw from `rng` decides; a failed attempt is retried tomorrow, or given up
    /// once `retryLimit` attempts have failed. Returns whether the person is now on the arc.
    /// Serves both the parallel day pass and the admission at capped crossings.
    @inline(__always)
    func attempt(_ i: Int, onto next: Int32, detection chance: Double, rng: inout CounterRandom,
                 retryLimit: Int, status: inout JourneySimulation.DailyStatus) -> Bool {
        if chance > 0 {
            if rng.uniform() < chance {
                status.retries += 1
                if Int(trips[i]) >= retryLimit {
                    path[i] = JourneySimulation.gaveUp
                    status.gaveUp += 1
                } else {
                    trips[i] += 1
                }
                return false
            }
            status.crossed += 1
        }
        trips[i] = 0
        arc[i] = next
        onLink[i] = 0
        pathStep[i] += 1
        return true
    }
}

/// Plans of one state for the parallel pass (read-only).
struct PlanLookup: @unchecked Sendable {
    let index: [JourneySimulation.PlanKey: Int32]
    let state: Int32
    init(_ index: [JourneySimulation.PlanKey: Int32], state: Int32) { self.index = index; self.state = state }
    @inline(__always)
    func plan(node: Int32, destination: Int32, userClass: UInt8) -> Int32? {
        index[JourneySimulation.PlanKey(state: state, node: node, destination: destination, userClass: userClass)]
    }
}

/// Read-only views of the arcs, today's network state and the plans.
struct JourneyGraph: @unchecked Sendable {
    let arcHours: UnsafeBufferPointer<Float>, arcHead: UnsafeBufferPointer<Int32>, arcEdge: UnsafeBufferPointer<Int32>
    let open: UnsafeBufferPointer<UInt8>, detection: UnsafeBufferPointer<Double>, capped: UnsafeBufferPointer<UInt8>
    let pathStart: UnsafeBufferPointer<Int32>, pathArcs: UnsafeBufferPointer<Int32>
    let planStart: UnsafeBufferPointer<Int32>, planPath: UnsafeBufferPointer<Int32>, planCumulative: UnsafeBufferPointer<Double>
}

/// One person's day under the RouteShift rules.
struct JourneyDay: @unchecked Sendable {
    let key: UInt64
    let hours: Float
    let retryLimit: Int
    let known: Int32
    let s: AgentColumns

    @inline(__always)
    func move(_ i: Int, _ g: JourneyGraph, _ plans: PlanLookup, _ crossings: UnsafeMutablePointer<Int32>,
              _ status: inout JourneySimulation.DailyStatus, _ pending: inout [Int32]) {
        let path = s.path[i]
        if path == JourneySimulation.arrived || path == JourneySimulation.gaveUp || path == JourneySimulation.deterred { return }
        if path == JourneySimulation.stranded { status.stranded += 1; return }
        var rng = CounterRandom(key: key, stream: UInt64(i))
        if s.arc[i] < 0 && path == -1 && s.node[i] != s.home[i] {
            // Plan from here (plans for today were built before the pass).
            guard let p = plans.plan(node: s.node[i], destination: s.home[i], userClass: s.userClass[i]) else { return }
            let lo = Int(g.planStart[Int(p)]), hi = Int(g.planStart[Int(p) + 1])
            guard lo < hi else {
                s.path[i] = JourneySimulation.stranded
                status.stranded += 1
                return
            }
            let u = rng.uniform()
            var a = lo
            while g.planCumulative[a] <= u { a += 1 }
            guard g.planPath[a] != JourneySimulation.notGoing else {
                // Not going: before setting out they stay home; on the way they wait here.
                if s.pathStep[i] == JourneySimulation.notSetOut {
                    s.path[i] = JourneySimulation.deterred
                    status.deterred += 1
                } else {
                    s.path[i] = JourneySimulation.stranded
                    status.stranded += 1
                }
                return
            }
            s.path[i] = g.planPath[a]
            s.pathStep[i] = 0
        }
        var budget = hours
        while true {
            if s.arc[i] < 0 {
                if s.node[i] == s.home[i] {
                    s.path[i] = JourneySimulation.arrived
                    status.arrived += 1
                    return
                }
                let p = Int(s.path[i])
                // Heard of a change while on a link: re-plan tomorrow.
                if p < 0 { return }
                let next = g.pathArcs[Int(g.pathStart[p]) + Int(s.pathStep[i])]
                if g.open[Int(next)] == 0 { status.waiting += 1; return }
                if g.capped[Int(next)] != 0 { pending.append(Int32(i)); return }
                guard s.attempt(i, onto: next, detection: g.detection[Int(next)], rng: &rng,
                                retryLimit: retryLimit, status: &status) else { return }
            }
            let a = Int(s.arc[i])
            if g.open[a] == 0 {
                // Closed while on it (a border's hours are mostly the wait before crossing):
                // turned back to where the link starts, to try it again.
                s.arc[i] = -1
                s.onLink[i] = 0
                if s.path[i] >= 0 { s.pathStep[i] -= 1 }
                status.waiting += 1
                return
            }
            let need = g.arcHours[a] - s.onLink[i]
            if budget < need {
                s.onLink[i] += budget
                return
            }
            budget -= need
            s.node[i] = g.arcHead[a]
            s.arc[i] = -1
            s.onLink[i] = 0
            crossings[Int(g.arcEdge[a])] &+= 1
            if budget <= 0 {
                // The day ended at the end of the link: arrived if it was the last.
                if s.node[i] == s.home[i] {
                    s.path[i] = JourneySimulation.arrived
                    status.arrived += 1
                }
                return
            }
        }
    }
}
