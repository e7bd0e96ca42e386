import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGeodesy
import RouteShiftGeometry

/// What to draw and how large.
public struct MapOptions: Hashable, Sendable {
    /// Any CRS PROJ understands; EPSG:3035 (ETRS89 LAEA Europe) keeps areas true from
    /// West Africa to Afghanistan with moderate shape distortion at the edges.
    public var projection: String = "EPSG:3035"
    /// Width of the image, pixels; the height follows the region's shape.
    public var width: Int = 1600
    /// Title; default: the inputs' suggested title, else one naming what is shown.
    public var title: String?
    /// Region to show, WGS84 degrees; default: every line and place, or `routeRegion` when there are none.
    public var region: BoundingBox?
    /// Attribution line; default: built from the layers present (see `MapRenderer.attribution(for:)`).
    public var attribution: String?

    /// The route region of the bundled Geodata: Senegal and the Gulf of Guinea to
    /// Afghanistan, the Sahel to northern Scandinavia.
    public static let routeRegion = BoundingBox(minX: -19, minY: 3, maxX: 72, maxY: 66)

    public init(projection: String = "EPSG:3035", width: Int = 1600, title: String? = nil,
                region: BoundingBox? = nil, attribution: String? = nil) {
        self.projection = projection
        self.width = width
        self.title = title
        self.region = region
        self.attribution = attribution
    }
}

/// Where things ended up on the page, for checking a rendering.
public struct MapLayout: Hashable, Sendable {
    public var width: Double
    public var height: Double
    public var viewport: MapViewport
    public var scaleBar: ScaleBar?
    public var labels: [PlacedLabel]
    /// Label texts, by `PlacedLabel.index` order of `labels`.
    public var labelTexts: [String]
    public var legend: PixelRect?
    /// The diverging scale used for flow changes, when there are any.
    public var changeScale: DivergingColorScale?
    /// The width scale used for path flows, when there are any.
    public var flowScale: SqrtWidthScale?
}

/// A rendered map: SVG text and its layout.
public struct RenderedMap: Hashable, Sendable {
    public var svg: String
    public var layout: MapLayout
}

/// Draws RouteShift layers as a static SVG map in a PROJ projection.
///
/// Layers, bottom to top: sea, graticule, countries (clipped to the view and simplified
/// in projected units with GEOS's topology-preserving simplifier), network edges by kind,
/// main paths with width ∝ √flow (kept, given up or taken up between the runs), border
/// sections and sea crossings coloured by flow change (blue decrease, grey none, red
/// increase; crossings too short to see also get a dot), × on closed segments, places with
/// labels placed greedily without overlaps, then legend, scale bar, north arrow, title and
/// attribution. Lines are densified along the geodesic before projection; points PROJ
/// cannot project are dropped. The output is deterministic: the same inputs give the same bytes.
///
/// ```swift
/// var content = MapContent()
/// content.add(try GeoJSON.readFeatureCollection(path: "Geodata/countries.geojson"))
/// try MapInput.add(path: "out/scenario", to: &content)
/// let svg = try MapRenderer(options: MapOptions(title: "Closure of HU-RS")).render(content).svg
/// ```
public struct MapRenderer: Sendable {
    public var options: MapOptions

    public init(options: MapOptions = MapOptions()) {
        self.options = options
    }

    /// - Throws: `ProjError` if the projection is unknown; `InputError` for a width below 200
    ///   pixels or when nothing to draw can be projected.
    /// - Complexity: O(V) projections for V input vertices (plus densified ones), GEOS clipping and
    ///   simplification of the countries in view, and O(L²) label placement for L places in view.
    public func render(_ content: MapContent) throws -> RenderedMap {
        guard options.width >= 200 else {
            throw InputError("map width must be at least 200 pixels (got \(options.width))")
        }
        let projector = try MapProjector(projection: options.projection)
        let engine = try GeometryEngine()
        return try Drawing(options: options, content: content, projector: projector, engine: engine).render()
    }

    /// Sources to credit for `content`: Natural Earth for country shapes, GeoNames for
    /// places, IOM's Missing Migrants Project for risk figures, Frontex for route flows.
    public static func attribution(for content: MapContent) -> String {
        var parts: [String] = []
        if !content.areas.isEmpty { parts.append("Natural Earth (public domain)") }
        if !content.places.isEmpty { parts.append("GeoNames (CC BY 4.0)") }
        let hasRisk = content.lines.contains { $0.properties["risk"] != nil || $0.properties["expected_fatalities"] != nil }
        if hasRisk { parts.append("IOM Missing Migrants Project (risk)") }
        let hasFlows = content.lines.contains { $0.role == .flowChange || $0.role == .route }
        if hasFlows { parts.append("Frontex route totals (demand); flows are model estimates") }
        return parts.isEmpty ? "RouteShift" : "Data: " + parts.joined(separator: " · ")
    }
}

