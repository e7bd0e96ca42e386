/// The legend box: one section per kind of layer present, sized before it is placed.
struct Legend {
    enum Row {
        case heading(String)
        case gradient(DivergingColorScale)
        case line(color: String, width: Double, dash: [Double]?, opacity: Double, label: String)
        case cross(String)
        case dot(String)
        case marker(color: String, label: String)
        /// A figure in words, no symbol.
        case text(String)
    }

    private(set) var rows: [Row] = []
    let u: Double

    /// - Parameter crossingDots: whether short crossings were marked with dots (the SVG does, the HTML map does not).
    init(content: MapContent, changeScale: DivergingColorScale?, flowScale: SqrtWidthScale?, crossingDots: Bool = false, u: Double) {
        self.u = u
        let lines = content.lines
        if let changeScale {
            rows.append(.heading("Change in flow (people per period)"))
            rows.append(.gradient(changeScale))
            let segments = lines.filter { $0.role == .flowChange }
            if segments.contains(where: { !$0.isSea }) {
                rows.append(.line(color: DivergingColorScale.neutral.hex, width: SegmentStyle.width, dash: nil, opacity: 1, label: "land border section"))
            }
            if segments.contains(where: \.isSea) {
                rows.append(.line(color: DivergingColorScale.neutral.hex, width: SegmentStyle.width, dash: SegmentStyle.seaDash, opacity: 1, label: "sea crossing"))
            }
            if crossingDots {
                rows.append(.marker(color: DivergingColorScale.increase.hex, label: "short crossing whose flow changed"))
            }
            if segments.contains(where: { $0.peakFlow == 0 && ($0.change ?? 0) == 0 }) {
                rows.append(.line(color: "#b8b8b8", width: 1.2, dash: nil, opacity: 1, label: "no flow in either run"))
            }
        }
        if lines.contains(where: \.isClosed) { rows.append(.cross("closed (one or both directions)")) }
        if let flowScale {
            rows.append(.heading("Main paths (people per period)"))
            let changes = content.pathChanges()
            let kinds = Set(changes.values)
            // Width samples in the colour of the most common kind, then one swatch per kind present.
            let widthStyle = RouteStyle.of(kinds.contains(.scenarioOnly) || kinds.contains(.single) ? .scenarioOnly : .unchanged)
            for v in flowScale.legendValues {
                rows.append(.line(color: widthStyle.color, width: flowScale.width(v) / u, dash: nil, opacity: widthStyle.opacity,
                                  label: NiceNumber.label(v)))
            }
            if kinds.count > 1 || kinds.contains(.baselineOnly) {
                for kind in [PathChange.scenarioOnly, .baselineOnly, .unchanged, .single] where kinds.contains(kind) {
                    let style = RouteStyle.of(kind)
                    rows.append(.line(color: style.color, width: 5, dash: style.dash, opacity: style.opacity,
                                      label: RouteStyle.legendNames[kind] ?? kind.rawValue))
                }
            }
        }
        let kinds = Set(lines.filter { $0.role == .network }.compactMap(\.kind))
        let networkKinds = ["border", "sea", "ferry", "leg"].filter(kinds.contains)
        if !networkKinds.isEmpty {
            rows.append(.heading("Network"))
            for kind in networkKinds {
                let s = NetworkStyle.of(MapLine(role: .network, parts: [], properties: ["kind": .string(kind)]))
                rows.append(.line(color: s.color, width: s.width * 1.5, dash: s.dash, opacity: 1, label: NetworkStyle.legendNames[kind] ?? kind))
            }
        }
        if !content.peopleTotals.isEmpty {
            rows.append(.heading("People per period (scenario)"))
            for t in content.peopleTotals { rows.append(.text("\(t.label): \(NiceNumber.label(t.value, decimals: 0))")) }
        }
        if !content.places.isEmpty { rows.append(.dot(content.places.contains { $0.properties["roles"] != nil } ? "hub" : "place")) }
    }

    var isEmpty: Bool { rows.isEmpty }

    private func height(of row: Row) -> Double {
        switch row {
        case .heading: return 20 * u
        case .gradient: return 36 * u
        case .line(_, let width, _, _, _): return max(18, width + 8) * u
        case .cross, .dot, .marker, .text: return 18 * u
        }
    }

    private var sample: Double { 34 * u }

    /// Wide enough for the longest text; the gradient needs room for its end labels.
    var size: (width: Double, height: Double) {
        // The gradient needs room for five tick labels; other rows only for their text.
        var width = rows.contains { if case .gradient = $0 { return true } else { return false } } ? 230 * u : 120 * u
        for row in rows {
            switch row {
            case .heading(let text):
                width = max(width, LabelPlacer.estimatedWidth(text, fontSize: 12 * u) * 1.08 + 20 * u)
            case .line(_, _, _, _, let text), .cross(let text), .dot(let text), .marker(_, let text):
                width = max(width, sample + 10 * u + LabelPlacer.estimatedWidth(text, fontSize: 12 * u) + 20 * u)
            case .text(let text):
                width = max(width, LabelPlacer.estimatedWidth(text, fontSize: 12 * u) + 20 * u)
            case .gradient: break
            }
        }
        return (width.rounded(.up), rows.reduce(14 * u) { $0 + height(of: $1) })
    }

