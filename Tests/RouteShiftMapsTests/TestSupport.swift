import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
@testable import RouteShiftMaps
import RouteShiftTestSupport

enum Fixtures {
    static var directory: URL { Bundle.module.resourceURL!.appendingPathComponent("Fixtures") }
    static var scenario: String { directory.appendingPathComponent("scenario").path }
    static var hubs: String { directory.appendingPathComponent("hubs.geojson").path }

    /// Country polygons of the source tree's Geodata, when present (tests skip the background otherwise).
    static var countries: String? {
        // #filePath = <root>/Tests/RouteShiftMapsTests/TestSupport.swift
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("Geodata/countries.geojson").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The fixture simulation output (segments, paths, summary) with its hubs.
    static func scenarioContent(withCountries: Bool = false) throws -> MapContent {
        var content = MapContent()
        if withCountries, let countries {
            content.add(try GeoJSON.readFeatureCollection(path: countries))
        }
        try MapInput.add(path: scenario, to: &content)
        try MapInput.add(path: hubs, to: &content)
        return content
    }

    /// Two small square "countries" around the fixture's region, so that renders exercise
    /// clipping and simplification without the 4 MB Natural Earth file.
    static func squares() -> [MapArea] {
        func square(_ lon: Double, _ lat: Double, _ size: Double) -> Geometry {
            .polygon([[Coordinate(longitude: lon, latitude: lat), Coordinate(longitude: lon + size, latitude: lat),
                       Coordinate(longitude: lon + size, latitude: lat + size), Coordinate(longitude: lon, latitude: lat + size),
                       Coordinate(longitude: lon, latitude: lat)]])
        }
        return [MapArea(geometry: square(14, 40, 8), name: "A"), MapArea(geometry: square(22, 40, 8), name: "B")]
    }
}

/// Looks for an executable on $PATH.
func executableOnPath(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let candidate = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
