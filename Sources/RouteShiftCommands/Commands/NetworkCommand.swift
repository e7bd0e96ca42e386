import ArgumentParser
import Foundation
import RouteShiftCore
import RouteShiftNetwork

struct NetworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Compile a network into a fast-loading cache, or summarise one.",
        subcommands: [Build.self, InfoCommand.self]
    )

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Compile a network (GeoJSON, pgRouting CSV, Flee) into a .rsnet cache that loads in milliseconds.",
            discussion: """
            The cache holds the graph's arrays as they lie in memory: commands map the
            file and use them in place, after checking every count, offset and index.
            It records a format version and the size, modification time and checksum
            of the source it was built from: a cache that is truncated, inconsistent,
            from another version, or older than its source is rejected with a message
            saying so (the source is read again only when its time changed but not its
            size). Any command accepts the cache as --network.

            EXAMPLES:
              routeshift network build --out europe.rsnet
              routeshift route --network europe.rsnet --from athens --to berlin

            \(ExitStatus.helpText)
            """
        )

        @OptionGroup var networkOptions: NetworkOptions
        @Option(name: [.short, .long], help: ArgumentHelp("Cache file to write (atomically).", valueName: "file.rsnet"))
        var out: String

        func run() throws {
            try reportingErrors {
                let source = try NetworkSource.locate(networkOptions.network)
                let network = try networkOptions.load()
                try writingOutputs(to: out) { try CompiledNetwork.write(network, source: source, to: out) }
                Diagnostics.info("compiled \(network.nodeCount) nodes and \(network.edgeCount) edges from \(source) into \(out)")
            }
        }
    }
}
