import RouteShiftCore
import Foundation
import RouteShiftGraph
import RouteShiftNetwork

/// One origin–destination pair by node id, for one class of travellers (`Demand.userClass`).
public struct ODPair: Hashable, Sendable, Comparable {
    public var origin: Int64
    public var destination: Int64
    /// `nil`: no entry rule applies.
    public var userClass: String?
    public init(origin: Int64, destination: Int64, userClass: String? = nil) {
        self.origin = origin; self.destination = destination; self.userClass = userClass
    }
    /// The pair of a demand.
    public init(_ d: Demand) { self.init(origin: d.origin, destination: d.destination, userClass: d.userClass) }
    /// By origin, destination, then class (no class first).
    public static func < (a: ODPair, b: ODPair) -> Bool {
        if (a.origin, a.destination) != (b.origin, b.destination) { return (a.origin, a.destination) < (b.origin, b.destination) }
        switch (a.userClass, b.userClass) {
        case (nil, nil), (.some, nil): return false
        case (nil, .some): return true
        case let (x?, y?): return x < y
        }
    }
}

/// Choice sets found once and kept, with what each alternative's cost, path
/// size and counted crossings depend on, so the path-size logit can be
/// re-evaluated under new cost parameters without any search: the fixed
/// choice-set approach of route-choice estimation (e.g. Frejinger, Bierlaire &
/// Ben-Akiva 2009 discuss its bias when the set misses paths the new
/// parameters would prefer; calibration therefore refreshes the sets).
///
/// Storage only; `FixedSetLogit` evaluates it.
public struct FixedChoiceSets: Sendable {
    public struct Alternative: Hashable, Sendable {
        /// Summed cost features of its edges, detection by surveillance level.
        public var features: CostFeatures
        /// ln PS of the path-size factor within its pair's set (corridor groups, lengths in km).
        public var logPathSize: Double
        /// Cost the overlay adds to (or takes from) its changed, open arcs, at the
        /// parameters of the build (surveillance multipliers and overrides); 0 without an overlay.
        public var overlayExtraCost: Double
        /// Counted crossings: (counter index, times crossed), ascending by index.
        public var counts: [Count]
        /// Edge ids of the path, origin first.
        public var edges: [Int64]
        /// The path's arcs in the graph it was found on, origin first.
        public var arcs: [Int32] = []
    }

    public struct Count: Hashable, Sendable {
        public var counter: Int
        public var times: Double
    }

    /// Pairs in ascending order, and each pair's alternatives (empty: no route).
    public let pairs: [ODPair]
    public let alternatives: [[Alternative]]
    let index: [ODPair: Int]
    /// Edge rows of every path each set's searches found (see `DistinctPaths.searchedRows`).
    let searchedRows: [[Int32]]
    let basis: Basis?
    /// Sets taken over from the `previous` sets of `build` instead of searched.
    public let reusedSets: Int

    public func alternatives(of pair: ODPair) -> [Alternative]? { index[pair].map { alternatives[$0] } }

