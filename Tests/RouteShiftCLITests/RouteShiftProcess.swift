import Foundation

/// Runs the built `routeshift` binary as scripts and notebooks do, capturing its output.
enum RouteShiftProcess {
    struct Run { var status: Int32; var stdout: String; var stderr: String }

    /// SwiftPM puts test bundles and executables in the same products directory.
    static var binary: URL {
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("routeshift")
        }
        #endif
        return Bundle.main.bundleURL.appendingPathComponent("routeshift")
    }

    /// Starts `routeshift` with stdout and stderr on pipes (so stderr is not a terminal).
    static func start(_ arguments: [String], in directory: URL? = nil,
                      environment: [String: String]? = nil, executable: URL? = nil) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Waits for a started process; stderr is drained on another thread while stdout is
    /// read, so neither pipe can fill up and block the child.
    static func finish(_ started: (Process, Pipe, Pipe)) -> Run {
        let (process, out, err) = started
        let e = DataBox(), group = DispatchGroup()
        DispatchQueue.global().async(group: group) { e.data = err.fileHandleForReading.readDataToEndOfFile() }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                   stderr: String(decoding: e.data, as: UTF8.self))
    }

    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
                    executable: URL? = nil) throws -> Run {
        finish(try start(arguments, in: directory, environment: environment, executable: executable))
    }
}

/// Bytes read by the stderr drain; written by one thread, read after `group.wait()`.
final class DataBox: @unchecked Sendable {
    var data = Data()
}
