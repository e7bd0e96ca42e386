import Foundation

/// The checkout the tests were compiled from.
public enum SourceTree {
    /// `Geodata/` of the source tree (the bundled network, calibration and observations).
    public static var geodata: String {
        // #filePath = <root>/Tests/RouteShiftTestSupport/SourceTree.swift
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Geodata").path
    }
}
