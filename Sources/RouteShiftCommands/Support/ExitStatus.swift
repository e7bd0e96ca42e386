import ArgumentParser
import Foundation
import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork

/// The documented exit codes of `routeshift` (BSD sysexits where one fits).
///
/// | code | meaning |
/// |------|---------|
/// | 0    | success |
/// | 1    | the query ran but found nothing: no path between the endpoints |
/// | 3    | partial failure: `batch` (or `merge`) finished, but some scenarios failed |
/// | 64   | usage error: unknown option, missing argument (ArgumentParser's own) |
/// | 65   | invalid input data: malformed file, unknown id, invalid value |
/// | 66   | an input file does not exist or cannot be read |
/// | 69   | a program or file an output format needs is not installed |
/// | 73   | an output file cannot be created |
/// | 70   | internal error (a bug: please report it) |
public enum ExitStatus {
    public static let success: Int32 = 0
    public static let noResult: Int32 = 1
    public static let partialFailure: Int32 = 3
    public static let usage: Int32 = 64
    public static let dataError: Int32 = 65
    public static let noInput: Int32 = 66
    public static let dependencyMissing: Int32 = 69
    public static let internalError: Int32 = 70
    public static let cannotCreate: Int32 = 73

    /// The table above, for `--help` discussions.
    public static let helpText = """
    EXIT CODES:
      0   success
      1   no result (e.g. no path between the endpoints; the empty result is still printed)
      3   partial failure: batch/merge finished but some scenarios failed (see batch-summary.json)
      64  usage error (unknown option, missing argument)
      65  invalid input data (malformed file, unknown id, invalid value)
      66  input file missing or unreadable
      69  a program or file an output format needs is not installed (map: rsvg-convert, Leaflet)
      70  internal error
      73  output file cannot be created
    """
}

/// An input file that is missing or unreadable (exit 66).
public struct MissingInputError: Error, CustomStringConvertible {
    public var description: String
    public init(message: String) { description = message }
}

/// Runs a command body, turning RouteShift's errors into a one-line diagnostic on
/// stderr and the exit code of the error's type (`ExitStatus.code(for:)`).
func reportingErrors(_ body: () throws -> Void) throws {
    CommandSearchPath.install
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        Diagnostics.error(ExitStatus.message(for: error))
        throw ExitCode(ExitStatus.code(for: error))
    }
}

extension ExitStatus {
    /// The exit code of an error, from its type: the library's `ErrorDomain`s
    /// (invalid input 65, missing input 66, cannot write 73, failure 70), the
    /// command layer's own errors, and 70 for anything unknown.
    static func code(for error: any Error) -> Int32 {
        switch error {
        case let error as any DomainError:
            switch error.domain {
            case .invalidInput: dataError
            case .missingInput: noInput
            case .cannotWrite: cannotCreate
            case .missingTool: dependencyMissing
            case .failure: internalError
            }
        case is MissingInputError: noInput
        case is ValidationError: usage
        case is OutputError: cannotCreate
        case let error as CocoaError: error.code.rawValue >= 512 ? cannotCreate : noInput
        case let error as GraphError: error.isInvalidInput ? dataError : internalError
        default: internalError
        }
    }

    /// The diagnostic for an error: its description, with the command-line words
    /// the library does not know (which option or command fixes it).
    static func message(for error: any Error) -> String {
        switch error {
        case let error as NetworkNotFound where error.path == nil:
            return "no default network found; pass --network FILE|DIR or set \(NetworkSource.networkVariable) "
                + "(looked in \(error.searched.joined(separator: ", ")))"
        case let error as InputError:
            if let stale = error.underlying as? CompiledNetwork.Outdated {
                return error.description + "; rebuild it with 'routeshift network build --out \(stale.path)"
                    + (stale.source.map { " --network \($0)" } ?? "") + "'"
            }
            return error.description
        case let error as CocoaError:
            // Foundation's own text (NSCocoaErrorDomain, codes) is not for users.
            return (error.filePath.map { "\($0): " } ?? "") + FileSystemWords.describe(error)
        default:
            let text = "\(error)"
            return code(for: error) == internalError ? "internal error: " + text : text
        }
    }
}

/// Runs `body`, which writes outputs under `path`, so that its failures keep
/// their domain: a library error keeps its own (bad data 65, failed write 73),
/// and Foundation's file errors become an `OutputError` (exit 73) in words,
/// never Foundation's raw error text.
func writingOutputs<R>(to path: String, _ body: () throws -> R) throws -> R {
    do {
        return try body()
    } catch let error as any DomainError {
        throw error  // its type already says what failed (bad data, a failed write, ...)
    } catch let error as CocoaError {
        throw OutputError(FileSystemWords.describe(error), path: error.filePath ?? path)
    } catch let error as POSIXError {
        throw OutputError(errno: error.code.rawValue, "cannot write", path: path)
    }
}

/// Foundation's file errors in words: the POSIX reason when there is one.
enum FileSystemWords {
    static func describe(_ error: CocoaError) -> String {
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code))).lowercasedFirst
        }
        switch error.code {
        case .fileWriteOutOfSpace: return "no space left on device"
        case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
        case .fileWriteVolumeReadOnly: return "read-only file system"
        case .fileWriteFileExists: return "a file is in the way"
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or directory"
        case .fileWriteInvalidFileName, .fileReadInvalidFileName: return "invalid file name"
        default: return error.isFileError ? "file system error \(error.code.rawValue)" : "cannot write"
        }
    }
}

private extension String {
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}
