import ArgumentParser
import Foundation
import RouteShiftCore
import RouteShiftGraph
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
            of each file it was built from (the network, and for an edge table its
            nodes.csv, or that there was none): a cache that is truncated, inconsistent,
            from another version, or older than one of its inputs is rejected with a
            message saying so (an input is read again only when its time changed but not
            its size). Any command accepts the cache as --network. It also keeps the
            distances to and from a few landmarks (--landmarks, chosen far apart), with
            which 'route' searches by A* (ALT, Goldberg & Harrelson 2005): far fewer nodes
            than Dijkstra, the same cheapest path.

            EXAMPLES:
              routeshift network build --out europe.rsnet
              routeshift route --network europe.rsnet --from athens --to berlin

            \(ExitStatus.helpText)
            """
        )

        @OptionGroup var networkOptions: NetworkOptions
        @Option(name: [.short, .long], help: ArgumentHelp("Cache file to write (atomically).", valueName: "file.rsnet"))
        var out: String
        @Option(name: .long, help: ArgumentHelp(
            "Landmarks whose distances the cache keeps for route's default A* search (0: none).", valueName: "count"))
        var landmarks: Int = Landmarks.defaultCount

        func validate() throws {
            guard (0...Landmarks.maximumCount).contains(landmarks) else {
                throw ValidationError("--landmarks must be between 0 and \(Landmarks.maximumCount) (got \(landmarks))")
            }
        }

        func run() throws {
            try reportingErrors {
                let source = try NetworkSource.locate(networkOptions.network)
                let inputs = try NetworkSource.inputs(of: networkOptions.network, nodesPath: networkOptions.nodes)
                var network = try networkOptions.load()
                if landmarks > 0 { network.landmarks = Landmarks(graph: network.graph, count: landmarks) }
                try writingOutputs(to: out) { try CompiledNetwork.write(network, inputs: inputs, to: out) }
                Diagnostics.info("compiled \(network.nodeCount) nodes and \(network.edgeCount) edges from \(source) into \(out)")
            }
        }
    }
}
