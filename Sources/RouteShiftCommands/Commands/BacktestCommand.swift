import ArgumentParser
import Foundation
import RouteShiftCalibration
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftScenario
import RouteShiftSimulation

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Replay documented redirections and compare the model's change with the record's.",
        discussion: """
        Each episode of the catalogue (default Geodata/validation/episodes.yaml) has
        its interventions with dates, a before and an after window of months, and
        the recorded figures of the borders or Frontex routes the record names, each
        with its source. Every month of both windows is run with observed demand
        and the default (calibrated) cost model; a month is split by the days an
        intervention is in force. For each element the recorded and modelled change
        are reported; an episode's direction is right when the element that gains
        most in the record gains most in the model and every element that falls in
        the record falls in the model; its magnitude ratio is modelled ÷ recorded
        change of the record's largest gain.

        Routes are Frontex's names as in the observations ('Eastern Mediterranean
        Route'), optionally with the crossing type ('Eastern Mediterranean Route/Sea').

        EXAMPLES:
          routeshift backtest
          routeshift backtest Geodata/validation/episodes.yaml --format json > backtest.json

        \(ExitStatus.helpText)
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: ArgumentHelp("Episode catalogue (YAML).", valueName: "catalogue")) var catalogue: String?
    @Option(name: .long, help: "Output on stdout: a table (text) or JSON (routeshift.backtest/1).") var format: Format = .text
    @Option(name: .long, help: ArgumentHelp("Cost model (a cost_model: mapping), default Geodata/calibrated.yaml.",
                                            valueName: "params.yaml"))
    var parameters: String?
    @OptionGroup var record: RecordOptions

    func run() throws {
        Diagnostics.quiet = record.quiet
        try reportingErrors {
            let path = catalogue ?? CommandSearchPath.sourceTreeGeodata + "/validation/episodes.yaml"
            let episodes = try EpisodeCatalogue.load(path: path)
            let network = try record.loadNetwork()
            let data = try record.loadObservations()
            let model = try CostModelFile.load(parameters)
            let months = Set(episodes.episodes.flatMap { $0.before.months + $0.after.months }).sorted()
            let demand = try RecordedData.monthlyDemand(months, data: data, network: network)
            let map = FrontexRouteMap.build(network: network)
            let inputs = Backtest.Inputs(
                network: network, parameters: model.parameters, theta: model.parameters.theta ?? AssignmentSettings().theta,
                choiceSet: ChoiceSetSettings().rule(size: AssignmentSettings().k),
                demand: { m in demand[m] ?? [] }, routeCounter: RecordedData.routeCounter(map, edgeCount: network.edgeCount))
            let results = try Backtest.run(episodes, inputs) { Diagnostics.info("backtest: \($0)") }
            switch format {
            case .text:
                print(BacktestReport.text(results), terminator: "")
            case .json:
                let context = ["catalogue": RecordedPath.relative(path),
                               "parameters": model.path.map { RecordedPath.relative($0) } ?? "defaults",
                               "network": RecordedPath.relative(network.origin),
                               "observations": RecordedPath.relative(data.directory)]
                print(String(decoding: try GeoJSON.encode(BacktestReport.json(results, context: context)), as: UTF8.self))
            }
        }
    }
}
