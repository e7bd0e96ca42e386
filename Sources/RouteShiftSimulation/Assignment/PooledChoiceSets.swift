import Dispatch
import RouteShiftCore

/// Several `FixedChoiceSets` (one per network state) evaluated together, each distinct set
/// of logit inputs once: sets whose alternatives have the same features, path sizes and
/// overlay costs (bit for bit) have the same shares, as the sets of classes of travellers
/// whose barred edges none of their paths use, and the sets one network state takes over
/// from another. On the bundled record this leaves a fraction of the pairs × states to
/// evaluate per parameter point.
///
/// Each member set keeps its own counted crossings (two sets with the same costs may cross
/// different counters); `PooledDemand` resolves a demand list against them once.
public struct PooledChoiceSets: Sendable {
    public let members: [FixedChoiceSets?]
    /// Distinct set of set `s` of member `m` (`distinct[m][s]`), -1 when the set is empty.
    let distinct: [[Int32]]
    // The distinct sets' logit inputs, flat: alternatives of d are altFirst[d] ..< altFirst[d + 1].
    let altFirst: [Int]
    let vectors: [Double]
    let logPathSizes: [Double]
    let extraCosts: [Double]

    /// Number of distinct sets (the logits one evaluation computes).
    public var distinctSets: Int { altFirst.count - 1 }

    /// - Complexity: O(Σ members' alternatives × features) hashing.
    public init(_ members: [FixedChoiceSets?]) {
        self.members = members
        var index: [[UInt64]: Int32] = [:]
        var altFirst = [0], vectors: [Double] = [], logs: [Double] = [], extras: [Double] = []
        var key: [UInt64] = []
        let width = CostFeatures.width
        distinct = members.map { sets in
            guard let sets else { return [] }
            return sets.pairs.indices.map { s -> Int32 in
                let range = sets.altFirst[s]..<sets.altFirst[s + 1]
                guard !range.isEmpty else { return -1 }
                key.removeAll(keepingCapacity: true)
                for k in range {
                    for i in 0..<width { key.append(sets.vectors[k * width + i].bitPattern) }
                    key.append(sets.logPathSizes[k].bitPattern); key.append(sets.extraCosts[k].bitPattern)
                }
                if let d = index[key] { return d }
                let d = Int32(altFirst.count - 1)
                index[key] = d
                vectors += sets.vectors[(range.lowerBound * width)..<(range.upperBound * width)]
                logs += sets.logPathSizes[range]; extras += sets.extraCosts[range]
                altFirst.append(logs.count)
                return d
            }
        }
        self.altFirst = altFirst; self.vectors = vectors; logPathSizes = logs; extraCosts = extras
    }

    /// The path-size logit of every distinct set under `parameters` with dispersion `theta`
    /// and optional outside option (against the set's own cheapest alternative), the
    /// arithmetic of `FixedSetLogit.unitCrossings` without a reference: each member set's
    /// shares are bit for bit those `unitCrossings` gives it. Distinct sets are split into
    /// up to eight contiguous blocks per worker, of at least `minimumBlock`, handed out to
    /// the threads as they come free (a thread that gets less of the processor takes fewer);
    /// each set is computed by one thread on its own, so the result does not depend on the
    /// number of threads or blocks.
    /// - Complexity: O(Σ distinct alternatives × features).
    public func shares(parameters: CostModel.Parameters, theta: Double, outsideOption: OutsideOption?,
                       workers: Int = 1, minimumBlock: Int = 256) -> PooledShares {
        let coefficients = CostModel.coefficients(parameters)
        let count = distinctSets
        var shares = [Double](repeating: 0, count: logPathSizes.count)
        var stay = [Double](repeating: 0, count: count)
        let blocks = workers <= 1 ? 1 : max(1, min(8 * workers, count / max(1, minimumBlock)))
        shares.withUnsafeMutableBufferPointer { shares in
            stay.withUnsafeMutableBufferPointer { stay in
                vectors.withUnsafeBufferPointer { vectors in
                    let out = PooledBlockOutput(shares: shares, stay: stay, vectors: vectors)
                    let body = { @Sendable (b: Int) in
                        var utility: [Double] = [], weights: [Double] = []
                        for d in (count * b / blocks)..<(count * (b + 1) / blocks) {
                            let range = altFirst[d]..<altFirst[d + 1]
                            let cheapest = FixedChoiceSets.utilities(of: range, vectors: out.vectors, logPathSizes: logPathSizes,
                                                                     extraCosts: extraCosts, coefficients: coefficients,
                                                                     theta: theta, into: &utility)
                            let outside = outsideOption.map { -theta * (cheapest + $0.margin) }
                            out.stay[d] = PathSizeLogit.shares(utility, outside: outside, into: &weights)
                            for (j, k) in range.enumerated() { out.shares[k] = weights[j] }
                        }
                    }
                    if blocks == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: blocks, execute: body) }
                }
            }
        }
        return PooledShares(shares: shares, stay: stay)
    }
}

/// What `PooledChoiceSets.shares` computes: the share of each distinct alternative and of
/// each distinct set's outside option.
public struct PooledShares: Sendable {
    let shares: [Double]
    let stay: [Double]
}

