import Foundation

/// A fresh empty directory `<tmp>/<prefix>-<UUID>`, removed with everything in it when the
/// value goes: a local at the end of its scope (hold the value itself, not only its `url`,
/// or it goes at once), a test case's property when `tearDown` sets it to `nil`.
public final class TemporaryDirectory: Sendable {
    public let url: URL

    public init(_ prefix: String = "routeshift") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    public var path: String { url.path }

    /// The path of `name` inside.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
