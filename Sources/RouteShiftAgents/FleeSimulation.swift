import Dispatch
import Foundation
import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork

/// Flee's agent-based displacement model (Suleimenova, Bell, Groen 2017, "A generalized
/// simulation development approach for predicting refugee destinations", Sci. Rep.
/// 7:13377; Groen et al., Flee 3) on a location graph, day by day, following the code of
/// Flee at commit 02cd2cbd.
///
/// Each day: conflict onsets and ends from `conflicts.csv`; spawning (from the validation
/// totals as Flee's `run.py` does, or from conflicts); closures starting or lifted that
/// day; then every person not on a link moves with their location's move chance, picking
/// a route among the paths up to the awareness level weighted by
/// `((softening_w + score) / (softening + km)^distance_power × capacity factor)^weight_power`,
/// and people on links advance at the day's speed, hopping on while the day's distance
/// allows. Where this differs from Flee's code, on purpose:
/// - link closures from `closures.csv` close both directions of the link (Flee compares
///   names by identity there, so they never take effect);
/// - camp capacity is hard: people arriving at a full camp are turned back to the start of
///   the link and re-plan (Flee lets everyone already on a link in, overshooting);
/// - occupancy used in route weights and the full-camp rule is the count at the start of
///   the day (Flee updates it agent by agent, in list order); this makes a day's moves
///   independent of agent order, so they run in parallel;
/// - someone admitted to a capacity-limited camp stops there for the day;
/// - a `forced_redirection` of 1 in routes.csv adds the link once (Flee's `linkUp` adds it
///   twice, doubling its weight); awareness levels below 1 are read as 1 (Flee's level 0
///   returns a link index its route follower never matches, so nobody moves).
///
/// Who leaves a location: Flee draws once per person (`random() < movechance`). Here the
/// people at a location without a route, interchangeable under these rules (nothing else about
/// them is read), are a count per location (a pool), and each day one binomial draw says how
/// many of them leave (one draw per person for pools of up to 16): the number leaving has
/// exactly Flee's distribution, as metapopulation mobility models draw the travellers of a
/// place (Balcan et al. 2009, "Multiscale mobility networks and the spatial spreading of
/// infectious diseases", PNAS 106:21484). The leavers then share out over the routes by
/// conditional binomial draws (a multinomial, as each would choose alone) and travel as groups,
/// split again wherever Flee would draw per person; only groups still travelling at the end of
/// the day (on a link, or holding a route) keep a record. So a day costs what the groups cost,
/// not the people: 4 million people cost about what 400,000 do. With `start_on_foot` the first
/// link is walked, so people who have not travelled yet have a pool of their own.
///
/// Where Flee's comments and code disagree, the code is followed: after completing a link
/// within the day, the next link is advanced by a full day's distance (the comment says
/// the distance already travelled counts), so a day can cover two links of 200 and 250 km
/// at 360 km/day; and out.csv's row for day t is dated start + t + 1.
///
/// - Complexity: per day O(locations + Σ candidate routes + leavers + travellers + arrivals at
///   capacity-limited camps), in parallel; people staying where they are cost nothing.
public final class FleeSimulation {
    public let settings: FleeSettings
    public let seed: UInt64
    public let days: Int
    public let startDay: Int
    public let threads: Int

    // Locations (index = row of locations.csv).
    public let names: [String]
    let countries: [String]
    var camp: [Bool], idpCamp: [Bool], town: [Bool], marker: [Bool]
    var moveChance: [Double], conflict: [Double], timeOfConflict: [Int]
    var capacity: [Int], population: [Int]
    let foreign: [Bool]
    var score: [Double]
    /// Locations that are camps when the simulation starts, in file order (Flee's `get_camp_names`).
    public let campIndices: [Int]

    // Directed links, grouped by origin in Flee's order (route i gives i's a→b to a, b→a to b).
    let arcStart: [Int32], arcSource: [Int32], arcTarget: [Int32], arcDistance: [Float], arcRoute: [Int32]
    var arcOpen: [UInt8]
    public let routeCount: Int

    // Interned routes (sequences of locations, origin excluded).
    var pathStart: [Int32] = [0], pathNodes: [Int32] = []
    private var pathIndex: [[Int32]: Int32] = [:]
    // Candidate routes per location: candidates of location l are candStart[l]..<candStart[l+1].
    var candStart: [Int32] = [], candPath: [Int32] = [], candEnd: [Int32] = [], candKm: [Double] = []
    /// 1 / (softening + km)^distance_power of each candidate (fixed until the routes change).
    var candDistanceTerm: [Double] = []
    /// The link each candidate's first step takes.
    var candFirstArc: [Int32] = []
    var candCumulative: [Double] = []
    private var candidatesStale = true

    /// People still travelling at the end of a day (on a link, or holding a route: a multi-step
    /// path, or sent back by a closure with their route kept), as groups of people who share
    /// every part of their state. Everyone else is in `pools`.
    var travellers: [Walker] = []
    /// Per work item of the day pass, the groups still travelling at the end of the day and
    /// those waiting for admission to a capacity-limited location.
    private let itemOutputs = ItemOutputs()
    /// People at each location without a route, interchangeable under these rules (no other
    /// state is read): `pools[l]`; with `start_on_foot`, those who have not walked a link yet are
    /// in `pools[locationCount + l]` (their first link is walked).
    var pools: [Int32]
    /// People in the simulation.
    public private(set) var agentCount = 0
    /// People at each location (not on a link).
    var counts: [Int32]
    /// The day pass's packed tables, refilled each day.
    private var placesToday: [PlaceToday] = [], linksToday: [LinkToday] = [], candidatesToday: [CandidateToday] = []
    /// Per worker: completed links per route, change of people per location and per pool (summed after the pass).
    private var tallyBuffer = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var tallyCapacity = 0

    let input: FleeScenarioInput
    let validation: ValidationData?
    /// Validation series index of each location, if it has one.
    let seriesOf: [Int?]
    private var refugeeDebt = 0
    private var refugeesRaw = 0