/// One rendering: projected layers and the SVG being written.
private struct Drawing {
    let options: MapOptions
    let content: MapContent
    let projector: MapProjector
    let engine: GeometryEngine
    /// Size unit: 1 at the default width of 1600 pixels.
    let u: Double

    init(options: MapOptions, content: MapContent, projector: MapProjector, engine: GeometryEngine) {
        self.options = options
        self.content = content
        self.projector = projector
        self.engine = engine
        u = min(2, max(0.75, Double(options.width) / 1600))
    }

    static let fontFamily = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"

    func render() throws -> RenderedMap {
        let width = Double(options.width)
        let title = options.title ?? content.suggestedTitle ?? defaultTitle
        let header = (48 * u).rounded()
        let footer = (26 * u).rounded()
        let margin = (12 * u).rounded()

        // Project the foreground once: it fixes the extent and is drawn from these points.
        let lines = content.lines.map { line in line.parts.flatMap { projector.project(line: $0) } }
        let places = content.places.map { projector.project($0.coordinate) }
        let viewport = MapViewport.fitting(try extentBox(lines: lines, places: places), frameWidth: width - 2 * margin,
                                           origin: PixelPoint(x: margin, y: header))
        let height = header + viewport.frame.height + footer
        let frame = viewport.frame

        var svg = SVGText()
        svg.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        svg.line("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
                 + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"\(Self.fontFamily)\">")
        svg.line("<title>\(SVGText.escape(title))</title>")
        let changeScale = content.changeScale
        svg.line("<defs>")
        svg.line("<clipPath id=\"frame\"><rect x=\"\(n(frame.x))\" y=\"\(n(frame.y))\" width=\"\(n(frame.width))\" height=\"\(n(frame.height))\"/></clipPath>")
        if changeScale != nil {
            svg.line("<linearGradient id=\"change-scale\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"0\">"
                     + "<stop offset=\"0\" stop-color=\"\(DivergingColorScale.decrease.hex)\"/>"
                     + "<stop offset=\"0.5\" stop-color=\"\(DivergingColorScale.neutral.hex)\"/>"
                     + "<stop offset=\"1\" stop-color=\"\(DivergingColorScale.increase.hex)\"/></linearGradient>")
        }
        svg.line("</defs>")
        svg.line("<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#ffffff\"/>")
        svg.line("<rect x=\"\(n(frame.x))\" y=\"\(n(frame.y))\" width=\"\(n(frame.width))\" height=\"\(n(frame.height))\" fill=\"#dce9f2\"/>")
        svg.line("<g clip-path=\"url(#frame)\">")

        let geoBounds = projector.geographicBounds(of: viewport)
        drawGraticule(&svg, viewport: viewport, bounds: geoBounds)
        try drawAreas(&svg, viewport: viewport, bounds: geoBounds)

        // Closure crosses and segment dots are kept clear of labels.
        let (flowScale, closures, crossingDots) = drawLines(&svg, lines: lines, viewport: viewport, changeScale: changeScale)
        let marks = closures + crossingDots

        // Places: dots, then labels around them.
        let dotRadius = 2.6 * u
        var dots: [(PixelPoint, Int)] = []
        for (i, p) in places.enumerated() {
            guard let p else { continue }
            let px = viewport.pixel(p)
            if frame.contains(px) { dots.append((px, i)) }
        }
        if !dots.isEmpty {
            svg.line("<g id=\"places\" fill=\"#1f1f1f\" stroke=\"#ffffff\" stroke-width=\"\(n(0.8 * u))\">")
            for (p, _) in dots { svg.line("<circle cx=\"\(n(p.x))\" cy=\"\(n(p.y))\" r=\"\(n(dotRadius))\"/>") }
            svg.line("</g>")
        }
        svg.line("</g>")
        svg.line("<rect x=\"\(n(frame.x))\" y=\"\(n(frame.y))\" width=\"\(n(frame.width))\" height=\"\(n(frame.height))\" fill=\"none\" stroke=\"#6b6b6b\" stroke-width=\"\(n(max(0.8, u)))\"/>")

        // Legend and scale bar go where the map is emptiest; labels avoid both.
        let legend = Legend(content: content, changeScale: changeScale, flowScale: flowScale,
                            crossingDots: !crossingDots.isEmpty, u: u)
        let ink = inkPoints(lines: lines, dots: dots.map(\.0), viewport: viewport)
        let inset = 10 * u
        let legendRect = legend.isEmpty ? nil : emptiestCorner(size: legend.size, frame: frame, inset: inset, ink: ink, exclude: [])
        let scaleBar = ScaleBar.measure(in: viewport, projector: projector, targetPixels: 150 * u)
        let noteWidth = LabelPlacer.estimatedWidth(ScaleBar.note, fontSize: 10 * u)
        let scaleSize = (width: (max(noteWidth, (scaleBar?.pixelLength ?? 0) + 20 * u) + 50 * u).rounded(.up), height: 46 * u)
        let scaleRect = emptiestCorner(size: scaleSize, frame: frame, inset: inset, ink: ink,
                                       exclude: legendRect.map { [$0] } ?? [])

        var obstacles = dots.map { PixelRect(x: $0.0.x - dotRadius, y: $0.0.y - dotRadius, width: 2 * dotRadius, height: 2 * dotRadius) }
        obstacles += marks.map { PixelRect(x: $0.x - 7 * u, y: $0.y - 7 * u, width: 14 * u, height: 14 * u) }
        if let legendRect { obstacles.append(legendRect) }
        obstacles.append(scaleRect)
        let fontSize = 12 * u
        var requests: [LabelRequest] = []
        var requestTexts: [String] = []
        for (p, i) in dots where !content.places[i].label.isEmpty {
            let text = content.places[i].label
            requests.append(LabelRequest(anchor: p, width: LabelPlacer.estimatedWidth(text, fontSize: fontSize),
                                         height: (fontSize * 1.2).rounded(.up), priority: content.places[i].priority,
                                         gap: dotRadius + 2 * u))
            requestTexts.append(text)
        }
        let placed = LabelPlacer.place(requests, in: frame.insetBy(2), obstacles: obstacles)
        if !placed.isEmpty {
            svg.line("<g id=\"labels\" font-size=\"\(n(fontSize))\" fill=\"#1a1a1a\">")
            for label in placed {
                let x = n(label.rect.x), y = n(label.rect.maxY - fontSize * 0.28)
                let text = SVGText.escape(requestTexts[label.index])
                svg.line("<text x=\"\(x)\" y=\"\(y)\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"\(n(3 * u))\" stroke-linejoin=\"round\" stroke-opacity=\"0.85\">\(text)</text>")
                svg.line("<text x=\"\(x)\" y=\"\(y)\">\(text)</text>")
            }
            svg.line("</g>")
        }

        if let legendRect { legend.draw(&svg, in: legendRect) }
        drawScaleBar(&svg, scaleBar, in: scaleRect, viewport: viewport)

        // Title, projection and attribution outside the frame.
        svg.line("<text x=\"\(n(margin))\" y=\"\(n(header - 14 * u))\" font-size=\"\(n(24 * u))\" font-weight=\"bold\" fill=\"#1a1a1a\">\(SVGText.escape(title))</text>")
        svg.line("<text x=\"\(n(width - margin))\" y=\"\(n(header - 14 * u))\" font-size=\"\(n(13 * u))\" fill=\"#555555\" text-anchor=\"end\">Projection \(SVGText.escape(options.projection)) · north up</text>")
        let attribution = options.attribution ?? MapRenderer.attribution(for: content)
        svg.line("<text x=\"\(n(margin))\" y=\"\(n(height - 9 * u))\" font-size=\"\(n(11 * u))\" fill=\"#555555\">\(SVGText.escape(attribution))</text>")
        svg.line("<text x=\"\(n(width - margin))\" y=\"\(n(height - 9 * u))\" font-size=\"\(n(11 * u))\" fill=\"#555555\" text-anchor=\"end\">RouteShift</text>")
        svg.line("</svg>")

        let layout = MapLayout(width: width, height: height, viewport: viewport, scaleBar: scaleBar, labels: placed,
                               labelTexts: placed.map { requestTexts[$0.index] }, legend: legendRect,
                               changeScale: changeScale, flowScale: flowScale)
        return RenderedMap(svg: svg.text, layout: layout)
    }