    func draw(_ svg: inout SVGText, in rect: PixelRect) {
        func n(_ x: Double) -> String { SVGText.number(x) }
        svg.line("<g id=\"legend\" font-size=\"\(n(12 * u))\" fill=\"#1a1a1a\">")
        svg.line("<rect x=\"\(n(rect.x))\" y=\"\(n(rect.y))\" width=\"\(n(rect.width))\" height=\"\(n(rect.height))\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#9a9a9a\" stroke-width=\"\(n(0.6 * u))\"/>")
        var y = rect.y + 8 * u
        let x = rect.x + 10 * u
        for row in rows {
            let h = height(of: row)
            let mid = y + h / 2
            switch row {
            case .heading(let text):
                svg.line("<text x=\"\(n(x))\" y=\"\(n(y + 15 * u))\" font-weight=\"bold\">\(SVGText.escape(text))</text>")
            case .gradient(let scale):
                let inset = 24 * u
                let w = rect.width - 20 * u - 2 * inset
                svg.line("<rect x=\"\(n(x + inset))\" y=\"\(n(y + 4 * u))\" width=\"\(n(w))\" height=\"\(n(10 * u))\" fill=\"url(#change-scale)\"/>")
                for (i, v) in scale.ticks.enumerated() {
                    let tx = x + inset + w * Double(i) / Double(scale.ticks.count - 1)
                    svg.line("<path d=\"M\(n(tx)) \(n(y + 14 * u))L\(n(tx)) \(n(y + 18 * u))\" stroke=\"#1a1a1a\" stroke-width=\"\(n(0.8 * u))\"/>")
                    let label = v > 0 ? "+" + NiceNumber.label(v) : NiceNumber.label(v)
                    svg.line("<text x=\"\(n(tx))\" y=\"\(n(y + 30 * u))\" font-size=\"\(n(11 * u))\" text-anchor=\"middle\">\(label)</text>")
                }
            case .line(let color, let width, let dash, let opacity, let label):
                let dashAttr = dash.map { " stroke-dasharray=\"" + $0.map { n($0 * u) }.joined(separator: " ") + "\"" } ?? ""
                svg.line("<path d=\"M\(n(x)) \(n(mid))L\(n(x + sample)) \(n(mid))\" stroke=\"\(color)\" stroke-opacity=\"\(n(opacity))\" stroke-width=\"\(n(width * u))\"\(dashAttr) fill=\"none\"/>")
                svg.line("<text x=\"\(n(x + sample + 10 * u))\" y=\"\(n(mid + 4 * u))\">\(SVGText.escape(label))</text>")
            case .cross(let label):
                let r = 5 * u, cx = x + sample / 2
                let d = "M\(n(cx - r)) \(n(mid - r))L\(n(cx + r)) \(n(mid + r))M\(n(cx - r)) \(n(mid + r))L\(n(cx + r)) \(n(mid - r))"
                svg.line("<path d=\"\(d)\" stroke=\"#000000\" stroke-width=\"\(n(2.4 * u))\" stroke-linecap=\"round\" fill=\"none\"/>")
                svg.line("<text x=\"\(n(x + sample + 10 * u))\" y=\"\(n(mid + 4 * u))\">\(SVGText.escape(label))</text>")
            case .marker(let color, let label):
                svg.line("<circle cx=\"\(n(x + sample / 2))\" cy=\"\(n(mid))\" r=\"\(n(SegmentStyle.markRadius * u))\" fill=\"\(color)\" stroke=\"#ffffff\" stroke-width=\"\(n(1.2 * u))\"/>")
                svg.line("<text x=\"\(n(x + sample + 10 * u))\" y=\"\(n(mid + 4 * u))\">\(SVGText.escape(label))</text>")
            case .text(let label):
                svg.line("<text x=\"\(n(x))\" y=\"\(n(mid + 4 * u))\">\(SVGText.escape(label))</text>")
            case .dot(let label):
                svg.line("<circle cx=\"\(n(x + sample / 2))\" cy=\"\(n(mid))\" r=\"\(n(2.6 * u))\" fill=\"#1f1f1f\" stroke=\"#ffffff\" stroke-width=\"\(n(0.8 * u))\"/>")
                svg.line("<text x=\"\(n(x + sample + 10 * u))\" y=\"\(n(mid + 4 * u))\">\(SVGText.escape(label))</text>")
            }
            y += h
        }
        svg.line("</g>")
    }
}