    /// Sets up the model; checks location types, camp capacities, closures (inside the
    /// simulated period) and conflict rows (one per simulated day).
    public init(input: FleeScenarioInput, settings: FleeSettings = .reference, validation: ValidationData? = nil,
                seed: UInt64 = 0, days: Int, startDay: Int, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        self.input = input
        self.settings = settings
        self.seed = seed
        self.days = days
        self.startDay = startDay
        self.threads = max(1, threads)
        self.validation = validation
        let locationsPath = input.directory + "/locations.csv"
        let rows = input.locations
        guard !rows.isEmpty else { throw InputError("no locations", at: InputLocation(file: locationsPath)) }
        let n = rows.count
        names = rows.map(\.name)
        countries = rows.map(\.country)
        let home = rows[0].country
        foreign = rows.map { $0.country != home }
        camp = .init(repeating: false, count: n); idpCamp = camp; town = camp; marker = camp
        moveChance = .init(repeating: 1, count: n); conflict = .init(repeating: -1, count: n)
        timeOfConflict = .init(repeating: -1, count: n)
        capacity = .init(repeating: -1, count: n); population = .init(repeating: 0, count: n)
        score = .init(repeating: 1, count: n)
        counts = .init(repeating: 0, count: n)
        pools = .init(repeating: 0, count: settings.startOnFoot ? 2 * n : n)
        let scale = max(settings.populationScaleDownFactor, 1)
        for (i, row) in rows.enumerated() {
            var type = row.locationType.lowercased()
            let at = InputLocation(file: locationsPath, line: row.line, path: "location_type")
            if type.contains("conflict") {
                guard let date = Int(row.conflictDate.isEmpty ? "0" : row.conflictDate) else {
                    throw InputError("conflict_date '\(row.conflictDate)' is not a day number",
                                     at: InputLocation(file: locationsPath, line: row.line, path: "conflict_date"))
                }
                if date > 0 { type = "town" }
            }
            let populationText = row.population
            let value: Int
            if populationText.isEmpty {
                guard !type.contains("camp") else {
                    throw InputError("camp '\(row.name)' has no capacity (population column)",
                                     at: InputLocation(file: locationsPath, line: row.line, path: "population"))
                }
                value = 0
            } else {
                guard let v = Int(populationText), v >= 0 else {
                    throw InputError("population '\(populationText)' is not a whole number",
                                     at: InputLocation(file: locationsPath, line: row.line, path: "population"))
                }
                value = v / scale
            }
            if type.contains("camp") {
                capacity[i] = value
                camp[i] = true
                moveChance[i] = settings.campMoveChance
                if type.contains("idp") { idpCamp[i] = true; moveChance[i] = settings.idpCampMoveChance }
            } else {
                population[i] = value
                if type.contains("conflict") {
                    moveChance[i] = settings.conflictMoveChance
                    conflict[i] = 1
                } else if type.contains("forward") {
                    moveChance[i] = 1
                } else if type.contains("marker") {
                    moveChance[i] = 1; marker[i] = true
                } else if type.contains("default") || type.contains("town") {
                    town[i] = true; moveChance[i] = settings.defaultMoveChance
                } else {
                    throw InputError("unknown location type '\(row.locationType)'", at: at,
                                     suggestions: NearestMatch.suggestions(for: row.locationType,
                                                                          among: ["camp", "idpcamp", "conflict_zone", "town", "forwarding_hub", "marker"]))
                }
            }
            // Flee tags a location as a camp when people hardly ever leave it.
            if moveChance[i] < 0.005, !camp[i] { camp[i] = true; town[i] = false }
        }
        var camps: [Int] = []
        for i in 0..<n where camp[i] { camps.append(i) }
        campIndices = camps

        // Links: Flee's linkUp appends a→b to a's list and b→a to b's, route by route.
        var index: [String: Int32] = [:]
        for (i, row) in rows.enumerated() { index[row.name] = Int32(i) }
        var outgoing = [[(target: Int32, km: Float, route: Int32)]](repeating: [], count: n)
        for (r, route) in input.routes.enumerated() {
            let a = index[route.name1]!, b = index[route.name2]!
            outgoing[Int(a)].append((b, Float(route.distance), Int32(r)))
            outgoing[Int(b)].append((a, Float(route.distance), Int32(r)))
        }
        routeCount = input.routes.count
        var start: [Int32] = [0], source: [Int32] = [], target: [Int32] = [], km: [Float] = [], routeOf: [Int32] = []
        for (l, links) in outgoing.enumerated() {
            for link in links { source.append(Int32(l)); target.append(link.target); km.append(link.km); routeOf.append(link.route) }
            start.append(Int32(target.count))
        }
        arcStart = start; arcSource = source; arcTarget = target; arcDistance = km; arcRoute = routeOf
        arcOpen = .init(repeating: 1, count: target.count)

        // Closures must start inside the simulated period.
        let period = max(days, input.length ?? 0)
        for c in input.closures {
            let at = InputLocation(file: input.directory + "/closures.csv", line: c.line)
            guard (0..<period).contains(c.start) else {
                throw InputError("closure starts on day \(c.start), outside the simulated days 0-\(period - 1)", at: at)
            }
            guard c.end >= 0 else { throw InputError("closure ends on day \(c.end), before day 0", at: at) }
        }
        if let conflicts = input.conflicts, conflicts.intensity.count < days {
            throw InputError("has rows for days 0-\(conflicts.intensity.count - 1) but \(days) days are simulated",
                             at: InputLocation(file: input.directory + "/conflicts.csv"))
        }
        seriesOf = rows.map { validation?.index(of: $0.name) }
        if validation == nil, settings.conflictSpawning == nil {
            throw InputError("spawning follows the validation totals, so a validation directory is needed (or conflict-driven spawning in the settings)",
                             at: InputLocation(file: input.directory))
        }
    }

    // MARK: Running

    /// What the simulation recorded.
    public struct Result: Sendable {
        public var names: [String]
        public var campIndices: [Int]
        public var routeCount: Int
        public var startDay: Int
        /// `counts[day][location]`: people at each location at the end of the day.
        public var counts: [[Int32]]
        /// `crossings[day][route]`: people who completed a link of each route that day (both directions).
        public var crossings: [[Int32]]
        /// People in the simulation (at locations or on links) at the end of each day.
        public var totals: [Int]
        /// Flee's `refugees_raw` and `refugee_debt` after each day's spawning.
        public var refugeesRaw: [Int], refugeeDebt: [Int]
        /// Validation counts per day per camp (nil where the camp has no series).
        public var observed: [[Int?]]
        public var agentCount: Int
        public var bytesPerAgent: Int
        /// Row t is dated `startDay + t + dateOffset`: 1 under the Flee rules (Flee prints the
        /// date after advancing its clock), 0 for journeys.
        public var dateOffset = 1
        /// Journeys only: what happened each day (departures, waiting, stranded, retries, …).
        public var journeys: [JourneySimulation.DailyStatus]? = nil
        /// Journeys only: the id written for each route (its segment id, else its edge id);
        /// nil: the route's row in routes.csv, from 1.
        public var segmentLabels: [String]? = nil
    }

    deinit { tallyBuffer.deallocate() }

    private var started = false
    private var recorded: Result?

    /// What has been recorded so far.
    public var result: Result {
        recorded ?? Result(names: names, campIndices: campIndices, routeCount: routeCount, startDay: startDay, counts: [],
                           crossings: [], totals: [], refugeesRaw: [], refugeeDebt: [], observed: [], agentCount: agentCount,
                           bytesPerAgent: bytesPerAgent)
    }

    /// Days simulated so far.
    public var day: Int { recorded?.counts.count ?? 0 }

    /// Bytes of people's state per person, rounded up: the pools' counts and the travelling
    /// groups (`MemoryLayout<Walker>.stride` each, with the day pass's lists).
    public var bytesPerAgent: Int {
        let bytes = 4 * pools.count + MemoryLayout<Walker>.stride * (travellers.capacity + itemOutputs.capacity)
        return max(1, (bytes + agentCount - 1) / max(agentCount, 1))
    }

    /// Where a person is: at a location, or on the link from one to another, km along it.
    public enum Position: Hashable, Sendable {
        case at(String)
        case onLink(from: String, to: String, km: Double)
    }

