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

    /// The stable order of `keys`: two 16-bit counting-sort passes (LSD radix),
    /// so equal keys keep their input order.
    /// - Complexity: O(n + 2^16).
    static func stableOrder(of keys: [UInt32]) -> [Int32] {
        let n = keys.count
        var order = [Int32](unsafeUninitializedCapacity: n) { buf, count in
            for i in 0..<n { buf[i] = Int32(i) }
            count = n
        }
        var scratch = [Int32](repeating: 0, count: n)
        for shift in [UInt32(0), 16] {
            var counts = [Int](repeating: 0, count: 1 << 16 + 1)
            for i in 0..<n { counts[Int((keys[Int(order[i])] >> shift) & 0xFFFF) + 1] += 1 }
            for b in 0..<(1 << 16) { counts[b + 1] += counts[b] }
            for i in 0..<n {
                let b = Int((keys[Int(order[i])] >> shift) & 0xFFFF)
                scratch[counts[b]] = order[i]
                counts[b] += 1
            }
            swap(&order, &scratch)
        }
        return order
    }
}
