import Dispatch

/// A demand list resolved against one `FixedChoiceSets`: the set of each entry (none:
/// stranded) and its flow, so that evaluating it again under other parameters looks
/// nothing up. Independent of the parameters; built once per demand and set.
public struct SetDemand: Sendable {
    /// Set index of each entry, -1 when the pair has no set or an empty one.
    let set: [Int32]
    let flow: [Double]

    /// - Complexity: O(|demand|) hash lookups.
    public init(_ demand: [Demand], sets: FixedChoiceSets) {
        var set: [Int32] = [], flow: [Double] = []
        set.reserveCapacity(demand.count); flow.reserveCapacity(demand.count)
        for d in demand {
            let s = sets.index[ODPair(d)]
            set.append(s.map { sets.altFirst[$0 + 1] > sets.altFirst[$0] ? Int32($0) : -1 } ?? -1)
            flow.append(d.flow)
        }
        self.set = set; self.flow = flow
    }

    /// Total flow.
    public var total: Double { flow.reduce(0, +) }
}

/// The path-size logit of every set of a `FixedChoiceSets` under one parameter point: each
/// alternative's share and each set's share that takes the outside option. Demand of any
/// period is then spread by these (`add`) without computing a utility: the logit is linear
/// in demand, so a period costs O(Σ entries × alternatives × counts).
public struct UnitCrossings: Sendable {
    let sets: FixedChoiceSets
    /// Share of each alternative (flat, as `FixedChoiceSets.altFirst`).
    var shares: [Double]
    /// Share of each set's demand that stays (the outside option); 0 without it.
    var stay: [Double]

    /// Adds the crossings of `demand` (each flow × `scale`) to `counts` (indexed by counter),
    /// in entry, alternative and count order, the arithmetic of `FixedSetLogit.crossings`;
    /// returns the flow assigned, stranded (no alternative) and suppressed (outside option).
    /// - Complexity: O(Σ entries × alternatives × counts); no allocation.
    @discardableResult
    public func add(_ demand: SetDemand, scale: Double = 1, into counts: inout [Double])
        -> (assigned: Double, stranded: Double, suppressed: Double) {
        var assigned = 0.0, stranded = 0.0, suppressed = 0.0
        let sets = self.sets
        counts.withUnsafeMutableBufferPointer { out in
            shares.withUnsafeBufferPointer { shares in
                for (i, s) in demand.set.enumerated() {
                    let flow = scale == 1 ? demand.flow[i] : demand.flow[i] * scale
                    guard s >= 0 else { stranded += flow; continue }
                    for k in sets.altFirst[Int(s)]..<sets.altFirst[Int(s) + 1] {
                        let f = flow * shares[k]
                        for c in sets.countFirst[k]..<sets.countFirst[k + 1] { out[sets.countCounters[c]] += f * sets.countTimes[c] }
                    }
                    let stay = self.stay[Int(s)]
                    suppressed += flow * stay
                    assigned += flow * (1 - stay)
                }
            }
        }
        return (assigned, stranded, suppressed)
    }
}

extension FixedSetLogit {
    /// The logit of every set of `sets` under `parameters` (see `crossings`), per person.
    /// Sets are split into `workers` contiguous blocks evaluated side by side; each set's
    /// figures are computed by one thread in the same order whatever the split, so the
    /// result does not depend on the number of threads. A block has at least `minimumBlock`
    /// sets (fewer sets: fewer threads).
    /// - Complexity: O(Σ alternatives × features).
    public static func unitCrossings(sets: FixedChoiceSets, parameters: CostModel.Parameters, theta: Double,
                                     outsideOption: OutsideOption?, reference: FixedChoiceSets? = nil,
                                     workers: Int = 1, minimumBlock: Int = 256) -> UnitCrossings {
        let coefficients = CostModel.coefficients(parameters)
        let count = sets.pairs.count
        var shares = [Double](repeating: 0, count: sets.logPathSizes.count)
        var stay = [Double](repeating: 0, count: count)
        let blocks = max(1, min(workers, count / max(1, minimumBlock)))
        shares.withUnsafeMutableBufferPointer { shares in
            stay.withUnsafeMutableBufferPointer { stay in
                sets.vectors.withUnsafeBufferPointer { vectors in
                    // Each block writes only the slots of its own sets.
                    let out = BlockOutput(shares: shares, stay: stay, vectors: vectors)
                    let body = { @Sendable (b: Int) in
                        let vectors = out.vectors
                        var utility: [Double] = [], weights: [Double] = [], scratch: [Double] = []
                        for s in (count * b / blocks)..<(count * (b + 1) / blocks) where sets.altFirst[s + 1] > sets.altFirst[s] {
                            var cheapest = sets.utilities(of: s, coefficients: coefficients, theta: theta, vectors: vectors,
                                                          into: &utility)
                            if outsideOption != nil, let reference, let r = reference.index[sets.pairs[s]],
                               reference.altFirst[r + 1] > reference.altFirst[r] {
                                cheapest = reference.vectors.withUnsafeBufferPointer { rv in
                                    reference.utilities(of: r, coefficients: coefficients, theta: theta, vectors: rv,
                                                        into: &scratch)
                                }
                            }
                            let outside = outsideOption.map { -theta * (cheapest + $0.margin) }
                            out.stay[s] = PathSizeLogit.shares(utility, outside: outside, into: &weights)
                            for (j, k) in (sets.altFirst[s]..<sets.altFirst[s + 1]).enumerated() { out.shares[k] = weights[j] }
                        }
                    }
                    if blocks == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: blocks, execute: body) }
                }
            }
        }
        return UnitCrossings(sets: sets, shares: shares, stay: stay)
    }
}

/// The buffers `unitCrossings` fills, shared by blocks that write disjoint slots.
private struct BlockOutput: @unchecked Sendable {
    let shares: UnsafeMutableBufferPointer<Double>
    let stay: UnsafeMutableBufferPointer<Double>
    let vectors: UnsafeBufferPointer<Double>
}
