import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork
import RouteShiftReports
import RouteShiftScenario
import RouteShiftSimulation

/// A sweep over one shard of the elements (`routeshift sweep --shard K/N`):
/// the usual `sweep.csv` and `sweep.geojson`, ranked within the shard, plus
/// `sweep-shard.json`, which keeps each element's exact sort key so that
/// `ShardMerge` can rank the union exactly as a single process would.
public enum SweepShard {
    public static let manifestName = "sweep-shard.json"
    public static let schema = "routeshift.sweep-shard/1"

    /// What a sweep is, whichever shard runs: its scenario file's content, its
    /// network, the granularity and the precision. Recorded in every shard's
    /// manifest; `ShardMerge` joins only shards that agree.
    public static func identity(scenario: [UInt8], network: String, by granularity: ScenarioSweep.Granularity,
                                coordinatePrecision: Int = 6) -> String {
        let manifest = "routeshift sweep run 1\nscenario \(Fingerprint.hex(of: scenario))\nnetwork \(network)\n"
            + "by \(granularity.rawValue)\nprecision \(coordinatePrecision)\n"
        return Fingerprint.digest(of: Array(manifest.utf8))
    }

    /// Writes the three files into `directory`, all or none.
    /// - Parameter identity: `identity(scenario:network:by:)` of the sweep, recorded as `run`.
    public static func write(_ result: SweepResult, network: RouteNetwork, by granularity: ScenarioSweep.Granularity,
                             shard: Shard, to directory: String, coordinatePrecision: Int = 6,
                             identity: String? = nil) throws {
        let geo = try GeoJSON.encode(FeatureCollection(features: ScenarioSweep.features(result, network: network)),
                                     options: GeoJSONWriterOptions(coordinatePrecision: coordinatePrecision)) + [10]
        // Swift's shortest round-trip form of each Double: the merge sorts on the very same values.
        let manifest: JSONValue = .object([
            "schema": .string(schema), "shard": .string(shard.description), "by": .string(granularity.rawValue),
            "precision": .number(Double(coordinatePrecision)),
            "run": identity.map(JSONValue.string) ?? .null,
            "order": .array(result.outcomes.map { .object(["id": .string($0.id), "displaced_flow": .number($0.displacedFlow)]) }),
        ])
        try ReportFiles.writeRunDirectory([("sweep.csv", Array(ScenarioSweep.csv(result).utf8)), ("sweep.geojson", geo),
                                  (manifestName, try GeoJSON.encode(manifest) + [10])], to: directory)
    }
}

/// Combines the output directories of `--shard K/N` runs into what one process
/// would have written, byte for byte.
///
/// - batch shards (`batch-summary.json`): the union of the scenario directories,
///   copied as they are, and one summary over all scenarios (`shard: null`);
/// - sweep shards (`sweep-shard.json`): `sweep.csv` and `sweep.geojson` with every
///   element, re-ranked by displaced flow (descending, then id) as `Sweep.run` ranks.
///
/// Every shard `0..<N` must be given exactly once, all of the same kind and run.
public enum ShardMerge {
    public enum Kind: String, Sendable { case batch, sweep }

    public struct Outcome: Sendable {
        public var kind: Kind
        public var shards: Int
        /// The merged batch summary (batch shards only).
        public var batch: BatchSummary?
        /// Elements in the merged ranking (sweep shards only).
        public var elements: Int
    }

    /// - Throws: `InputError` for a directory that is no shard output, a missing or
    ///   repeated shard, shards of different runs, or a scenario in two shards;
    ///   `MissingInput` for a shard's missing file.
    public static func merge(_ directories: [String], into output: String) throws -> Outcome {
        guard !directories.isEmpty else { throw InputError("no shard directories given", at: InputLocation(path: "merge")) }
        let kinds = try directories.map(kind(of:))
        guard Set(kinds).count == 1 else {
            throw InputError("cannot merge batch and sweep shards together (\(zip(directories, kinds).map { "\($0): \($1.rawValue)" }.joined(separator: ", ")))",
                             at: InputLocation(path: "merge"))
        }
        switch kinds[0] {
        case .batch: return try mergeBatch(directories, into: output)
        case .sweep: return try mergeSweep(directories, into: output)
        }
    }

