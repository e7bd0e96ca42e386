import Dispatch
/// Planar or geographic positions of graph nodes, keyed by external node id.
///
/// Longitude (x) and latitude (y) in parallel arrays, like `EdgeTable`. Only
/// their order matters to the graph: they drive the space-filling-curve
/// numbering of nodes and are handed back to heuristics through
/// `RoutingGraph.coordinate(of:)`. Ids listed here but not used by any edge
/// become isolated nodes.
public struct NodeCoordinates: Sendable {
    public var ids: [Int64] = []
    public var longitudes: [Double] = []
    public var latitudes: [Double] = []

    public init() {}

    public var count: Int { ids.count }

    public mutating func reserveCapacity(_ n: Int) {
        ids.reserveCapacity(n); longitudes.reserveCapacity(n); latitudes.reserveCapacity(n)
    }

    public mutating func append(id: Int64, longitude: Double, latitude: Double) {
        ids.append(id); longitudes.append(longitude); latitudes.append(latitude)
    }
}

/// Position along the Hilbert curve (Hilbert 1891), the map used to number
/// nodes so that nodes close on the map get close indices and a search touches
/// fewer cache lines.
enum HilbertCurve {
    /// Cells per axis: 2^16, so that a curve position fits in 32 bits.
    static let side: UInt32 = 1 << 16

    /// The curve position of cell (x, y), as the classic iterative `xy2d`
    /// conversion gives it (at each level pick the quadrant, add the cells it
    /// skips, and rotate/flip so the sub-curve has the canonical orientation),
    /// run as a four-state machine without branches: the orientation so far
    /// (coordinates swapped, both flipped) and the next bit of x and y select
    /// the quadrant's two digits and the next orientation from `transitions`.
    /// - Complexity: O(log side), 16 table steps.
    @inline(__always)
    static func position(x: UInt32, y: UInt32) -> UInt32 {
        var d: UInt32 = 0
        var state: UInt64 = 0
        var k: UInt32 = 16
        while k > 0 {
            k -= 1
            let index = state << 2 | UInt64((x >> k) & 1) << 1 | UInt64((y >> k) & 1)
            let entry = (transitions >> (index << 2)) & 0xF
            d = d << 2 | UInt32(entry & 3)
            state = entry >> 2
        }
        return d
    }

    /// Sixteen 4-bit entries, for (state, x bit, y bit) at `state·4 + 2x + y`:
    /// the quadrant digit `(3·rx) ^ ry` in the low two bits and the next state
    /// above them. A state is `swapped | flipped << 1`; in state s the quadrant's
    /// bits are (rx, ry) = the (x, y) bits, exchanged if swapped, inverted if
    /// flipped. As in `xy2d`, a quadrant with ry = 0 swaps the axes, and with
    /// rx = 1 also flips them. (`testHilbertTableMatchesTheClassicConversion`
    /// checks it against `xy2d`.)
    static let transitions: UInt64 = 0x83DE_C97A_65B0_2F14

    /// Curve positions of points scaled into their bounding box.
    static func positions(longitudes: [Double], latitudes: [Double]) -> [UInt32] {
        guard !longitudes.isEmpty else { return [] }
        let minX = longitudes.min()!, maxX = longitudes.max()!
        let minY = latitudes.min()!, maxY = latitudes.max()!
        let top = Double(side - 1)
        let sx = maxX > minX ? top / (maxX - minX) : 0
        let sy = maxY > minY ? top / (maxY - minY) : 0
        let n = longitudes.count
        // Independent per point, so ranges of points go to different threads.
        let threads = n < ArcLayout.parallelGrain ? 1 : ArcLayout.threads
        return [UInt32](unsafeUninitializedCapacity: n) { keys, initialized in
            nonisolated(unsafe) let keys = keys
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                for i in ArcLayout.share(t, of: n, among: threads) {
                    let x = UInt32(min(top, max(0, ((longitudes[i] - minX) * sx).rounded(.down))))
                    let y = UInt32(min(top, max(0, ((latitudes[i] - minY) * sy).rounded(.down))))
                    keys[i] = position(x: x, y: y)
                }
            }
            initialized = n
        }
    }

    /// The stable order of `keys` (equal keys keep their input order): an LSD
    /// radix sort of (key << 32 | index) words in three passes of 11, 11 and
    /// 10 key bits. The words carry their key, so no pass gathers keys through
    /// the order so far, the bucket counts (2,048 per pass, 16 KB) stay in the
    /// first-level cache, and all three histograms come from one read of the keys.
    /// - Complexity: O(n), 3 passes over 8n bytes.
    static func stableOrder(of keys: [UInt32]) -> [Int32] {
        let n = keys.count
        let digits: [(shift: UInt64, mask: UInt64)] = [(32, 0x7FF), (43, 0x7FF), (54, 0x3FF)]
        var counts = [Int](repeating: 0, count: 3 * 2048)
        var words = [UInt64](unsafeUninitializedCapacity: n) { out, initialized in
            keys.withUnsafeBufferPointer { keys in
                counts.withUnsafeMutableBufferPointer { counts in
                    for i in 0..<n {
                        let word = UInt64(keys[i]) << 32 | UInt64(i)
                        out[i] = word
                        counts[Int((word >> 32) & 0x7FF)] += 1
                        counts[2048 + Int((word >> 43) & 0x7FF)] += 1
                        counts[4096 + Int(word >> 54)] += 1
                    }
                }
            }
            initialized = n
        }
        for (pass, digit) in digits.enumerated() {
            // Bucket starts from the counts.
            var running = 0
            for b in 0..<2048 {
                let c = counts[pass * 2048 + b]
                counts[pass * 2048 + b] = running
                running += c
            }
            // Each pass is a permutation of the words: every slot written once, no zero-fill first.
            words = [UInt64](unsafeUninitializedCapacity: n) { to, initialized in
                words.withUnsafeBufferPointer { from in
                    counts.withUnsafeMutableBufferPointer { counts in
                        let base = pass * 2048
                        for i in 0..<n {
                            let word = from[i]
                            let b = base + Int((word >> digit.shift) & digit.mask)
                            to[counts[b]] = word
                            counts[b] += 1
                        }
                    }
                }
                initialized = n
            }
        }
        return words.map { Int32(truncatingIfNeeded: $0) }
    }
}