    /// Where person `agent` is, numbering people as follows: first those at a location without a
    /// route, location by location in file order (with `start_on_foot`, at each location those
    /// who have walked a link before those who have not), then the travelling groups in their order.
    ///
    /// - Complexity: O(locations + travelling groups).
    public func position(of agent: Int) -> Position {
        var k = agent
        let n = names.count
        for l in 0..<n {
            for p in stride(from: l, to: pools.count, by: n) {
                if k < Int(pools[p]) { return .at(names[l]) }
                k -= Int(pools[p])
            }
        }
        for w in travellers {
            guard k >= Int(w.count) else {
                guard w.arc >= 0 else { return .at(names[Int(w.node)]) }
                return .onLink(from: names[Int(arcSource[Int(w.arc)])], to: names[Int(arcTarget[Int(w.arc)])], km: Double(w.onLink))
            }
            k -= Int(w.count)
        }
        preconditionFailure("no person \(agent) (\(agentCount) people)")
    }

    /// Puts `n` people at location `name` before the next day (e.g. an initial population).
    public func place(_ n: Int, at name: String) throws {
        guard let i = names.firstIndex(of: name) else {
            throw InputError("unknown location '\(name)'", suggestions: NearestMatch.suggestions(for: name, among: names))
        }
        try add(n, at: i)
    }

    /// Simulates the next day.
    public func advance() throws {
        if !started { try insertInitialRefugees(); started = true }
        if recorded == nil { recorded = result }
        let t = day
        updateConflicts(day: t)
        try spawn(day: t)
        enactClosures(day: t)
        let crossings = evolve(day: t)
        recorded!.counts.append(counts)
        recorded!.crossings.append(crossings)
        recorded!.totals.append(agentCount)
        recorded!.refugeesRaw.append(refugeesRaw)
        recorded!.refugeeDebt.append(refugeeDebt)
        recorded!.observed.append(campIndices.map { c in seriesOf[c].map { validation!.value($0, day: t) } })
        recorded!.agentCount = agentCount
        recorded!.bytesPerAgent = bytesPerAgent
    }

    /// Runs the remaining days up to `days`; `progress(day, days)` after each.
    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> Result {
        while day < days {
            try advance()
            progress?(day, days)
        }
        return result
    }

    /// Day-0 registrations placed in their camps (Flee's `add_initial_refugees`).
    func insertInitialRefugees() throws {
        guard settings.insertDayZeroRefugeesInCamps, let validation else { return }
        for c in campIndices {
            guard let k = seriesOf[c] else { continue }
            let n = validation.value(k, day: 0)
            try add(n, at: c, fromPopulation: false)
        }
    }

    /// Conflict onsets and ends of day `t` (Flee's `AddNewConflictZones`): a location becomes a
    /// conflict zone on the first day its intensity is positive and a town on the first day it is
    /// zero again; intensity changes in between are not applied (as in Flee).
    func updateConflicts(day t: Int) {
        if let table = input.conflicts {
            let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
            for (k, name) in table.names.enumerated() {
                let i = index[name]!
                let v = table.intensity[t][k]
                if v > 0.000001 {
                    if t == 0 || table.intensity[t - 1][k] < 0.000001 { addConflictZone(i, intensity: v, day: t) }
                } else if t > 0, table.intensity[t - 1][k] >= 0.000001 {
                    moveChance[i] = settings.defaultMoveChance; conflict[i] = -1; town[i] = true
                }
            }
        } else {
            // Without conflicts.csv: conflict zones start on their conflict_date.
            for (i, date) in conflictDates where date == t { addConflictZone(i, intensity: 1, day: t) }
        }
    }

    /// Conflict zones of locations.csv starting after day 0: (location, conflict_date).
    private lazy var conflictDates: [(Int, Int)] = input.locations.enumerated().compactMap { i, row in
        guard row.locationType.lowercased().contains("conflict"), let date = Int(row.conflictDate), date > 0 else { return nil }
        return (i, date)
    }

    private func addConflictZone(_ i: Int, intensity: Double, day: Int) {
        moveChance[i] = settings.conflictMoveChance
        conflict[i] = intensity
        town[i] = false
        timeOfConflict[i] = day
    }

    /// Day `t`'s new people (Flee's `spawn_daily_displaced`).
    func spawn(day t: Int) throws {
        var newPeople = 0
        var weights = [Double](repeating: 0, count: names.count)
        for i in names.indices where conflict[i] > 0 {
            var m = conflict[i]
            if settings.conflictSpawnDecay != nil { m *= settings.conflictDecay(daysSinceConflict: t - timeOfConflict[i]) }
            weights[i] = Double(population[i]) * m
        }
        var rng = CounterRandom(seed: seed, stream: UInt64.max, counter: UInt64(t))
        if let spawning = settings.conflictSpawning {
            for i in names.indices where conflict[i] > 0 {
                let expected: Double
                switch spawning.mode {
                case .constant, .poisson: expected = spawning.displacedPerConflictDay * conflict[i]
                case .popRatio: expected = spawning.displacedPerConflictDay * Double(population[i]) * conflict[i]
                }
                // Checked before any conversion: a count beyond what the store holds is refused, not trapped on.
                guard expected.isFinite, expected < Double(AgentStore.maximumCount) else {
                    throw GraphError.exceedsMemory(what: "day \(t): \(expected) people to spawn at \(names[i])",
                                                   bytes: nil, limit: MemoryBudget.limit)
                }
                let n = spawning.mode == .poisson ? rng.poisson(expected) : Int(expected)
                try add(n, at: i)
            }
            return
        }
        guard let validation else { return }
        let series = validation.names.indices
        var difference = 0
        if t == 0 {
            if settings.sumFromCamps {
                for k in series { difference += validation.value(k, day: 0) }
            } else {
                difference = validation.value(0, day: 0)
            }
        } else if settings.sumFromCamps {
            for k in series.dropFirst() { difference += validation.value(k, day: t) - validation.value(k, day: t - 1) }
        } else {
            difference = validation.value(0, day: t) - validation.value(0, day: t - 1)
        }
        newPeople = difference - refugeeDebt
        refugeesRaw += difference
        if settings.insertDayZeroRefugeesInCamps, t == 0 {
            newPeople = 0
            for i in names.indices where capacity[i] > 0 {
                if let k = seriesOf[i] { capacity[i] -= validation.value(k, day: 0) }
            }
        }
        if newPeople < 0 {
            refugeeDebt = -newPeople
            newPeople = 0
        } else if refugeeDebt > 0 {
            refugeeDebt = 0
        }
        guard newPeople > 0 else { return }
        var cumulative = weights
        for i in cumulative.indices.dropFirst() { cumulative[i] += cumulative[i - 1] }
        guard let total = cumulative.last, total > 0 else {
            throw InputError("day \(t): \(newPeople) people to spawn but no conflict zone with a population",
                             at: InputLocation(file: input.directory + "/conflicts.csv"))
        }
        try checkRoom(for: newPeople)  // the check comes before the draws
        var spawned = [Int](repeating: 0, count: names.count)
        for _ in 0..<newPeople {
            let u = rng.uniform() * total
            spawned[Self.firstAbove(u, in: cumulative)] += 1
        }
        for (i, n) in spawned.enumerated() where n > 0 { try add(n, at: i) }
    }

