import ArgumentParser
import Foundation
import RouteShiftBatch
import RouteShiftCore
import RouteShiftObservations
import RouteShiftReports
import RouteShiftScenario
import RouteShiftSimulation

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Run many scenario files in parallel, each into its own report directory; resumable and shardable.",
        discussion: """
        Each scenario SCENARIOS names (a directory's .yaml/.yml/.json files, a glob or
        one file) is simulated as by `routeshift simulate`, into OUT/<name>/, where
        <name> is the file's base name without extension. OUT/batch-summary.json
        (schema routeshift.batch/1, Schemas/batch-summary.schema.json) lists every
        scenario with its status (completed, skipped, failed) and error message.

        Resuming: a finished scenario leaves OUT/<name>/.done, a hash of its
        scenario file, network, demand file, --precision and the routeshift
        version. Running the same batch again skips scenarios whose hash still
        matches and reruns the others; --force reruns everything. A failing
        scenario is reported on stderr and in the summary, writes no files, and
        does not stop the others.

        Sharding: --shard K/N runs the scenarios at positions K, K+N, K+2N, … of
        the list sorted by name (K counts from 0), so N processes on N machines
        split the work with no coordination. `routeshift merge` joins their OUT
        directories into exactly what one process writes.

        Progress goes to stderr: a bar on a terminal, a plain line per scenario
        otherwise. --format json prints the summary on stdout.

        EXAMPLES:
          routeshift batch Examples/scenarios --out out/batch
          routeshift network build --out net.rsnet && routeshift batch 'runs/*.yaml' --out out --network net.rsnet
          routeshift batch runs --out out/shard-0 --shard 0/4

        \(ExitStatus.helpText)
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case none, json }

    @Argument(help: ArgumentHelp("A directory of scenario files, a glob (quote it), or one file.", valueName: "dir|glob"))
    var scenarios: String

    @Option(name: .long, help: ArgumentHelp("Output directory: one subdirectory per scenario and batch-summary.json.",
                                            valueName: "dir"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("Scenarios run at the same time (default: one per core).", valueName: "n"))
    var jobs: Int?

    @Flag(name: .long, help: "Rerun scenarios that are already complete.") var force = false

    @Option(name: .long, help: ArgumentHelp("Run only shard K of N (0-based), e.g. 0/4.", valueName: "K/N"))
    var shard: String?

    @Option(name: .long, help: ArgumentHelp("Network for every scenario, overriding theirs (e.g. a .rsnet cache).",
                                            valueName: "file|dir"))
    var network: String?

    @Option(name: .long, help: ArgumentHelp("Run every scenario period by period over this range (see simulate --periods).",
                                            valueName: "period"))
    var periods: String?
    @Option(name: .long, help: "Cut the periods into months, quarters or years (default month).") var by: PeriodGranularity?

    @Option(name: .long, help: ArgumentHelp("Decimal places of GeoJSON coordinates.", valueName: "n"))
    var precision: Int = 6

    @Option(name: .long, help: "What to print on stdout: nothing, or the batch summary as JSON.")
    var format: Format = .none

    @Flag(name: .shortAndLong, help: "No progress on stderr (errors are still shown).") var quiet = false
    @Flag(name: .long, help: "Let relative paths in scenario files leave the scenario's directory (../).")
    var allowOutsidePaths = false

    func validate() throws {
        guard (0...17).contains(precision) else { throw ValidationError("--precision must be between 0 and 17") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let shard { _ = try Shard.validated(shard) }
    }

    func run() throws {
        Diagnostics.quiet = quiet
        try reportingErrors {
            let files = try BatchRunner.discover(scenarios)
            var options = BatchOptions(output: out)
            options.periods = try periods.map { try Period.parse($0, at: InputLocation(path: "--periods")) }
            options.granularity = by
            if let jobs { options.jobs = jobs }
            options.force = force
            options.shard = try shard.map { text in try atOption("--shard") { try Shard(parsing: text) } }
            options.network = network
            options.coordinatePrecision = precision
            options.toolVersion = RouteShiftVersion.string
            options.allowOutsidePaths = allowOutsidePaths
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                throw OutputError("cannot create the output directory: "
                                  + ((error as? CocoaError).map(FileSystemWords.describe) ?? "\(error)"), path: out)
            }
            let display = BatchProgressDisplay(terminal: Diagnostics.stderrIsTerminal, quiet: quiet)
            let summary = try BatchRunner.run(files, options: options, progress: display.handle)
            display.finish()
            if format == .json {
                try OutputSink.with(path: nil) { try $0.writeDocument(try summary.encoded()) }
            }
            Diagnostics.info(Self.closingLine(summary, out: out))
            if !summary.failed.isEmpty { throw ExitCode(ExitStatus.partialFailure) }
        }
    }

    static func closingLine(_ summary: BatchSummary, out: String) -> String {
        let shard = summary.shard.map { " (shard \($0))" } ?? ""
        return "batch\(shard): \(summary.entries.count) scenarios: \(summary.count(.completed)) completed, "
            + "\(summary.count(.skipped)) skipped, \(summary.count(.failed)) failed; summary in \(out)/\(BatchRunner.summaryName)"
    }
}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the output directories of `batch --shard` or `sweep --shard` runs.",
        discussion: """
        Every shard 0/N … N-1/N must be given once. Batch shards: the scenario
        directories are copied into OUT and one batch-summary.json covers all of
        them. Sweep shards: sweep.csv and sweep.geojson are re-ranked over all
        elements. Either way OUT is byte for byte what one unsharded run writes.

        Exits 3 when the merged batch has failed scenarios.

        EXAMPLES:
          routeshift merge out/shard-0 out/shard-1 out/shard-2 --out out/all

        \(ExitStatus.helpText)
        """
    )

    @Argument(help: ArgumentHelp("The shards' output directories.", valueName: "shard-dir"))
    var shards: [String]

    @Option(name: .long, help: ArgumentHelp("Directory for the merged output.", valueName: "dir"))
    var out: String

    @Option(name: .long, help: "What to print on stdout: nothing, or (batch shards) the merged summary as JSON.")
    var format: BatchCommand.Format = .none

    @Flag(name: .shortAndLong, help: "No report on stderr.") var quiet = false

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give at least one shard directory") }
    }

    func run() throws {
        Diagnostics.quiet = quiet
        try reportingErrors {
            let outcome = try ShardMerge.merge(shards, into: out)
            if format == .json, let summary = outcome.batch {
                try OutputSink.with(path: nil) { try $0.writeDocument(try summary.encoded()) }
            }
            switch outcome.kind {
            case .batch:
                let summary = outcome.batch!
                Diagnostics.info("merged \(outcome.shards) batch shards: " + BatchCommand.closingLine(summary, out: out))
                if !summary.failed.isEmpty { throw ExitCode(ExitStatus.partialFailure) }
            case .sweep:
                Diagnostics.info("merged \(outcome.shards) sweep shards: \(outcome.elements) elements; wrote sweep.csv, sweep.geojson to \(out)")
            }
        }
    }
}
