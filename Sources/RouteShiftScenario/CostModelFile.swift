import Foundation
import RouteShiftCore
import RouteShiftNetwork
import RouteShiftSimulation
import Yams

/// A parameter file: a `cost_model:` mapping on its own (what `routeshift calibrate`
/// writes), and the bundled network's calibrated one, `Geodata/calibrated.yaml`.
///
/// Scenarios on the bundled network that give no `cost_model:` use the calibrated
/// file (found beside the bundled network, see `bundledPath`); scenarios that give
/// one, or run on another network, start from the built-in defaults of
/// `CostModel.Parameters`, which were set by hand before calibration.
public enum CostModelFile {
    public static let bundledName = "calibrated.yaml"

    /// `$ROUTESHIFT_GEODATA/calibrated.yaml`, else the one beside the default network, else
    /// the first in the Geodata directories (`NetworkSource.geodataDirectories`); `nil` when there is none.
    public static var bundledPath: String? {
        var candidates: [String] = []
        if let dir = ProcessInfo.processInfo.environment[NetworkSource.geodataVariable], !dir.isEmpty {
            candidates.append(dir + "/" + bundledName)
        }
        if let network = try? NetworkSource.locate(nil) {
            candidates.append(((network as NSString).deletingLastPathComponent as String) + "/" + bundledName)
        }
        candidates += NetworkSource.geodataDirectories().map { $0 + "/" + bundledName }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The parameters of `path`, or of the bundled file when `nil` (built-in defaults when there is none).
    /// - Throws: `InputError` with file, line and key; `MissingScenarioInput` for a named file that is missing.
    public static func load(_ path: String?) throws -> (parameters: CostModel.Parameters, path: String?) {
        guard let file = path ?? bundledPath else { return (CostModel.Parameters(), nil) }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw MissingScenarioInput(path: file, what: "cost model file")
        }
        let text = String(decoding: data, as: UTF8.self)
        try YAMLInputGuard.check(text, file: file)
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw InputError("not valid YAML: \(error)", at: InputLocation(file: file))
        }
        guard let node else { return (CostModel.Parameters(), file) }
        return (try NodeReader(file: file).costModel(node, "$"), file)
    }

    /// `scenario` with the bundled calibrated cost model when it runs on the bundled
    /// network (`network == nil`) and gives no `cost_model:` of its own.
    public static func withDefaults(_ scenario: Scenario) throws -> Scenario {
        guard scenario.network == nil, scenario.usesDefaultCostModel, let path = bundledPath else { return scenario }
        var s = scenario
        s.costModel = try load(path).parameters
        return s
    }
}