    /// Finds each pair's set with `distinctPaths` on `costed` (its costs, under `overlay`),
    /// keeps their features and the crossings `counter(row, forward)` names (none: not counted).
    /// Costs re-evaluated under other parameters ignore what the overlay changes except
    /// closures and `overlayExtraCost`, which is priced at `costed`'s parameters.
    ///
    /// With `previous` (sets built on the same network, under other dated attributes, another
    /// overlay or another counter; with another rule nothing is taken over), a pair's set is taken over instead of
    /// searched when it cannot differ: no path its searches found runs on an edge whose cost,
    /// base cost or features changed, and no path through an arc that became cheaper (or
    /// opened) costs within the set's detour limit (`cheapestCosts`). Then every search of the
    /// link elimination returns what it returned before: a path avoiding the changed edges
    /// keeps its cost, a path on an edge that became dearer was dearer already, and none on a
    /// cheaper one is within reach; the same holds for the sections of a border that became
    /// checked (a new crossing to build alternatives through). (Equal-cost ties may be broken
    /// as in `previous`.)
    ///
    /// Each pair is searched with the edges its class of travellers may not use closed
    /// (`CostedNetwork.barredRows`); a set is never taken over for a class whose barred edges changed.
    ///
    /// - Throws: `InputError`/`GraphError` for unknown nodes or a bad rule.
    /// - Complexity: one backward tree per destination and list of barred edges (classes barred
    ///   from the same edges share their trees, searches and sets), then the
    ///   choice-set searches of the pairs not taken over, one origin's together (see
    ///   `distinctPaths(from:to:rule:groups:overlay:)` for many targets), in parallel; with
    ///   `previous`, O(E) to compare the networks and, when arcs became cheaper, one bounded
    ///   forward tree per origin.
    public static func build(costed: CostedNetwork, pairs: [ODPair], rule: ChoiceSetRule, overlay: CostOverlay? = nil,
                             counter: @escaping @Sendable (_ row: Int, _ forward: Bool) -> [Int],
                             workers: Int = Assignment.defaultWorkers, reusing previous: FixedChoiceSets? = nil) throws
        -> FixedChoiceSets {
        let network = costed.network, graph = costed.graph
        let groups = try costed.corridorGroups()
        let edgeFeatures = (0..<network.edgeCount).map { row in
            CostFeatures(costed.attributes[row], surveillance: costed.attributes[row].surveillance)
        }
        let active = overlay.flatMap { $0.isEmpty ? nil : $0 }
        let sorted = Array(Set(pairs)).sorted()
        // The overlay of each list of barred edges (index 1…), shared by the classes barred from
        // the same edges (in 2014–2019 every class but those open to Russia): their trees and
        // searches are one. The classes that may use every edge share `active` (index 0).
        let barred = costed.barredRows
        var overlayList: [CostOverlay?] = [active], overlayIndex: [String: Int] = [:]
        var overlayOfRows: [[BarredEdge]: Int] = [:]
        for c in Set(sorted.compactMap(\.userClass)).sorted() {
            guard let rows = barred[c], !rows.isEmpty else { continue }
            if let k = overlayOfRows[rows] { overlayIndex[c] = k; continue }
            var o = active ?? CostOverlay(graph: graph)
            for row in rows { try o.close(row, in: graph) }
            overlayOfRows[rows] = overlayList.count
            overlayIndex[c] = overlayList.count
            overlayList.append(o)
        }
        let overlays = overlayList
        let overlayOfPair = sorted.map { p in p.userClass.flatMap { overlayIndex[$0] } ?? 0 }
        let basis = Basis(graph: graph, overlay: active, edgeFeatures: edgeFeatures, rule: rule, barred: barred,
                          groups: groups)
        // One backward tree per destination and overlay, shared by its origins (the searches' A* bound).
        struct TargetKey: Hashable { var destination: Int64; var overlay: Int }
        var targetList: [TargetKey] = [], targetIndex: [TargetKey: Int] = [:]
        let targetOfPair = sorted.indices.map { i -> Int in
            let k = TargetKey(destination: sorted[i].destination, overlay: overlayOfPair[i])
            if let t = targetIndex[k] { return t }
            targetIndex[k] = targetList.count
            targetList.append(k)
            return targetList.count - 1
        }
        let targets = targetList
        let targetCosts = try Parallel.map(count: targets.count, workers: workers,
                                           state: { ShortestPathQuery(graph: graph) }) { query, i in
            try query.costsToTarget(targets[i].destination, overlay: overlays[targets[i].overlay])
        }
        let counted = CountedCrossings(graph: graph, counter: counter)
        let taken = try previous.map { try $0.takenOver(by: sorted, basis: basis, targetCosts: targetCosts,
                                                        targetOfPair: targetOfPair, overlays: overlays,
                                                        overlayOfPair: overlayOfPair, counted: counted, workers: workers) }
            ?? Array(repeating: nil, count: sorted.count)
        // The pairs to search, by origin and overlay: one search of all an origin's destinations
        // (corridor enumeration grows one forward tree for them). Pairs of classes that share an
        // overlay share one set (a job): the same search on the same costs.
        struct SearchKey: Hashable { var origin: Int64; var overlay: Int }
        var searchList: [SearchKey] = [], searchIndex: [SearchKey: Int] = [:], searchTargets: [[Int]] = []
        var jobOfTarget: [[Int: Int]] = [], jobList: [(search: Int, slot: Int)] = []
        var jobOfPair = [Int](repeating: -1, count: sorted.count)
        for i in sorted.indices where taken[i] == nil {
            let k = SearchKey(origin: sorted[i].origin, overlay: overlayOfPair[i])
            let o: Int
            if let known = searchIndex[k] { o = known } else {
                o = searchList.count
                searchIndex[k] = o; searchList.append(k); searchTargets.append([]); jobOfTarget.append([:])
            }
            let t = targetOfPair[i]
            if let job = jobOfTarget[o][t] { jobOfPair[i] = job; continue }
            jobOfTarget[o][t] = jobList.count
            jobOfPair[i] = jobList.count
            jobList.append((o, searchTargets[o].count))
            searchTargets[o].append(t)
        }
        let searches = searchList, targetsOfSearch = searchTargets, jobs = jobList
        let searched = try Parallel.map(count: searches.count, workers: workers,
                                        state: { ShortestPathQuery(graph: graph) }) { query, o -> [DistinctPaths] in
            try query.distinctPaths(from: searches[o].origin, to: targetsOfSearch[o].map { targetCosts[$0] }, rule: rule,
                                    groups: groups, overlay: overlays[searches[o].overlay])
        }
        let jobSets = Parallel.map(count: jobs.count, workers: workers,
                                   state: { () }) { _, j -> [Alternative] in
            let active = overlays[searches[jobs[j].search].overlay]
            let found = searched[jobs[j].search][jobs[j].slot]
            let sizes = PathSizeLogit.pathSizes(found.paths, graph: graph, lengths: groups.lengths, groups: groups)
            return zip(found.paths, sizes).map { path, size in
                var features = CostFeatures()
                var extra = 0.0
                for (j, arc) in path.arcs.enumerated() {
                    let row = Int(graph.arcEdge[Int(arc)])
                    features += edgeFeatures[row]
                    if active != nil { extra += path.arcCosts[j] - graph.cost(ofArc: arc) }
                }
                return Alternative(features: features, logPathSize: log(size), overlayExtraCost: extra,
                                   counts: counted.counts(of: path.arcs),
                                   edges: path.edges, arcs: path.arcs)
            }
        }
        let built = sorted.indices.map { i -> ([Alternative], [Int32]) in
            if let set = taken[i] { return set }
            let job = jobs[jobOfPair[i]]
            return (jobSets[jobOfPair[i]], searched[job.search][job.slot].searchedRows)
        }
        return FixedChoiceSets(pairs: sorted, alternatives: built.map(\.0), searchedRows: built.map(\.1), basis: basis,
                               reused: taken.reduce(0) { $0 + ($1 == nil ? 0 : 1) })
    }

