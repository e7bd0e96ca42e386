import Foundation
import RouteShiftCore
import RouteShiftGeodesy

/// A position on the page, in SVG pixels (y grows downwards).
public struct PixelPoint: Hashable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// An axis-aligned rectangle on the page, in SVG pixels.
public struct PixelRect: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }

    /// Overlap with positive area; rectangles that only touch do not overlap.
    public func overlaps(_ other: PixelRect) -> Bool {
        x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
    }

    /// `other` lies entirely inside (edges included).
    public func contains(_ other: PixelRect) -> Bool {
        other.x >= x && other.maxX <= maxX && other.y >= y && other.maxY <= maxY
    }

    public func contains(_ p: PixelPoint) -> Bool {
        p.x >= x && p.x <= maxX && p.y >= y && p.y <= maxY
    }

    public func insetBy(_ d: Double) -> PixelRect {
        PixelRect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d)
    }
}

/// The part of a projected plane shown in a frame on the page: a uniform scale
/// (the same in x and y, so shapes are not stretched) with north up, i.e. the
/// projection's northing axis pointing up the page.
public struct MapViewport: Hashable, Sendable {
    /// Projected extent shown, in the projection's units (metres for EPSG:3035).
    public let extent: BoundingBox
    /// Where the extent is drawn.
    public let frame: PixelRect

    public init(extent: BoundingBox, frame: PixelRect) {
        self.extent = extent
        self.frame = frame
    }

    /// Pixels per projected unit.
    public var scale: Double { frame.width / (extent.maxX - extent.minX) }

    public func pixel(_ p: ProjectedPoint) -> PixelPoint {
        PixelPoint(x: frame.x + (p.x - extent.minX) * scale, y: frame.y + (extent.maxY - p.y) * scale)
    }

    public func projected(_ p: PixelPoint) -> ProjectedPoint {
        ProjectedPoint(x: extent.minX + (p.x - frame.x) / scale, y: extent.maxY - (p.y - frame.y) / scale)
    }

    /// The viewport showing `box` (padded by `padding` of its size on each side) in a frame
    /// `frameWidth` pixels wide at `origin`. The frame's height follows the box's shape,
    /// kept within `aspectRange` (height / width) by widening the box in the short direction.
    public static func fitting(_ box: BoundingBox, frameWidth: Double, origin: PixelPoint,
                               padding: Double = 0.04, aspectRange: ClosedRange<Double> = 0.5...1.2) -> MapViewport {
        var w = max(box.maxX - box.minX, 1e-9), h = max(box.maxY - box.minY, 1e-9)
        var cx = (box.minX + box.maxX) / 2, cy = (box.minY + box.maxY) / 2
        if !cx.isFinite || !cy.isFinite { cx = 0; cy = 0 }
        w *= 1 + 2 * padding
        h *= 1 + 2 * padding
        let aspect = min(max(h / w, aspectRange.lowerBound), aspectRange.upperBound)
        if h / w < aspect { h = w * aspect } else { w = h / aspect }
        let extent = BoundingBox(minX: cx - w / 2, minY: cy - h / 2, maxX: cx + w / 2, maxY: cy + h / 2)
        let frame = PixelRect(x: origin.x, y: origin.y, width: frameWidth, height: (frameWidth * aspect).rounded())
        // Rounding the height changes the aspect slightly: recompute the vertical extent from the frame.
        let hh = frame.height / frame.width * w
        return MapViewport(extent: BoundingBox(minX: extent.minX, minY: cy - hh / 2, maxX: extent.maxX, maxY: cy + hh / 2),
                           frame: frame)
    }
}

/// Projects WGS84 lines and points for drawing. Lines are densified along the geodesic
/// first, so a long sea crossing is drawn as the curve it is in the projection rather
/// than a straight chord; points PROJ cannot project are dropped, splitting the line.
///
/// Not Sendable: holds a `CoordinateTransform` (a PROJ context).
final class MapProjector {
    let transform: CoordinateTransform
    let projection: String
    /// Longest step between densified vertices, metres.
    let spacing: Double