    /// `n` people at location `i`, with no route and (with `start_on_foot`) no link walked yet.
    private func add(_ n: Int, at i: Int, fromPopulation: Bool = true) throws {
        guard n > 0 else { return }
        try checkRoom(for: n)
        pools[settings.startOnFoot ? names.count + i : i] += Int32(n)
        counts[i] += Int32(n)
        agentCount += n
        if fromPopulation, settings.takeFromPopulation { population[i] = max(0, population[i] - n) }
    }

    /// Refuses more people than the 32-bit counts hold (`AgentStore.maximumCount`).
    private func checkRoom(for extra: Int) throws {
        let (total, overflow) = agentCount.addingReportingOverflow(max(0, extra))
        guard !overflow, total <= AgentStore.maximumCount else {
            // The bytes are those of everyone travelling at once, each in a group of their own.
            let bytes = UInt64(max(0, extra)).multipliedReportingOverflow(by: UInt64(MemoryLayout<Walker>.stride))
            throw GraphError.exceedsMemory(what: "the state of \(overflow ? "more than \(Int.max)" : String(total)) agents "
                                           + "(at most \(AgentStore.maximumCount))",
                                           bytes: bytes.overflow ? nil : bytes.partialValue, limit: MemoryBudget.limit)
        }
    }

    /// Index of the first cumulative weight above `u` (binary search).
    @inline(__always)
    static func firstAbove(_ u: Double, in cumulative: UnsafeBufferPointer<Double>) -> Int {
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) >> 1
            if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    static func firstAbove(_ u: Double, in cumulative: [Double]) -> Int {
        cumulative.withUnsafeBufferPointer { firstAbove(u, in: $0) }
    }

    /// Closures that start or are lifted on day `t` (Flee's `enact_border_closures`, both ways).
    func enactClosures(day t: Int) {
        for c in input.closures {
            if c.start == t { apply(c, open: false) }
            if c.end == t { apply(c, open: true) }
        }
    }

    private func apply(_ c: FleeClosure, open: Bool) {
        let flag: UInt8 = open ? 1 : 0
        let index = { (name: String) in self.names.firstIndex(of: name)! }
        switch c.kind {
        case .country:
            for a in arcTarget.indices {
                let (s, d) = (countries[Int(arcSource[a])], countries[Int(arcTarget[a])])
                if (s == c.name1 && d == c.name2) || (s == c.name2 && d == c.name1) { arcOpen[a] = flag }
            }
        case .location:
            let l = Int32(index(c.name1))
            for a in arcTarget.indices where arcSource[a] == l || arcTarget[a] == l { arcOpen[a] = flag }
        case .link:
            let (x, y) = (Int32(index(c.name1)), Int32(index(c.name2)))
            for a in arcTarget.indices where (arcSource[a] == x && arcTarget[a] == y) || (arcSource[a] == y && arcTarget[a] == x) {
                arcOpen[a] = flag
            }
        case .camp, .idpcamp:
            let l = index(c.name1)
            if open {
                camp[l] = true; conflict[l] = -1; town[l] = false; marker[l] = false
                idpCamp[l] = c.kind == .idpcamp
                moveChance[l] = c.kind == .idpcamp ? settings.idpCampMoveChance : settings.campMoveChance
            } else {
                camp[l] = false; idpCamp[l] = false; conflict[l] = -1; town[l] = true; marker[l] = false
                moveChance[l] = settings.defaultMoveChance
            }
        case .removeForcedRedirection:
            return
        }
        candidatesStale = true
    }

    // MARK: Route choice

    /// Flee's `getCapMultiplier`: 1 below the buffer share of capacity, falling linearly to 0 at capacity.
    @inline(__always)
    static func capacityFactor(capacity: Int, count: Int32, _ settings: FleeSettings) -> Double {
        let cap = Double(capacity) * settings.capacityScaling
        if cap < 1 { return 1 }
        let n = Double(count)
        if n <= settings.capacityBuffer * cap { return 1 }
        if n >= cap { return 0 }
        return 1 - (n - settings.capacityBuffer * cap) / (cap * (1 - settings.capacityBuffer))
    }

    /// `capacityFactor` of every location, from today's counts.
    func capacityFactors() -> [Double] {
        let capacity = self.capacity, counts = self.counts, s = settings
        return (0..<names.count).map { Self.capacityFactor(capacity: capacity[$0], count: counts[$0], s) }
    }

    private func intern(_ nodes: [Int32]) -> Int32 {
        if let id = pathIndex[nodes] { return id }
        let id = Int32(pathStart.count - 1)
        pathNodes.append(contentsOf: nodes)
        pathStart.append(Int32(pathNodes.count))
        pathIndex[nodes] = id
        return id
    }

    /// Enumerates every location's candidate routes over open links (Flee's recursive
    /// `calculateLinkWeight`): paths of up to `awarenessLevel` links, markers not counted and
    /// not destinations, no location twice.
    func rebuildCandidates() {
        candStart = [0]; candPath = []; candEnd = []; candKm = []; candFirstArc = []
        var firstArc: Int32 = -1
        let level = max(settings.awarenessLevel, 1)
        var origin: [Int32] = []
        func visit(_ a: Int, prior: Double, step: Int) {
            let end = arcTarget[a]
            let km = prior + Double(arcDistance[a])
            var step = step
            origin.append(end)
            if !marker[Int(end)] {
                candPath.append(intern(Array(origin.dropFirst())))
                candEnd.append(end); candKm.append(km); candFirstArc.append(firstArc)
            } else {
                step -= 1
            }
            if level > step {
                let e = Int(end)
                for b in Int(arcStart[e])..<Int(arcStart[e + 1]) where arcOpen[b] != 0 {
                    if origin.dropLast().contains(arcTarget[b]) { continue }
                    visit(b, prior: km, step: step + 1)
                }
            }
            origin.removeLast()
        }
        for l in names.indices {
            origin = [Int32(l)]
            for a in Int(arcStart[l])..<Int(arcStart[l + 1]) where arcOpen[a] != 0 {
                // The link a route's first step takes: the first open one to that location (Flee's take_next_step).
                firstArc = Int32(a)
                for b in Int(arcStart[l])..<a where arcOpen[b] != 0 && arcTarget[b] == arcTarget[a] { firstArc = Int32(b); break }
                visit(a, prior: 0, step: 1)
            }
            candStart.append(Int32(candPath.count))
        }
        candCumulative = .init(repeating: 0, count: candPath.count)
        candDistanceTerm = candKm.map { 1 / pow(settings.distanceSoftening + $0, settings.distancePower) }
        candidatesStale = false
    }

