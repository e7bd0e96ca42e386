import RouteShiftCore
import RouteShiftGeodesy

/// A scale bar whose length is measured, not assumed: the geodesic distance between
/// the two ends of a horizontal segment centred on the map's centre, found by inverse
/// projection. Map scale varies across any projection of a region this size, so the
/// bar is true at the centre only, and its caption says so.
public struct ScaleBar: Hashable, Sendable {
    /// The distance the bar stands for, metres (1, 2 or 5 × 10^k).
    public let meters: Double
    /// The bar's length on the page, pixels.
    public let pixelLength: Double
    /// Where it was measured: the centre of the map frame.
    public let center: PixelPoint

    public init(meters: Double, pixelLength: Double, center: PixelPoint) {
        self.meters = meters
        self.pixelLength = pixelLength
        self.center = center
    }

    /// The caption's reminder that map scale varies.
    public static let note = "true length at the map centre"

    /// "500 km", "20 km", "800 m".
    public var caption: String {
        meters >= 1000 ? "\(NiceNumber.label(meters / 1000, decimals: 0)) km" : "\(NiceNumber.label(meters, decimals: 0)) m"
    }

    /// The bar for `viewport`, about `targetPixels` long; `nil` when the centre cannot be
    /// inverse-projected. The length is refined until the geodesic between the ends of a
    /// centred horizontal segment of `pixelLength` pixels equals `meters` (to < 0.01 %).
    static func measure(in viewport: MapViewport, projector: MapProjector, targetPixels: Double = 160) -> ScaleBar? {
        let center = PixelPoint(x: viewport.frame.x + viewport.frame.width / 2, y: viewport.frame.y + viewport.frame.height / 2)
        func groundDistance(_ pixels: Double) -> Double? {
            let a = viewport.projected(PixelPoint(x: center.x - pixels / 2, y: center.y))
            let b = viewport.projected(PixelPoint(x: center.x + pixels / 2, y: center.y))
            guard let ga = try? projector.transform.inverse(a), let gb = try? projector.transform.inverse(b),
                  ga.isValidGeographic, gb.isValidGeographic else { return nil }
            return Geodesic.wgs84.distance(from: ga, to: gb)
        }
        guard let estimate = groundDistance(targetPixels), estimate > 0 else { return nil }
        let meters = NiceNumber.floor125(estimate)
        var pixels = targetPixels * meters / estimate
        // Scale changes along the bar, so the proportional guess is refined by the secant rule.
        var previous = (pixels: targetPixels, ground: estimate)
        for _ in 0..<8 {
            guard let ground = groundDistance(pixels) else { return nil }
            if abs(ground - meters) <= meters * 1e-6 { break }
            let slope = (ground - previous.ground) / (pixels - previous.pixels)
            previous = (pixels, ground)
            guard slope.isFinite, slope > 0 else { break }
            pixels += (meters - ground) / slope
        }
        return ScaleBar(meters: meters, pixelLength: pixels, center: center)
    }
}