    /// The crossings `counter` names along `arcs` of `graph`: (counter, times), ascending by counter.
    /// - Complexity: O(|arcs| + crossings × distinct counters), no hashing (a path crosses few counters).
    static func counts(of arcs: [Int32], graph: RoutingGraph, counter: (_ row: Int, _ forward: Bool) -> [Int]) -> [Count] {
        CountedCrossings(graph: graph, counter: counter).counts(of: arcs)
    }

    /// What `counter` names for each arc of a graph, asked once per arc instead of once per arc
    /// of every path (a build counts the crossings of some million path arcs).
    struct CountedCrossings {
        /// Counters of arc a: `counters[first[a] ..< first[a + 1]]`, in `counter`'s order.
        private let first: [Int32]
        private let counters: [Int]

        /// - Complexity: O(A) calls of `counter`.
        init(graph: RoutingGraph, counter: (_ row: Int, _ forward: Bool) -> [Int]) {
            var first: [Int32] = [0], counters: [Int] = []
            first.reserveCapacity(graph.arcCount + 1)
            let forwardArcs = graph.edgeForwardArc, arcEdge = graph.arcEdge
            for arc in 0..<graph.arcCount {
                let row = Int(arcEdge[arc])
                counters += counter(row, forwardArcs[row] == Int32(arc))
                first.append(Int32(counters.count))
            }
            self.first = first; self.counters = counters
        }

        /// (counter, times) along `arcs`, ascending by counter; the same as asking `counter` arc by arc.
        /// - Complexity: O(|arcs| + crossings × distinct counters).
        func counts(of arcs: [Int32]) -> [Count] {
            var counts: [Count] = []
            for arc in arcs {
                for k in Int(first[Int(arc)])..<Int(first[Int(arc) + 1]) {
                    let c = counters[k]
                    if let i = counts.firstIndex(where: { $0.counter == c }) { counts[i].times += 1 } else {
                        counts.append(Count(counter: c, times: 1))
                    }
                }
            }
            counts.sort { $0.counter < $1.counter }
            return counts
        }
    }

