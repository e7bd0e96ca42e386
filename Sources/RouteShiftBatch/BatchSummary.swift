import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftReports
import RouteShiftScenario
import RouteShiftSimulation

/// What happened to one scenario of a batch.
public struct BatchEntry: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable, CaseIterable {
        /// Ran now and wrote its report.
        case completed
        /// Its completion marker matched its inputs; the report from an earlier run stands.
        case skipped
        /// Did not produce a report; `error` says why.
        case failed
    }

    /// Output directory name (the file's base name without extension).
    public var name: String
    /// The scenario file as given.
    public var file: String
    public var status: Status
    /// The error message of a failed scenario.
    public var error: String?
    /// Hash of the inputs (`.done` marker content); `nil` when the scenario failed before it was known.
    public var inputsHash: String?

    public init(name: String, file: String, status: Status, error: String? = nil, inputsHash: String? = nil) {
        self.name = name
        self.file = file
        self.status = status
        self.error = error
        self.inputsHash = inputsHash
    }
}

/// `batch-summary.json`: one entry per scenario, sorted by name.
///
/// Schema `routeshift.batch/1` (Schemas/batch-summary.schema.json), keys in byte order:
/// - `schema`, `version` (of routeshift), `network` (the `--network` override or `null`),
///   `shard` (`"K/N"`, or `null` for an unsharded or merged run), `run` (what the batch is:
///   a hash of all its scenarios and options, equal in every shard of one run);
/// - `counts`: `total`, `completed`, `skipped`, `failed`;
/// - `scenarios`: `[{name, file, status, output, error, inputs_hash}]`, where `output` is the
///   report directory relative to the summary (`null` when failed) and `error` is `null` unless failed.
///
/// Nothing in it depends on timing or scheduling, so a merge of shards equals the
/// single-process summary byte for byte.
public struct BatchSummary: Hashable, Sendable {
    public static let schema = "routeshift.batch/1"

    public var version: String
    public var network: String?
    public var shard: Shard?
    public var entries: [BatchEntry]
    /// What the batch as a whole is (`BatchRunner.runIdentity`: every scenario of
    /// the plan, precision, network, version): the same in every shard of one run.
    public var run: String?

    public init(version: String, network: String?, shard: Shard?, entries: [BatchEntry], run: String? = nil) {
        self.version = version
        self.network = network
        self.shard = shard
        self.entries = entries.sorted { $0.name < $1.name }
        self.run = run
    }

    public var failed: [BatchEntry] { entries.filter { $0.status == .failed } }
    public func count(_ status: BatchEntry.Status) -> Int { entries.filter { $0.status == status }.count }

    public var json: JSONValue {
        var counts: [String: JSONValue] = ["total": .number(Double(entries.count))]
        for status in BatchEntry.Status.allCases { counts[status.rawValue] = .number(Double(count(status))) }
        return .object([
            "schema": .string(Self.schema),
            "version": .string(version),
            "network": network.map(JSONValue.string) ?? .null,
            "shard": shard.map { .string($0.description) } ?? .null,
            "run": run.map(JSONValue.string) ?? .null,
            "counts": .object(counts),
            "scenarios": .array(entries.map { e in
                .object([
                    "name": .string(e.name), "file": .string(e.file), "status": .string(e.status.rawValue),
                    "output": e.status == .failed ? .null : .string(e.name),
                    "error": e.error.map(JSONValue.string) ?? .null,
                    "inputs_hash": e.inputsHash.map(JSONValue.string) ?? .null,
                ])
            }),
        ])
    }

    /// The summary file's bytes (compact JSON and a newline).
    public func encoded() throws -> [UInt8] { try GeoJSON.encode(json) + [10] }

    /// Reads a summary written by `encoded()`.
    /// - Throws: `InputError` naming `file` when it is not a batch summary.
    public static func decode(_ bytes: [UInt8], file: String) throws -> BatchSummary {
        let root = try GeoJSON.decodeJSON(bytes, file: file)
        func bad(_ what: String) -> InputError { InputError("not a batch summary: \(what)", at: InputLocation(file: file)) }
        guard let object = root.objectValue, object["schema"]?.stringValue == schema else {
            throw bad("expected \"schema\": \"\(schema)\"")
        }
        guard let version = object["version"]?.stringValue else { throw bad("no version") }
        let shard = try object["shard"]?.stringValue.map { try Shard(parsing: $0) }
        var entries: [BatchEntry] = []
        for item in object["scenarios"]?.arrayValue ?? [] {
            guard let e = item.objectValue, let name = e["name"]?.stringValue, let file = e["file"]?.stringValue,
                  let status = e["status"]?.stringValue.flatMap(BatchEntry.Status.init(rawValue:)) else {
                throw bad("a scenario without name, file or status")
            }
            entries.append(BatchEntry(name: name, file: file, status: status, error: e["error"]?.stringValue,
                                      inputsHash: e["inputs_hash"]?.stringValue))
        }
        return BatchSummary(version: version, network: object["network"]?.stringValue, shard: shard, entries: entries,
                            run: object["run"]?.stringValue)
    }
}