    static func kind(of directory: String) throws -> Kind {
        let fm = FileManager.default
        if fm.fileExists(atPath: directory + "/" + BatchRunner.summaryName) { return .batch }
        if fm.fileExists(atPath: directory + "/" + SweepShard.manifestName) { return .sweep }
        throw MissingInput(path: directory, what: "\(BatchRunner.summaryName) or \(SweepShard.manifestName) (is it a --shard output directory?)")
    }

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MissingInput(path: path, what: "shard output")
        }
        return [UInt8](data)
    }

    /// Checks that `shards` (one per directory) are `0/N … N-1/N`, each once.
    static func checkComplete(_ shards: [Shard?], _ directories: [String]) throws -> Int {
        var seen: [Int: String] = [:]
        var count: Int?
        for (shard, dir) in zip(shards, directories) {
            guard let shard else {
                throw InputError("\(dir) is not a shard output (it was run without --shard)", at: InputLocation(file: dir))
            }
            if let count, count != shard.count {
                throw InputError("shards of different splits: \(dir) is \(shard), others are of \(count)",
                                 at: InputLocation(file: dir))
            }
            count = shard.count
            if let other = seen[shard.index] {
                throw InputError("shard \(shard) given twice: \(other) and \(dir)", at: InputLocation(file: dir))
            }
            seen[shard.index] = dir
        }
        let n = count!
        let missing = (0..<n).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw InputError("missing shard(s) \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")); every shard 0/\(n)…\(n - 1)/\(n) is needed",
                             at: InputLocation(path: "merge"))
        }
        return n
    }

    // MARK: Batch

    static func mergeBatch(_ directories: [String], into output: String) throws -> Outcome {
        let summaries = try directories.map { dir in
            let file = dir + "/" + BatchRunner.summaryName
            return try BatchSummary.decode(try read(file), file: file)
        }
        let n = try checkComplete(summaries.map(\.shard), directories)
        let first = summaries[0]
        var owner: [String: String] = [:]
        var entries: [BatchEntry] = []
        for (summary, dir) in zip(summaries, directories) {
            guard summary.run == first.run else {
                throw InputError("\(dir) is a shard of another batch (run \(summary.run ?? "unrecorded")) than "
                                 + "\(directories[0]) (run \(first.run ?? "unrecorded")): its scenarios or options "
                                 + "(--precision, --network, version) differ", at: InputLocation(file: dir))
            }
            guard summary.version == first.version, summary.network == first.network else {
                throw InputError("\(dir) comes from another run (version \(summary.version), network \(summary.network ?? "per scenario")) "
                                 + "than \(directories[0]) (version \(first.version), network \(first.network ?? "per scenario"))",
                                 at: InputLocation(file: dir))
            }
            for entry in summary.entries {
                if let other = owner[entry.name] {
                    throw InputError("scenario '\(entry.name)' is in both \(other) and \(dir)", at: InputLocation(file: dir))
                }
                owner[entry.name] = dir
                entries.append(entry)
            }
        }
        let fm = FileManager.default
        try fm.createDirectory(atPath: output, withIntermediateDirectories: true)
        let target = URL(fileURLWithPath: output).standardizedFileURL.path
        for entry in entries where entry.status != .failed {
            let source = owner[entry.name]! + "/" + entry.name
            let destination = output + "/" + entry.name
            guard URL(fileURLWithPath: source).standardizedFileURL.path != target + "/" + entry.name else { continue }
            guard fm.fileExists(atPath: source) else { throw MissingInput(path: source, what: "scenario output") }
            try? fm.removeItem(atPath: destination)
            try fm.copyItem(atPath: source, toPath: destination)
        }
        let merged = BatchSummary(version: first.version, network: first.network, shard: nil, entries: entries, run: first.run)
        try AtomicFileWriter.withWriter(path: output + "/" + BatchRunner.summaryName) { try $0.write(try merged.encoded()) }
        return Outcome(kind: .batch, shards: n, batch: merged, elements: 0)
    }

    // MARK: Sweep

    struct SweepRow {
        var id: String
        var displacedFlow: Double
        /// The CSV fields after the rank.
        var fields: [String]
        var feature: Feature
    }

    static func mergeSweep(_ directories: [String], into output: String) throws -> Outcome {
        var shards: [Shard?] = []
        var rows: [SweepRow] = []
        var by: String?, precision: Int?
        var run: String??
        var header: [String] = []
        for dir in directories {
            let file = dir + "/" + SweepShard.manifestName
            let manifest = try GeoJSON.decodeJSON(try read(file), file: file).objectValue ?? [:]
            guard manifest["schema"]?.stringValue == SweepShard.schema, let order = manifest["order"]?.arrayValue,
                  let shardText = manifest["shard"]?.stringValue, let b = manifest["by"]?.stringValue,
                  let p = manifest["precision"]?.intValue else {
                throw InputError("not a sweep shard manifest (expected \"schema\": \"\(SweepShard.schema)\")",
                                 at: InputLocation(file: file))
            }
            shards.append(try Shard(parsing: shardText))
            guard (by ?? b) == b, (precision ?? p) == p else {
                throw InputError("\(dir) is a sweep by \(b) (precision \(p)), \(directories[0]) by \(by!) (precision \(precision!))",
                                 at: InputLocation(file: file))
            }
            let identity = manifest["run"]?.stringValue
            if let run, run != identity {
                throw InputError("\(dir) is a shard of another sweep (run \(identity ?? "unrecorded")) than \(directories[0]) "
                                 + "(run \(run ?? "unrecorded")): its scenario or network differ", at: InputLocation(file: file))
            }
            run = .some(identity)
            by = b; precision = p
            let csvFile = dir + "/sweep.csv"
            var lines = try CSV.records(String(decoding: try read(csvFile), as: UTF8.self), file: csvFile)
            guard !lines.isEmpty else { throw InputError("empty sweep.csv", at: InputLocation(file: csvFile)) }
            header = lines.removeFirst().fields
            let geojson = dir + "/sweep.geojson"
            let features = try GeoJSON.decodeFeatureCollection(try read(geojson), file: geojson).features
            guard lines.count == order.count, features.count == order.count else {
                throw InputError("sweep.csv, sweep.geojson and \(SweepShard.manifestName) disagree on the number of elements "
                                 + "(\(lines.count), \(features.count), \(order.count))", at: InputLocation(file: dir))
            }
            for (i, item) in order.enumerated() {
                guard let id = item.objectValue?["id"]?.stringValue, let flow = item.objectValue?["displaced_flow"]?.doubleValue,
                      lines[i].fields.count == header.count else {
                    throw InputError("order[\(i)] has no id or displaced_flow, or row \(i + 1) of sweep.csv does not have the header's \(header.count) fields", at: InputLocation(file: file))
                }
                rows.append(SweepRow(id: id, displacedFlow: flow, fields: Array(lines[i].fields.dropFirst()), feature: features[i]))
            }
        }
        let n = try checkComplete(shards, directories)
        guard Set(rows.map(\.id)).count == rows.count else {
            throw InputError("an element appears in more than one shard", at: InputLocation(path: "merge"))
        }
        // The ranking of `Sweep.run`: displaced flow descending, then id.
        rows.sort { x, y in x.displacedFlow != y.displacedFlow ? x.displacedFlow > y.displacedFlow : x.id < y.id }
        var csv = CSV.row(header)
        var features: [Feature] = []
        for (i, row) in rows.enumerated() {
            csv += CSV.row([String(i + 1)] + row.fields)
            var feature = row.feature
            feature.properties["rank"] = .number(Double(i + 1))
            features.append(feature)
        }
        let geo = try GeoJSON.encode(FeatureCollection(features: features),
                                     options: GeoJSONWriterOptions(coordinatePrecision: precision ?? 6)) + [10]
        try ReportFiles.writeRunDirectory([("sweep.csv", Array(csv.utf8)), ("sweep.geojson", geo)], to: output)
        return Outcome(kind: .sweep, shards: n, batch: nil, elements: rows.count)
    }
}
