/// Counter-based random numbers: the stream of one agent on one day is a pure
/// function of (seed, agent, day), so results do not depend on how agents are
/// split between threads or in which order threads run.
///
/// The key is hashed with SplitMix64's finaliser (Steele, Lea, Flood, "Fast
/// splittable pseudorandom number generators", OOPSLA 2014); draws then follow
/// the SplitMix64 sequence from that state. Each draw is O(1).
public struct CounterRandom: Sendable {
    private var state: UInt64

    /// The stream of `(seed, stream, counter)`: e.g. (seed, agent, day).
    @inline(__always)
    public init(seed: UInt64, stream: UInt64, counter: UInt64) {
        self.init(key: Self.key(seed: seed, counter: counter), stream: stream)
    }

    /// The stream `stream` under a key from `key(seed:counter:)`: one hash per stream, so a
    /// day's key is computed once for all agents.
    @inline(__always)
    public init(key: UInt64, stream: UInt64) {
        state = Self.mix(key ^ (stream &* 0xD1B5_4A32_D192_ED03))
    }

    @inline(__always)
    public static func key(seed: UInt64, counter: UInt64) -> UInt64 {
        mix(mix(seed &+ 0x9E37_79B9_7F4A_7C15) ^ (counter &* 0x8CB9_2BA7_2F3D_8DD7))
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Binomial(`n`, `p`) count: how many of `n` independent trials of chance `p` succeed. Up to
    /// 16 trials, one draw each; when the mean of the rarer outcome, n·min(p, 1−p), is below 16,
    /// inversion from that end (P(0) = (1−p)^n, then the ratio below); otherwise one uniform draw
    /// by inversion searching outward from the mode m = ⌊(n+1)p⌋ (Kemp 1986,
    /// "A modal method for generating binomial variables", Commun. Statist. Theory Meth. 15:805;
    /// Devroye 1986, "Non-Uniform Random Variate Generation", X.4). The pmf at the mode comes
    /// from `lgamma`, its neighbours by the ratio P(k+1)/P(k) = (n−k)/(k+1) · p/(1−p).
    ///
    /// - Complexity: O(min(n, n·min(p, 1−p), √(n p (1−p)))) expected steps; O(1) for p ≤ 0 or p ≥ 1.
    @inline(__always)
    public mutating func binomial(_ n: Int, _ p: Double) -> Int {
        guard n > 0, p > 0 else { return 0 }
        guard p < 1 else { return n }
        if n <= 16 { return trials(n, below: Self.threshold(p)) }
        return largeBinomial(n, p)
    }

    /// `binomial(n, chance.p)` with the chance's logarithms computed once (the same draws).
    @inline(__always)
    public mutating func binomial(_ n: Int, _ chance: BinomialChance) -> Int {
        let p = chance.p
        guard n > 0, p > 0 else { return 0 }
        guard p < 1 else { return n }
        if n <= 16 { return trials(n, below: chance.threshold) }
        if Double(n) * chance.rare < 16 { return inversion(n, p, rare: chance.rare, logNotRare: chance.logNotRare) }
        return modal(n, p, logP: chance.logP, logQ: chance.logQ)
    }

    /// The 53-bit integer T with `uniform() < p` exactly when a draw's top 53 bits are below T
    /// (uniform() = k·2⁻⁵³ < p ⟺ k < ⌈p·2⁵³⌉, the scaling by 2⁵³ being exact).
    @inline(__always)
    static func threshold(_ p: Double) -> UInt64 { UInt64((p * 0x1.0p53).rounded(.up)) }

    /// Successes of `n` trials, each one draw compared with `threshold` (no branch on the outcome).
    @inline(__always)
    mutating func trials(_ n: Int, below threshold: UInt64) -> Int {
        var k = 0
        // Both sides are below 2⁶³, so the difference wraps (top bit set) exactly when draw < threshold.
        for _ in 0..<n { k &+= Int(truncatingIfNeeded: ((next() >> 11) &- threshold) >> 63) }
        return k
    }

    @inline(never)
    mutating func largeBinomial(_ n: Int, _ p: Double) -> Int {
        let rare = min(p, 1 - p)
        if Double(n) * rare < 16 { return inversion(n, p, rare: rare, logNotRare: Foundation.log1p(-rare)) }
        return modal(n, p, logP: p.log, logQ: Foundation.log1p(-p))
    }

    /// Inversion from the rarer end; `logNotRare` = log(1 − rare).
    @inline(__always)
    mutating func inversion(_ n: Int, _ p: Double, rare: Double, logNotRare: Double) -> Int {
        let odds = rare / (1 - rare)
        var f = (Double(n) * logNotRare).exp
        var u = uniform()
        var k = 0
        while u >= f && k < n {
            u -= f
            f *= Double(n - k) / Double(k + 1) * odds
            k += 1
            if f == 0 { break }  // what is left of u is rounding error
        }
        return p > 0.5 ? n - k : k
    }

    /// Inversion outward from the mode; `logP` = log p, `logQ` = log(1 − p).
    @inline(__always)
    mutating func modal(_ n: Int, _ p: Double, logP: Double, logQ: Double) -> Int {
        let q = 1 - p, odds = p / q
        let m = min(n, Int((Double(n + 1) * p).rounded(.down)))
        let logMode = Self.logGamma(n + 1) - Self.logGamma(m + 1) - Self.logGamma(n - m + 1)
            + Double(m) * logP + Double(n - m) * logQ
        let pm = logMode.exp
        var u = uniform() - pm
        if u < 0 { return m }
        var up = m, down = m, pUp = pm, pDown = pm
        while up < n || down > 0 {
            if up < n {
                pUp *= Double(n - up) / Double(up + 1) * odds
                up += 1
                u -= pUp
                if u < 0 { return up }
            }
            if down > 0 {
                pDown *= Double(down) / Double(n - down + 1) / odds
                down -= 1
                u -= pDown
                if u < 0 { return down }
            }
            // Both tails are below 1e-20 of the mode: what is left of u is rounding error.
            if (up == n || pUp < pm * 1e-20) && (down == 0 || pDown < pm * 1e-20) { break }
        }
        return m
    }

    /// `lgamma(Double(k))`, from a table for small k (the same values).
    @inline(__always)
    static func logGamma(_ k: Int) -> Double {
        k < logGammaTable.count ? logGammaTable[k] : Foundation.lgamma(Double(k))
    }

    static let logGammaTable: [Double] = (0..<2_048).map { Foundation.lgamma(Double($0)) }

    /// Poisson-distributed count with mean `lambda` (Knuth's product method below 30,
    /// the normal approximation rounded above; `lambda` ≤ 0 gives 0).
    public mutating func poisson(_ lambda: Double) -> Int {
        guard lambda > 0 else { return 0 }
        if lambda < 30 {
            let limit = (-lambda).exp
            var k = 0, p = uniform()
            while p > limit { k += 1; p *= uniform() }
            return k
        }
        // Box-Muller
        let u1 = max(uniform(), 0x1.0p-53), u2 = uniform()
        let z = (-2 * u1.log).squareRoot() * (2 * Double.pi * u2).cos
        return max(0, Int((lambda + z * lambda.squareRoot()).rounded()))
    }
}

/// A chance p with what `CounterRandom.binomial` needs of it computed once, for many draws
/// with the same chance (a location's move chance).
public struct BinomialChance: Sendable {
    public let p: Double
    let threshold: UInt64
    let rare: Double, logNotRare: Double, logP: Double, logQ: Double

    public init(_ p: Double) {
        self.p = p
        threshold = p > 0 && p < 1 ? CounterRandom.threshold(p) : 0
        rare = min(p, 1 - p)
        logNotRare = Foundation.log1p(-rare)
        logP = p.log
        logQ = Foundation.log1p(-p)
    }
}

import Foundation

extension Double {
    @inline(__always) var exp: Double { Foundation.exp(self) }
    @inline(__always) var log: Double { Foundation.log(self) }
    @inline(__always) var cos: Double { Foundation.cos(self) }
}
