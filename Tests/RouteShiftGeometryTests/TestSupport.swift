import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGeometry
import RouteShiftTestSupport


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
