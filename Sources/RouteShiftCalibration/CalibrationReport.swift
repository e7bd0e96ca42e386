import Foundation
import RouteShiftGeoJSON
import RouteShiftSimulation

/// The fit report (`routeshift.calibration/1`, `Schemas/calibration.schema.json`)
/// and the parameter file (a `cost_model:` mapping).
public enum CalibrationReport {
    static func number(_ x: Double, _ places: Int) -> JSONValue {
        let scale = pow(10, Double(places))
        let r = (x * scale).rounded() / scale
        return .number(r == 0 ? 0 : r)
    }

    /// - Parameter context: what made the report (config file, command, network, observations).
    public static func json(_ result: CalibrationResult, context: [String: String]) -> JSONValue {
        func mean(_ set: CalibrationSet) -> JSONValue { result.meanARD(set).map { number($0, 6) } ?? .null }
        func maxByYear(_ set: CalibrationSet) -> JSONValue {
            var byYear: [String: [Double]] = [:]
            for p in result.periods where p.set == set { byYear[String(p.period.prefix(4)), default: []].append(p.ard) }
            return .object(byYear.mapValues { number($0.reduce(0, +) / Double($0.count), 6) })
        }
        return .object([
            "schema": .string("routeshift.calibration/1"),
            "context": .object(context.mapValues(JSONValue.string)),
            "objective": .object([
                "name": .string("route-ard"),
                "definition": .string("mean over training periods of sum_routes |modelled - observed| / sum_routes observed "
                                      + "(minimised as its pseudo-Huber smoothing, within 0.1% of it)"),
                "start": number(result.startObjective, 6), "end": number(result.objective, 6),
            ]),
            "summary": .object([
                "ard_train": mean(.train), "ard_validate": mean(.validate),
                "ard_train_by_year": maxByYear(.train), "ard_validate_by_year": maxByYear(.validate),
                "od_pairs": .number(Double(result.pairs)),
                "mean_choice_set_size": number(result.meanChoiceSetSize, 3),
                "seconds_per_evaluation": number(result.secondsPerEvaluation, 6),
                "choice_sets_searched": .number(Double(result.searchedSets)),
                "choice_sets_reused": .number(Double(result.reusedSets)),
            ]),
            "parameters": .array(result.parameters.map { f in
                .object(["name": .string(f.parameter.name), "value": number(f.value, 9), "start": number(f.parameter.start, 9),
                         "min": number(f.parameter.lower, 9), "max": number(f.parameter.upper, 9),
                         "at_bound": .bool(f.atBound)])
            }),
            "optimizer": .object([
                "algorithm": .string(result.algorithm.rawValue), "status": .string(result.status.rawValue),
                "evaluations": .number(Double(result.evaluations)), "seconds": number(result.optimizerSeconds, 3),
                "total_seconds": number(result.seconds, 3),
                "rounds": .number(Double(result.rounds)), "choice_sets_stable": .bool(result.choiceSetsStable),
            ]),
            "periods": .array(result.periods.map { p in
                .object(["period": .string(p.period), "set": .string(p.set.rawValue), "ard": number(p.ard, 6),
                         "demand": number(p.demand, 3), "assigned": number(p.assigned, 3),
                         "stranded": number(p.stranded, 3), "suppressed": number(p.suppressed, 3),
                         "routes": .array(p.routes.map { r in
                             .object(["route": .string(r.route), "modelled": number(r.modelled, 3),
                                      "observed": number(r.observed, 3)])
                         })])
            }),
        ])
    }

    /// The parameter file: the fitted values as a `cost_model:` mapping, each
    /// with its bounds in a comment, under a header saying how it was made.
    public static func parameters(_ result: CalibrationResult, header: [String]) -> String {
        var lines = header.map { "# " + $0 }
        var detection: [(String, Double)] = []
        for f in result.parameters {
            let bound = f.atBound ? "  (at a bound)" : ""
            let value = String(format: "%.9g", f.value)
            if f.parameter.name == CalibrationParameters.redetectionShare {
                // How the record counts detections, not a cost: kept out of the cost_model mapping.
                lines.append("# \(f.parameter.name): \(value)   [\(String(format: "%g", f.parameter.lower)), "
                             + "\(String(format: "%g", f.parameter.upper))]\(bound): failed attempts at checked land borders "
                             + "counted as detections (calibration only)")
                continue
            }
            if f.parameter.name.hasPrefix("detection_probability.") {
                detection.append((String(f.parameter.name.dropFirst("detection_probability.".count)), f.value))
                continue
            }
            lines.append("\(f.parameter.name): \(value)   # [\(String(format: "%g", f.parameter.lower)), "
                         + "\(String(format: "%g", f.parameter.upper))]\(bound)")
        }
        if !detection.isEmpty {
            lines.append("detection_probability:")
            for (level, v) in detection { lines.append("  \(level): \(String(format: "%.9g", v))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