    /// What a build searched on: enough to tell which of its sets another build may take over.
    struct Basis: Sendable {
        let graph: RoutingGraph
        let overlay: CostOverlay?
        let edgeFeatures: [CostFeatures]
        let rule: ChoiceSetRule
        /// Edge rows each class of travellers could not use (`CostedNetwork.barredRows`).
        let barred: [String: [BarredEdge]]
        /// The corridor groups searched through (which borders were checked that day).
        let groups: LinkGroups
        /// Each edge row's forward and backward arc in `graph` (-1: none), taken out once.
        let forwardArcs: [Int32], backwardArcs: [Int32]

        init(graph: RoutingGraph, overlay: CostOverlay?, edgeFeatures: [CostFeatures], rule: ChoiceSetRule,
             barred: [String: [BarredEdge]], groups: LinkGroups) {
            self.graph = graph; self.overlay = overlay; self.edgeFeatures = edgeFeatures; self.rule = rule
            self.barred = barred; self.groups = groups
            forwardArcs = graph.edgeForwardArc; backwardArcs = graph.edgeBackwardArc
        }

        /// Effective and base cost of edge `row` in one direction; `.infinity` when absent or closed.
        func costs(row: Int, forward: Bool) -> (effective: Double, base: Double) {
            let arc = forward ? forwardArcs[row] : backwardArcs[row]
            guard arc >= 0 else { return (.infinity, .infinity) }
            return costs(ofArc: arc)
        }

        /// Effective and base cost of `arc` (an arc of `graph`).
        func costs(ofArc arc: Int32) -> (effective: Double, base: Double) {
            let base = graph.cost(ofArc: arc)
            return (overlay?.cost(ofArc: arc) ?? base, base)
        }
    }

    /// The sets of `pairs` (in `basis`) that are the same as these (see `build`), with their
    /// arcs renumbered for `basis.graph` and their crossings counted by `counted`; nil where
    /// the pair must be searched.
    /// `targetOfPair`/`overlayOfPair`: each pair's backward tree and overlay (its class's barred
    /// edges closed) in `targetCosts`/`overlays`; a pair whose class's barred edges changed is searched.
    func takenOver(by pairs: [ODPair], basis new: Basis, targetCosts: [CostsToTarget], targetOfPair: [Int],
                   overlays: [CostOverlay?], overlayOfPair: [Int],
                   counted: CountedCrossings, workers: Int) throws -> [([Alternative], [Int32])?] {
        guard let old = basis, old.rule == new.rule, old.edgeFeatures.count == new.edgeFeatures.count else {
            return Array(repeating: nil, count: pairs.count)
        }
        var changed = [Bool](repeating: false, count: new.edgeFeatures.count)
        var cheaper: [Int32] = []
        for row in changed.indices {
            if old.edgeFeatures[row] != new.edgeFeatures[row] { changed[row] = true }
            for forward in [true, false] {
                let a = old.costs(row: row, forward: forward), b = new.costs(row: row, forward: forward)
                if a != b { changed[row] = true }
                if b.effective < a.effective { cheaper.append(forward ? new.forwardArcs[row] : new.backwardArcs[row]) }
            }
        }
        // A group that became a crossing (checked) offers new alternatives through it: like an
        // arc that became cheaper, a path through it must stay beyond the set's detour limit.
        for row in changed.indices {
            let g = Int(new.groups.groupOfEdge[row])
            guard new.groups.eliminable[g], !old.groups.eliminable[Int(old.groups.groupOfEdge[row])] else { continue }
            for arc in [new.forwardArcs[row], new.backwardArcs[row]] where arc >= 0 { cheaper.append(arc) }
        }
        // Candidates: the pair had a set and none of its searched paths touches a changed edge.
        var candidate = [Int?](repeating: nil, count: pairs.count)
        for (i, pair) in pairs.enumerated() {
            guard pair.origin != pair.destination, let s = index[pair], !alternatives[s].isEmpty,
                  !searchedRows[s].contains(where: { changed[Int($0)] }),
                  pair.userClass.map({ old.barred[$0] ?? [] }) == pair.userClass.map({ new.barred[$0] ?? [] }) else { continue }
            candidate[i] = s
        }
        // Detour limit of a set, with a margin over the search's own (which adds 1e-9 of it).
        func limit(_ s: Int) -> Double {
            let l = (1 + new.rule.maxDetour) * cheapestCost(of: s)
            return l + 1e-6 * l
        }
        if !cheaper.isEmpty {
            // A path through an arc that became cheaper must stay beyond the set's detour limit.
            // One bounded forward tree per origin and overlay (the class's barred edges closed).
            struct OriginKey: Hashable { var origin: Int64; var overlay: Int }
            let candidates = candidate.indices.filter { candidate[$0] != nil }
            var origins: [OriginKey] = [], originOf: [OriginKey: Int] = [:]
            var byOrigin: [[Int]] = []
            for i in candidates {
                let k = OriginKey(origin: pairs[i].origin, overlay: overlayOfPair[i])
                if originOf[k] == nil { originOf[k] = origins.count; origins.append(k); byOrigin.append([]) }
                byOrigin[originOf[k]!].append(i)
            }
            let graph = new.graph, cheaperArcs = cheaper, group = byOrigin, starts = origins
            let limits = candidate.map { $0.map(limit) ?? 0 }
            let excluded = try Parallel.map(count: starts.count, workers: workers,
                                            state: { ShortestPathQuery(graph: graph) }) { query, o -> [Int] in
                let members = group[o]
                let bounds = try query.cheapestCosts(from: starts[o].origin, via: cheaperArcs,
                                                     to: members.map { targetCosts[targetOfPair[$0]] },
                                                     maxCost: members.map { limits[$0] }.max()!,
                                                     overlay: overlays[starts[o].overlay])
                return zip(members, bounds).filter { i, b in b <= limits[i] }.map(\.0)
            }
            for i in excluded.joined() { candidate[i] = nil }
        }
        let oldGraph = old.graph
        // Graphs of one network number their arcs alike: then the arcs stay as they are.
        let sameArcs = old.forwardArcs == new.forwardArcs && old.backwardArcs == new.backwardArcs
        return candidate.map { s in
            s.map { s in
                let renumbered = alternatives[s].map { a in
                    var a = a
                    if !sameArcs {
                        a.arcs = a.arcs.map { arc in
                            let row = Int(oldGraph.arcEdge[Int(arc)])
                            return old.forwardArcs[row] == arc ? new.forwardArcs[row] : new.backwardArcs[row]
                        }
                    }
                    a.counts = counted.counts(of: a.arcs)
                    return a
                }
                return (renumbered, searchedRows[s])
            }
        }
    }

