import Dispatch
import Foundation
import RouteShiftCore
import RouteShiftObservations
import RouteShiftNetwork
import RouteShiftReports
import RouteShiftScenario
import RouteShiftSimulation

/// Settings of one batch run (`routeshift batch`).
public struct BatchOptions: Sendable {
    /// Each scenario's report goes to `output/<name>/`, the run's summary to `output/batch-summary.json`.
    public var output: String
    /// Scenarios run at the same time (default: one per core).
    public var jobs: Int = Assignment.defaultWorkers
    /// Rerun scenarios whose completion marker matches their inputs.
    public var force = false
    /// Run only this shard of the sorted scenario list; `nil` runs them all.
    public var shard: Shard?
    /// Network for every scenario, overriding each scenario's own `network` (e.g. a `.rsnet` cache).
    public var network: String?
    /// Decimal places of GeoJSON coordinates in the reports.
    public var coordinatePrecision = 6
    /// Run every scenario period by period over this range (overrides their `periods`).
    public var periods: Period?
    /// How the periods are cut (overrides their `by`).
    public var granularity: PeriodGranularity?
    /// Written into completion markers and the summary: a new version reruns everything.
    public var toolVersion = "unversioned"
    /// Let relative paths in scenario files leave their directory (see `ScenarioParser.load`).
    public var allowOutsidePaths = false

    public init(output: String) { self.output = output }
}

/// One step of a batch run, reported as it happens.
public enum BatchProgress: Sendable {
    /// A scenario started (`running` are under way now, `done` finished of `total`).
    case started(name: String, running: Int, done: Int, total: Int)
    /// A scenario completed, was skipped or failed.
    case finished(BatchEntry, done: Int, total: Int)
}

/// Runs many scenario files in parallel, each into its own report directory,
/// resumably.
///
/// Each scenario is written by `ReportFiles.write` (all files or none, with
/// its completion marker `<name>/.done` in the same directory swap), which holds a hash of everything its
/// result depends on: the scenario file, its network and demand files, the
/// coordinate precision and the tool version. A scenario whose marker matches is
/// skipped; any change reruns it. A failing scenario is recorded in the summary
/// and leaves no new files; the others go on.
///
/// Networks are read once per distinct file and shared by every worker
/// (`RouteNetwork` is an immutable `Sendable` value).
public enum BatchRunner {
    public static let summaryName = "batch-summary.json"
    public static let markerName = ".done"
    public static let scenarioExtensions = ["yaml", "yml", "json"]

    // MARK: Discovery

    /// The scenario files named by `pattern`: a directory (its `.yaml`, `.yml` and
    /// `.json` files, not recursive), a glob (`scenarios/close-*.yaml`) or one file;
    /// sorted by path.
    ///
    /// - Throws: `MissingInput` when nothing matches.
    public static func discover(_ pattern: String) throws -> [String] {
        var isDir: ObjCBool = false
        var paths: [String] = []
        if FileManager.default.fileExists(atPath: pattern, isDirectory: &isDir), isDir.boolValue {
            let dir = pattern.hasSuffix("/") ? String(pattern.dropLast()) : pattern
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            paths = names.filter { !$0.hasPrefix(".") && isScenarioFile($0) }.map { dir + "/" + $0 }
        } else {
            var g = glob_t()
            defer { globfree(&g) }
            // returns 0 on success, GLOB_NOMATCH when nothing matched
            if glob(pattern, 0, nil, &g) == 0 {
                for i in 0..<Int(g.gl_pathc) {
                    if let p = g.gl_pathv[i] { paths.append(String(cString: p)) }
                }
            }
            paths = paths.filter(isScenarioFile)
        }
        guard !paths.isEmpty else { throw MissingInput(path: pattern, what: "any scenario (.yaml, .yml, .json)") }
        return paths.sorted()
    }

    static func isScenarioFile(_ path: String) -> Bool {
        scenarioExtensions.contains((path as NSString).pathExtension.lowercased())
    }

