/// A label that wants a place next to a point.
public struct LabelRequest: Hashable, Sendable {
    public var anchor: PixelPoint
    public var width: Double
    public var height: Double
    /// Higher is placed first.
    public var priority: Double
    /// Distance between the anchor and the label's nearest edge.
    public var gap: Double

    public init(anchor: PixelPoint, width: Double, height: Double, priority: Double, gap: Double = 3) {
        self.anchor = anchor
        self.width = width
        self.height = height
        self.priority = priority
        self.gap = gap
    }
}

/// Where a label sits relative to its point, in the order tried: upper right first,
/// as cartographic convention prefers (Imhof 1975), then the other corners and sides.
public enum LabelPosition: String, CaseIterable, Hashable, Sendable {
    case upperRight, lowerRight, upperLeft, lowerLeft, right, left, above, below

    /// The label's box for `request` in this position.
    public func rect(for request: LabelRequest) -> PixelRect {
        let a = request.anchor, w = request.width, h = request.height, g = request.gap
        // Diagonal positions keep the box a little closer so it still reads as belonging to the point.
        let d = g * 0.7
        switch self {
        case .upperRight: return PixelRect(x: a.x + d, y: a.y - d - h, width: w, height: h)
        case .lowerRight: return PixelRect(x: a.x + d, y: a.y + d, width: w, height: h)
        case .upperLeft: return PixelRect(x: a.x - d - w, y: a.y - d - h, width: w, height: h)
        case .lowerLeft: return PixelRect(x: a.x - d - w, y: a.y + d, width: w, height: h)
        case .right: return PixelRect(x: a.x + g, y: a.y - h / 2, width: w, height: h)
        case .left: return PixelRect(x: a.x - g - w, y: a.y - h / 2, width: w, height: h)
        case .above: return PixelRect(x: a.x - w / 2, y: a.y - g - h, width: w, height: h)
        case .below: return PixelRect(x: a.x - w / 2, y: a.y + g, width: w, height: h)
        }
    }
}

/// A label that found room.
public struct PlacedLabel: Hashable, Sendable {
    /// Index of the request in the input.
    public var index: Int
    public var position: LabelPosition
    public var rect: PixelRect
}

/// Greedy point-label placement: requests in decreasing priority each take the first of
/// eight candidate positions that stays inside `bounds` and overlaps neither an obstacle
/// nor a label already placed; a request with no such position gets no label. Simple and
/// deterministic; it keeps the most important labels, which for a map of hubs is what matters
/// (cf. Christensen, Marks, Shieber 1995 for the optimisation view of the problem).
public enum LabelPlacer {
    /// - Parameter obstacles: boxes no label may cover (points, legend, scale bar).
    /// - Returns: placed labels, in placement order.
    /// - Complexity: O(n² · 8) for n requests, plus O(n · 8 · obstacles); fine for hundreds of labels.
    public static func place(_ requests: [LabelRequest], in bounds: PixelRect, obstacles: [PixelRect]) -> [PlacedLabel] {
        let order = requests.indices.sorted { i, j in
            requests[i].priority != requests[j].priority ? requests[i].priority > requests[j].priority : i < j
        }
        var placed: [PlacedLabel] = []
        for i in order {
            for position in LabelPosition.allCases {
                let r = position.rect(for: requests[i])
                guard bounds.contains(r),
                      !obstacles.contains(where: { $0.overlaps(r) }),
                      !placed.contains(where: { $0.rect.overlaps(r) }) else { continue }
                placed.append(PlacedLabel(index: i, position: position, rect: r))
                break
            }
        }
        return placed
    }

    /// Width of `text` in `fontSize` pixels for a sans-serif such as DejaVu Sans, estimated
    /// from character classes and rounded up so estimates err towards more room.
    public static func estimatedWidth(_ text: String, fontSize: Double) -> Double {
        var em = 0.0
        for ch in text {
            if ch == " " { em += 0.32 } else if ch.isUppercase { em += 0.70 } else if ch.isNumber { em += 0.64 }
            else if "iljtf.,;:'!|()".contains(ch) { em += 0.34 } else if "mwMW".contains(ch) { em += 0.92 }
            else { em += 0.60 }
        }
        return (em * fontSize).rounded(.up)
    }
}
