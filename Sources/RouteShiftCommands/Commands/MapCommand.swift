import ArgumentParser
import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftMaps
import RouteShiftNetwork

struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Draw a map of a network or a simulation's output as SVG, PNG or offline HTML.",
        discussion: """
        Inputs are RouteShift GeoJSON files (network, Geodata segments, simulation
        segments.geojson / routes.geojson), CSV files of places with lon,lat columns
        (Geodata/hubs.csv), or directories holding them (a simulate output directory).
        Styles follow the properties present: border sections and sea crossings with a
        flow change are coloured blue (decrease) to red (increase), paths are drawn with
        width by flow, closed segments get a ×. Without inputs, the bundled network is drawn.

        Countries from Geodata/countries.geojson are drawn underneath (--countries to
        choose another file, --no-countries to leave them out).

        The format follows the --out extension: .svg (written directly), .png (rendered
        by rsvg-convert from Debian's librsvg2-bin), .html (one offline file with Leaflet
        from Debian's libjs-leaflet inlined). Output is written atomically.

        EXAMPLES:
          routeshift map --out network.png
          routeshift map out/hu-rs-closure --out hu-rs.png --title "Closure of the HU-RS border"
          routeshift map out/hu-rs-closure --out hu-rs.html
          routeshift map Geodata/hubs.csv --out hubs.svg --projection ESRI:54009 --width 1200

        \(ExitStatus.helpText)
        """
    )

    static let dependencyMissing = ExitStatus.dependencyMissing

    @Argument(help: ArgumentHelp("GeoJSON or places CSV files, or directories holding them.", valueName: "file|dir"))
    var inputs: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Draw one period of a period run (simulate --periods), e.g. 2015-10.",
        discussion: "Without it, an .html map of a period run has a slider through the periods; .svg and .png show the whole range.",
        valueName: "period"))
    var period: String?

    @Option(name: .long, help: ArgumentHelp("Output file: .svg, .png or .html.", valueName: "file"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("Map projection: any CRS PROJ knows.", valueName: "crs"))
    var projection: String = "EPSG:3035"

    @Option(name: .long, help: ArgumentHelp("Title above the map.", valueName: "text"))
    var title: String?

    @Option(name: .long, help: ArgumentHelp("Image width in pixels (SVG/PNG).", valueName: "px"))
    var width: Int = 1600

    @Option(name: .long, help: ArgumentHelp("A network drawn underneath: GeoJSON, pgRouting CSV, or a directory.", valueName: "file|dir"))
    var network: String?

    @Option(name: .long, help: ArgumentHelp("Country polygons for the background (default: Geodata/countries.geojson).", valueName: "file"))
    var countries: String?

    @Flag(name: .long, help: "Leave out the country background.")
    var noCountries = false

    // Unconditional parsing: a region west of Greenwich starts with a minus sign.
    @Option(name: .long, parsing: .unconditional,
            help: ArgumentHelp("Region to show in degrees (default: everything drawn).", valueName: "minlon,minlat,maxlon,maxlat"))
    var region: String?

    func validate() throws {
        guard MapFormat(path: out) != nil else {
            throw ValidationError("--out must end in .svg, .png or .html (got '\(out)')")
        }
        guard width >= 200 else { throw ValidationError("--width must be at least 200 (got \(width))") }
        if let region, parseRegion(region) == nil {
            throw ValidationError("--region must be minlon,minlat,maxlon,maxlat with min < max (got '\(region)')")
        }
    }

    private func parseRegion(_ text: String) -> BoundingBox? {
        let v = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard v.count == 4, v[0] < v[2], v[1] < v[3], (-180...180).contains(v[0]), (-180...180).contains(v[2]),
              (-90...90).contains(v[1]), (-90...90).contains(v[3]) else { return nil }
        return BoundingBox(minX: v[0], minY: v[1], maxX: v[2], maxY: v[3])
    }

    func run() throws {
        try reportingErrors {
            let content = try loadContent()
            let options = MapOptions(projection: projection, width: width, title: title, region: region.flatMap(parseRegion))
            let format = MapFormat(path: out)!
            let bytes: [UInt8]
            do {
                bytes = try MapOutput.render(content, format: format, options: options)
            } catch let error as MissingDependencyError {
                Diagnostics.error(error.description)
                throw ExitCode(Self.dependencyMissing)
            }
            try writingOutputs(to: out) { try AtomicFileWriter.withWriter(path: out) { try $0.write(bytes) } }
            Diagnostics.info("wrote \(out) (\(format.rawValue), \(bytes.count) bytes)")
        }
    }

    private func loadContent() throws -> MapContent {
        var content = MapContent()
        if !noCountries {
            if let path = countries ?? Self.defaultCountries() {
                guard FileManager.default.fileExists(atPath: path) else {
                    throw MissingInputError(message: "\(path): no such file (country polygons)")
                }
                content.add(try GeoJSON.readFeatureCollection(path: path))
            } else {
                Diagnostics.warning("no Geodata/countries.geojson found; drawing without country outlines")
            }
        }
        if let network {
            try addNetwork(network, to: &content)
        }
        for input in inputs {
            guard FileManager.default.fileExists(atPath: input) else {
                throw MissingInputError(message: "\(input): no such file or directory")
            }
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory)
            let periodRun = isDirectory.boolValue && FileManager.default.fileExists(atPath: input + "/" + MapInput.periodLayer)
            if let period {
                guard isDirectory.boolValue else { throw ValidationError("--period needs the output directory of a period run") }
                try MapInput.addPeriods(directory: input, period: period, to: &content)
            } else if periodRun && out.lowercased().hasSuffix(".html") {
                // Every period, with a slider to step through them.
                try MapInput.addPeriods(directory: input, period: nil, to: &content)
            } else {
                try MapInput.add(path: input, to: &content)
            }
        }
        if inputs.isEmpty && network == nil {
            if let path = try? NetworkSource.locate(nil) {
                try addNetwork(path, to: &content)
            } else if let hubs = Self.geodataFile("hubs.csv") {
                Diagnostics.warning("no network found; drawing the hubs of \(hubs)")
                try MapInput.addFile(hubs, to: &content)
            } else {
                throw MissingInputError(message: "nothing to draw: give GeoJSON files or a simulate output directory")
            }
        }
        return content
    }

    private func addNetwork(_ path: String, to content: inout MapContent) throws {
        let file = try NetworkSource.locate(path)
        if file.lowercased().hasSuffix(".csv") {
            content.add(try NetworkSource.load(file))
        } else {
            content.add(try GeoJSON.readFeatureCollection(path: file))
        }
    }

    /// `countries.geojson` in `$ROUTESHIFT_GEODATA`, beside the executable, or in the source tree.
    static func defaultCountries() -> String? { geodataFile("countries.geojson") }

    static func geodataFile(_ name: String) -> String? {
        var dirs: [String] = []
        if let dir = ProcessInfo.processInfo.environment[NetworkSource.geodataVariable], !dir.isEmpty { dirs.append(dir) }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent().path
        dirs += [exe + "/../share/routeshift/Geodata", exe + "/Geodata", NetworkSource.sourceTreeGeodata]
        return dirs.map { $0 + "/" + name }.first { FileManager.default.fileExists(atPath: $0) }
    }
}
