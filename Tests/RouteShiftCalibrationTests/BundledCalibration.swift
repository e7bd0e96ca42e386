import Foundation
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftScenario
import RouteShiftSimulation
import RouteShiftTestSupport
import XCTest
@testable import RouteShiftCalibration

/// The bundled calibration inputs of `Geodata/`: network, calibrated cost model, calibration
/// config and recorded observations, as the tests that check against the bundled data read them.
struct BundledCalibration {
    var network: RouteNetwork
    var parameters: CostModel.Parameters
    var config: CalibrationConfig
    var data: ObservationData

    /// Loads the bundled files; throws `XCTSkip` naming the first one that is absent.
    static func load() throws -> BundledCalibration {
        let geodata = SourceTree.geodata
        for file in ["network.geojson", "calibrated.yaml", "calibration.yaml", "observations/frontex_detections_monthly.csv"]
        where !FileManager.default.fileExists(atPath: geodata + "/" + file) {
            throw XCTSkip("no \(geodata)/\(file)")
        }
        return BundledCalibration(
            network: try NetworkSource.load(geodata + "/network.geojson"),
            parameters: try CostModelFile.load(geodata + "/calibrated.yaml").parameters,
            config: try CalibrationConfig.load(path: geodata + "/calibration.yaml"),
            data: try ObservationData.load(directory: geodata + "/observations"))
    }
}
