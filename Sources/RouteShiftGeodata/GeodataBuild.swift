import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork

/// The derived network and what it was made from, ready to write or inspect.
public struct GeodataBuild: Sendable {
    /// Sorted by id: hubs 1…, border sides from 100001.
    public let nodes: [NetworkNode]
    /// Sorted by id: border crossings 1…, sea and ferry edges from 100001, legs from 200001.
    public let edges: [NetworkEdge]
    /// Land-border sections by id.
    public let sections: [BorderSection]
    public let seaCrossings: [SeaCrossing]
    public let excludedCrossings: [ExcludedCrossing]
    public let borderStats: BorderDerivationStats
    public let countryCount: Int
    public let options: GeodataBuilder.Options

    /// Output file names inside the output directory.
    public static let networkFile = "network.geojson"
    public static let segmentsFile = "segments.geojson"
    public static let reportFile = "build-report.json"

    /// GeoJSON coordinates are written with 6 decimals (about 10 cm, RFC 7946 §11.2).
    public static let writerOptions = GeoJSONWriterOptions(coordinatePrecision: 6)

    /// The network as GeoJSON features: nodes by id, then edges by id (`NetworkSchema`).
    public func networkFeatures() -> [Feature] {
        nodes.map { $0.feature() } + edges.map { $0.feature() }
    }

    /// One feature per border section (kind `border`), then per kept sea crossing (`sea`/`ferry`).
    public func segmentFeatures() -> [Feature] {
        var features: [Feature] = sections.map { s in
            var p: [String: JSONValue] = [
                NetworkSchema.kind: "border", NetworkSchema.segment: .string(s.id), NetworkSchema.border: .string(s.pair.id),
                "country_a": .string(s.pair.first), "country_b": .string(s.pair.second),
                "part": .number(Double(s.part)), NetworkSchema.lengthKm: .number(rounded(s.lengthKm)),
                "start": .array([.number(rounded(s.start.longitude, 6)), .number(rounded(s.start.latitude, 6))]),
                "end": .array([.number(rounded(s.end.longitude, 6)), .number(rounded(s.end.latitude, 6))]),
                NetworkSchema.barrier: .string(s.attributes.barrier),
                NetworkSchema.surveillance: .string(s.attributes.surveillance),
                NetworkSchema.status: .string(s.attributes.status),
            ]
            p[NetworkSchema.route] = s.route.map { .string($0) } ?? .null
            return Feature(geometry: .lineString(s.line), properties: p)
        }
        for c in seaCrossings {
            features.append(Feature(geometry: .lineString(c.line), properties: [
                NetworkSchema.kind: .string(c.isDomestic ? "ferry" : "sea"), NetworkSchema.segment: .string(c.segment),
                NetworkSchema.border: .string(c.border), "from": .string(c.source.fromHub), "to": .string(c.source.toHub),
                NetworkSchema.route: c.source.route.isEmpty ? .null : .string(c.source.route), NetworkSchema.risk: c.source.risk.map { .number($0) } ?? .null,
                NetworkSchema.lengthKm: .number(c.lengthKm), "waypoints": .number(Double(c.waypoints.count)),
            ]))
        }
        return features
    }

