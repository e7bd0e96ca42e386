import ArgumentParser

/// The `routeshift` command tree: each subcommand is a thin layer over a
/// library call in RouteShiftNetwork (or the modules below it).
public struct RouteShiftCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "routeshift",
        abstract: "Route graphs over real border segments: shortest paths, closures, catchments, GeoJSON.",
        discussion: """
        Results go to stdout (GeoJSON, JSON or CSV, see each command's --format);
        diagnostics go to stderr. Without --network, commands use the bundled
        Geodata network ($ROUTESHIFT_NETWORK or $ROUTESHIFT_GEODATA override it).

        \(ExitStatus.helpText)
        """,
        version: RouteShiftVersion.string,
        subcommands: [RouteCommand.self, ReachCommand.self, InfoCommand.self, NetworkCommand.self,
                      GeodataCommand.self, SimulateCommand.self, SweepCommand.self, BatchCommand.self,
                      MergeCommand.self, MapCommand.self, MatrixCommand.self, DemandCommand.self, RiskCommand.self,
                      AgentsCommand.self, CalibrateCommand.self, BacktestCommand.self]
    )
    public init() {}
}

public enum RouteShiftVersion {
    public static let string = "0.1.0"
}
