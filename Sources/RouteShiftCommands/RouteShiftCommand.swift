import ArgumentParser

/// The `routeshift` command tree.
public struct RouteShiftCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "routeshift",
        abstract: "Route graphs over real border segments: shortest paths, closures, GeoJSON.",
        version: "0.1.0"
    )
    public init() {}
}
