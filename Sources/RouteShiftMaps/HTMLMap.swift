import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGeodesy
import RouteShiftGeometry

/// A single HTML file with a pan-and-zoom map that works offline: Leaflet's script and
/// stylesheet (Debian's `libjs-leaflet`) and the data are inlined, and no tiles are
/// loaded. Countries are the background (clipped to the data's region and simplified);
/// clicking a segment, path or place shows its properties; the legend matches the SVG's.
///
/// Leaflet draws in Web Mercator (its default CRS), so the data stays plain RFC 7946
/// GeoJSON; long lines are densified along the geodesic first, as in the SVG.
/// When the page has added its layers it sets `data-rendered` on `<body>` (the number
/// of layers); a script error sets `data-error` instead.
public struct HTMLMap: Sendable {
    /// The Debian package that provides Leaflet.
    public static let package = "libjs-leaflet"
    /// Where Debian installs it.
    public static let defaultLeafletDirectory = "/usr/share/javascript/leaflet"

    public var options: MapOptions
    public var leafletDirectory: String

    public init(options: MapOptions = MapOptions(), leafletDirectory: String = HTMLMap.defaultLeafletDirectory) {
        self.options = options
        self.leafletDirectory = leafletDirectory
    }

    /// `true` when Leaflet's script and stylesheet are installed.
    public static func leafletAvailable(in directory: String = defaultLeafletDirectory) -> Bool {
        FileManager.default.fileExists(atPath: directory + "/leaflet.js")
            && FileManager.default.fileExists(atPath: directory + "/leaflet.css")
    }

