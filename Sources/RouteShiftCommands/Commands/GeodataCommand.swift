import ArgumentParser
import Foundation
import RouteShiftGeodata
import RouteShiftNetwork

/// `routeshift geodata …`: work on the bundled Geodata.
struct GeodataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geodata",
        abstract: "Derive the bundled network from the Geodata sources.",
        subcommands: [GeodataBuildCommand.self]
    )
}

struct GeodataBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build network.geojson, segments.geojson and build-report.json from the sources.",
        discussion: """
        Reads countries.geojson, hubs.csv, sources/sea_crossings.csv and
        sources/border_attributes.csv from --geodata; writes the three outputs
        atomically to --out. Counts go to stderr, the report JSON to stdout.
        Fails (exit 65) when a hub is cut off from the main network or a
        destination is unreachable from an origin.

        EXAMPLES:
          routeshift geodata build
          routeshift geodata build --max-section-km 10 --out /tmp/geodata

        \(ExitStatus.helpText)
        """
    )

    @Option(name: .long, help: ArgumentHelp("Geodata source directory.", discussion: "Default: the source tree's Geodata.",
                                            valueName: "dir"))
    var geodata: String?

    @Option(name: .long, help: ArgumentHelp("Output directory. Default: the --geodata directory.", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Longest border section, km.", valueName: "km"))
    var maxSectionKm: Double = 25

    @Option(name: .long, help: ArgumentHelp("Legs from each node to its k nearest nodes in the same country.", valueName: "k"))
    var legsK: Int = 4

    @Option(name: .long, help: ArgumentHelp("Leg cost factor over the geodesic distance.", valueName: "factor"))
    var detour: Double = 1.3

    @Option(name: .long, help: ArgumentHelp("Year the network describes (Schengen membership).", valueName: "year"))
    var asOf: Int = 2023

    func validate() throws {
        guard maxSectionKm.isFinite, maxSectionKm > 0 else { throw ValidationError("--max-section-km must be positive") }
        guard legsK >= 1 else { throw ValidationError("--legs-k must be at least 1") }
        guard detour.isFinite, detour >= 1 else { throw ValidationError("--detour must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let source = geodata ?? CommandSearchPath.sourceTreeGeodata
            guard FileManager.default.fileExists(atPath: source + "/countries.geojson") else {
                throw MissingInputError(message: "\(source): no Geodata sources there (countries.geojson)")
            }
            let builder = GeodataBuilder(options: .init(maxSectionKm: maxSectionKm, legsK: legsK, detourFactor: detour))
            let build: GeodataBuild
            do {
                build = try builder.build(geodataDirectory: source, referenceYear: asOf)
            } catch let error as GeodataCheckFailure {
                Diagnostics.error(error.description)
                throw ExitCode(ExitStatus.dataError)
            }
            try writingOutputs(to: out ?? source) { try build.write(to: out ?? source) }
            Diagnostics.info(build.summary)
            for crossing in build.excludedCrossings {
                Diagnostics.warning("sea crossing \(crossing.id) excluded: \(crossing.reason)")
            }
            try OutputSink.with(path: nil) { sink in try sink.write(build.reportText) }
        }
    }
}