    private func n(_ x: Double) -> String { SVGText.number(x) }

    private var defaultTitle: String {
        if content.lines.contains(where: { $0.role == .flowChange }) { return "Change in flow by border section and sea crossing" }
        if content.lines.contains(where: { $0.role == .route }) { return "Main paths by flow" }
        if content.lines.contains(where: { $0.role == .network }) { return "RouteShift route network" }
        if content.lines.isEmpty && !content.places.isEmpty { return "RouteShift hubs" }
        return "RouteShift map"
    }

    // MARK: Extent

    private func extentBox(lines: [[[ProjectedPoint]]], places: [ProjectedPoint?]) throws -> BoundingBox {
        var box: BoundingBox?
        func include(_ p: ProjectedPoint) {
            let c = Coordinate(longitude: p.x, latitude: p.y)
            if box == nil { box = BoundingBox(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y) } else { box!.include(c) }
        }
        let region = options.region ?? (content.hasForeground ? nil : MapOptions.routeRegion)
        if let region {
            let ring = [Coordinate(longitude: region.minX, latitude: region.minY), Coordinate(longitude: region.maxX, latitude: region.minY),
                        Coordinate(longitude: region.maxX, latitude: region.maxY), Coordinate(longitude: region.minX, latitude: region.maxY),
                        Coordinate(longitude: region.minX, latitude: region.minY)]
            for part in projector.project(line: ring, geodesic: false) { part.forEach(include) }
        } else {
            for parts in lines { for part in parts { part.forEach(include) } }
            for p in places { if let p { include(p) } }
        }
        guard let box else {
            throw InputError("nothing to draw can be shown in \(options.projection): no line or place could be projected")
        }
        return box
    }

