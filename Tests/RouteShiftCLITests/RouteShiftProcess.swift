import Foundation
import RouteShiftTestSupport

/// Runs the built `routeshift` binary as scripts and notebooks do, capturing its output.
enum RouteShiftProcess {
    typealias Run = ChildProcess.Run

    /// SwiftPM puts test bundles and executables in the same products directory.
    static var binary: URL {
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("routeshift")
        }
        #endif
        return Bundle.main.bundleURL.appendingPathComponent("routeshift")
    }

    /// Starts `routeshift` (or `executable`) with stdout and stderr on pipes (so stderr is not a terminal).
    static func start(_ arguments: [String], in directory: URL? = nil,
                      environment: [String: String]? = nil, executable: URL? = nil) throws -> (Process, Pipe, Pipe) {
        try ChildProcess.start(executable ?? binary, arguments, in: directory, environment: environment)
    }

    /// Waits for a started process (`ChildProcess.finish`).
    static func finish(_ started: (Process, Pipe, Pipe)) -> Run { ChildProcess.finish(started) }

    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
                    executable: URL? = nil) throws -> Run {
        finish(try start(arguments, in: directory, environment: environment, executable: executable))
    }
}