    /// Each location's score on day `t` (Flee's `updateLocationScore`): foreign, camp and conflict
    /// weights, and the population's with `use_pop_for_loc_weight`.
    func locationScores(day t: Int) -> [Double] {
        let s = settings
        let foreign = self.foreign, camp = self.camp, idpCamp = self.idpCamp, conflict = self.conflict
        let timeOfConflict = self.timeOfConflict, population = self.population
        return (0..<names.count).map { l in
            var sc = 1.0
            if foreign[l] { sc *= s.foreignWeight }
            if camp[l] || idpCamp[l] { sc *= s.campWeight }
            if conflict[l] > 0 { sc *= pow(s.conflictWeight, s.conflictDecay(daysSinceConflict: t - timeOfConflict[l]) * conflict[l]) }
            if s.usePopForLocationWeight, !camp[l] { sc *= pow(max(1, Double(population[l])), s.popPowerForLocationWeight) }
            return sc
        }
    }

    /// The route weights as cumulative sums per location, from each location's `score` and
    /// capacity factor (`capacityFactors()`); all-zero weights become equal ones.
    ///
    /// - Complexity: O(locations + candidates); the loops read local copies of the tables (no
    ///   exclusivity checks of the class's stored arrays per element).
    func weighCandidates(score: [Double], factor: [Double]) {
        let s = settings
        let n = names.count
        let prune = s.pruningThreshold >= 1.001
        let candStart = self.candStart, candEnd = self.candEnd, distanceTerm = candDistanceTerm
        var cumulative = candCumulative
        candCumulative = []
        defer { candCumulative = cumulative }
        for l in 0..<n {
            let lo = Int(candStart[l]), hi = Int(candStart[l + 1])
            guard lo < hi else { continue }
            var top = 0.0
            for c in lo..<hi {
                let e = Int(candEnd[c])
                var w = (s.weightSoftening + score[e]) * distanceTerm[c] * factor[e]
                if s.weightPower != 1 { w = pow(w, s.weightPower) }
                cumulative[c] = w
                top = max(top, w)
            }
            if prune {
                let floor = top / s.pruningThreshold
                for c in lo..<hi where cumulative[c] < floor { cumulative[c] = 0 }
            }
            var sum = 0.0
            for c in lo..<hi { sum += cumulative[c]; cumulative[c] = sum }
            if sum <= 0 {
                // Flee weighs all routes equally when none has weight (pruned ones included).
                for c in lo..<hi { cumulative[c] = Double(c - lo + 1) }
            }
        }
    }

    // MARK: Moving

    /// Travellers per block of the day pass (a fixed size, so the blocks, and the admission order
    /// that follows from them, do not depend on the number of threads).
    var travellerBlock = 8_192
    /// Fewest people for the day pass to use more than one thread.
    var parallelGrain = 65_536
    /// Chunks of locations the pools are split into for the day pass (fixed, for the same reason).
    static let poolChunkCount = 64
    /// Full camps today (read by route followers), kept between days.
    private var fullToday: [UInt8] = []
    /// The capacity factors the weights were last computed with.
    private var factorToday: [Double] = []
    /// The distinct move chances of the locations, kept between days.
    private var chancesToday = DistinctChances()