    /// The output directory name of a scenario file: its base name without extension.
    public static func name(of path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    /// `(name, file)` sorted by name: the list shards partition.
    ///
    /// - Throws: `InputError` when two files would write to the same directory.
    public static func plan(_ files: [String]) throws -> [(name: String, file: String)] {
        var byName: [String: String] = [:]
        for file in files {
            let n = name(of: file)
            if let other = byName[n], other != file {
                throw InputError("scenarios \(other) and \(file) would both write to '\(n)/'; rename one",
                                 at: InputLocation(file: file))
            }
            byName[n] = file
        }
        return byName.keys.sorted().map { ($0, byName[$0]!) }
    }

    /// What a batch is, whichever shard runs: a hash of every scenario of the
    /// whole plan (name and content), the precision, the network override and the
    /// version. Each shard records it, and `merge` joins only shards that agree.
    static func runIdentity(_ plan: [(name: String, file: String)], options: BatchOptions) -> String {
        var manifest = "routeshift batch run 1\nversion \(options.toolVersion)\nprecision \(options.coordinatePrecision)\n"
        manifest += "network \(options.network ?? "-")\n"
        for (name, file) in plan {
            let content = FileManager.default.contents(atPath: file).map { Fingerprint.hex(of: [UInt8]($0)) } ?? "missing"
            manifest += "scenario \(name) \(content)\n"
        }
        return Fingerprint.digest(of: Array(manifest.utf8))
    }

    // MARK: Running

    /// Runs the scenario files (this shard of them) and writes `batch-summary.json`.
    ///
    /// - Parameter progress: called once per event, never concurrently.
    /// - Returns: the summary; check `failed` for scenarios that did not run.
    /// - Throws: only for problems of the batch as a whole (duplicate names, an
    ///   output directory that cannot be created); a scenario's own error is
    ///   recorded in its entry.
    public static func run(_ files: [String], options: BatchOptions,
                           progress: @escaping @Sendable (BatchProgress) -> Void = { _ in }) throws -> BatchSummary {
        let all = try plan(files)
        let mine = options.shard.map { $0.select(all) } ?? all
        try FileManager.default.createDirectory(atPath: options.output, withIntermediateDirectories: true)
        // Leftovers of a batch that was killed (staging directories, temporary files) go first.
        InFlightOutputs.clearStale(in: options.output)
        let jobs = max(1, min(options.jobs, mine.count))
        // Split the cores between concurrent scenarios; each assignment keeps its share.
        let workersPerScenario = max(1, Assignment.defaultWorkers / jobs)
        let networks = NetworkCache()
        let state = BatchState(total: mine.count, progress: progress)

        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while let i = state.next() {
                let (name, file) = mine[i]
                state.started(name)
                let entry = runOne(name: name, file: file, options: options, networks: networks,
                                   workers: workersPerScenario)
                state.finished(i, entry)
            }
        }
        let summary = BatchSummary(version: options.toolVersion, network: options.network, shard: options.shard,
                                   entries: state.entries(), run: runIdentity(all, options: options))
        try AtomicFileWriter.withWriter(path: options.output + "/" + summaryName) { try $0.write(try summary.encoded()) }
        return summary
    }