    /// - Throws: `MissingDependencyError` naming libjs-leaflet when Leaflet is not installed.
    public func render(_ content: MapContent) throws -> String {
        let (script, style) = try leaflet()
        let title = options.title ?? content.suggestedTitle ?? "RouteShift map"
        let data = try dataScript(content)
        let legend = legendSVG(content)
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(SVGText.escape(title))</title>
        <style>
        \(style)
        </style>
        <style>
        html, body { margin: 0; height: 100%; font-family: \(Self.cssFonts); }
        #map { position: absolute; top: 40px; bottom: 0; left: 0; right: 0; background: #dce9f2; }
        #title { height: 40px; line-height: 40px; padding: 0 12px; font-size: 18px; font-weight: bold; }
        .rs-legend { background: rgba(255,255,255,0.92); padding: 4px; border: 1px solid #9a9a9a; }
        .rs-popup th { text-align: left; padding-right: 8px; font-weight: 600; vertical-align: top; }
        .rs-closed { color: #000; font: bold 18px/16px \(Self.cssFonts); text-align: center; text-shadow: 0 0 2px #fff, 0 0 2px #fff; }
        </style>
        <script id="leaflet">
        \(script)
        </script>
        </head>
        <body>
        <div id="title">\(SVGText.escape(title))</div>
        <div id="map"></div>
        <script>
        window.addEventListener('error', function (e) { document.body.setAttribute('data-error', String(e.message)); });
        \(data)
        var ROUTESHIFT_LEGEND = \(Self.jsString(legend));
        \(Self.pageScript)
        </script>
        </body>
        </html>

        """
    }

    /// Line weight of the largest path flow, CSS pixels.
    static let maximumRouteWidth = 14.0

    static let cssFonts = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif"

    // MARK: Leaflet

    /// Leaflet's minified script and its stylesheet with the images it names inlined as data URIs.
    private func leaflet() throws -> (script: String, style: String) {
        let dir = leafletDirectory
        guard Self.leafletAvailable(in: dir) else {
            throw MissingDependencyError(what: "Leaflet (\(dir)/leaflet.js, needed for HTML output)", package: Self.package)
        }
        let scriptPath = FileManager.default.fileExists(atPath: dir + "/leaflet.min.js") ? dir + "/leaflet.min.js" : dir + "/leaflet.js"
        var script = try String(contentsOfFile: scriptPath, encoding: .utf8)
        var style = try String(contentsOfFile: dir + "/leaflet.css", encoding: .utf8)
        for image in ["layers.png", "layers-2x.png", "marker-icon.png"] {
            if let bytes = FileManager.default.contents(atPath: dir + "/images/" + image) {
                style = style.replacingOccurrences(of: "url(images/\(image))",
                                                   with: "url(data:image/png;base64,\(bytes.base64EncodedString()))")
            }
        }
        // A literal "</script" would end the inline element early.
        script = script.replacingOccurrences(of: "</script", with: "<\\/script", options: .caseInsensitive)
        return (script, style)
    }

    // MARK: Data

    private func dataScript(_ content: MapContent) throws -> String {
        let engine = try GeometryEngine()
        let lines = content.lines.map { line in line.parts.map { Geodesic.wgs84.densified($0.filter(\.isValidGeographic), maximumSpacing: 50_000) } }
        var box: BoundingBox?
        for parts in lines { for part in parts { for c in part {
            if box == nil { box = BoundingBox(minX: c.longitude, minY: c.latitude, maxX: c.longitude, maxY: c.latitude) } else { box!.include(c) }
        } } }
        for p in content.places { if box == nil { box = BoundingBox(covering: [p.coordinate]) } else { box!.include(p.coordinate) } }
        let bounds = options.region ?? box ?? MapOptions.routeRegion

        let changeScale = content.changeScale
        let flowScale = content.flowScale(maximumWidth: Self.maximumRouteWidth, minimumWidth: 0.8)

        // Countries near the data only, simplified to about 2 km: the page stays small and quick.
        // Generous margins: a browser window wider than the data's shape shows more longitude.
        let clipBox = BoundingBox(minX: max(-180, bounds.minX - 30), minY: max(-85, bounds.minY - 12),
                                  maxX: min(180, bounds.maxX + 30), maxY: min(85, bounds.maxY + 12))
        let clip = try engine.rectangle(clipBox)
        var countries: [Feature] = []
        for area in content.areas {
            guard let g = try? engine.geometry(area.geometry) else { continue }
            let cut: PlanarGeometry
            if let c = try? engine.intersection(g, clip) { cut = c } else if let valid = try? engine.makeValid(g),
                      let c = try? engine.intersection(valid, clip) { cut = c } else { continue }
            guard let simple = try? engine.topologyPreservingSimplify(cut, tolerance: 0.02),
                  let geometry = try? engine.geoJSON(simple), !Self.isEmpty(geometry) else { continue }
            countries.append(Feature(geometry: geometry, properties: ["name": area.name.map(JSONValue.string) ?? .null]))
        }

        var lineFeatures: [Feature] = []
        var closures: [Feature] = []
        // Same drawing order as the SVG: network, then paths, then segments; a path both runs
        // use is drawn once, as in the SVG.
        let changes = content.pathChanges()
        let order = content.lines.indices.filter { !(changes[$0] == .unchanged && content.lines[$0].phase == "baseline") }.sorted { a, b in
            let ra = Self.layerRank(content.lines[a], changes[a]), rb = Self.layerRank(content.lines[b], changes[b])
            if ra != rb { return ra < rb }
            if content.lines[a].role == .route { return (content.lines[a].flow ?? 0) > (content.lines[b].flow ?? 0) }
            return a < b
        }
        for i in order {
            let line = content.lines[i]
            let parts = lines[i].filter { $0.count >= 2 }
            guard !parts.isEmpty else { continue }
            var properties = line.properties
            properties["_style"] = style(of: line, change: changes[i], changeScale: changeScale, flowScale: flowScale)
            let geometry: Geometry = parts.count == 1 ? .lineString(parts[0]) : .multiLineString(parts)
            lineFeatures.append(Feature(geometry: geometry, properties: properties))
            if line.isClosed, let longest = parts.max(by: { Geodesic.wgs84.length(of: $0) < Geodesic.wgs84.length(of: $1) }),
               let mid = Geodesic.wgs84.point(along: longest, atFraction: 0.5) {
                closures.append(Feature(geometry: .point(mid), properties: line.properties))
            }
        }
        let places = content.places.map { p in
            var properties = p.properties
            properties["_label"] = .string(p.label)
            return Feature(geometry: .point(p.coordinate), properties: properties)
        }.sorted { a, b in (a.properties["population"]?.doubleValue ?? 0) > (b.properties["population"]?.doubleValue ?? 0) }

        let attribution = options.attribution ?? MapRenderer.attribution(for: content)
        // Four decimals is about 11 m: finer than anything the page can show, and it keeps big networks small.
        let coordinateOptions = GeoJSONWriterOptions(coordinatePrecision: 4)
        func fc(_ features: [Feature], _ o: GeoJSONWriterOptions = coordinateOptions) throws -> String {
            Self.safeJSON(try GeoJSON.encodeString(FeatureCollection(features: features), options: o))
        }
        return """
        var ROUTESHIFT = {
        "bounds": [[\(bounds.minY), \(bounds.minX)], [\(bounds.maxY), \(bounds.maxX)]],
        "canvas": \(lineFeatures.count > 3000),
        "attribution": \(Self.jsString(attribution)),
        "countries": \(try fc(countries, GeoJSONWriterOptions(coordinatePrecision: 3))),
        "lines": \(try fc(lineFeatures)),
        "closures": \(try fc(closures)),
        "places": \(try fc(places))
        };
        """
    }

    private static func isEmpty(_ g: Geometry) -> Bool {
        switch g {
        case .polygon(let rings): return rings.isEmpty
        case .multiPolygon(let polygons): return polygons.isEmpty
        case .geometryCollection(let members): return members.allSatisfy(isEmpty)
        default: return true
        }
    }

    private static func layerRank(_ line: MapLine, _ change: PathChange?) -> Int {
        switch line.role {
        case .network, .other: return 0
        case .route: return 1 + RouteStyle.of(change ?? .single).rank
        case .flowChange: return line.peakFlow > 0 ? 5 : 4
        }
    }

    /// Leaflet path options for a line, matching the SVG's styles.
    private func style(of line: MapLine, change: PathChange?, changeScale: DivergingColorScale?, flowScale: SqrtWidthScale?) -> JSONValue {
        switch line.role {
        case .flowChange:
            let used = line.peakFlow > 0 || (line.change ?? 0) != 0
            let color = used ? (changeScale?.color(line.change ?? 0).hex ?? DivergingColorScale.neutral.hex) : "#b8b8b8"
            var s: [String: JSONValue] = ["color": .string(color), "weight": .number(used ? 5 : 1.5), "opacity": 1]
            if line.isSea { s["dashArray"] = "8 5" }
            return .object(s)
        case .route:
            let r = RouteStyle.of(change ?? .single)
            var s: [String: JSONValue] = ["color": .string(r.color), "opacity": .number(r.opacity), "lineCap": "round",
                                          "weight": .number(((flowScale?.width(line.flow ?? 0) ?? 2) * 10).rounded() / 10)]
            if let dash = r.dash { s["dashArray"] = .string(dash.map { NiceNumber.label($0) }.joined(separator: " ")) }
            return .object(s)
        case .network, .other:
            let n = NetworkStyle.of(line)
            var s: [String: JSONValue] = ["color": .string(n.color), "weight": .number(n.width * 1.5), "opacity": 0.9]
            if let dash = n.dash { s["dashArray"] = .string(dash.map { NiceNumber.label($0 * 1.5) }.joined(separator: " ")) }
            return .object(s)
        }
    }

    /// The same legend as the SVG map, as inline SVG.
    private func legendSVG(_ content: MapContent) -> String {
        let changeScale = content.changeScale
        let flowScale = content.flowScale(maximumWidth: Self.maximumRouteWidth, minimumWidth: 0.8)
        let legend = Legend(content: content, changeScale: changeScale, flowScale: flowScale, u: 1)
        guard !legend.isEmpty else { return "" }
        let size = legend.size
        var svg = SVGText()
        // Inline SVG in HTML needs no namespace declaration.
        svg.line("<svg width=\"\(SVGText.number(size.width))\" height=\"\(SVGText.number(size.height))\" font-family=\"DejaVu Sans, Liberation Sans, Arial, sans-serif\">")
        svg.line("<defs><linearGradient id=\"change-scale\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"0\">"
                 + "<stop offset=\"0\" stop-color=\"\(DivergingColorScale.decrease.hex)\"/>"
                 + "<stop offset=\"0.5\" stop-color=\"\(DivergingColorScale.neutral.hex)\"/>"
                 + "<stop offset=\"1\" stop-color=\"\(DivergingColorScale.increase.hex)\"/></linearGradient></defs>")
        legend.draw(&svg, in: PixelRect(x: 0, y: 0, width: size.width, height: size.height))
        svg.line("</svg>")
        return svg.text
    }

    /// JSON text that cannot end a `<script>` element early.
    static func safeJSON(_ json: String) -> String {
        json.replacingOccurrences(of: "</", with: "<\\/")
    }

    /// A JavaScript string literal (JSON's rules, plus no `</`).
    static func jsString(_ s: String) -> String {
        let encoded = (try? GeoJSON.encode(JSONValue.string(s))).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        return safeJSON(encoded)
    }

    static let pageScript = """
    (function () {
      var D = ROUTESHIFT;
      function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
      function table(p) {
        var rows = '';
        Object.keys(p).sort().forEach(function (k) {
          var v = p[k];
          if (k.charAt(0) === '_' || v === null || v === undefined) return;
          if (Array.isArray(v)) v = v.join(', ');
          rows += '<tr><th>' + esc(k) + '</th><td>' + esc(v) + '</td></tr>';
        });
        return '<table class="rs-popup">' + rows + '</table>';
      }
      // Thousands of SVG paths make panning slow; a canvas draws them in one element.
      var map = L.map('map', { zoomSnap: 0.25, worldCopyJump: false, preferCanvas: D.canvas });
      map.attributionControl.setPrefix(false);
      map.attributionControl.addAttribution(esc(D.attribution));
      var layers = 0;
      L.geoJSON(D.countries, { interactive: false, style: { color: '#a39e94', weight: 0.7, fillColor: '#f5f2eb', fillOpacity: 1 } }).addTo(map); layers++;
      // A period run's crossings carry a 'period': a slider shows one period at a time.
      var periods = [];
      D.lines.features.forEach(function (f) { var p = f.properties.period; if (p && periods.indexOf(p) < 0) periods.push(p); });
      periods.sort();
      function linesOf(period) {
        return L.geoJSON(D.lines, {
          filter: function (f) { return !period || f.properties.period === period; },
          style: function (f) { return f.properties._style; },
          onEachFeature: function (f, l) { l.bindPopup(table(f.properties)); }
        });
      }
      var lines = linesOf(periods.length > 1 ? periods[0] : null).addTo(map); layers++;
      if (periods.length > 1) {
        var slider = L.control({ position: 'topright' });
        slider.onAdd = function () {
          var div = L.DomUtil.create('div', 'rs-legend');
          div.innerHTML = '<label>period <b id="rs-period">' + esc(periods[0]) + '</b><br><input id="rs-slider" type="range" min="0" max="'
            + (periods.length - 1) + '" value="0" step="1" style="width: 220px"></label>';
          L.DomEvent.disableClickPropagation(div);
          div.querySelector('input').addEventListener('input', function (e) {
            var p = periods[Number(e.target.value)];
            map.removeLayer(lines); lines = linesOf(p).addTo(map);
            div.querySelector('#rs-period').textContent = p;
            document.body.setAttribute('data-period', p);
          });
          return div;
        };
        slider.addTo(map); layers++;
        document.body.setAttribute('data-period', periods[0]);
      }
      L.geoJSON(D.closures, {
        pointToLayer: function (f, ll) { return L.marker(ll, { icon: L.divIcon({ className: 'rs-closed', html: '\\u00d7', iconSize: [16, 16] }) }); },
        onEachFeature: function (f, l) { l.bindPopup(table(f.properties)); }
      }).addTo(map); layers++;
      L.geoJSON(D.places, {
        pointToLayer: function (f, ll) { return L.circleMarker(ll, { radius: 3.5, color: '#ffffff', weight: 1, fillColor: '#1f1f1f', fillOpacity: 1 }); },
        onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties._label), { direction: 'right' }); l.bindPopup('<b>' + esc(f.properties._label) + '</b>' + table(f.properties)); }
      }).addTo(map); layers++;
      if (ROUTESHIFT_LEGEND) {
        var legend = L.control({ position: 'bottomright' });
        legend.onAdd = function () { var div = L.DomUtil.create('div', 'rs-legend'); div.innerHTML = ROUTESHIFT_LEGEND; return div; };
        legend.addTo(map); layers++;
      }
      L.control.scale({ imperial: false, maxWidth: 200 }).addTo(map);
      map.fitBounds(D.bounds, { padding: [10, 10] });
      document.body.setAttribute('data-rendered', String(layers));
    })();
    """
}