    /// One day of movement (Flee's `Ecosystem.evolve`); returns completed links per route.
    ///
    /// Two kinds of work item run in parallel, all reading the tables as they stood at the start
    /// of the day: blocks of travellers, each advanced along its link and route as in Flee; and
    /// chunks of locations, where for each pool one count of leavers is drawn (Binomial(pool,
    /// move chance), or a draw per person for small pools), and each leaver picks a route and
    /// travels. A leaver who ends the day at a location without a route goes back into a pool,
    /// so nobody's state is stored between days except the travellers'. Counts per route,
    /// location and pool are tallied per worker and summed (exact, so independent of how the
    /// items were shared out); arrivals at capacity-limited locations are admitted afterwards in
    /// item order.
    func evolve(day t: Int) -> [Int32] {
        // Links and the candidates' routes only change with the network (closures, camps opening
        // or closing): their tables are rebuilt then, only the weights and full camps each day.
        let networkChanged = candidatesStale
        if networkChanged { rebuildCandidates() }
        // The weights (and full camps) only change with the scores and capacity factors: on most
        // days neither does, and yesterday's tables stand.
        let factor = capacityFactors(), scores = locationScores(day: t)
        let weightsChanged = networkChanged || factor != factorToday || scores != score
        if weightsChanged { weighCandidates(score: scores, factor: factor) }
        score = scores
        factorToday = factor
        let locationCount = names.count
        // What one hop reads, packed so it touches few cache lines: per location, per link, per candidate.
        // Kept between days (no allocation once the sizes settle).
        var places = placesToday, links = linksToday, candidates = candidatesToday, full = fullToday
        placesToday = []; linksToday = []; candidatesToday = []; fullToday = []
        defer { placesToday = places; linksToday = links; candidatesToday = candidates; fullToday = full }
        if places.count != locationCount { places = .init(repeating: PlaceToday(), count: locationCount) }
        if full.count != locationCount { full = .init(repeating: 0, count: locationCount) }
        let s = settings
        let camp = self.camp, moveChance = self.moveChance, population = self.population, capacity = self.capacity
        let candStart = self.candStart
        var chances = chancesToday
        chancesToday = DistinctChances()
        defer { chancesToday = chances }
        for l in 0..<locationCount {
            full[l] = camp[l] && factor[l] < 0.5 ? 1 : 0
            var chance = moveChance[l]
            if s.moveChancePopScaleFactor != 0 {
                chance *= pow(Double(max(population[l], capacity[l])) / s.moveChancePopBase, s.moveChancePopScaleFactor)
            }
            places[l] = PlaceToday(moveChance: chance, candFirst: candStart[l], candCount: candStart[l + 1] - candStart[l],
                                   full: full[l], limited: Double(capacity[l]) * s.capacityScaling >= 1 ? 1 : 0,
                                   chance: chances.index(of: chance))
        }
        if networkChanged || links.count != arcTarget.count {
            let arcOpen = self.arcOpen
            links = arcTarget.indices.map { a in
                LinkToday(target: arcTarget[a], km: arcDistance[a], route: arcOpen[a] != 0 ? arcRoute[a] : ~arcRoute[a])
            }
        }
        let candEnd = self.candEnd, cumulative = candCumulative, candFirstArc = self.candFirstArc
        if networkChanged || candidates.count != candEnd.count {
            let candPath = self.candPath, pathStart = self.pathStart
            candidates = candPath.indices.map { c in
                let p = Int(candPath[c])
                return CandidateToday(cumulative: 0, firstArc: candFirstArc[c], path: pathStart[p + 1] - pathStart[p] > 1 ? candPath[c] : -1)
            }
        }
        if weightsChanged {
            candidates.withUnsafeMutableBufferPointer { candidates in
                for c in candidates.indices {
                    candidates[c].cumulative = cumulative[c]
                    candidates[c].firstArc = full[Int(candEnd[c])] != 0 ? ~candFirstArc[c] : candFirstArc[c]
                }
            }
        }

        // Work items: blocks of travelling groups, then chunks of locations balanced by expected leavers.
        let travellerCount = travellers.count
        let travellerBlocks = (travellerCount + travellerBlock - 1) / travellerBlock
        let chunkStart = poolChunks(places)
        let chunkCount = chunkStart.count - 1
        let items = travellerBlocks + chunkCount
        itemOutputs.reset(count: items)
        let workers = max(1, min(threads, items, agentCount >= parallelGrain ? threads : 1))
        let poolCount = pools.count
        let row = routeCount + locationCount + poolCount
        if tallyCapacity < workers * row {
            tallyBuffer.deallocate()
            tallyBuffer = .allocate(capacity: workers * row)
            tallyCapacity = workers * row
        }
        let day = MovementDay(speed: Float(settings.maxMoveSpeed), walkSpeed: Float(settings.maxWalkSpeed),
                              startOnFoot: settings.startOnFoot, routeCount: routeCount, locationCount: locationCount,
                              freshPools: poolCount > locationCount)
        let travellerKey = CounterRandom.key(seed: seed, counter: UInt64(t))
        let poolKey = CounterRandom.key(seed: seed ^ 0x5EED_B1A0_0000_0001, counter: UInt64(t))
        let tallies = Tallies(base: tallyBuffer, stride: row)
        let outputs = itemOutputs
        let block = travellerBlock
        arcStart.withUnsafeBufferPointer { arcStart in
        arcTarget.withUnsafeBufferPointer { arcTarget in
        arcOpen.withUnsafeBufferPointer { arcOpen in
        pathStart.withUnsafeBufferPointer { pathStart in
        pathNodes.withUnsafeBufferPointer { pathNodes in
        full.withUnsafeBufferPointer { full in
        places.withUnsafeBufferPointer { places in
        links.withUnsafeBufferPointer { links in
        candidates.withUnsafeBufferPointer { candidates in
        chances.values.withUnsafeBufferPointer { chances in
        pools.withUnsafeBufferPointer { pools in
        chunkStart.withUnsafeBufferPointer { chunkStart in
        travellers.withUnsafeBufferPointer { travellers in
            let graph = MovementGraph(arcStart: arcStart, arcTarget: arcTarget, arcOpen: arcOpen,
                                      pathStart: pathStart, pathNodes: pathNodes, fullCamp: full,
                                      places: places, links: links, candidates: candidates, chances: chances)
            let poolCounts = UnsafeBufferPointerBox(pools), chunks = UnsafeBufferPointerBox(chunkStart)
            let groups = UnsafeBufferPointerBox(travellers)
            _ = Parallel.map(count: workers, workers: workers, state: { () }) { _, w -> Bool in
                let tally = tallies.row(w)
                tally.initialize(repeating: 0, count: row)
                var stack = TravelStack()
                defer { stack.deallocate() }
                var item = w
                while item < items {
                    var out = DayOutput(tally: tally, item: item, lists: outputs, day: day)
                    if item < travellerBlocks {
                        let lo = item * block, hi = min(travellerCount, lo + block)
                        for r in lo..<hi {
                            var rng = CounterRandom(key: travellerKey, stream: UInt64(r))
                            let group = groups.buffer[r]
                            if group.arc < 0 {
                                day.depart(group, moved: 0, graph, &rng, &stack, &out)  // holds a route: follows it
                            } else {
                                stack.append((group, 0))
                            }
                            day.travel(&stack, graph, &rng, &out)
                        }
                    } else {
                        let c = item - travellerBlocks
                        for l in Int(chunks.buffer[c])..<Int(chunks.buffer[c + 1]) {
                            let place = graph.places[l]
                            for p in stride(from: l, to: poolCount, by: locationCount) {
                                let here = Int(poolCounts.buffer[p])
                                guard here > 0 else { continue }
                                var rng = CounterRandom(key: poolKey, stream: UInt64(p))
                                let leaving = place.leaving(here, graph, &rng)
                                guard leaving > 0 else { continue }
                                tally[day.poolBase + p] &-= Int32(leaving)
                                let group = Walker(node: Int32(l), trips: p >= locationCount ? 0 : 1, count: Int32(leaving))
                                day.depart(group, moved: 0, graph, &rng, &stack, &out)
                                day.travel(&stack, graph, &rng, &out)
                            }
                        }
                    }
                    item += workers
                }
                return true
            }
        }}}}}}}}}}}}}
        var crossings = [Int32](repeating: 0, count: routeCount)
        let poolBase = routeCount + locationCount
        var dayCounts = counts, dayPools = pools
        counts = []; pools = []
        for w in 0..<workers {
            let tally = tallies.row(w)
            for r in 0..<routeCount { crossings[r] &+= tally[r] }
            for l in 0..<locationCount { dayCounts[l] &+= tally[routeCount + l] }
            for p in 0..<poolCount { dayPools[p] &+= tally[poolBase + p] }
        }
        counts = dayCounts; pools = dayPools
        // Arrivals at capacity-limited camps, in item order: admitted while there is room, the
        // rest sent back to where their link starts, without a route.
        let freshPools = poolCount > locationCount
        @inline(__always) func pool(_ node: Int32, _ trips: UInt8) -> Int {
            Int(node) + (freshPools && trips == 0 ? locationCount : 0)
        }
        travellers.removeAll(keepingCapacity: true)
        for item in 0..<items {
            var groups = itemOutputs.groups(item)
            for j in itemOutputs.pending(item) {
                var w = groups[Int(j)]
                let a = Int(w.arc)
                let target = Int(arcTarget[a])
                let room = Double(capacity[target]) * settings.capacityScaling - Double(counts[target])
                let admitted = room > 0 ? min(Int(w.count), Int(room.rounded(.up))) : 0
                let back = Int(w.count) - admitted
                if admitted > 0 {
                    counts[target] += Int32(admitted)
                    crossings[Int(arcRoute[a])] += Int32(admitted)
                }
                if back > 0 {
                    counts[Int(w.node)] += Int32(back)
                    pools[pool(w.node, w.trips)] += Int32(back)
                }
                w.node = Int32(target); w.arc = -1; w.onLink = 0; w.count = Int32(admitted)
                if w.path < 0 {
                    pools[pool(w.node, w.trips)] += w.count
                    w.count = 0
                }
                groups[Int(j)] = w
            }
            // Tomorrow's travellers: the groups still travelling, in item order.
            for g in groups where g.count > 0 { travellers.append(g) }
        }
        return crossings
    }

    /// Boundaries of `poolChunkCount` chunks of consecutive locations with about equal expected
    /// leavers (pool × move chance, + 1 per location): from the day's state only, never the threads.
    func poolChunks(_ places: [PlaceToday]) -> [Int32] {
        let n = names.count
        var weight = [Double](repeating: 1, count: n)
        let pools = self.pools
        for p in pools.indices where pools[p] > 0 { weight[p % n] += Double(pools[p]) * min(1, places[p % n].moveChance) }
        let total = weight.reduce(0, +)
        let chunks = min(Self.poolChunkCount, n)
        var bounds: [Int32] = [0]
        var sum = 0.0
        for l in 0..<n {
            sum += weight[l]
            if bounds.count < chunks, sum >= total * Double(bounds.count) / Double(chunks) { bounds.append(Int32(l + 1)) }
        }
        if bounds.last != Int32(n) { bounds.append(Int32(n)) }
        return bounds
    }