    // MARK: Background

    private func drawGraticule(_ svg: inout SVGText, viewport: MapViewport, bounds: BoundingBox) {
        var d: [[PixelPoint]] = []
        let step = 10.0
        let latLow = max(-80, bounds.minY), latHigh = min(85, bounds.maxY)
        var lon = (bounds.minX / step).rounded(.down) * step
        while lon <= bounds.maxX {
            let meridian = [Coordinate(longitude: lon, latitude: latLow), Coordinate(longitude: lon, latitude: latHigh)]
            d += projector.project(line: meridian, geodesic: false).map { $0.map(viewport.pixel) }
            lon += step
        }
        var lat = (latLow / step).rounded(.up) * step
        while lat <= latHigh {
            let parallel = [Coordinate(longitude: bounds.minX, latitude: lat), Coordinate(longitude: bounds.maxX, latitude: lat)]
            d += projector.project(line: parallel, geodesic: false).map { $0.map(viewport.pixel) }
            lat += step
        }
        guard !d.isEmpty else { return }
        svg.line("<path id=\"graticule\" fill=\"none\" stroke=\"#c3d6e3\" stroke-width=\"\(n(0.7 * u))\" d=\"\(SVGText.pathData(d.map(SVGText.thinned), closed: false))\"/>")
    }

    /// Countries: clipped in degrees to what the view can show (so PROJ never sees the far
    /// side of the globe), projected, clipped to the frame and simplified to half a pixel.
    private func drawAreas(_ svg: inout SVGText, viewport: MapViewport, bounds: BoundingBox) throws {
        guard !content.areas.isEmpty else { return }
        let geoClip = try engine.rectangle(bounds)
        let pad = 0.02 * (viewport.extent.maxX - viewport.extent.minX)
        let viewClip = try engine.rectangle(BoundingBox(minX: viewport.extent.minX - pad, minY: viewport.extent.minY - pad,
                                                        maxX: viewport.extent.maxX + pad, maxY: viewport.extent.maxY + pad))
        let tolerance = 0.5 / viewport.scale
        svg.line("<g id=\"countries\" fill=\"#f5f2eb\" stroke=\"#a39e94\" stroke-width=\"\(n(0.6 * u))\" stroke-linejoin=\"round\" fill-rule=\"evenodd\">")
        for area in content.areas {
            guard let polygons = polygons(of: area.geometry), let box = BoundingBox(covering: polygons.joined().joined()),
                  box.maxX >= bounds.minX, box.minX <= bounds.maxX, box.maxY >= bounds.minY, box.minY <= bounds.maxY else { continue }
            guard let clipped = try? clip(area.geometry, to: geoClip) else { continue }
            var projected: [[[Coordinate]]] = []
            for polygon in clipped {
                var rings: [[Coordinate]] = []
                for ring in polygon {
                    var points = MapProjector.densifiedLinearly(ring, step: 0.5).compactMap(projector.project)
                        .map { Coordinate(longitude: $0.x, latitude: $0.y) }
                    if let first = points.first, points.last != first { points.append(first) }
                    if points.count >= 4 { rings.append(points) }
                }
                if !rings.isEmpty { projected.append(rings) }
            }
            guard !projected.isEmpty,
                  let inView = try? clip(.multiPolygon(projected), to: viewClip, simplify: tolerance), !inView.isEmpty else { continue }
            let d = SVGText.pathData(inView.flatMap { $0 }.map { ring in SVGText.thinned(ring.map {
                viewport.pixel(ProjectedPoint(x: $0.longitude, y: $0.latitude))
            }) }, closed: true)
            guard !d.isEmpty else { continue }
            svg.line("<path d=\"\(d)\"/>")
        }
        svg.line("</g>")
    }

