import Foundation
import RouteShiftNetwork

/// The Geodata directories of the `routeshift` command: `../share/routeshift/Geodata`
/// and `Geodata` beside the executable, then the source tree it was built from.
/// The library has no notion of an executable or a source tree; the command passes
/// these in as `GeodataSearchPath.standard` before any command runs.
enum CommandSearchPath {
    /// `Geodata/` of the source tree this module was compiled from.
    static var sourceTreeGeodata: String {
        // #filePath = <root>/Sources/RouteShiftCommands/Support/CommandSearchPath.swift
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Geodata").path
    }

    /// Sets `GeodataSearchPath.standard` once per process.
    static let install: Void = {
        GeodataSearchPath.standard = GeodataSearchPath(
            GeodataSearchPath.besideExecutable(CommandLine.arguments.first ?? "") + [sourceTreeGeodata])
    }()
}