    /// Recounts people at each location from the pools and the travellers' records; the day's
    /// pass keeps the counts up to date incrementally, this is the check.
    func recount() {
        let n = names.count
        counts = .init(repeating: 0, count: n)
        for p in pools.indices { counts[p % n] += pools[p] }
        for w in travellers where w.arc < 0 { counts[Int(w.node)] += w.count }
    }
}

/// A buffer pointer shared read-only with the workers of the day pass.
struct UnsafeBufferPointerBox<T>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<T>
    init(_ buffer: UnsafeBufferPointer<T>) { self.buffer = buffer }
}

/// Rows of per-worker tallies (each worker writes only its own row).
struct Tallies: @unchecked Sendable {
    let base: UnsafeMutablePointer<Int32>
    let stride: Int
    func row(_ w: Int) -> UnsafeMutablePointer<Int32> { base + w * stride }
}

/// Per work item of the day pass, the groups it leaves travelling and, among them, those waiting
/// for admission (each item appends only to its own lists); the lists keep their capacity
/// between days, and their storage is only resized by `reset`, between parallel passes.
final class ItemOutputs: @unchecked Sendable {
    private var lists = UnsafeMutableBufferPointer<([Walker], [Int32])>.allocate(capacity: 0)

    deinit { _ = lists.deinitialize(); lists.deallocate() }

    func reset(count: Int) {
        if lists.count < count {
            let bigger = UnsafeMutableBufferPointer<([Walker], [Int32])>.allocate(capacity: max(count, 2 * lists.count))
            bigger.initialize(repeating: ([], []))
            for i in lists.indices { bigger[i] = lists[i] }
            _ = lists.deinitialize(); lists.deallocate()
            lists = bigger
        }
        for i in 0..<count {
            lists[i].0.removeAll(keepingCapacity: true)
            lists[i].1.removeAll(keepingCapacity: true)
        }
    }

    /// Group slots held, all lists together.
    var capacity: Int { lists.reduce(0) { $0 + $1.0.capacity } }

    @inline(__always)
    func append(_ w: Walker, pending: Bool, to item: Int) {
        if pending { lists[item].1.append(Int32(lists[item].0.count)) }
        lists[item].0.append(w)
    }

    func groups(_ item: Int) -> [Walker] { lists[item].0 }
    func pending(_ item: Int) -> [Int32] { lists[item].1 }
}

/// Where a work item's groups go at the end of their day: back into a pool (a count in the
/// worker's tally) or into the item's list of travelling groups.
struct DayOutput {
    let tally: UnsafeMutablePointer<Int32>
    let item: Int
    let lists: ItemOutputs
    let day: MovementDay

    /// Group `w` ends its day; `pending`: at the end of a link to a capacity-limited location.
    @inline(__always)
    func settle(_ w: Walker, pending: Bool = false) {
        if !pending && w.arc < 0 && w.path < 0 {
            tally[day.poolBase + Int(w.node) + (day.freshPools && w.trips == 0 ? day.locationCount : 0)] &+= w.count
        } else {
            lists.append(w, pending: pending, to: item)
        }
    }
}

/// Read-only views of the graph and today's route tables for the parallel pass.
struct MovementGraph: @unchecked Sendable {
    let arcStart: UnsafeBufferPointer<Int32>, arcTarget: UnsafeBufferPointer<Int32>, arcOpen: UnsafeBufferPointer<UInt8>
    let pathStart: UnsafeBufferPointer<Int32>, pathNodes: UnsafeBufferPointer<Int32>
    let fullCamp: UnsafeBufferPointer<UInt8>
    let places: UnsafeBufferPointer<PlaceToday>, links: UnsafeBufferPointer<LinkToday>
    let candidates: UnsafeBufferPointer<CandidateToday>
    /// Today's distinct move chances (`PlaceToday.chance`).
    let chances: UnsafeBufferPointer<BinomialChance>
}

/// A location as a hop reads it today (24 bytes).
struct PlaceToday {
    var moveChance = 0.0
    /// Its candidate routes: `candFirst ..< candFirst + candCount`.
    var candFirst: Int32 = 0, candCount: Int32 = 0
    var full: UInt8 = 0, limited: UInt8 = 0
    /// Its move chance in `MovementGraph.chances` (-1: not there, drawn from `moveChance`).
    var chance: Int16 = -1

    /// Binomial(n, move chance): how many of `n` people here go on.
    @inline(__always)
    func leaving(_ n: Int, _ g: MovementGraph, _ rng: inout CounterRandom) -> Int {
        chance >= 0 ? rng.binomial(n, g.chances[Int(chance)]) : rng.binomial(n, moveChance)
    }
}

/// The distinct move chances of a day (few: one per location type, unless the chance scales
/// with population), each with its logarithms computed once.
struct DistinctChances {
    private(set) var values: [BinomialChance] = []
    private var last = -1

    /// At most this many (kept across days); further chances are drawn from the plain value.
    static let limit = 64

    /// Index of `p` among the values (added if new); -1 when `limit` others are held.
    /// - Complexity: O(1) when `p` is the previous call's chance, else O(`limit`).
    mutating func index(of p: Double) -> Int16 {
        if last >= 0, values[last].p == p { return Int16(last) }
        if let i = values.firstIndex(where: { $0.p == p }) { last = i; return Int16(i) }
        guard values.count < Self.limit else { return -1 }
        values.append(BinomialChance(p))
        last = values.count - 1
        return Int16(last)
    }
}

/// A directed link as a hop reads it today (12 bytes).
struct LinkToday {
    var target: Int32 = 0
    var km: Float = 0
    /// Its row of routes.csv; `~row` (negative) while the link is closed.
    var route: Int32 = 0
}

/// A candidate route as a choice reads it today (16 bytes).
struct CandidateToday {
    /// Cumulative weight up to and including this candidate among its location's.
    var cumulative = 0.0
    /// The link its first step takes; `~link` (negative) when its destination is a full camp.
    var firstArc: Int32 = 0
    /// Its route when it has more than one step, else -1.
    var path: Int32 = -1
}

/// Groups on their way today, each with the km it has moved: a last-in first-out buffer that one
/// worker keeps for its whole pass (no reference counting or uniqueness checks per push).
struct TravelStack {
    private var base: UnsafeMutablePointer<(Walker, Float)>
    private var count = 0, capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    func deallocate() { base.deallocate() }

    @inline(__always)
    mutating func append(_ element: (Walker, Float)) {
        if count == capacity {
            let bigger = UnsafeMutablePointer<(Walker, Float)>.allocate(capacity: 2 * capacity)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity *= 2
        }
        (base + count).initialize(to: element)
        count += 1
    }

    @inline(__always)
    mutating func popLast() -> (Walker, Float)? {
        guard count > 0 else { return nil }
        count -= 1
        return (base + count).move()
    }
}

/// The agent columns as raw pointers (no reference counting in the parallel pass).
struct AgentColumns: @unchecked Sendable {
    let node: UnsafeMutablePointer<Int32>, arc: UnsafeMutablePointer<Int32>, onLink: UnsafeMutablePointer<Float>
    let path: UnsafeMutablePointer<Int32>, pathStep: UnsafeMutablePointer<UInt16>, trips: UnsafeMutablePointer<UInt8>
    let home: UnsafeMutablePointer<Int32>, userClass: UnsafeMutablePointer<UInt8>