    private func polygons(of g: Geometry) -> [[[Coordinate]]]? {
        switch g {
        case .polygon(let rings): return [rings]
        case .multiPolygon(let polygons): return polygons
        case .geometryCollection(let members):
            let all = members.compactMap(polygons(of:)).flatMap { $0 }
            return all.isEmpty ? nil : all
        default: return nil
        }
    }

    /// `g ∩ clip` as polygons, repairing an invalid input once; optionally simplified
    /// without changing topology (Douglas–Peucker constrained to keep rings simple).
    private func clip(_ g: Geometry, to clip: PlanarGeometry, simplify tolerance: Double? = nil) throws -> [[[Coordinate]]] {
        var planar = try engine.geometry(g)
        var cut: PlanarGeometry
        do { cut = try engine.intersection(planar, clip) } catch {
            planar = try engine.makeValid(planar)
            cut = try engine.intersection(planar, clip)
        }
        if let tolerance { cut = try engine.topologyPreservingSimplify(cut, tolerance: tolerance) }
        return polygons(of: try engine.geoJSON(cut)) ?? []
    }

    // MARK: Lines

    /// Network edges, paths and segments in that order, strongest on top; returns the path width scale used.
    private func drawLines(_ svg: inout SVGText, lines: [[[ProjectedPoint]]], viewport: MapViewport,
                           changeScale: DivergingColorScale?) -> (flowScale: SqrtWidthScale?, closures: [PixelPoint], crossingDots: [PixelPoint]) {
        func d(_ i: Int) -> String { SVGText.pathData(lines[i].map { SVGText.thinned($0.map(viewport.pixel)) }, closed: false) }
        let all = content.lines.indices.filter { !lines[$0].isEmpty }

        let network = all.filter { content.lines[$0].role == .network || content.lines[$0].role == .other }
        if !network.isEmpty {
            let faint = changeScale != nil || content.lines.contains { $0.role == .route }
            svg.line("<g id=\"network\" fill=\"none\" stroke-linecap=\"round\"\(faint ? " opacity=\"0.55\"" : "")>")
            // Legs first so that crossings stay visible where they meet.
            let order = network.sorted { NetworkStyle.of(content.lines[$0]).rank < NetworkStyle.of(content.lines[$1]).rank }
            for i in order {
                let s = NetworkStyle.of(content.lines[i])
                svg.line("<path stroke=\"\(s.color)\" stroke-width=\"\(n(s.width * u))\"\(s.dash.map { " stroke-dasharray=\"\(dash($0))\"" } ?? "") d=\"\(d(i))\"/>")
            }
            svg.line("</g>")
        }

        let routes = all.filter { content.lines[$0].role == .route && (content.lines[$0].flow ?? 0) > 0 }
        let flowScale = content.flowScale(maximumWidth: RouteStyle.maximumWidth * u, minimumWidth: 0.8 * u)
        if let scale = flowScale, !routes.isEmpty {
            svg.line("<g id=\"routes\" fill=\"none\" stroke-linecap=\"round\" stroke-linejoin=\"round\">")
            // A path both runs use is drawn once (its scenario copy), quietly; paths given up are
            // dashed grey and paths taken up are strong purple, so the eye goes to what changed.
            // Within each kind, wide under narrow so that every path shows.
            let changes = content.pathChanges()
            let drawn = routes.filter { !(changes[$0] == .unchanged && content.lines[$0].phase == "baseline") }
            let order = drawn.sorted { a, b in
                let ra = RouteStyle.of(changes[a] ?? .single).rank, rb = RouteStyle.of(changes[b] ?? .single).rank
                if ra != rb { return ra < rb }
                let fa = content.lines[a].flow ?? 0, fb = content.lines[b].flow ?? 0
                return fa != fb ? fa > fb : a < b
            }
            for i in order {
                let style = RouteStyle.of(changes[i] ?? .single)
                let dashAttr = style.dash.map { " stroke-dasharray=\"\(dash($0))\"" } ?? ""
                svg.line("<path stroke=\"\(style.color)\" stroke-opacity=\"\(n(style.opacity))\" stroke-width=\"\(n(scale.width(content.lines[i].flow ?? 0)))\"\(dashAttr) d=\"\(d(i))\"/>")
            }
            svg.line("</g>")
        }

        var markCentres: [PixelPoint] = []
        let segments = all.filter { content.lines[$0].role == .flowChange }
        if let changeScale, !segments.isEmpty {
            svg.line("<g id=\"segments\" fill=\"none\" stroke-linecap=\"round\">")
            let order = segments.sorted { a, b in
                let ca = abs(content.lines[a].change ?? 0), cb = abs(content.lines[b].change ?? 0)
                let ua = content.lines[a].peakFlow > 0, ub = content.lines[b].peakFlow > 0
                if ua != ub { return !ua }
                return ca != cb ? ca < cb : a < b
            }
            let used = order.filter { content.lines[$0].peakFlow > 0 || (content.lines[$0].change ?? 0) != 0 }
            if !used.isEmpty {
                let casing = used.map { d($0) }.joined()
                svg.line("<path stroke=\"#ffffff\" stroke-opacity=\"0.9\" stroke-width=\"\(n(SegmentStyle.casing * u))\" d=\"\(casing)\"/>")
            }
            for i in order {
                let line = content.lines[i]
                let isUsed = line.peakFlow > 0 || (line.change ?? 0) != 0
                let color = isUsed ? changeScale.color(line.change ?? 0).hex : SegmentStyle.unusedColor
                let width = isUsed ? SegmentStyle.width : SegmentStyle.unusedWidth
                let dashed = line.isSea ? " stroke-dasharray=\"\(dash(SegmentStyle.seaDash.map { $0 * width / SegmentStyle.width }))\"" : ""
                svg.line("<path stroke=\"\(color)\" stroke-width=\"\(n(width * u))\"\(dashed) d=\"\(d(i))\"/>")
            }
            svg.line("</g>")
            // A border crossing a few kilometres long is a speck at this scale: mark those whose flow
            // changed noticeably with a dot in the change colour, largest change on top.
            var marks: [(PixelPoint, Double)] = []
            defer { markCentres = marks.map(\.0) }
            for i in order {
                let change = content.lines[i].change ?? 0
                guard abs(change) >= changeScale.maximum * SegmentStyle.markThreshold else { continue }
                let parts = lines[i].map { $0.map(viewport.pixel) }
                guard pageLength(parts) < SegmentStyle.markBelowLength * u, let mid = midpoint(parts) else { continue }
                marks.append((mid, change))
            }
            if !marks.isEmpty {
                svg.line("<g id=\"segment-marks\" stroke=\"#ffffff\" stroke-width=\"\(n(1.2 * u))\">")
                for (p, change) in marks.sorted(by: { abs($0.1) < abs($1.1) }) {
                    svg.line("<circle cx=\"\(n(p.x))\" cy=\"\(n(p.y))\" r=\"\(n(SegmentStyle.markRadius * u))\" fill=\"\(changeScale.color(change).hex)\"/>")
                }
                svg.line("</g>")
            }
        }

        // Closed lines get a black dashed core; × marks are thinned so that a closed border of
        // many sections reads as one dashed line with a few crosses rather than a solid black band.
        let closed = all.filter { content.lines[$0].isClosed }
        var centres: [PixelPoint] = []
        if !closed.isEmpty {
            let r = 5 * u, spacing = 28 * u
            var marks = "", cores = ""
            for i in closed {
                cores += d(i)
                guard let mid = midpoint(lines[i].map { $0.map(viewport.pixel) }),
                      !centres.contains(where: { hypot($0.x - mid.x, $0.y - mid.y) < spacing }) else { continue }
                centres.append(mid)
                marks += "M\(n(mid.x - r)) \(n(mid.y - r))L\(n(mid.x + r)) \(n(mid.y + r))M\(n(mid.x - r)) \(n(mid.y + r))L\(n(mid.x + r)) \(n(mid.y - r))"
            }
            svg.line("<g id=\"closures\" fill=\"none\" stroke-linecap=\"round\">")
            svg.line("<path stroke=\"#000000\" stroke-width=\"\(n(1.4 * u))\" stroke-dasharray=\"\(dash([3, 2.5]))\" d=\"\(cores)\"/>")
            svg.line("<path stroke=\"#ffffff\" stroke-width=\"\(n(5 * u))\" d=\"\(marks)\"/>")
            svg.line("<path stroke=\"#000000\" stroke-width=\"\(n(2.4 * u))\" d=\"\(marks)\"/>")
            svg.line("</g>")
        }
        return (flowScale, centres, markCentres)
    }

    private func dash(_ pattern: [Double]) -> String { pattern.map { n($0 * u) }.joined(separator: " ") }

    private func length(_ p: [PixelPoint]) -> Double { zip(p, p.dropFirst()).reduce(0) { $0 + hypot($1.1.x - $1.0.x, $1.1.y - $1.0.y) } }

    private func pageLength(_ parts: [[PixelPoint]]) -> Double { parts.reduce(0) { $0 + length($1) } }

    /// The point halfway along the longest part, by length on the page.
    private func midpoint(_ parts: [[PixelPoint]]) -> PixelPoint? {
        guard let part = parts.max(by: { length($0) < length($1) }), let first = part.first else { return nil }
        var remaining = length(part) / 2
        for (a, b) in zip(part, part.dropFirst()) {
            let s = hypot(b.x - a.x, b.y - a.y)
            if s >= remaining, s > 0 {
                let t = remaining / s
                return PixelPoint(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t)
            }
            remaining -= s
        }
        return first
    }

    // MARK: Furniture

    /// Vertices of drawn lines and places in the frame, to find empty corners.
    private func inkPoints(lines: [[[ProjectedPoint]]], dots: [PixelPoint], viewport: MapViewport) -> [PixelPoint] {
        var ink = dots
        for parts in lines { for part in parts { for p in part { ink.append(viewport.pixel(p)) } } }
        return ink
    }

    private func emptiestCorner(size: (width: Double, height: Double), frame: PixelRect, inset: Double, ink: [PixelPoint],
                                exclude: [PixelRect]) -> PixelRect {
        let left = frame.x + inset, right = frame.maxX - inset - size.width
        let top = frame.y + inset, bottom = frame.maxY - inset - size.height
        // Bottom corners first: on a tie the furniture sits at the foot of the map, where readers expect it.
        let corners = [PixelRect(x: left, y: bottom, width: size.width, height: size.height),
                       PixelRect(x: right, y: bottom, width: size.width, height: size.height),
                       PixelRect(x: right, y: top, width: size.width, height: size.height),
                       PixelRect(x: left, y: top, width: size.width, height: size.height)]
        let free = corners.filter { c in !exclude.contains { $0.overlaps(c) } }
        let candidates = free.isEmpty ? corners : free
        var best = candidates[0], bestCount = Int.max
        for c in candidates {
            let count = ink.reduce(0) { $0 + (c.contains($1) ? 1 : 0) }
            if count < bestCount { best = c; bestCount = count }
        }
        return best
    }

    private func drawScaleBar(_ svg: inout SVGText, _ bar: ScaleBar?, in rect: PixelRect, viewport: MapViewport) {
        svg.line("<g id=\"scale\" font-size=\"\(n(11 * u))\" fill=\"#1a1a1a\">")
        svg.line("<rect x=\"\(n(rect.x))\" y=\"\(n(rect.y))\" width=\"\(n(rect.width))\" height=\"\(n(rect.height))\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#9a9a9a\" stroke-width=\"\(n(0.6 * u))\"/>")
        let x0 = rect.x + 10 * u, y0 = rect.y + 14 * u
        if let bar {
            let half = bar.pixelLength / 2, h = 5 * u
            svg.line("<rect x=\"\(n(x0))\" y=\"\(n(y0))\" width=\"\(n(half))\" height=\"\(n(h))\" fill=\"#1a1a1a\"/>")
            svg.line("<rect x=\"\(n(x0 + half))\" y=\"\(n(y0))\" width=\"\(n(half))\" height=\"\(n(h))\" fill=\"#ffffff\" stroke=\"#1a1a1a\" stroke-width=\"\(n(0.8 * u))\"/>")
            svg.line("<text x=\"\(n(x0))\" y=\"\(n(y0 - 3 * u))\">0</text>")
            svg.line("<text x=\"\(n(x0 + bar.pixelLength))\" y=\"\(n(y0 - 3 * u))\" text-anchor=\"middle\">\(bar.caption)</text>")
            svg.line("<text x=\"\(n(x0))\" y=\"\(n(y0 + h + 14 * u))\" font-size=\"\(n(10 * u))\" fill=\"#555555\">\(ScaleBar.note)</text>")
        }
        // North arrow pointing to true north at the centre: the direction of a small step north, projected.
        let center = PixelPoint(x: viewport.frame.x + viewport.frame.width / 2, y: viewport.frame.y + viewport.frame.height / 2)
        if let c = try? projector.transform.inverse(viewport.projected(center)), c.isValidGeographic,
           let a = projector.project(c), let b = projector.project(Coordinate(longitude: c.longitude, latitude: min(89.9, c.latitude + 0.1))) {
            let pa = viewport.pixel(a), pb = viewport.pixel(b)
            let angle = atan2(pb.x - pa.x, pa.y - pb.y) * 180 / .pi
            let ax = rect.maxX - 18 * u, ay = rect.y + rect.height / 2 + 4 * u
            svg.line("<g transform=\"translate(\(n(ax)) \(n(ay))) rotate(\(n(angle)))\">")
            svg.line("<path d=\"M0 \(n(-14 * u))L\(n(5 * u)) \(n(4 * u))L0 0L\(n(-5 * u)) \(n(4 * u))Z\" fill=\"#1a1a1a\"/>")
            svg.line("<text x=\"0\" y=\"\(n(15 * u))\" text-anchor=\"middle\" font-weight=\"bold\">N</text>")
            svg.line("</g>")
        }
        svg.line("</g>")
    }
}

