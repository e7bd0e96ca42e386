import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork

/// Reads map layers from files and directories as the `map` command is given them.
///
/// - a `.geojson` / `.json` FeatureCollection: any RouteShift GeoJSON;
/// - a `.csv` with `lon` and `lat` columns (e.g. `Geodata/hubs.csv`): places, labelled by `name`;
/// - a directory: a simulation's output (`segments.geojson`, `routes.geojson`, with
///   the scenario name from `summary.json` as the suggested title and the hubs of the
///   network named there as places) or a Geodata
///   directory (`network.geojson`, `segments.geojson`, else `hubs.csv`).
public enum MapInput {
    /// Files read from a directory, in drawing order.
    public static let directoryLayers = ["network.geojson", SimulationOutput.File.segments, SimulationOutput.File.routes]

    /// Adds the layers at `path` to `content`.
    /// - Throws: `InputError` naming the file (and JSON path or line) of bad input, or a
    ///   directory holding nothing to draw.
    /// The time-stamped segment flows of a period run (one feature per crossing and period).
    public static let periodLayer = "segments_timeseries.geojson"

    /// Adds a period run's crossings: of one period (`period`, e.g. `2015-10`), or of every
    /// period (`nil`; the HTML map then shows a period slider).
    /// - Throws: `InputError` when `directory` is not a period run or has no such period
    ///   (with the nearest periods it has).
    public static func addPeriods(directory: String, period: String?, to content: inout MapContent) throws {
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let file = dir + "/" + periodLayer
        guard FileManager.default.fileExists(atPath: file) else {
            throw InputError("no \(periodLayer) here: not the output of a period run (simulate --periods)", at: InputLocation(file: directory))
        }
        let all = try GeoJSON.readFeatureCollection(path: file)
        var features = all.features
        if let period {
            features = features.filter { $0.properties["period"]?.stringValue == period }
            if features.isEmpty {
                let periods = Set(all.features.compactMap { $0.properties["period"]?.stringValue }).sorted()
                throw InputError("period '\(period.prefix(40))' is not in this run (\(periods.first ?? "")…\(periods.last ?? ""))",
                                 at: InputLocation(file: file), suggestions: NearestMatch.suggestions(for: period, among: periods))
            }
        }
        content.add(FeatureCollection(features: features))
        let summary = dir + "/summary.json"
        if content.suggestedTitle == nil, FileManager.default.fileExists(atPath: summary),
           let json = try? GeoJSON.decodeJSON(Array(try Data(contentsOf: URL(fileURLWithPath: summary))), file: summary),
           let name = json.objectValue?["scenario"]?.objectValue?["name"]?.stringValue {
            content.suggestedTitle = "Scenario: \(name)" + (period.map { ", \($0)" } ?? "")
        }
    }

    public static func add(path: String, to content: inout MapContent) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError("no such file or directory", at: InputLocation(file: path))
        }
        guard isDirectory.boolValue else {
            try addFile(path, to: &content)
            return
        }
        let dir = path.hasSuffix("/") ? String(path.dropLast()) : path
        var found = directoryLayers.map { dir + "/" + $0 }.filter { FileManager.default.fileExists(atPath: $0) }
        if !found.contains(where: { $0.hasSuffix("/network.geojson") }), FileManager.default.fileExists(atPath: dir + "/hubs.csv") {
            found.append(dir + "/hubs.csv")
        }
        guard !found.isEmpty else {
            throw InputError("nothing to draw here (looked for \((directoryLayers + ["hubs.csv"]).joined(separator: ", ")))",
                             at: InputLocation(file: path))
        }
        let placesBefore = content.places.count
        for file in found { try addFile(file, to: &content) }
        let summary = dir + "/summary.json"
        guard FileManager.default.fileExists(atPath: summary) else { return }
        let json = try GeoJSON.decodeJSON(Array(try Data(contentsOf: URL(fileURLWithPath: summary))), file: summary)
        let scenario = json.objectValue?["scenario"]?.objectValue
        if content.suggestedTitle == nil, let name = scenario?["name"]?.stringValue {
            content.suggestedTitle = "Scenario: \(name)"
        }
        if let totals = json.objectValue?["totals"]?.objectValue, content.peopleTotals.isEmpty {
            for (key, label) in [("displaced", "displaced"), ("stranded_scenario", "stranded at a hub"),
                                 ("suppressed_scenario", "not going this period (suppressed)")] {
                if let value = totals[key]?.doubleValue { content.peopleTotals.append(PeopleTotal(label: label, value: value)) }
            }
        }
        // A simulation's files carry no places: take the hubs of the network it ran on, for orientation.
        if content.places.count == placesBefore, let network = scenario?["network"]?.stringValue {
            let candidates = network.hasPrefix("/") ? [network] : [network, dir + "/" + network]
            if let file = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }), !file.lowercased().hasSuffix(".csv") {
                let hubs = try GeoJSON.readFeatureCollection(path: file).features.filter {
                    if case .point? = $0.geometry { return $0.properties["kind"]?.stringValue == "hub" }
                    return false
                }
                content.add(FeatureCollection(features: hubs))
            }
        }
    }

    /// Adds one file by its extension.
    public static func addFile(_ path: String, to content: inout MapContent) throws {
        if path.lowercased().hasSuffix(".csv") {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw InputError("cannot read: \(error.localizedDescription)", at: InputLocation(file: path))
            }
            content.places += try places(csv: text, file: path)
        } else {
            content.add(try GeoJSON.readFeatureCollection(path: path))
        }
    }

    /// Places from a CSV with a header naming `lon` (or `longitude`) and `lat` (or `latitude`);
    /// `display_name` or `name` labels them, `population` ranks them, other columns become properties.
    /// - Throws: `InputError` with the line of a missing column or an unreadable coordinate.
    public static func places(csv text: String, file: String? = nil) throws -> [MapPlace] {
        let records = try CSV.records(text, file: file)
        guard let headerRecord = records.first else { return [] }
        let header = headerRecord.fields.map { $0.lowercased() }
        guard let lonIndex = header.firstIndex(where: { $0 == "lon" || $0 == "longitude" }),
              let latIndex = header.firstIndex(where: { $0 == "lat" || $0 == "latitude" }) else {
            throw InputError("a places CSV needs 'lon' and 'lat' columns (found \(header.joined(separator: ",")))",
                             at: InputLocation(file: file, line: headerRecord.line))
        }
        var result: [MapPlace] = []
        for record in records.dropFirst() {
            let fields = record.fields
            guard fields.count == header.count else {
                throw InputError("expected \(header.count) fields, found \(fields.count)", at: InputLocation(file: file, line: record.line))
            }
            guard let lon = Double(fields[lonIndex]), let lat = Double(fields[latIndex]),
                  Coordinate(longitude: lon, latitude: lat).isValidGeographic else {
                throw InputError("'\(fields[lonIndex]),\(fields[latIndex])' is not a WGS84 longitude, latitude",
                                 at: InputLocation(file: file, line: record.line))
            }
            var properties: [String: JSONValue] = [:]
            for (name, value) in zip(header, fields) where name != header[lonIndex] && name != header[latIndex] {
                properties[name] = Double(value).map(JSONValue.number) ?? .string(value)
            }
            if let place = MapContent.place(at: Coordinate(longitude: lon, latitude: lat), properties: properties) {
                result.append(place)
            }
        }
        return result
    }
}
