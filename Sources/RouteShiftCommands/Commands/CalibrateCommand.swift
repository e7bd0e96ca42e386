import ArgumentParser
import Foundation
import RouteShiftCalibration
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftScenario
import RouteShiftSimulation

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit the cost model and the logit to the recorded crossings of each Frontex route.",
        discussion: """
        CONFIG names the training and validation windows (train: 2014-01:2019-12,
        validate: 2020-01:2024-12), the observations (default: the bundled
        Geodata/observations), and the free parameters with start, min and max:
        any cost_model key (theta, outside_option, border_crossing_price,
        detection_probability.high, ...). Each month gets observed demand (as
        'routeshift demand' builds it); the objective is the mean over training
        months of the route ARD, Σ_routes |modelled − observed| / Σ observed, with
        modelled crossings counted at the external border in the entering direction
        as Frontex counts detections. NLopt's BOBYQA (or COBYLA) minimises it; each
        round finds every OD pair's choice set at the current parameters, then
        optimises on those sets, for at most optimizer.rounds rounds: a round whose
        optimiser converges within its tolerance on the sets that the search at its
        optimum finds again is the last (a fixed point). Same inputs give the same
        parameters to the last digit.

        Writes PARAMS.yaml (usable as a scenario's cost_model:) and, with --report,
        FIT.json (schema routeshift.calibration/1): per month the ARD and the
        modelled and observed crossings per route, the parameters with their bounds
        and whether one is hit, and the optimiser's status, evaluations and time.
        Progress goes to stderr (a bar on a terminal).

        EXAMPLES:
          routeshift calibrate Geodata/calibration.yaml --out Geodata/calibrated.yaml --report Geodata/calibration-report.json

        \(ExitStatus.helpText)
        """
    )

    @Argument(help: ArgumentHelp("Calibration file (YAML).", valueName: "config")) var config: String
    @Option(name: .long, help: ArgumentHelp("Parameter file to write (a cost_model: mapping).", valueName: "params.yaml"))
    var out: String
    @Option(name: .long, help: ArgumentHelp("Fit report to write (JSON, routeshift.calibration/1).", valueName: "fit.json"))
    var report: String?
    @OptionGroup var record: RecordOptions

    func run() throws {
        let quiet = record.quiet
        Diagnostics.quiet = quiet
        try reportingErrors {
            let config = try CalibrationConfig.load(path: self.config)
            let network = try record.loadNetwork(fallback: config.network)
            let data = try record.loadObservations(fallback: config.observations)
            let problem = try RecordedData.problem(config, network: network, data: data)
            let terminal = Diagnostics.stderrIsTerminal && !quiet
            var lastLine = 0
            let result = try Calibration.run(problem) { round, evaluations, best in
                guard !quiet else { return }
                let total = problem.maxEvaluations * problem.rounds
                if terminal {
                    let width = 30, done = min(width, width * evaluations / max(1, total))
                    Diagnostics.write("\r[\(String(repeating: "#", count: done))\(String(repeating: ".", count: width - done))] "
                                      + "round \(round), \(evaluations) evaluations, objective \(String(format: "%.4f", best))")
                } else if evaluations - lastLine >= 100 {
                    lastLine = evaluations
                    Diagnostics.info("calibrate: round \(round), \(evaluations) evaluations, objective \(String(format: "%.4f", best))")
                }
            }
            if terminal { Diagnostics.write("\n") }
            let context = ["config": self.config, "network": RecordedPath.relative(network.origin),
                           "observations": RecordedPath.relative(data.directory),
                           "command": "routeshift calibrate \(self.config) --out \(out)" + (report.map { " --report \($0)" } ?? "")
                               + record.commandLine]
            let header = ["RouteShift cost model calibrated against Frontex detections per route and month.",
                          "Made by: \(context["command"]!)",
                          "Train \(config.train), validate \(config.validate?.description ?? "none"); "
                              + "mean route ARD train \(fmt(result.meanARD(.train))), validate \(fmt(result.meanARD(.validate))).",
                          "Optimiser \(result.algorithm.rawValue): \(result.status.rawValue) after \(result.evaluations) evaluations."]
            try writingOutputs(to: out) {
                var writers: [(String, String)] = [(out, CalibrationReport.parameters(result, header: header))]
                if let report {
                    let json = String(decoding: try GeoJSON.encode(CalibrationReport.json(result, context: context)), as: UTF8.self)
                    writers.append((report, json + "\n"))
                }
                try writeAllOrNothing(writers)
            }
            Diagnostics.info("""
            calibrated \(result.parameters.count) parameters on \(problem.periods.filter { $0.set == .train }.count) training months \
            (\(result.pairs) OD pairs, \(fmt(result.meanChoiceSetSize, 2)) alternatives each): \
            \(result.algorithm.rawValue) \(result.status.rawValue), \(result.evaluations) evaluations in \(result.rounds) \
            round\(result.rounds == 1 ? "" : "s") (choice sets \(result.choiceSetsStable ? "stable" : "still changing") at the end), \
            \(fmt(result.optimizerSeconds, 1)) s optimising, \(fmt(result.seconds, 1)) s in all \
            (\(fmt(result.secondsPerEvaluation * 1000, 2)) ms per evaluation; \(result.searchedSets) choice sets searched, \
            \(result.reusedSets) taken over from the network state before)
              route ARD train \(fmt(result.meanARD(.train))) (start \(fmt(result.startObjective))), validate \(fmt(result.meanARD(.validate)))
            """ + result.parameters.map { "\n  \($0.parameter.name) = \(String(format: "%.6g", $0.value))\($0.atBound ? " (at a bound)" : "")" }
                .joined())
        }
    }

    private func fmt(_ x: Double?, _ places: Int = 3) -> String { x.map { String(format: "%.\(places)f", $0) } ?? "–" }
}

/// Writes every (path, text) pair or none: all are staged first, then renamed.
func writeAllOrNothing(_ files: [(path: String, text: String)]) throws {
    var writers: [AtomicFileWriter] = []
    do {
        for f in files {
            let w = try AtomicFileWriter(path: f.path)
            writers.append(w)
            try w.write(f.text)
        }
        for w in writers { try w.commit() }
    } catch {
        for w in writers { w.abort() }
        throw error
    }
}
