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

    /// The classic iterative `xy2d` conversion: at each level pick the
    /// quadrant, add the cells it skips, and rotate/flip so the sub-curve
    /// has the canonical orientation.
    /// - Complexity: O(log side).
    @inline(__always)
    static func position(x: UInt32, y: UInt32) -> UInt32 {
        var x = x, y = y
        var d: UInt64 = 0
        var s = side >> 1
        while s > 0 {
            let rx: UInt32 = (x & s) != 0 ? 1 : 0
            let ry: UInt32 = (y & s) != 0 ? 1 : 0
            d += UInt64(s) * UInt64(s) * UInt64((3 * rx) ^ ry)
            if ry == 0 {
                if rx == 1 {
                    x = side - 1 - x
                    y = side - 1 - y
                }
                swap(&x, &y)
            }
            s >>= 1
        }
        return UInt32(truncatingIfNeeded: d)
    }

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
