import Foundation

/// How an input's path is written into a report (`calibration-report.json`,
/// `backtest-report.json`): relative to the working directory when the file lies under it,
/// so that a report made in one checkout reads the same in another, else as found.
public enum RecordedPath {
    /// `path` relative to `base` when it lies under it (both made absolute and
    /// standardised first: `.` and `..` resolved, no symbolic links followed), else `path`
    /// standardised. A path equal to `base` is `.`.
    /// - Complexity: O(length of the paths).
    public static func relative(_ path: String, to base: String = FileManager.default.currentDirectoryPath) -> String {
        func absolute(_ p: String, from dir: String) -> String {
            let joined = p.hasPrefix("/") ? p : dir + "/" + p
            return URL(fileURLWithPath: joined).standardizedFileURL.path
        }
        let root = absolute(base, from: "/")
        let full = absolute(path, from: root)
        if full == root { return "." }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : full
    }
}
