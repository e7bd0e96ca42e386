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

    public func alternatives(of pair: ODPair) -> [Alternative]? { index[pair].map { alternatives[$0] } }

    /// Finds each pair's set with `distinctPaths` on `costed` (its costs, under `overlay`, with the
    /// edges the pair's class may not use closed: `CostedNetwork.barredRows`),
    /// keeps their features and the crossings `counter(row, forward)` names (none: not counted).
    /// Costs re-evaluated under other parameters ignore what the overlay changes except
    /// closures and `overlayExtraCost`, which is priced at `costed`'s parameters.
    ///
    /// - Throws: `InputError`/`GraphError` for unknown nodes or a bad rule.
    /// - Complexity: one backward tree per destination and class with barred edges, then one
    ///   choice-set search per pair (see `distinctPaths`), in parallel.
    public static func build(costed: CostedNetwork, pairs: [ODPair], rule: ChoiceSetRule, overlay: CostOverlay? = nil,
                             counter: @escaping @Sendable (_ row: Int, _ forward: Bool) -> [Int],
                             workers: Int = Assignment.defaultWorkers) throws -> FixedChoiceSets {
        let network = costed.network, graph = costed.graph
        let groups = try Corridors.groups(in: network, graph: graph)
        let edgeFeatures = (0..<network.edgeCount).map { row in
            CostFeatures(costed.attributes[row], surveillance: costed.attributes[row].surveillance)
        }
        let sorted = Array(Set(pairs)).sorted()
        // The overlay of each class with barred edges (index 1…); the others share `overlay` (index 0).
        let barred = costed.barredRows
        var overlayList: [CostOverlay?] = [overlay], overlayIndex: [String: Int] = [:]
        for c in Set(sorted.compactMap(\.userClass)).sorted() where !(barred[c] ?? []).isEmpty {
            var o = overlay ?? CostOverlay(graph: graph)
            for row in barred[c]! { try o.close(edge: graph.edgeIds[row]) }
            overlayIndex[c] = overlayList.count
            overlayList.append(o)
        }
        let overlays = overlayList
        let overlayOfPair = sorted.map { p in p.userClass.flatMap { overlayIndex[$0] } ?? 0 }
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
        let sets = try Parallel.map(count: sorted.count, workers: workers,
                                    state: { ShortestPathQuery(graph: graph) }) { query, i -> [Alternative] in
            let pair = sorted[i]
            let overlay = overlays[overlayOfPair[i]]
            let found = try query.distinctPaths(from: pair.origin, to: targetCosts[targetOfPair[i]],
                                                rule: rule, groups: groups, overlay: overlay)
            let sizes = PathSizeLogit.pathSizes(found.paths, graph: graph, lengths: groups.lengths, groups: groups)
            return zip(found.paths, sizes).map { path, size in
                var features = CostFeatures()
                var counts: [Int: Double] = [:]
                var extra = 0.0
                for (j, arc) in path.arcs.enumerated() {
                    let row = Int(graph.arcEdge[Int(arc)])
                    features += edgeFeatures[row]
                    if overlay != nil { extra += path.arcCosts[j] - graph.cost(ofArc: arc) }
                    for c in counter(row, graph.edgeForwardArc[row] == arc) { counts[c, default: 0] += 1 }
                }
                return Alternative(features: features, logPathSize: log(size), overlayExtraCost: extra,
                                   counts: counts.keys.sorted().map { Count(counter: $0, times: counts[$0]!) },
                                   edges: path.edges, arcs: path.arcs)
            }
        }
        return FixedChoiceSets(pairs: sorted, alternatives: sets)
    }

    // The same, flat, for evaluation: alternatives of set s are altFirst[s] ..< altFirst[s + 1].
    let altFirst: [Int]
    let vectors: [Double]
    let logPathSizes: [Double]
    let extraCosts: [Double]
    let countFirst: [Int]
    let countCounters: [Int]
    let countTimes: [Double]

    init(pairs: [ODPair], alternatives: [[Alternative]]) {
        self.pairs = pairs; self.alternatives = alternatives
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
        var counts = [Double](repeating: 0, count: counters)
        var assigned = 0.0, stranded = 0.0, suppressed = 0.0
        var utility: [Double] = []
        let coefficients = CostModel.coefficients(parameters)
        sets.vectors.withUnsafeBufferPointer { vectors in
            for d in demand {
                let pair = ODPair(d)
                guard let s = sets.index[pair], sets.altFirst[s + 1] > sets.altFirst[s] else {
                    stranded += d.flow
                    continue
                }
                let range = sets.altFirst[s]..<sets.altFirst[s + 1]
                var cheapest = sets.utilities(of: s, coefficients: coefficients, theta: theta, vectors: vectors, into: &utility)
                if let reference, let base = reference.alternatives(of: pair), !base.isEmpty {
                    cheapest = base.map { CostModel.cost(of: $0.features.vector, coefficients: coefficients) + $0.overlayExtraCost }
                        .min()!
                }
                let (shares, stay) = PathSizeLogit.shares(utility, outside: outsideOption.map { -theta * (cheapest + $0.margin) })
                for (j, k) in range.enumerated() {
                    let f = d.flow * shares[j]
                    for c in sets.countFirst[k]..<sets.countFirst[k + 1] { counts[sets.countCounters[c]] += f * sets.countTimes[c] }
                }
                suppressed += d.flow * stay
                assigned += d.flow * (1 - stay)
            }
        }
        return (counts, assigned, stranded, suppressed)
    }

    /// The path-size logit probabilities of the alternatives of `pair` under `parameters`
    /// with dispersion `theta` and no outside option (the shares `crossings` spreads demand
    /// by); nil when the pair has no set, empty when it has no alternative.
    /// - Complexity: O(alternatives × features).
    public static func shares(of pair: ODPair, sets: FixedChoiceSets, parameters: CostModel.Parameters, theta: Double) -> [Double]? {
        guard let s = sets.index[pair] else { return nil }
        guard sets.altFirst[s + 1] > sets.altFirst[s] else { return [] }
        var utility: [Double] = []
        let coefficients = CostModel.coefficients(parameters)
        sets.vectors.withUnsafeBufferPointer { vectors in
            _ = sets.utilities(of: s, coefficients: coefficients, theta: theta, vectors: vectors, into: &utility)
        }
        return PathSizeLogit.shares(utility, outside: nil).paths
    }
}

extension FixedChoiceSets {
    /// The logit utilities −θ c_k + ln PS_k of set `s`'s alternatives into `utility` (replaced);
    /// returns the cheapest cost c_k.
    func utilities(of s: Int, coefficients: [Double], theta: Double, vectors: UnsafeBufferPointer<Double>,
                   into utility: inout [Double]) -> Double {
        utility.removeAll(keepingCapacity: true)
        var cheapest = Double.infinity
        for k in altFirst[s]..<altFirst[s + 1] {
            let c = CostModel.cost(of: UnsafeBufferPointer(rebasing: vectors[(k * CostFeatures.width)...]),
                                   coefficients: coefficients) + extraCosts[k]
            cheapest = min(cheapest, c)
            utility.append(-theta * c + logPathSizes[k])
        }
        return cheapest
    }
}
