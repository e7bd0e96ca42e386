import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGeodesy
import RouteShiftGraph

/// Reads the location graph of a Flee scenario (Suleimenova, Bell, Groen 2017,
/// "A generalized simulation development approach for predicting refugee
/// destinations", Sci. Rep. 7:13377) so the same network can be routed and
/// closed in RouteShift.
///
/// - `locations.csv`: `name,region,country,lat,lon,location_type,conflict_date,population`
///   (a header line starting with `#`); each location becomes a node named by `name`.
/// - `routes.csv`: `name1,name2,distance[,forced_redirection]`; each route becomes a
///   two-way edge with cost = distance (km), as Flee's links are undirected.
/// - Links between locations of different countries get `kind = border` and
///   `border = "<A>-<B>"` (country names in alphabetical order), so a Flee
///   country closure (`closures.csv`: `country,A,B,start,end`) maps to `--close A-B`.
public enum FleeScenario {
    /// Whether `directory` looks like a Flee input directory.
    public static func isScenario(_ directory: String) -> Bool {
        let fm = FileManager.default
        return fm.fileExists(atPath: directory + "/locations.csv") && fm.fileExists(atPath: directory + "/routes.csv")
    }

    public static func read(directory: String) throws -> RouteNetwork {
        let locationsPath = directory + "/locations.csv", routesPath = directory + "/routes.csv"
        var ids: [String: Int64] = [:]
        var names: [Int64: String] = [:]
        var countryOf: [Int64: String] = [:]
        var properties: [Int64: [String: JSONValue]] = [:]
        var coordinates = NodeCoordinates()
        for (line, fields) in try SimpleCSV.rows(path: locationsPath) {
            guard fields.count >= 5 else {
                throw InputError("expected at least 5 columns (name,region,country,lat,lon), found \(fields.count)",
                                 at: InputLocation(file: locationsPath, line: line))
            }
            let name = fields[0]
            guard ids[name] == nil else {
                throw InputError("duplicate location '\(name)'", at: InputLocation(file: locationsPath, line: line, path: "name"))
            }
            guard let lat = Double(fields[3]), let lon = Double(fields[4]),
                  Coordinate(longitude: lon, latitude: lat).isValidGeographic else {
                throw InputError("invalid lat/lon '\(fields[3])', '\(fields[4])'",
                                 at: InputLocation(file: locationsPath, line: line, path: "lat,lon"))
            }
            let id = Int64(ids.count + 1)
            ids[name] = id
            names[id] = name
            countryOf[id] = fields[2]
            var props: [String: JSONValue] = ["country": .string(fields[2]), "region": .string(fields[1])]
            if fields.count > 5 { props["location_type"] = .string(fields[5]) }
            if fields.count > 7, let population = Double(fields[7]) { props["population"] = .number(population) }
            properties[id] = props
            coordinates.append(id: id, longitude: lon, latitude: lat)
        }
        var table = EdgeTable()
        var edgeProperties: [[String: JSONValue]] = []
        for (line, fields) in try SimpleCSV.rows(path: routesPath) {
            guard fields.count >= 3 else {
                throw InputError("expected name1,name2,distance, found \(fields.count) columns",
                                 at: InputLocation(file: routesPath, line: line))
            }
            var ends: [Int64] = []
            for (column, name) in [("name1", fields[0]), ("name2", fields[1])] {
                guard let id = ids[name] else {
                    throw InputError("unknown location '\(name)'", at: InputLocation(file: routesPath, line: line, path: column),
                                     suggestions: NearestMatch.suggestions(for: name, among: ids.keys))
                }
                ends.append(id)
            }
            guard let distance = Double(fields[2]), distance.isFinite, distance >= 0 else {
                throw InputError("'\(fields[2])' is not a distance in km", at: InputLocation(file: routesPath, line: line, path: "distance"))
            }
            table.append(id: Int64(table.count + 1), source: ends[0], target: ends[1], cost: distance, reverseCost: distance)
            let (a, b) = (countryOf[ends[0]]!, countryOf[ends[1]]!)
            var props: [String: JSONValue] = ["length_km": .number(distance)]
            if a != b {
                props["kind"] = "border"
                props["border"] = .string([a, b].sorted().joined(separator: "-"))
            } else {
                props["kind"] = "leg"
                props["country"] = .string(a)
            }
            edgeProperties.append(props)
        }
        let graph: RoutingGraph
        do {
            graph = try RoutingGraph(edges: table, coordinates: coordinates)
        } catch let error as GraphError {
            throw InputError(error, at: InputLocation(file: routesPath))
        }
        return try RouteNetwork(graph: graph, edges: table, nodeNames: names, nodeProperties: properties,
                                edgeProperties: edgeProperties, origin: directory)
    }
}

/// Minimal RFC 4180 reader for small auxiliary tables: quoted fields, `#`
/// comment/header lines, blank lines skipped. Yields (1-based line, fields).
enum SimpleCSV {
    static func rows(path: String) throws -> [(Int, [String])] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("cannot read file", at: InputLocation(file: path))
        }
        var rows: [(Int, [String])] = []
        for (i, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            rows.append((i + 1, fields(of: line)))
        }
        return rows
    }

    static func fields(of line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(current.trimmingCharacters(in: .whitespaces)); current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current.trimmingCharacters(in: .whitespaces))
        return fields
    }
}