/// Stroke of a network edge by its `kind`.
struct NetworkStyle {
    var color: String
    var width: Double
    var dash: [Double]?
    /// Drawing order: legs first.
    var rank: Int

    static func of(_ line: MapLine) -> NetworkStyle {
        switch line.kind {
        case "leg": return NetworkStyle(color: "#a8a8a8", width: 0.5, dash: nil, rank: 0)
        case "ferry": return NetworkStyle(color: "#3f7fb0", width: 0.9, dash: [1.5, 2.5], rank: 1)
        case "sea": return sea
        case "border": return NetworkStyle(color: "#3d3d3d", width: 1.6, dash: nil, rank: 3)
        default: return line.isSea ? sea : NetworkStyle(color: "#5a5a5a", width: 1.2, dash: nil, rank: 3)
        }
    }

    /// A sea crossing, also one whose kind is not a word of the schema.
    static let sea = NetworkStyle(color: "#3f7fb0", width: 1.1, dash: [4, 3], rank: 2)

    static let legendNames = ["leg": "overland leg", "border": "land border crossing", "sea": "sea crossing", "ferry": "ferry"]
}

/// Stroke of a simulation path by how it changed between the runs.
struct RouteStyle {
    var color: String
    var opacity: Double
    var dash: [Double]?
    /// Drawing order: unchanged paths at the bottom, paths taken up on top.
    var rank: Int