    static func runOne(name: String, file: String, options: BatchOptions, networks: NetworkCache,
                       workers: Int) -> BatchEntry {
        let directory = options.output + "/" + name
        let marker = directory + "/" + markerName
        var hash: String?
        do {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw MissingInput(path: file, what: "scenario file")
            }
            let bytes = [UInt8](data)
            guard let text = String(bytes: bytes, encoding: .utf8) else {
                throw InputError("scenario file is not UTF-8 text", at: InputLocation(file: file))
            }
            var scenario = try CostModelFile.withDefaults(try ScenarioParser.parse(text, file: file, allowOutsidePaths: options.allowOutsidePaths))
            if let network = options.network { scenario.network = network }
            if let periods = options.periods { scenario.periods = periods }
            if let g = options.granularity { scenario.granularity = g }
            let network = try networks.network(at: scenario.network)
            var manifest = "routeshift batch marker 1\nversion \(options.toolVersion)\nprecision \(options.coordinatePrecision)\n"
            manifest += "scenario \(Fingerprint.hex(of: bytes))\nnetwork \(network.fingerprint)\n"
            if case .csv(let path, _) = scenario.demand {
                let demand = FileManager.default.contents(atPath: path).map { Fingerprint.hex(of: [UInt8]($0)) } ?? "missing"
                manifest += "demand \(demand)\n"
            }
            if let periods = scenario.periods { manifest += "periods \(periods) by \((scenario.granularity ?? .month).rawValue)\n" }
            let inputs = Fingerprint.digest(of: Array(manifest.utf8))
            hash = inputs
            if !options.force, let done = FileManager.default.contents(atPath: marker),
               String(decoding: done, as: UTF8.self) == inputs + "\n" {
                return BatchEntry(name: name, file: file, status: .skipped, inputsHash: inputs)
            }
            // An old marker must not vouch for files this run is about to replace.
            try? FileManager.default.removeItem(atPath: marker)
            // The marker is part of the same all-or-nothing directory swap as the report.
            let markerFile = [(markerName, Array((inputs + "\n").utf8))]
            if scenario.periods != nil {
                let run = try Simulation.runPeriods(scenario: scenario, network: network.value, workers: workers)
                try PeriodReportFiles.write(run, to: directory, coordinatePrecision: options.coordinatePrecision,
                                            extraFiles: markerFile, workers: workers)
            } else {
                let report = try Simulation.run(scenario: scenario, network: network.value, workers: workers)
                try ReportFiles.write(report, to: directory, coordinatePrecision: options.coordinatePrecision,
                                      extraFiles: markerFile, workers: workers)
            }
            return BatchEntry(name: name, file: file, status: .completed, inputsHash: inputs)
        } catch {
            return BatchEntry(name: name, file: file, status: .failed, error: "\(error)", inputsHash: hash)
        }
    }
}

/// Work queue, results and progress of one batch run, shared by its workers.
private final class BatchState: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private var running = 0
    private var done = 0
    private var results: [BatchEntry?]
    private let total: Int
    private let progress: @Sendable (BatchProgress) -> Void

    init(total: Int, progress: @escaping @Sendable (BatchProgress) -> Void) {
        self.total = total
        self.progress = progress
        results = Array(repeating: nil, count: total)
    }

    /// The next scenario to run: handed out one at a time so a slow scenario does not hold up a fixed stripe.
    func next() -> Int? {
        lock.withLock {
            guard nextIndex < total else { return nil }
            defer { nextIndex += 1 }
            return nextIndex
        }
    }

    func started(_ name: String) {
        lock.withLock {
            running += 1
            progress(.started(name: name, running: running, done: done, total: total))
        }
    }

    func finished(_ index: Int, _ entry: BatchEntry) {
        lock.withLock {
            results[index] = entry
            running -= 1
            done += 1
            progress(.finished(entry, done: done, total: total))
        }
    }

    func entries() -> [BatchEntry] { lock.withLock { results.compactMap { $0 } } }
}

/// Networks read so far, by file; each read once, whichever worker asks first.
final class NetworkCache: @unchecked Sendable {
    struct Loaded: Sendable {
        var value: RouteNetwork
        /// Located path and content hash, for completion markers.
        var fingerprint: String
    }

    private let lock = NSLock()
    private var loaded: [String: Result<Loaded, any Error>] = [:]

    func network(at path: String?) throws -> Loaded {
        // Reading under the lock: a second worker wanting the same network waits instead of reading it again.
        try lock.withLock {
            let key = path ?? ""
            if let cached = loaded[key] { return try cached.get() }
            let result = Result<Loaded, any Error> {
                let file = try NetworkSource.locate(path)
                let network = try NetworkSource.load(file)
                let bytes = FileManager.default.contents(atPath: file).map { [UInt8]($0) }
                return Loaded(value: network, fingerprint: "\(file) \(bytes.map(Fingerprint.hex(of:)) ?? "directory")")
            }
            loaded[key] = result
            return try result.get()
        }
    }
}

/// FNV-1a, 64 bits (Fowler, Noll, Vo): enough to notice a changed input, not a security hash.
enum Fingerprint {
    /// 16 hex digits.
    static func digest(of bytes: some Collection<UInt8>) -> String { String(hex(of: bytes).prefix(16)) }

    /// 16 hex digits of `FNV1a`, `-`, the byte count.
    static func hex(of bytes: some Collection<UInt8>) -> String {
        FNV1a.hex(bytes) + "-" + String(bytes.count)
    }
}