/// A demand list of one member of a `PooledChoiceSets`, resolved once so that each
/// evaluation adds its crossings without a lookup: the terms flow × share × times of
/// every counted crossing of every alternative, grouped by counter in the order
/// `UnitCrossings.add` adds them (entry, alternative, count), so that each counter's
/// total is the same sum, term by term, as there.
public struct PooledDemand: Sendable {
    /// One counted crossing of one alternative for one entry: 8 bytes, since an evaluation
    /// reads every term once and is bound by that reading.
    struct Term {
        /// Index into the shares of the distinct alternatives.
        var share: UInt32
        /// Entry (index into `entryFlow`) in the low 24 bits, times crossed in the high 8.
        var entryAndTimes: UInt32
        @inline(__always) var entry: Int { Int(entryAndTimes & 0xFF_FFFF) }
        @inline(__always) var times: Double { Double(entryAndTimes >> 24) }
    }

    /// Counters the terms add to.
    public let counters: Int
    /// Terms of counter c: counterFirst[c] ..< counterFirst[c + 1].
    let counterFirst: [Int]
    let terms: [Term]
    /// Entries with an alternative: flow and distinct set (for the outside option's share).
    let entryFlow: [Double]
    let entrySet: [Int32]
    /// Flow of the entries without a set or alternative, summed in entry order.
    public let stranded: Double
    /// Total flow, summed in entry order.
    public let total: Double

    /// - Parameter member: index of the demand's network state in `pool.members`.
    /// - Precondition: fewer than 2²⁴ entries with an alternative, an alternative crosses a
    ///   counter at most 255 times (a whole number of times), fewer than 2³² distinct alternatives.
    /// - Complexity: O(|demand|) hash lookups and O(Σ entries × alternatives × counts).
    public init(_ demand: [Demand], member: Int, pool: PooledChoiceSets, counters: Int) {
        let sets = pool.members[member]
        var byCounter = [[Term]](repeating: [], count: counters)
        var entryFlow: [Double] = [], entrySet: [Int32] = [], stranded = 0.0, total = 0.0
        for d in demand {
            total += d.flow
            guard let sets, let s = sets.index[ODPair(d)], pool.distinct[member][s] >= 0 else { stranded += d.flow; continue }
            let distinct = pool.distinct[member][s]
            let entry = UInt32(entryFlow.count)
            precondition(entry < 1 << 24, "too many demand entries for one evaluation")
            entryFlow.append(d.flow); entrySet.append(distinct)
            let first = pool.altFirst[Int(distinct)]
            for (j, k) in (sets.altFirst[s]..<sets.altFirst[s + 1]).enumerated() {
                for c in sets.countFirst[k]..<sets.countFirst[k + 1] {
                    let times = sets.countTimes[c]
                    precondition(times >= 1 && times <= 255 && times.rounded() == times, "crossings counted \(times) times")
                    byCounter[sets.countCounters[c]].append(Term(share: UInt32(first + j),
                                                                 entryAndTimes: entry | UInt32(times) << 24))
                }
            }
        }
        var counterFirst = [0]
        for terms in byCounter { counterFirst.append(counterFirst.last! + terms.count) }
        self.counters = counters; self.counterFirst = counterFirst
        terms = Array(byCounter.joined())
        self.entryFlow = entryFlow; self.entrySet = entrySet; self.stranded = stranded; self.total = total
    }

    /// Terms one evaluation adds.
    public var termCount: Int { terms.count }

    /// The crossings of this demand per counter (`counters` entries) under `shares`, each
    /// the sum `UnitCrossings.add` forms, term by term; with `totals`, the flow assigned,
    /// stranded and suppressed as there, else zeros for assigned and suppressed.
    /// - Complexity: O(terms), plus O(entries) with `totals`.
    public func crossings(_ shares: PooledShares, totals: Bool = true)
        -> (counts: [Double], assigned: Double, stranded: Double, suppressed: Double) {
        let counts = Self.counts(of: [self], shares)[0]
        guard totals else { return (counts, 0, stranded, 0) }
        let t = self.totals(shares)
        return (counts, t.assigned, t.stranded, t.suppressed)
    }

    /// The flow assigned, stranded and suppressed under `shares`, summed in entry order as
    /// `UnitCrossings.add` sums them.
    /// - Complexity: O(entries).
    public func totals(_ shares: PooledShares) -> (assigned: Double, stranded: Double, suppressed: Double) {
        var assigned = 0.0, suppressed = 0.0
        for (flow, d) in zip(entryFlow, entrySet) {
            let stay = shares.stay[Int(d)]
            suppressed += flow * stay
            assigned += flow * (1 - stay)
        }
        return (assigned, stranded, suppressed)
    }

