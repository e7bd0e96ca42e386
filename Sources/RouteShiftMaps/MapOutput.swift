import Foundation
import RouteShiftCore

/// A program or file the map needs from the system that is not installed.
public struct MissingDependencyError: DomainError, Hashable, Sendable {
    /// What was looked for, e.g. `rsvg-convert`.
    public var what: String
    /// The Debian package providing it, e.g. `librsvg2-bin`.
    public var package: String

    public init(what: String, package: String) {
        self.what = what
        self.package = package
    }

    public var domain: ErrorDomain { .missingTool }

    public var description: String {
        "\(what) not found: install the Debian package \(package) (apt-get install \(package))"
    }
}

/// A helper program ran but failed.
public struct RasterizerError: DomainError, Hashable, Sendable {
    public var message: String
    public var domain: ErrorDomain { .failure }
    public var description: String { message }
}

/// Output formats, chosen from the file name's extension.
public enum MapFormat: String, CaseIterable, Sendable {
    case svg, png, html

    /// `.svg`, `.png`, `.html` or `.htm` (any case); `nil` for anything else.
    public init?(path: String) {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "svg": self = .svg
        case "png": self = .png
        case "html", "htm": self = .html
        default: return nil
        }
    }
}

/// PNG through librsvg's `rsvg-convert`, a real SVG renderer (text, dashes, gradients,
/// clipping), run as a separate process on temporary files.
public enum PNGRasterizer {
    /// The Debian package that provides `rsvg-convert`.
    public static let package = "librsvg2-bin"

    /// `rsvg-convert` on `searchPath` (default `$PATH`), or `nil`.
    public static func executable(searchPath: String? = nil) -> String? {
        findExecutable("rsvg-convert", searchPath: searchPath)
    }

    /// The PNG for `svg`, at the SVG's own pixel size.
    /// - Throws: `MissingDependencyError` naming librsvg2-bin when `rsvg-convert` is not installed;
    ///   `RasterizerError` with its message when it fails.
    public static func png(fromSVG svg: String, searchPath: String? = nil) throws -> [UInt8] {
        guard let tool = executable(searchPath: searchPath) else {
            throw MissingDependencyError(what: "rsvg-convert (needed for PNG output)", package: package)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("routeshift-map-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("map.svg"), output = dir.appendingPathComponent("map.png")
        let log = dir.appendingPathComponent("stderr.txt")
        try Data(svg.utf8).write(to: input)
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw RasterizerError(message: "cannot create a temporary file in \(dir.path)")
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--format", "png", "--background-color", "white", "--output", output.path, input.path]
        let errors = try FileHandle(forWritingTo: log)
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try? errors.close()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            throw RasterizerError(message: "rsvg-convert failed (status \(process.terminationStatus))\(text.isEmpty ? "" : ": " + text)")
        }
        return Array(try Data(contentsOf: output))
    }

    static func findExecutable(_ name: String, searchPath: String? = nil) -> String? {
        let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Renders a map in the format its file name asks for and writes it atomically.
public enum MapOutput {
    /// The bytes of `content` rendered as `format`.
    public static func render(_ content: MapContent, format: MapFormat, options: MapOptions) throws -> [UInt8] {
        switch format {
        case .svg: return Array(try MapRenderer(options: options).render(content).svg.utf8)
        case .png: return try PNGRasterizer.png(fromSVG: try MapRenderer(options: options).render(content).svg)
        case .html: return Array(try HTMLMap(options: options).render(content).utf8)
        }
    }

    /// Renders and writes to `path` (temporary file + rename: no partial file is ever left).
    /// - Throws: `InputError` for an unknown extension, and whatever rendering throws.
    public static func write(_ content: MapContent, to path: String, options: MapOptions) throws {
        guard let format = MapFormat(path: path) else {
            throw InputError("cannot tell the map format from the file name: use .svg, .png or .html",
                             at: InputLocation(file: path))
        }
        let bytes = try render(content, format: format, options: options)
        try AtomicFileWriter.withWriter(path: path) { try $0.write(bytes) }
    }
}