    /// Counts, parameters, excluded crossings and total border length per pair.
    public var report: JSONValue {
        var lengthByPair: [String: (km: Double, sections: Int)] = [:]
        for s in sections {
            lengthByPair[s.pair.id, default: (0, 0)].km += s.lengthKm
            lengthByPair[s.pair.id, default: (0, 0)].sections += 1
        }
        var kinds: [String: Int] = [:]
        for e in edges { kinds[e.kind.rawValue, default: 0] += 1 }
        let hubs = nodes.filter { $0.kind == .hub }.count
        return .object([
            "counts": .object([
                "countries": .number(Double(countryCount)),
                "border_pairs": .number(Double(lengthByPair.count)),
                "point_contact_pairs": .number(Double(borderStats.pointContactPairs.count)),
                "segments": .number(Double(sections.count)),
                "hubs": .number(Double(hubs)),
                "border_sides": .number(Double(nodes.count - hubs)),
                "nodes": .number(Double(nodes.count)),
                "edges": .number(Double(edges.count)),
                "border_edges": .number(Double(kinds["border"] ?? 0)),
                "sea_crossings": .number(Double(seaCrossings.count)),
                "sea_edges": .number(Double(kinds["sea"] ?? 0)),
                "ferry_edges": .number(Double(kinds["ferry"] ?? 0)),
                "air_edges": .number(Double(kinds["air"] ?? 0)),
                "edges_with_entry_rules": .number(Double(edges.filter { !$0.entry.isEmpty }.count)),
                "legs": .number(Double(kinds["leg"] ?? 0)),
                "legs_leaving_country": .number(Double(edges.filter { $0.flag != nil }.count)),
                "excluded_crossings": .number(Double(excludedCrossings.count)),
                "rerouted_crossings": .number(Double(seaCrossings.filter { !$0.waypoints.isEmpty }.count)),
            ]),
            "parameters": .object([
                "max_section_km": .number(options.maxSectionKm), "legs_k": .number(Double(options.legsK)),
                "detour": .number(options.detourFactor),
                "border_crossing_cost": .number(options.borderCrossingCost), "border_side_offset_km": .number(options.borderSideOffsetKm),
                "leg_tolerance_degrees": .number(options.legToleranceDegrees),
                "leg_maximum_sea_fraction": .number(options.legMaximumSeaFraction),
                "sea_endpoint_allowance_km": .number(options.seaEndpointAllowanceKm),
                "sea_approach_max_km": .number(options.seaApproachMaxKm),
                "sea_densify_km": .number(options.seaDensifyKm),
                "minimum_border_part_km": .number(options.minimumBorderPartKm),
                "snap_tolerance_degrees": .number(options.snapToleranceDegrees),
            ]),
            "excluded_crossings": .array(excludedCrossings.map {
                .object(["id": .string($0.id), "reason": .string($0.reason), "land_km": $0.landKm.map { .number($0) } ?? .null])
            }),
            "rerouted_crossings": .array(seaCrossings.filter { !$0.waypoints.isEmpty }.map { c in
                .object(["id": .string(c.source.id), "waypoints": .number(Double(c.waypoints.count))])
            }),
            "point_contact_pairs": .array(borderStats.pointContactPairs.map { .string($0) }),
            "snapped_pairs": .array(borderStats.snappedPairs.map { .string($0) }),
            "dropped_border_parts": .number(Double(borderStats.droppedParts)),
            "legs_leaving_country": .array(edges.filter { $0.flag != nil }.map { e in
                .string("\(nodes.first { $0.id == e.source }!.name)–\(nodes.first { $0.id == e.target }!.name)")
            }),
            "border_length_km": .object(lengthByPair.mapValues { .number(rounded($0.km, 1)) }),
            "border_sections": .object(lengthByPair.mapValues { .number(Double($0.sections)) }),
        ])
    }

    /// The counts as one line per item, for people.
    public var summary: String {
        guard case .object(let root) = report, case .object(let counts)? = root["counts"] else { return "" }
        return counts.keys.sorted().map { key in
            if case .number(let x) = counts[key]! { return "\(key): \(Int(x))" }
            return key
        }.joined(separator: "\n")
    }

    /// Writes `network.geojson`, `segments.geojson` and `build-report.json` into
    /// `directory`, each atomically (temporary file + rename).
    public func write(to directory: String) throws {
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try GeoJSON.writeFeatureCollection(to: dir + "/" + Self.networkFile, options: Self.writerOptions) { writer in
            for node in nodes { try writer.write(node.feature()) }
            for edge in edges { try writer.write(edge.feature()) }
        }
        try GeoJSON.writeFeatureCollection(to: dir + "/" + Self.segmentsFile, options: Self.writerOptions) { writer in
            for feature in segmentFeatures() { try writer.write(feature) }
        }
        try AtomicFileWriter.write(reportText, to: dir + "/" + Self.reportFile)
    }

    /// `report` as JSON text with a trailing newline.
    public var reportText: String {
        String(decoding: (try? GeoJSON.encode(report)) ?? [], as: UTF8.self) + "\n"
    }
}
