import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGeometry

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator so property tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func c(_ x: Double, _ y: Double) -> Coordinate {
    Coordinate(longitude: x, latitude: y)
}

/// A closed axis-aligned square ring, counter-clockwise.
func square(_ x: Double, _ y: Double, side: Double = 1) -> Geometry {
    .polygon([[c(x, y), c(x + side, y), c(x + side, y + side), c(x, y + side), c(x, y)]])
}

func randomCoordinate(_ rng: inout SplitMix64, in range: ClosedRange<Double> = 0...100) -> Coordinate {
    c(Double.random(in: range, using: &rng), Double.random(in: range, using: &rng))
}
