import Dispatch
import Foundation
import RouteShiftCore
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
/// Who leaves a location: Flee draws once per person (`random() < movechance`); here the
/// people waiting at a location without a route, interchangeable under these rules, get one
/// binomial draw of how many leave (`CounterRandom.binomial`), and a cyclic window of that
/// many of them by rank leaves, starting at a random rank: the number leaving has exactly
/// Flee's distribution, with no draw for those who stay, as metapopulation mobility models
/// draw the travellers of a place (Balcan et al. 2009, "Multiscale mobility networks and the
/// spatial spreading of infectious diseases", PNAS 106:21484). With `start_on_foot` people
/// are not interchangeable (the first link is walked) and each draws.
///
/// Where Flee's comments and code disagree, the code is followed: after completing a link
/// within the day, the next link is advanced by a full day's distance (the comment says
/// the distance already travelled counts), so a day can cover two links of 200 and 250 km
/// at 360 km/day; and out.csv's row for day t is dated start + t + 1.
///
/// - Complexity: per day O(agents + Σ candidate routes + arrivals at capacity-limited
///   camps), agents in parallel.
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

    let agents = AgentStore()
    /// Fewest people per parallel block (smaller populations run on one thread).
    var parallelGrain = 65_536
    /// People at each location (not on a link).
    var counts: [Int32]
    /// The day pass's packed tables, refilled each day.
    private var placesToday: [PlaceToday] = [], linksToday: [LinkToday] = [], candidatesToday: [CandidateToday] = []
    /// Scratch for `waitingRanks`: blocks × locations.
    private var rankBuffer = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 0)

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

    deinit { rankBuffer.deallocate() }

    private var started = false
    private var recorded: Result?

    /// What has been recorded so far.
    public var result: Result {
        recorded ?? Result(names: names, campIndices: campIndices, routeCount: routeCount, startDay: startDay, counts: [],
                           crossings: [], totals: [], refugeesRaw: [], refugeeDebt: [], observed: [], agentCount: agents.count,
                           bytesPerAgent: AgentStore.bytesPerAgent)
    }

    /// Days simulated so far.
    public var day: Int { recorded?.counts.count ?? 0 }

    /// People in the simulation.
    public var agentCount: Int { agents.count }

    /// Where a person is: at a location, or on the link from one to another, km along it.
    public enum Position: Hashable, Sendable {
        case at(String)
        case onLink(from: String, to: String, km: Double)
    }

    public func position(of agent: Int) -> Position {
        let a = Int(agents.arc[agent])
        guard a >= 0 else { return .at(names[Int(agents.node[agent])]) }
        return .onLink(from: names[Int(arcSource[a])], to: names[Int(arcTarget[a])], km: Double(agents.onLink[agent]))
    }

    /// Puts `n` people at location `name` before the next day (e.g. an initial population).
    public func place(_ n: Int, at name: String) throws {
        guard let i = names.firstIndex(of: name) else {
            throw InputError("unknown location '\(name)'", suggestions: NearestMatch.suggestions(for: name, among: names))
        }
        add(n, at: i)
    }

    /// Simulates the next day.
    public func advance() throws {
        if !started { insertInitialRefugees(); started = true }
        if recorded == nil { recorded = result }
        let t = day
        updateConflicts(day: t)
        try spawn(day: t)
        enactClosures(day: t)
        let crossings = evolve(day: t)
        recorded!.counts.append(counts)
        recorded!.crossings.append(crossings)
        recorded!.totals.append(agents.count)
        recorded!.refugeesRaw.append(refugeesRaw)
        recorded!.refugeeDebt.append(refugeeDebt)
        recorded!.observed.append(campIndices.map { c in seriesOf[c].map { validation!.value($0, day: t) } })
        recorded!.agentCount = agents.count
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
    func insertInitialRefugees() {
        guard settings.insertDayZeroRefugeesInCamps, let validation else { return }
        for c in campIndices {
            guard let k = seriesOf[c] else { continue }
            let n = validation.value(k, day: 0)
            agents.reserve(n)
            for _ in 0..<n { agents.append(at: Int32(c)) }
            counts[c] += Int32(n)
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
                let n: Int
                switch spawning.mode {
                case .constant: n = Int(spawning.displacedPerConflictDay * conflict[i])
                case .popRatio: n = Int(spawning.displacedPerConflictDay * Double(population[i]) * conflict[i])
                case .poisson: n = rng.poisson(spawning.displacedPerConflictDay * conflict[i])
                }
                add(n, at: i)
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
        var spawned = [Int](repeating: 0, count: names.count)
        for _ in 0..<newPeople {
            let u = rng.uniform() * total
            spawned[Self.firstAbove(u, in: cumulative)] += 1
        }
        for (i, n) in spawned.enumerated() where n > 0 { add(n, at: i) }
    }

    private func add(_ n: Int, at i: Int) {
        guard n > 0 else { return }
        agents.reserve(n)
        for _ in 0..<n { agents.append(at: Int32(i)) }
        counts[i] += Int32(n)
        if settings.takeFromPopulation { population[i] = max(0, population[i] - n) }
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
    func capacityFactor(_ l: Int) -> Double {
        let cap = Double(capacity[l]) * settings.capacityScaling
        if cap < 1 { return 1 }
        let n = Double(counts[l])
        if n <= settings.capacityBuffer * cap { return 1 }
        if n >= cap { return 0 }
        return 1 - (n - settings.capacityBuffer * cap) / (cap * (1 - settings.capacityBuffer))
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

    /// Today's route weights as cumulative sums per location; all-zero weights become equal ones.
    func weighCandidates(day t: Int) {
        let s = settings
        for l in names.indices {
            var sc = 1.0
            if foreign[l] { sc *= s.foreignWeight }
            if camp[l] || idpCamp[l] { sc *= s.campWeight }
            if conflict[l] > 0 { sc *= pow(s.conflictWeight, s.conflictDecay(daysSinceConflict: t - timeOfConflict[l]) * conflict[l]) }
            if s.usePopForLocationWeight, !camp[l] { sc *= pow(max(1, Double(population[l])), s.popPowerForLocationWeight) }
            score[l] = sc
        }
        let factor = names.indices.map(capacityFactor)
        let prune = s.pruningThreshold >= 1.001
        for l in names.indices {
            let lo = Int(candStart[l]), hi = Int(candStart[l + 1])
            guard lo < hi else { continue }
            var top = 0.0
            for c in lo..<hi {
                let e = Int(candEnd[c])
                var w = (s.weightSoftening + score[e]) * candDistanceTerm[c] * factor[e]
                if s.weightPower != 1 { w = pow(w, s.weightPower) }
                candCumulative[c] = w
                top = max(top, w)
            }
            if prune {
                let floor = top / s.pruningThreshold
                for c in lo..<hi where candCumulative[c] < floor { candCumulative[c] = 0 }
            }
            var sum = 0.0
            for c in lo..<hi { sum += candCumulative[c]; candCumulative[c] = sum }
            if sum <= 0 {
                // Flee weighs all routes equally when none has weight (pruned ones included).
                for c in lo..<hi { candCumulative[c] = Double(c - lo + 1) }
            }
        }
    }

    // MARK: Moving

    /// One day of movement (Flee's `Ecosystem.evolve`); returns completed links per route.
    func evolve(day t: Int) -> [Int32] {
        if candidatesStale { rebuildCandidates() }
        if sortInterval > 0, t % sortInterval == 0 { agents.sortByNode(locationCount: names.count) }
        weighCandidates(day: t)
        let n = agents.count
        let locationCount = names.count
        var full = [UInt8](repeating: 0, count: locationCount)
        var limited = [UInt8](repeating: 0, count: locationCount)
        var moveChanceToday = [Double](repeating: 0, count: locationCount)
        for l in 0..<locationCount {
            if camp[l], capacityFactor(l) < 0.5 { full[l] = 1 }
            if Double(capacity[l]) * settings.capacityScaling >= 1 { limited[l] = 1 }
            moveChanceToday[l] = moveChance[l]
            if settings.moveChancePopScaleFactor != 0 {
                moveChanceToday[l] *= pow(Double(max(population[l], capacity[l])) / settings.moveChancePopBase,
                                          settings.moveChancePopScaleFactor)
            }
        }
        // What one hop reads, packed so it touches few cache lines: per location, per link, per candidate.
        // Kept between days (no allocation once the sizes settle).
        var places = placesToday, links = linksToday, candidates = candidatesToday
        placesToday = []; linksToday = []; candidatesToday = []
        defer { placesToday = places; linksToday = links; candidatesToday = candidates }
        if places.count != locationCount { places = .init(repeating: PlaceToday(), count: locationCount) }
        for l in 0..<locationCount {
            places[l] = PlaceToday(moveChance: moveChanceToday[l], candFirst: candStart[l],
                                   candCount: candStart[l + 1] - candStart[l], full: full[l], limited: limited[l])
        }
        if links.count != arcTarget.count { links = .init(repeating: LinkToday(), count: arcTarget.count) }
        for a in arcTarget.indices {
            links[a] = LinkToday(target: arcTarget[a], km: arcDistance[a], route: arcRoute[a], open: arcOpen[a])
        }
        if candidates.count != candPath.count { candidates = .init(repeating: CandidateToday(), count: candPath.count) }
        for c in candPath.indices {
            let p = Int(candPath[c])
            candidates[c] = CandidateToday(cumulative: candCumulative[c], firstArc: candFirstArc[c], path: candPath[c],
                                           endFull: full[Int(candEnd[c])], multiStep: pathStart[p + 1] - pathStart[p] > 1 ? 1 : 0)
        }
        let blocks = blockCount(n)
        let per = (n + blocks - 1) / max(blocks, 1)
        let binomial = binomialStays
        if binomial {
            // Who leaves: per location one binomial draw of the people waiting there (no route, not
            // on a link) at the start of the day, and a window of that many of them by rank.
            let waiting = waitingRanks(blocks: blocks, per: per)
            let key = CounterRandom.key(seed: seed ^ 0x5EED_B1A0_0000_0001, counter: UInt64(t))
            for l in 0..<locationCount where waiting[l] > 0 {
                var rng = CounterRandom(key: key, stream: UInt64(l))
                let k = rng.binomial(Int(waiting[l]), moveChanceToday[l])
                places[l].waiting = waiting[l]
                places[l].leavers = Int32(k)
                places[l].offset = Int32(min(Int(rng.uniform() * Double(waiting[l])), Int(waiting[l]) - 1))
            }
        }
        var blockCrossings = [[Int32]](repeating: [], count: blocks)
        var blockPending = [[Int32]](repeating: [], count: blocks)
        let day = MovementDay(
            key: CounterRandom.key(seed: seed, counter: UInt64(t)), speed: Float(settings.maxMoveSpeed), walkSpeed: Float(settings.maxWalkSpeed),
            startOnFoot: settings.startOnFoot, routeCount: routeCount, s: AgentColumns(agents))
        arcStart.withUnsafeBufferPointer { arcStart in
        arcTarget.withUnsafeBufferPointer { arcTarget in
        arcOpen.withUnsafeBufferPointer { arcOpen in
        pathStart.withUnsafeBufferPointer { pathStart in
        pathNodes.withUnsafeBufferPointer { pathNodes in
        full.withUnsafeBufferPointer { full in
        places.withUnsafeBufferPointer { places in
        links.withUnsafeBufferPointer { links in
        candidates.withUnsafeBufferPointer { candidates in
            let graph = MovementGraph(arcStart: arcStart, arcTarget: arcTarget, arcOpen: arcOpen,
                                      pathStart: pathStart, pathNodes: pathNodes, fullCamp: full,
                                      places: places, links: links, candidates: candidates)
            let ranks = RankTable(base: binomial ? rankBuffer.baseAddress : nil, stride: locationCount)
            let results = Parallel.map(count: blocks, workers: threads, state: { () }) { _, b -> ([Int32], [Int32]) in
                // Crossings per route, then the change in people per location.
                var crossings = [Int32](repeating: 0, count: day.routeCount + locationCount)
                var pending: [Int32] = []
                let lo = b * per, hi = min(n, lo + per)
                let rank = ranks.row(b)
                if lo < hi {
                    crossings.withUnsafeMutableBufferPointer { c in
                        for i in lo..<hi { day.move(i, graph, c.baseAddress!, &pending, rank: rank) }
                    }
                }
                return (crossings, pending)
            }
            for b in 0..<blocks { (blockCrossings[b], blockPending[b]) = results[b] }
        }}}}}}}}}
        var crossings = [Int32](repeating: 0, count: routeCount)
        for c in blockCrossings {
            for r in 0..<routeCount { crossings[r] &+= c[r] }
            for l in 0..<locationCount { counts[l] &+= c[routeCount + l] }
        }
        // Arrivals at capacity-limited camps, in agent order: admitted while there is room.
        for pending in blockPending {
            for i32 in pending {
                let i = Int(i32)
                let a = Int(agents.arc[i])
                let target = Int(arcTarget[a])
                if Double(counts[target]) < Double(capacity[target]) * settings.capacityScaling {
                    agents.node[i] = Int32(target)
                    counts[target] += 1
                    crossings[Int(arcRoute[a])] += 1
                } else {
                    agents.path[i] = -1
                    counts[Int(agents.node[i])] += 1
                }
                agents.arc[i] = -1
                agents.onLink[i] = 0
            }
        }
        return crossings
    }

    /// Days between reorderings of the agents by location (`AgentStore.sortByNode`; 0: never).
    /// Off by default: on the bundled network (4M people, 120 days, one thread, shared machine)
    /// reordering every 4 days took 16.4 CPU s against 14.9 without, every day 31% more; the
    /// hop's reads at the location reached are what costs, and sorting does not bring them closer.
    var sortInterval = 0

    /// Whether the stay-or-leave decisions of people waiting at a location come from one binomial
    /// draw per location (they are interchangeable: same place, no route, no other state the
    /// rules read) rather than one draw each. With `start_on_foot` the first link's speed
    /// depends on whether a person has travelled yet, so each person draws.
    var binomialStays: Bool { !settings.startOnFoot }

    /// Per block and location, the rank of the block's first waiting person among those of the
    /// location (in index order), in `rankBuffer`; returns the people waiting at each location.
    /// One parallel counting pass over the agents.
    func waitingRanks(blocks: Int, per: Int) -> [Int32] {
        let locationCount = names.count, n = agents.count
        if rankBuffer.count < blocks * locationCount {
            rankBuffer.deallocate()
            rankBuffer = .allocate(capacity: blocks * locationCount)
        }
        let table = RankTable(base: rankBuffer.baseAddress, stride: locationCount)
        let columns = AgentColumns(agents)
        _ = Parallel.map(count: blocks, workers: threads, state: { () }) { _, b -> Bool in
            let row = table.row(b)!
            row.initialize(repeating: 0, count: locationCount)
            let lo = b * per, hi = min(n, lo + per)
            if lo < hi {
                for i in lo..<hi where columns.arc[i] < 0 && columns.path[i] < 0 { row[Int(columns.node[i])] += 1 }
            }
            return true
        }
        var total = [Int32](repeating: 0, count: locationCount)
        for b in 0..<blocks {
            let row = table.row(b)!
            for l in 0..<locationCount {
                let here = row[l]
                row[l] = total[l]
                total[l] += here
            }
        }
        return total
    }

    /// Contiguous blocks of agents for the parallel passes: a few per thread.
    func blockCount(_ n: Int) -> Int {
        n < parallelGrain || threads == 1 ? 1 : min(threads * 4, max(1, n / max(parallelGrain / 4, 1)))
    }

    /// Recounts people at each location from the agent columns (parallel histogram); the day's
    /// pass keeps the counts up to date incrementally, this is the check.
    func recount() {
        let n = agents.count, locationCount = names.count
        let blocks = blockCount(n)
        let per = (n + blocks - 1) / max(blocks, 1)
        let store = agents
        let slots = Parallel.map(count: blocks, workers: threads, state: { () }) { _, b -> [Int32] in
            var local = [Int32](repeating: 0, count: locationCount)
            let lo = b * per, hi = min(n, lo + per)
            if lo < hi {
                for i in lo..<hi where store.arc[i] < 0 { local[Int(store.node[i])] += 1 }
            }
            return local
        }
        counts = .init(repeating: 0, count: locationCount)
        for b in 0..<blocks { let local = slots[b]; for l in 0..<locationCount { counts[l] += local[l] } }
    }
}

/// Rows of per-block rank counters (each block writes only its own row).
struct RankTable: @unchecked Sendable {
    let base: UnsafeMutablePointer<Int32>?
    let stride: Int
    func row(_ b: Int) -> UnsafeMutablePointer<Int32>? { base.map { $0 + b * stride } }
}

/// Read-only views of the graph and today's route tables for the parallel pass.
struct MovementGraph: @unchecked Sendable {
    let arcStart: UnsafeBufferPointer<Int32>, arcTarget: UnsafeBufferPointer<Int32>, arcOpen: UnsafeBufferPointer<UInt8>
    let pathStart: UnsafeBufferPointer<Int32>, pathNodes: UnsafeBufferPointer<Int32>
    let fullCamp: UnsafeBufferPointer<UInt8>
    let places: UnsafeBufferPointer<PlaceToday>, links: UnsafeBufferPointer<LinkToday>
    let candidates: UnsafeBufferPointer<CandidateToday>
}

/// A location as a hop reads it today (32 bytes).
struct PlaceToday {
    var moveChance = 0.0
    /// Its candidate routes: `candFirst ..< candFirst + candCount`.
    var candFirst: Int32 = 0, candCount: Int32 = 0
    /// People here without a route at the start of the day, how many of them leave (one
    /// binomial draw), and where the window of leavers starts among them (see `MovementDay`).
    var waiting: Int32 = 0, leavers: Int32 = 0, offset: Int32 = 0
    var full: UInt8 = 0, limited: UInt8 = 0
}

/// A directed link as a hop reads it today (16 bytes).
struct LinkToday {
    var target: Int32 = 0
    var km: Float = 0
    var route: Int32 = 0
    var open: UInt8 = 0
}

/// A candidate route as a choice reads it today (24 bytes).
struct CandidateToday {
    /// Cumulative weight up to and including this candidate among its location's.
    var cumulative = 0.0
    var firstArc: Int32 = 0
    var path: Int32 = 0
    /// Whether its destination is a full camp; whether it has more than one step.
    var endFull: UInt8 = 0, multiStep: UInt8 = 0
}

/// The agent columns as raw pointers (no reference counting in the parallel pass).
struct AgentColumns: @unchecked Sendable {
    let node: UnsafeMutablePointer<Int32>, arc: UnsafeMutablePointer<Int32>, onLink: UnsafeMutablePointer<Float>
    let path: UnsafeMutablePointer<Int32>, pathStep: UnsafeMutablePointer<UInt16>, trips: UnsafeMutablePointer<UInt8>
    let home: UnsafeMutablePointer<Int32>

    init(_ store: AgentStore) {
        node = store.node; arc = store.arc; onLink = store.onLink; path = store.path
        pathStep = store.pathStep; trips = store.trips; home = store.home
    }
}

/// One agent's day under the Flee rules (Flee's `Person.evolve` and `finish_travel`).
struct MovementDay: @unchecked Sendable {
    /// `CounterRandom.key(seed:counter: day)`.
    let key: UInt64
    let speed: Float, walkSpeed: Float, startOnFoot: Bool
    let routeCount: Int
    let s: AgentColumns

    /// Moves agent `i` for the day, tallying completed links per route in `crossings[0..<routeCount]`
    /// and the change of people at each location after them. Arrivals at capacity-limited
    /// locations are left on the link (at its end) and listed in `pending` for admission.
    ///
    /// With `rank` (the binomial mode), a person at a location without a route leaves when their
    /// rank among the people waiting there (by index; `rank[l]` is the next rank at l in this
    /// block) falls in the day's cyclic window `offset ..< offset + leavers` of the location: no
    /// draw for those who stay.
    @inline(__always)
    func move(_ i: Int, _ g: MovementGraph, _ crossings: UnsafeMutablePointer<Int32>, _ pending: inout [Int32],
              rank: UnsafeMutablePointer<Int32>?) {
        var rng = CounterRandom(key: key, stream: UInt64(i))
        if s.arc[i] < 0 {
            if s.path[i] < 0 {
                let l = Int(s.node[i])
                if let rank {
                    let place = g.places[l]
                    var w = rank[l] - place.offset
                    rank[l] += 1
                    if w < 0 { w += place.waiting }
                    if w >= place.leavers { return }
                } else if rng.uniform() >= g.places[l].moveChance {
                    return  // most people stay put: only the move-chance draw
                }
            }
            depart(i, g, &rng, crossings)
        }
        travel(i, g, &rng, crossings, &pending)
    }

    /// Agent `i` advances along its link and on over as many links as the day allows.
    @inline(__always)
    func travel(_ i: Int, _ g: MovementGraph, _ rng: inout CounterRandom, _ crossings: UnsafeMutablePointer<Int32>,
                _ pending: inout [Int32]) {
        var moved: Float = 0
        while s.arc[i] >= 0 {
            let today = startOnFoot && s.trips[i] == 0 ? walkSpeed : speed
            let a = Int(s.arc[i])
            let link = g.links[a]
            let km = link.km
            s.onLink[i] += today
            moved += today
            guard s.onLink[i] > km else { return }
            if s.trips[i] < 255 { s.trips[i] += 1 }
            moved += km - s.onLink[i]
            if link.open == 0 {
                // Closed while on it: back to where the link starts (route kept, as in Flee).
                s.arc[i] = -1; s.onLink[i] = 0
                crossings[routeCount + Int(s.node[i])] &+= 1
                return
            }
            let target = link.target
            let place = g.places[Int(target)]
            if place.limited != 0 {
                s.onLink[i] = km
                pending.append(Int32(i))
                return
            }
            s.node[i] = target; s.arc[i] = -1; s.onLink[i] = 0
            crossings[Int(link.route)] &+= 1
            crossings[routeCount + Int(target)] &+= 1
            guard moved < today else { return }
            if s.path[i] < 0, rng.uniform() >= place.moveChance { return }
            depart(i, g, &rng, crossings)
        }
    }

    /// Agent `i` (at a location, decided to move) takes a route if it has none, then the
    /// first link of the route.
    @inline(__always)
    func depart(_ i: Int, _ g: MovementGraph, _ rng: inout CounterRandom, _ tally: UnsafeMutablePointer<Int32>) {
        let here = Int(s.node[i])
        if s.path[i] < 0 {
            let place = g.places[here]
            let lo = Int(place.candFirst), hi = lo + Int(place.candCount)
            guard lo < hi else { return }
            let c = g.candidates
            let u = rng.uniform() * c[hi - 1].cumulative
            var a = lo, b = hi - 1
            while a < b {
                let mid = (a + b) >> 1
                if c[mid].cumulative > u { b = mid } else { a = mid + 1 }
            }
            // A fresh route: its first link and destination are in the candidate table.
            let chosen = c[a]
            guard chosen.endFull == 0 else { return }
            if chosen.multiStep != 0 {
                s.path[i] = chosen.path; s.pathStep[i] = 1
            }
            s.arc[i] = chosen.firstArc
            s.onLink[i] = 0
            tally[routeCount + here] &-= 1
            return
        }
        _ = rng.uniform()  // the move-chance draw (chance 1 with a route), as in Flee
        let p = Int(s.path[i])
        let first = Int(g.pathStart[p]), last = Int(g.pathStart[p + 1])
        let step = first + Int(s.pathStep[i])
        let next = g.pathNodes[step]
        var chosen = -1
        for a in Int(g.arcStart[here])..<Int(g.arcStart[here + 1]) where g.arcOpen[a] != 0 && g.arcTarget[a] == next {
            chosen = a
            break
        }
        guard chosen >= 0, g.fullCamp[Int(g.pathNodes[last - 1])] == 0 else {
            s.path[i] = -1  // the link has gone or the destination camp is full: drop the route
            return
        }
        if step + 1 == last { s.path[i] = -1 } else { s.pathStep[i] += 1 }
        s.arc[i] = Int32(chosen)
        s.onLink[i] = 0
        tally[routeCount + here] &-= 1
    }
}
