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

    /// The rows of `locations.csv`, validated (unique names, valid coordinates), in file order.
    public static func locationRows(directory: String) throws -> [FleeLocationRow] {
        let path = directory + "/locations.csv"
        var seen = Set<String>()
        var rows: [FleeLocationRow] = []
        for (line, fields) in try SimpleCSV.rows(path: path) {
            guard fields.count >= 5 else {
                throw InputError("expected at least 5 columns (name,region,country,lat,lon), found \(fields.count)",
                                 at: InputLocation(file: path, line: line))
            }
            let name = fields[0]
            guard seen.insert(name).inserted else {
                throw InputError("duplicate location '\(name)'", at: InputLocation(file: path, line: line, path: "name"))
            }
            guard let lat = Double(fields[3]), let lon = Double(fields[4]),
                  Coordinate(longitude: lon, latitude: lat).isValidGeographic else {
                throw InputError("invalid lat/lon '\(fields[3])', '\(fields[4])'",
                                 at: InputLocation(file: path, line: line, path: "lat,lon"))
            }
            rows.append(FleeLocationRow(name: name, region: fields[1], country: fields[2], latitude: lat, longitude: lon,
                                        locationType: fields.count > 5 ? fields[5] : "",
                                        conflictDate: fields.count > 6 ? fields[6] : "",
                                        population: fields.count > 7 ? fields[7] : "", line: line))
        }
        return rows
    }

    /// The rows of `routes.csv` in file order; both ends must name a row of `locations`.
    public static func routeRows(directory: String, locations: [FleeLocationRow]) throws -> [FleeRouteRow] {
        let path = directory + "/routes.csv"
        let names = Set(locations.map(\.name))
        var rows: [FleeRouteRow] = []
        for (line, fields) in try SimpleCSV.rows(path: path) {
            guard fields.count >= 3 else {
                throw InputError("expected name1,name2,distance, found \(fields.count) columns",
                                 at: InputLocation(file: path, line: line))
            }
            for (column, name) in [("name1", fields[0]), ("name2", fields[1])] where !names.contains(name) {
                throw InputError("unknown location '\(name)'", at: InputLocation(file: path, line: line, path: column),
                                 suggestions: NearestMatch.suggestions(for: name, among: names))
            }
            guard let distance = Double(fields[2]), distance.isFinite, distance >= 0 else {
                throw InputError("'\(fields[2])' is not a distance in km", at: InputLocation(file: path, line: line, path: "distance"))
            }
            rows.append(FleeRouteRow(name1: fields[0], name2: fields[1], distance: distance,
                                     forcedRedirection: fields.count > 3 ? fields[3] : "", line: line))
        }
        return rows
    }

    public static func read(directory: String) throws -> RouteNetwork {
        let locations = try locationRows(directory: directory)
        let routes = try routeRows(directory: directory, locations: locations)
        var ids: [String: Int64] = [:]
        var names: [Int64: String] = [:]
        var countryOf: [Int64: String] = [:]
        var properties: [Int64: [String: JSONValue]] = [:]
        var coordinates = NodeCoordinates()
        for row in locations {
            let id = Int64(ids.count + 1)
            ids[row.name] = id
            names[id] = row.name
            countryOf[id] = row.country
            var props: [String: JSONValue] = ["country": .string(row.country), "region": .string(row.region)]
            if !row.locationType.isEmpty { props["location_type"] = .string(row.locationType) }
            if let population = Double(row.population) { props["population"] = .number(population) }
            properties[id] = props
            coordinates.append(id: id, longitude: row.longitude, latitude: row.latitude)
        }
        var table = EdgeTable()
        var edgeProperties: [[String: JSONValue]] = []
        for route in routes {
            let ends = [ids[route.name1]!, ids[route.name2]!]
            table.append(id: Int64(table.count + 1), source: ends[0], target: ends[1], cost: route.distance, reverseCost: route.distance)
            let (a, b) = (countryOf[ends[0]]!, countryOf[ends[1]]!)
            var props: [String: JSONValue] = ["length_km": .number(route.distance)]
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
            throw InputError(error, at: InputLocation(file: directory + "/routes.csv"))
        }
        return try RouteNetwork(graph: graph, edges: table, nodeNames: names, nodeProperties: properties,
                                edgeProperties: edgeProperties, origin: directory)
    }
}

/// One row of a Flee `locations.csv`: `name,region,country,lat,lon,location_type,conflict_date,population`
/// (the last three as written; their meaning depends on the location type).
public struct FleeLocationRow: Hashable, Sendable {
    public var name, region, country: String
    public var latitude, longitude: Double
    public var locationType, conflictDate, population: String
    /// 1-based line in the file.
    public var line: Int

    public init(name: String, region: String, country: String, latitude: Double, longitude: Double,
                locationType: String, conflictDate: String, population: String, line: Int) {
        self.name = name; self.region = region; self.country = country
        self.latitude = latitude; self.longitude = longitude
        self.locationType = locationType; self.conflictDate = conflictDate; self.population = population
        self.line = line
    }
}

/// One row of a Flee `routes.csv`: `name1,name2,distance[,forced_redirection]`.
public struct FleeRouteRow: Hashable, Sendable {
    public var name1, name2: String
    /// km
    public var distance: Double
    public var forcedRedirection: String
    public var line: Int

    public init(name1: String, name2: String, distance: Double, forcedRedirection: String, line: Int) {
        self.name1 = name1; self.name2 = name2; self.distance = distance
        self.forcedRedirection = forcedRedirection; self.line = line
    }
}

/// Minimal RFC 4180 reader for small auxiliary tables: quoted fields, `#`
/// comment/header lines, blank lines skipped. Yields (1-based line, fields).
public enum SimpleCSV {
    /// Rows whose first field starts with `#` (`#name,...` or `"#name",...`, as Flee's
    /// reader checks) are skipped unless `keepingComments` (Flee's `conflicts.csv`
    /// header is `#Day,...`).
    public static func rows(path: String, keepingComments: Bool = false) throws -> [(Int, [String])] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("cannot read file", at: InputLocation(file: path))
        }
        var rows: [(Int, [String])] = []
        // "\r\n" is one Character in Swift: split on either ending, or CRLF files are one line.
        let lines = String(decoding: data, as: UTF8.self)
            .split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        for (i, line) in lines.enumerated() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let row = fields(of: line)
            if !keepingComments, row[0].hasPrefix("#") { continue }
            rows.append((i + 1, row))
        }
        return rows
    }

    public static func fields(of line: Substring) -> [String] {
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