    init(projection: String, spacing: Double = 20_000) throws {
        self.projection = projection
        transform = try CoordinateTransform(from: "EPSG:4326", to: projection)
        self.spacing = spacing
    }

    func project(_ c: Coordinate) -> ProjectedPoint? {
        guard c.isValidGeographic, let p = try? transform.transform(c) else { return nil }
        return p
    }

    /// The line in projected units, split where PROJ fails or where consecutive points
    /// jump across the plane (an interrupted projection's cut, e.g. the antimeridian).
    func project(line: [Coordinate], geodesic: Bool = true, jumpLimit: Double = 2_000_000) -> [[ProjectedPoint]] {
        let valid = line.filter(\.isValidGeographic)
        let dense = geodesic ? Geodesic.wgs84.densified(valid, maximumSpacing: spacing) : Self.densifiedLinearly(valid, step: 0.5)
        var parts: [[ProjectedPoint]] = []
        var current: [ProjectedPoint] = []
        for c in dense {
            guard let p = try? transform.transform(c) else {
                if current.count >= 2 { parts.append(current) }
                current = []
                continue
            }
            if let last = current.last, hypot(p.x - last.x, p.y - last.y) > jumpLimit {
                if current.count >= 2 { parts.append(current) }
                current = []
            }
            current.append(p)
        }
        if current.count >= 2 { parts.append(current) }
        return parts
    }

    /// Polygon edges are straight in degrees (as Natural Earth draws them): interpolate
    /// linearly in longitude/latitude so that long edges, such as a clipping box's, bend as they should.
    static func densifiedLinearly(_ line: [Coordinate], step: Double) -> [Coordinate] {
        guard var previous = line.first else { return [] }
        var out = [previous]
        for c in line.dropFirst() {
            let d = max(abs(c.longitude - previous.longitude), abs(c.latitude - previous.latitude))
            let n = Int((d / step).rounded(.up))
            if n > 1 {
                for i in 1..<n {
                    let t = Double(i) / Double(n)
                    out.append(Coordinate(longitude: previous.longitude + (c.longitude - previous.longitude) * t,
                                          latitude: previous.latitude + (c.latitude - previous.latitude) * t))
                }
            }
            out.append(c)
            previous = c
        }
        return out
    }

    /// The longitude/latitude box covering everything the viewport shows, with `margin`
    /// degrees to spare: the inverse projection of points along the frame's edge, widened
    /// to every longitude when a pole is in view, or the whole world when some edge
    /// point has no inverse (the view reaches past the projection's domain).
    func geographicBounds(of viewport: MapViewport, margin: Double = 3) -> BoundingBox {
        let world = BoundingBox(minX: -180, minY: -90, maxX: 180, maxY: 90)
        let e = viewport.extent
        var box: BoundingBox?
        let n = 64
        for i in 0...n {
            let t = Double(i) / Double(n)
            let x = e.minX + (e.maxX - e.minX) * t, y = e.minY + (e.maxY - e.minY) * t
            for p in [ProjectedPoint(x: x, y: e.minY), ProjectedPoint(x: x, y: e.maxY),
                      ProjectedPoint(x: e.minX, y: y), ProjectedPoint(x: e.maxX, y: y)] {
                guard let c = try? transform.inverse(p), c.isValidGeographic else { return world }
                if box == nil { box = BoundingBox(minX: c.longitude, minY: c.latitude, maxX: c.longitude, maxY: c.latitude) }
                box!.include(c)
            }
        }
        guard var b = box else { return world }
        for pole in [90.0, -90.0] {
            if let p = project(Coordinate(longitude: 0, latitude: pole)),
               p.x >= e.minX, p.x <= e.maxX, p.y >= e.minY, p.y <= e.maxY {
                b.minX = -180; b.maxX = 180
                if pole > 0 { b.maxY = 90 } else { b.minY = -90 }
            }
        }
        return BoundingBox(minX: max(-180, b.minX - margin), minY: max(-90, b.minY - margin),
                           maxX: min(180, b.maxX + margin), maxY: min(90, b.maxY + margin))
    }
}

@available(*, unavailable, message: "holds a PROJ context; create one per task")
extension MapProjector: Sendable {}