    /// Cost of set `s`'s cheapest path on the costs it was searched on (the same on both sides
    /// for a candidate, whose paths avoid every changed edge), summed along the path as the search does.
    func cheapestCost(of s: Int) -> Double {
        guard let old = self.basis else { return .infinity }
        var best = Double.infinity
        for a in alternatives[s] {
            var total = 0.0
            for arc in a.arcs { total += old.costs(ofArc: arc).effective }
            best = min(best, total)
        }
        return best
    }

    // The same, flat, for evaluation: alternatives of set s are altFirst[s] ..< altFirst[s + 1].
    let altFirst: [Int]
    let vectors: [Double]
    let logPathSizes: [Double]
    let extraCosts: [Double]
    let countFirst: [Int]
    let countCounters: [Int]
    let countTimes: [Double]

    init(pairs: [ODPair], alternatives: [[Alternative]], searchedRows: [[Int32]], basis: Basis?, reused: Int) {
        self.pairs = pairs; self.alternatives = alternatives
        self.searchedRows = searchedRows; self.basis = basis; reusedSets = reused
        index = Dictionary(uniqueKeysWithValues: pairs.enumerated().map { ($1, $0) })
        var altFirst = [0], vectors: [Double] = [], logs: [Double] = [], extras: [Double] = []
        var countFirst = [0], counters: [Int] = [], times: [Double] = []
        for set in alternatives {
            for a in set {
                vectors += a.features.vector; logs.append(a.logPathSize); extras.append(a.overlayExtraCost)
                for c in a.counts { counters.append(c.counter); times.append(c.times) }
                countFirst.append(counters.count)
            }
            altFirst.append(logs.count)
        }
        self.altFirst = altFirst; self.vectors = vectors; logPathSizes = logs; extraCosts = extras
        self.countFirst = countFirst; countCounters = counters; countTimes = times
    }
}