    /// The crossings per counter of several demand lists under `shares` (see `crossings`),
    /// each counter of up to four lists summed side by side: every sum is formed term by
    /// term in its own order, but four independent sums keep the processor's adders busy
    /// where one would wait for each addition to finish.
    /// - Complexity: O(Σ terms).
    public static func counts(of demands: [PooledDemand], _ shares: PooledShares) -> [[Double]] {
        var out = demands.map { [Double](repeating: 0, count: $0.counters) }
        shares.shares.withUnsafeBufferPointer { p in
            for start in stride(from: 0, to: demands.count, by: 4) {
                let batch = Array(demands[start..<min(start + 4, demands.count)])
                withPointers(batch[...], [], []) { terms, flows in
                    for c in 0..<(batch.map(\.counters).max() ?? 0) {
                        var chains: [Chain] = []
                        for (i, d) in batch.enumerated() where c < d.counters && d.counterFirst[c + 1] > d.counterFirst[c] {
                            chains.append(Chain(terms: terms[i] + d.counterFirst[c], count: d.counterFirst[c + 1] - d.counterFirst[c],
                                                flows: flows[i], demand: i))
                        }
                        for (i, sum) in sumChains(chains, p) { out[start + i][c] = sum }
                    }
                }
            }
        }
        return out
    }

    /// One counter's terms of one demand list.
    struct Chain {
        var terms: UnsafePointer<Term>
        var count: Int
        var flows: UnsafePointer<Double>
        var demand: Int
    }

    /// Each chain's Σ flow × share × times in term order, up to four chains advanced together
    /// (the longest ones last, so that as many as possible run side by side).
    static func sumChains(_ chains: [Chain], _ p: UnsafeBufferPointer<Double>) -> [(Int, Double)] {
        let order = chains.sorted { $0.count < $1.count }
        var result: [(Int, Double)] = []
        var sums = [Double](repeating: 0, count: order.count)
        var done = 0
        for (i, chain) in order.enumerated() {
            // Chains i… all still run from `done` to chain i's end.
            let n = order.count - i, end = chain.count
            switch n {
            case 4...:
                let a = order[i], b = order[i + 1], c = order[i + 2], d = order[i + 3]
                var sa = sums[i], sb = sums[i + 1], sc = sums[i + 2], sd = sums[i + 3]
                for t in done..<end {
                    let ta = a.terms[t], tb = b.terms[t], tc = c.terms[t], td = d.terms[t]
                    sa += a.flows[ta.entry] * p[Int(ta.share)] * ta.times
                    sb += b.flows[tb.entry] * p[Int(tb.share)] * tb.times
                    sc += c.flows[tc.entry] * p[Int(tc.share)] * tc.times
                    sd += d.flows[td.entry] * p[Int(td.share)] * td.times
                }
                sums[i] = sa; sums[i + 1] = sb; sums[i + 2] = sc; sums[i + 3] = sd
            case 3:
                let a = order[i], b = order[i + 1], c = order[i + 2]
                var sa = sums[i], sb = sums[i + 1], sc = sums[i + 2]
                for t in done..<end {
                    let ta = a.terms[t], tb = b.terms[t], tc = c.terms[t]
                    sa += a.flows[ta.entry] * p[Int(ta.share)] * ta.times
                    sb += b.flows[tb.entry] * p[Int(tb.share)] * tb.times
                    sc += c.flows[tc.entry] * p[Int(tc.share)] * tc.times
                }
                sums[i] = sa; sums[i + 1] = sb; sums[i + 2] = sc
            case 2:
                let a = order[i], b = order[i + 1]
                var sa = sums[i], sb = sums[i + 1]
                for t in done..<end {
                    let ta = a.terms[t], tb = b.terms[t]
                    sa += a.flows[ta.entry] * p[Int(ta.share)] * ta.times
                    sb += b.flows[tb.entry] * p[Int(tb.share)] * tb.times
                }
                sums[i] = sa; sums[i + 1] = sb
            default:
                var sa = sums[i]
                for t in done..<end {
                    let ta = chain.terms[t]
                    sa += chain.flows[ta.entry] * p[Int(ta.share)] * ta.times
                }
                sums[i] = sa
            }
            done = end
            result.append((chain.demand, sums[i]))
        }
        return result
    }

    /// The base addresses of the batch's terms and entry flows (a placeholder for an empty array).
    static func withPointers<R>(_ batch: ArraySlice<PooledDemand>, _ terms: [UnsafePointer<Term>], _ flows: [UnsafePointer<Double>],
                                _ body: ([UnsafePointer<Term>], [UnsafePointer<Double>]) -> R) -> R {
        guard let first = batch.first else { return body(terms, flows) }
        // An empty array has no storage; its chains are empty, so the address is never read.
        return first.terms.withUnsafeBufferPointer { t in
            first.entryFlow.withUnsafeBufferPointer { f in
                withPointers(batch.dropFirst(),
                             terms + [t.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<Term>.alignment)!],
                             flows + [f.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<Double>.alignment)!], body)
            }
        }
    }
}

/// The buffers `PooledChoiceSets.shares` fills, shared by blocks that write disjoint slots.
private struct PooledBlockOutput: @unchecked Sendable {
    let shares: UnsafeMutableBufferPointer<Double>
    let stay: UnsafeMutableBufferPointer<Double>
    let vectors: UnsafeBufferPointer<Double>
}