    static func of(_ change: PathChange) -> RouteStyle {
        switch change {
        case .unchanged: return RouteStyle(color: "#9e9ac8", opacity: 0.35, dash: nil, rank: 0)
        case .baselineOnly: return RouteStyle(color: "#5f5f5f", opacity: 0.45, dash: [6, 4], rank: 1)
        case .scenarioOnly, .single: return RouteStyle(color: "#6a3d9a", opacity: 0.6, dash: nil, rank: 2)
        }
    }

    static let legendNames: [PathChange: String] = [
        .unchanged: "same path before and after", .baselineOnly: "path given up (baseline only)",
        .scenarioOnly: "path taken up (scenario only)", .single: "path",
    ]

    /// Width of the largest flow at the default size, pixels.
    static let maximumWidth = 11.0
}

/// Border sections and sea crossings with flows: drawn over the paths, on a white casing.
enum SegmentStyle {
    static let width = 5.0
    static let casing = 8.0
    static let unusedWidth = 1.2
    static let unusedColor = "#b8b8b8"
    static let seaDash = [10.0, 5.0]
    /// Segments shorter than this on the page (pixels at the default size) get a dot as well.
    static let markBelowLength = 12.0
    static let markRadius = 4.5
    /// Changes below this fraction of the scale's maximum get no dot: they would all look grey.
    static let markThreshold = 0.02
}