/// Path-size logit on fixed choice sets: shares from costs recomputed from the
/// alternatives' features, the option not to go against the cheapest of the set.
public enum FixedSetLogit {
    /// Expected counted crossings per counter (`counters` entries) for `demand`
    /// under `parameters` with dispersion `theta` and optional outside option;
    /// also the flow that is assigned, stranded (no alternative) and suppressed.
    /// The outside option's reference is the cheapest alternative of the pair in
    /// `reference` (the sets without interventions), or of `sets` when not given.
    /// - Complexity: O(Σ_demand alternatives × features); no search.
    public static func crossings(of demand: [Demand], sets: FixedChoiceSets, parameters: CostModel.Parameters,
                                 theta: Double, outsideOption: OutsideOption?, counters: Int,
                                 reference: FixedChoiceSets? = nil)
        -> (counts: [Double], assigned: Double, stranded: Double, suppressed: Double) {
        let unit = unitCrossings(sets: sets, parameters: parameters, theta: theta, outsideOption: outsideOption,
                                 reference: reference)
        var counts = [Double](repeating: 0, count: counters)
        let r = unit.add(SetDemand(demand, sets: sets), into: &counts)
        return (counts, r.assigned, r.stranded, r.suppressed)
    }

    /// The path-size logit probabilities of the alternatives of `pair` under `parameters`
    /// with dispersion `theta` and no outside option (the shares `crossings` spreads demand
    /// by); nil when the pair has no set, empty when it has no alternative.
    /// - Complexity: O(alternatives × features).
    public static func shares(of pair: ODPair, sets: FixedChoiceSets, parameters: CostModel.Parameters, theta: Double) -> [Double]? {
        shares(of: pair, sets: sets, parameters: parameters, theta: theta, outsideOption: nil, reference: nil)?.paths
    }

    /// The same with the option not to go, as `crossings` has it: utility −θ (c₀ + margin), c₀
    /// being `reference` (the pair's cheapest cost without interventions), else the cheapest
    /// alternative of the set. Returns the alternatives' shares and the share not going (0
    /// without `outsideOption`); nil when the pair has no set, ([], 0) when it has no alternative.
    /// - Complexity: O(alternatives × features).
    public static func shares(of pair: ODPair, sets: FixedChoiceSets, parameters: CostModel.Parameters, theta: Double,
                              outsideOption: OutsideOption?, reference: Double?) -> (paths: [Double], stay: Double)? {
        guard let s = sets.index[pair] else { return nil }
        guard sets.altFirst[s + 1] > sets.altFirst[s] else { return ([], 0) }
        var utility: [Double] = []
        let coefficients = CostModel.coefficients(parameters)
        let cheapest = sets.vectors.withUnsafeBufferPointer { vectors in
            sets.utilities(of: s, coefficients: coefficients, theta: theta, vectors: vectors, into: &utility)
        }
        let (paths, stay) = PathSizeLogit.shares(utility, outside: outsideOption.map { -theta * ((reference ?? cheapest) + $0.margin) })
        return (paths, stay)
    }
}

extension FixedChoiceSets {
    /// The logit utilities −θ c_k + ln PS_k of set `s`'s alternatives into `utility` (replaced);
    /// returns the cheapest cost c_k.
    func utilities(of s: Int, coefficients: [Double], theta: Double, vectors: UnsafeBufferPointer<Double>,
                   into utility: inout [Double]) -> Double {
        Self.utilities(of: altFirst[s]..<altFirst[s + 1], vectors: vectors, logPathSizes: logPathSizes,
                       extraCosts: extraCosts, coefficients: coefficients, theta: theta, into: &utility)
    }

    /// The same for the alternatives `range` of flat arrays laid out as `vectors`, `logPathSizes`
    /// and `extraCosts` are (`PooledChoiceSets` keeps its distinct sets so): one arithmetic for both.
    @inline(__always)
    static func utilities(of range: Range<Int>, vectors: UnsafeBufferPointer<Double>, logPathSizes: [Double],
                          extraCosts: [Double], coefficients: [Double], theta: Double, into utility: inout [Double]) -> Double {
        utility.removeAll(keepingCapacity: true)
        var cheapest = Double.infinity
        for k in range {
            let c = CostModel.cost(of: UnsafeBufferPointer(rebasing: vectors[(k * CostFeatures.width)...]),
                                   coefficients: coefficients) + extraCosts[k]
            cheapest = min(cheapest, c)
            utility.append(-theta * c + logPathSizes[k])
        }
        return cheapest
    }
}
