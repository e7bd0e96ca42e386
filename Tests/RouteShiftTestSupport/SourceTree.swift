import Foundation

/// The checkout the tests were compiled from.
public enum SourceTree {
    /// The root of the checkout.
    public static var root: URL {
        // #filePath = <root>/Tests/RouteShiftTestSupport/SourceTree.swift
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `../shared/flee-testcity`: Flee's test scenario, kept beside the checkout (absent on most machines).
    public static var fleeTestCity: URL {
        root.deletingLastPathComponent().appendingPathComponent("shared/flee-testcity")
    }

    /// `Geodata/` of the source tree (the bundled network, calibration and observations).
    public static var geodata: String { root.appendingPathComponent("Geodata").path }

    /// `Examples/scenarios/`: the example scenarios with the Balkan network and demand they read.
    public static var exampleScenarios: URL { root.appendingPathComponent("Examples/scenarios") }

    /// Makes `folder` a folder of scenarios as a batch run reads one: copies of the example
    /// files `names` (`exampleScenarios`) and `broken.yaml`, which closes a section the network
    /// lacks, so that it fails when resolved.
    public static func makeBatchFolder(_ folder: URL, copying names: [String]) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in names {
            try FileManager.default.copyItem(at: exampleScenarios.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try "name: broken\nnetwork: balkans-network.geojson\ndemand: demand.csv\ninterventions:\n  - close: XX-YY\n"
            .write(to: folder.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
    }
}