    init(_ store: AgentStore) {
        node = store.node; arc = store.arc; onLink = store.onLink; path = store.path
        pathStep = store.pathStep; trips = store.trips; home = store.home; userClass = store.userClass
    }
}

/// People who share every part of their state: where they are (a location, or km along a
/// link), their route and how far along it, links completed (saturating at 255; only whether
/// it is 0 is read, with `start_on_foot`), and how many they are.
struct Walker {
    var node: Int32, arc: Int32 = -1, onLink: Float = 0, path: Int32 = -1, pathStep: UInt16 = 0, trips: UInt8
    var count: Int32

    @inline(__always)
    init(node: Int32, trips: UInt8, count: Int32) { self.node = node; self.trips = trips; self.count = count }
}

/// A group's day under the Flee rules (Flee's `Person.evolve` and `finish_travel`, for a group
/// of people in the same state at once): where each of them would draw alone, the group is split
/// by binomial draws (who goes on at a location) and conditional binomial draws (a multinomial:
/// who takes which route), so the counts have the distribution of Flee's draws per person.
struct MovementDay: @unchecked Sendable {
    let speed: Float, walkSpeed: Float, startOnFoot: Bool
    let routeCount: Int, locationCount: Int
    /// Whether people who have not walked a link yet have pools of their own (`start_on_foot`).
    let freshPools: Bool
    /// Where the pools' changes start in a tally row (after the routes' crossings and the locations' counts).
    var poolBase: Int { routeCount + locationCount }

    /// Advances the groups on `stack` (each with the km it has moved today) along their links and
    /// on over as many links as the day allows, until each ends its day in `out`. Completed links
    /// are tallied per route in `out.tally[0..<routeCount]`, the change of people at each location
    /// after them. Groups arriving at capacity-limited locations are left at the end of the link
    /// for admission.
    @inline(__always)
    func travel(_ stack: inout TravelStack, _ g: MovementGraph, _ rng: inout CounterRandom, _ out: inout DayOutput) {
        let tally = out.tally
        while let (start, movedBefore) = stack.popLast() {
            var w = start, moved = movedBefore
            let today = startOnFoot && w.trips == 0 ? walkSpeed : speed
            let link = g.links[Int(w.arc)]
            let km = link.km
            w.onLink += today
            moved += today
            guard w.onLink > km else { out.settle(w); continue }
            if w.trips < 255 { w.trips += 1 }
            moved += km - w.onLink
            if link.route < 0 {
                // Closed while on it: back to where the link starts (route kept, as in Flee).
                w.arc = -1; w.onLink = 0
                tally[routeCount + Int(w.node)] &+= w.count
                out.settle(w)
                continue
            }
            let target = link.target
            let place = g.places[Int(target)]
            if place.limited != 0 {
                w.onLink = km
                out.settle(w, pending: true)
                continue
            }
            w.node = target; w.arc = -1; w.onLink = 0
            tally[Int(link.route)] &+= w.count
            tally[routeCount + Int(target)] &+= w.count
            guard moved < today else { out.settle(w); continue }
            if w.path < 0 {
                let going = place.leaving(Int(w.count), g, &rng)
                if going < Int(w.count) {
                    var staying = w
                    staying.count -= Int32(going)
                    out.settle(staying)
                }
                guard going > 0 else { continue }
                w.count = Int32(going)
            }
            depart(w, moved: moved, g, &rng, &stack, &out)
        }
    }

    /// Group `w` at a location, all of whom decided to move: without a route they share out over
    /// the location's candidate routes in proportion to their weights (those who pick a route to
    /// a full camp stay); with one they take its next link. Groups setting out go on `stack`.
    @inline(__always)
    func depart(_ w: Walker, moved: Float, _ g: MovementGraph, _ rng: inout CounterRandom,
                _ stack: inout TravelStack, _ out: inout DayOutput) {
        let here = Int(w.node)
        let tally = out.tally
        if w.path < 0 {
            let place = g.places[here]
            let lo = Int(place.candFirst), hi = lo + Int(place.candCount)
            guard lo < hi else { out.settle(w); return }
            let c = g.candidates
            let total = c[hi - 1].cumulative
            if w.count <= 8 {
                // Few people: each picks a route alone, the first whose cumulative weight is above
                // a uniform draw (counting those at or below it, without branches, among up to 16
                // routes; binary search among more).
                for _ in 0..<Int(w.count) {
                    let u = rng.uniform() * total
                    var a = lo
                    if hi - lo <= 16 {
                        var j = lo
                        while j < hi - 1 {
                            a &+= Int(unsafeBitCast(c[j].cumulative <= u, to: UInt8.self))
                            j &+= 1
                        }
                    } else {
                        var b = hi - 1
                        while a < b {
                            let mid = (a + b) >> 1
                            if c[mid].cumulative > u { b = mid } else { a = mid + 1 }
                        }
                    }
                    var v = w
                    v.count = 1
                    let chosen = c[a]
                    guard chosen.firstArc >= 0 else { out.settle(v); continue }
                    if chosen.path >= 0 { v.path = chosen.path; v.pathStep = 1 }
                    v.arc = chosen.firstArc
                    tally[routeCount + here] &-= 1
                    stack.append((v, moved))
                }
                return
            }
            var left = Int(w.count), before = 0.0
            for j in lo..<hi where left > 0 {
                let weight = c[j].cumulative - before, rest = total - before
                before = c[j].cumulative
                let share = weight >= rest ? left : weight > 0 ? rng.binomial(left, weight / rest) : 0
                guard share > 0 else { continue }
                left -= share
                var v = w
                v.count = Int32(share)
                let chosen = c[j]
                guard chosen.firstArc >= 0 else { out.settle(v); continue }
                if chosen.path >= 0 { v.path = chosen.path; v.pathStep = 1 }
                v.arc = chosen.firstArc
                v.onLink = 0
                tally[routeCount + here] &-= v.count
                stack.append((v, moved))
            }
            if left > 0 {  // rounding left some unassigned (the weights' shares sum to 1): they stay
                var v = w
                v.count = Int32(left)
                out.settle(v)
            }
            return
        }
        var v = w
        let p = Int(v.path)
        let first = Int(g.pathStart[p]), last = Int(g.pathStart[p + 1])
        let step = first + Int(v.pathStep)
        let next = g.pathNodes[step]
        var chosen = -1
        for a in Int(g.arcStart[here])..<Int(g.arcStart[here + 1]) where g.arcOpen[a] != 0 && g.arcTarget[a] == next {
            chosen = a
            break
        }
        guard chosen >= 0, g.fullCamp[Int(g.pathNodes[last - 1])] == 0 else {
            v.path = -1  // the link has gone or the destination camp is full: drop the route
            out.settle(v)
            return
        }
        if step + 1 == last { v.path = -1 } else { v.pathStep += 1 }
        v.arc = Int32(chosen)
        v.onLink = 0
        tally[routeCount + here] &-= v.count
        stack.append((v, moved))
    }
}
