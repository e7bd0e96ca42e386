import Foundation

/// Runs a program as scripts and notebooks do, stdout and stderr on pipes (so stderr is not a
/// terminal), capturing its output.
public enum ChildProcess {
    public struct Run: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Starts `executable` with stdout and stderr on pipes.
    public static func start(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                             environment: [String: String]? = nil) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = executable
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
    public static func finish(_ started: (Process, Pipe, Pipe)) -> Run {
        let (process, out, err) = started
        let e = DataBox(), group = DispatchGroup()
        DispatchQueue.global().async(group: group) { e.data = err.fileHandleForReading.readDataToEndOfFile() }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                   stderr: String(decoding: e.data, as: UTF8.self))
    }

    public static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                           environment: [String: String]? = nil) throws -> Run {
        finish(try start(executable, arguments, in: directory, environment: environment))
    }
}

/// Bytes read by the stderr drain; written by one thread, read after `group.wait()`.
final class DataBox: @unchecked Sendable {
    var data = Data()
}
