import ArgumentParser
import Foundation
import RouteShiftAgents
import RouteShiftCore
import RouteShiftNetwork
import RouteShiftReports
import RouteShiftScenario

struct AgentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents",
        abstract: "Simulate people moving day by day: Flee's rules on a location graph, or journeys on a RouteShift scenario.",
        discussion: """
        INPUT is a Flee scenario directory: locations.csv and routes.csv (the network),
        and, when present, closures.csv, conflicts.csv, sim_period.csv (start date and
        length) and registration_corrections.csv. --validation is Flee's validation
        folder (data_layout.csv naming one UNHCR series per camp and the total): under
        the Flee rules new people are spawned in conflict zones each day to follow its
        totals, as Flee's run.py does, and the camps are scored against it.

        Each day: conflicts start or end, people are spawned, closures start or are
        lifted, then everyone not travelling leaves with their location's move chance
        (conflict zone, town, camp, forwarding hub, marker), chooses a route among the
        paths up to the awareness level weighted by score and distance, and travels at
        the day's speed, several links a day when they are short. Camps are hard
        capacity limits. Every person has their own random stream keyed by (seed,
        person, day), so the output is the same whatever the number of threads.

        Files written to --out (all or nothing):
          out.csv              Flee's layout: Day,Date,<camp> sim,<camp> data,<camp> error,…,Total error,…
          locations_daily.csv  day,date,location,count
          segments_daily.csv   day,date,segment,crossings (segment = route's row in routes.csv, from 1)
          timeline.geojson     points per location and day, lines per route and day, with a `date`
                               property for QGIS's temporal controller
          summary.json         schema routeshift.agents/1 (Schemas/agents-summary.schema.json)

        With --validation the last line on stderr is `ard mean=<x> final=<y>`: Flee's
        averaged relative difference Σ|sim−obs| / Σobs over the camps with data
        (registration corrections applied), averaged over the days, and on the last day.

        INPUT may also be any RouteShift network (GeoJSON, pgRouting CSV, .rsnet): hubs
        whose roles include `origin` become conflict zones (with their population),
        `destination` hubs camps without a capacity limit, other nodes towns, edges
        two-way links of their length_km. There is no validation series to follow, so
        spawning comes from the settings (spawn_rules.conflict_driven_spawning), and
        --days and --start-date are needed.

        --rules routeshift: INPUT is a closure scenario (the YAML/JSON files `simulate` reads)
        on its network (the bundled one by default). Its demand (observed, a CSV, inline;
        per period with `periods:`, else over the simulated days) sets out day by day; each
        person picks one of the choice set's routes for their class of travellers (the edges
        the network's entry rules bar to it closed, as in `simulate`) with the generalised cost model's
        path-size logit shares (the calibrated default cost model on the bundled network,
        as `simulate`), planning on the network as it was --information-delay days ago: when
        news of a closure (or its lifting) arrives, everyone re-plans from where they stand,
        and waits there (stranded) when no open route is left. People travel --travel-hours a
        day at the cost model's speeds and border waits; at a closed crossing they have not
        heard of they wait; at a crossing with a detection probability p they are turned
        back with probability p each day and give up after --retry-limit failures; a
        `capacity` intervention (per_period = people per calendar month) is a daily queue.
        Days run from --start-date (default: the first day of the scenario's periods) for
        --days (default: to the end of the periods). Besides the files above (locations are
        the network's nodes, camps its destinations, segments its segment ids), it writes
          journeys_daily.csv   day,date,departed,travelling,waiting,queued,stranded,retries,
                               crossed,arrived,gave_up,replanned

        --settings reads Flee's simsetting.yml (a missing key keeps Flee's code
        default); without it the values of Flee's own flee/simsetting.yml are used.

        EXAMPLES:
          routeshift agents ../shared/flee-reference/conflict_input/burundi --out out/burundi \\
            --validation ../shared/flee-reference/conflict_validation/burundi2015
          routeshift agents scenario/ --days 100 --out out --seed 7 --settings simsetting.yml
          routeshift agents Geodata/network.geojson --days 365 --start-date 2015-01-01 --settings spawn.yml --out out
          routeshift agents Examples/scenarios/bundled/balkans-2015.yaml --rules routeshift \
            --start-date 2015-09-01 --days 45 --people-per-agent 10 --out out/fence-days

        \(ExitStatus.helpText)
        """
    )

    enum Rules: String, ExpressibleByArgument, CaseIterable { case flee, routeshift }

    @Argument(help: ArgumentHelp("Flee scenario directory (locations.csv, routes.csv, …) or a RouteShift network.",
                                 valueName: "input"))
    var input: String

    @Option(name: .long, help: ArgumentHelp("Days to simulate (default: Length in sim_period.csv).", valueName: "n"))
    var days: Int?

    @Option(name: .long, help: ArgumentHelp("Directory for the output files (created if missing).", valueName: "dir"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("Random seed (default: the scenario's 'seed:' with --rules routeshift, else 0).",
                                            valueName: "n"))
    var seed: UInt64?

    @Option(name: .long, help: ArgumentHelp("Date of day 0 (default: StartDate in sim_period.csv).", valueName: "YYYY-MM-DD"))
    var startDate: String?

    @Option(name: .long, help: "Rule set: flee (Flee's rules, for Flee scenario directories and networks), routeshift (journeys on a closure scenario).")
    var rules: Rules = .flee

    @Option(name: .long, help: ArgumentHelp("routeshift rules: days before people learn of a closure or its lifting.", valueName: "days"))
    var informationDelay: Int = JourneySettings().informationDelay

    @Option(name: .long, help: ArgumentHelp("routeshift rules: failed attempts at one crossing before giving up.", valueName: "n"))
    var retryLimit: Int = JourneySettings().retryLimit

    @Option(name: .long, help: ArgumentHelp("routeshift rules: hours of travel a day.", valueName: "h"))
    var travelHours: Double = JourneySettings().travelHoursPerDay

    @Option(name: .long, help: ArgumentHelp("routeshift rules: people one agent stands for (demand is divided by it).", valueName: "n"))
    var peoplePerAgent: Int = 1

    @Option(name: .long, help: ArgumentHelp("Flee simsetting.yml.", valueName: "file")) var settings: String?

    @Option(name: .long, help: ArgumentHelp("Flee validation directory (data_layout.csv + UNHCR series).", valueName: "dir"))
    var validation: String?

    @Option(name: .long, help: ArgumentHelp("Worker threads (default: one per core); results do not depend on it.",
                                            valueName: "n"))
    var threads: Int?

    @Flag(name: .shortAndLong, help: "No progress or report on stderr (the ard line is still printed).") var quiet = false

    func validate() throws {
        if let days, days < 1 { throw ValidationError("--days must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if informationDelay < 0 { throw ValidationError("--information-delay must not be negative") }
        if retryLimit < 0 || retryLimit > 254 { throw ValidationError("--retry-limit must be between 0 and 254") }
        if !(travelHours > 0 && travelHours <= 24) { throw ValidationError("--travel-hours must be above 0 and at most 24") }
        if peoplePerAgent < 1 { throw ValidationError("--people-per-agent must be at least 1") }
        if rules == .routeshift, validation != nil {
            throw ValidationError("--validation is Flee's validation folder, for --rules flee")
        }
        if rules == .routeshift, settings != nil { throw ValidationError("--settings is Flee's simsetting.yml, for --rules flee") }
    }

    func run() throws {
        Diagnostics.quiet = quiet
        try reportingErrors {
            if rules == .routeshift { return try runJourneys() }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDir) else {
                throw MissingInputError(message: "\(input): no such scenario directory or network")
            }
            if let validation, !FileManager.default.fileExists(atPath: validation) {
                throw MissingInputError(message: "\(validation): validation directory not found")
            }
            let settingsValue = try settings.map(FleeSettingsFile.read) ?? .reference
            let scenario: FleeScenarioInput
            if isDir.boolValue, FleeScenario.isScenario(input) {
                scenario = try FleeScenarioInput.read(directory: input)
            } else {
                // Any RouteShift network: origin hubs are conflict zones, destination hubs camps.
                do {
                    scenario = FleeScenarioInput(network: try NetworkSource.load(input))
                } catch let error as NetworkNotFound {
                    throw MissingInputError(message: error.description)
                }
            }
            for warning in scenario.warnings { Diagnostics.warning(warning) }
            var startDay = scenario.startDay
            var series: ValidationData? = nil
            if let validation {
                if startDay == nil { startDay = try Self.earliestDate(validation) }
                guard let startDay else { throw InputError("no start date", at: InputLocation(file: input + "/sim_period.csv")) }
                var data = try ValidationData.read(directory: validation, startDay: startDay,
                                                   scaleDown: settingsValue.populationScaleDownFactor)
                for correction in scenario.corrections {
                    try data.apply(correction, startDay: startDay, file: input + "/registration_corrections.csv")
                }
                series = data
            }
            if let startDate {
                guard let day = CalendarDay(parsing: startDate)?.ordinal else { throw ValidationError("--start-date '\(startDate)' is not YYYY-MM-DD") }
                startDay = day
            }
            guard let startDay else {
                throw ValidationError("no start date: give --start-date (or sim_period.csv in a Flee scenario, or --validation)")
            }
            guard let dayCount = days ?? scenario.length else {
                throw ValidationError("give --days (the scenario has no sim_period.csv Length)")
            }
            let simulation = try FleeSimulation(input: scenario, settings: settingsValue, validation: series, seed: seed ?? 0,
                                                days: dayCount, startDay: startDay,
                                                threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
            let bar = DayProgress(enabled: Diagnostics.stderrIsTerminal && !quiet)
            let result = try simulation.run(progress: bar.update)
            bar.finish()
            let files = try AgentReport.render(result, context: .init(input: scenario, validationDirectory: validation, seed: seed ?? 0))
            do {
                try ReportFiles.writeRunDirectory(files, to: out)
            } catch {
                throw OutputError("\(error)")
            }
            let last = result.counts.count - 1
            let inCamps = result.campIndices.reduce(0) { $0 + Int(result.counts[last][$1]) }
            Diagnostics.info("agents: \(result.agentCount) people, \(result.counts.count) days, \(inCamps) in camps on the last day; wrote \(files.count) files to \(out)")
            if let score = ValidationScore(result) {
                Diagnostics.write("ard mean=\(Self.figure(score.mean)) final=\(Self.figure(score.final))\n")
            }
        }
    }

    /// `--rules routeshift`: journeys of a closure scenario.
    func runJourneys() throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDir) else {
            throw MissingInputError(message: "\(input): no such scenario file")
        }
        if isDir.boolValue || !["yaml", "yml", "json"].contains((input as NSString).pathExtension.lowercased()) {
            throw ValidationError("--rules routeshift reads a closure scenario file (.yaml, .yml or .json), such as Examples/scenarios/bundled/balkans-2015.yaml; '\(input)' is not one")
        }
        var start: CalendarDay?
        if let startDate {
            guard let day = CalendarDay(parsing: startDate) else { throw ValidationError("--start-date '\(startDate)' is not YYYY-MM-DD") }
            start = day
        }
        let scenario = try ScenarioParser.load(path: input)
        if scenario.periods == nil {
            if start == nil { throw ValidationError("give --start-date (the scenario has no 'periods:' to start from)") }
            if days == nil { throw ValidationError("give --days (the scenario has no 'periods:' to run through)") }
        }
        // The scenario's `seed:` is the journeys' seed unless --seed overrides it.
        let seed = self.seed ?? scenario.seed
        let journeys = try observationErrors {
            try JourneyInput.scenario(scenario, startDay: start, days: days, peoplePerAgent: peoplePerAgent,
                                      informationDelay: informationDelay)
        }
        var settings = JourneySettings()
        settings.informationDelay = informationDelay
        settings.retryLimit = retryLimit
        settings.travelHoursPerDay = travelHours
        settings.seed = seed
        settings.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let simulation = try JourneySimulation(input: journeys, settings: settings)
        let bar = DayProgress(enabled: Diagnostics.stderrIsTerminal && !quiet)
        let result = try simulation.run(progress: bar.update)
        bar.finish()
        let files = try AgentReport.render(result, context: .init(input: simulation.locations, validationDirectory: nil, seed: seed,
                                                                  rules: "routeshift"))
        do {
            try ReportFiles.writeRunDirectory(files, to: out)
        } catch {
            throw OutputError("\(error)")
        }
        let last = simulation.status.last ?? JourneySimulation.DailyStatus()
        Diagnostics.info("agents: \(result.agentCount) people set out over \(result.counts.count) days; on the last day "
                         + "\(last.arrived) arrived, \(last.travelling) travelling, \(last.waiting) waiting, \(last.stranded) stranded, "
                         + "\(last.gaveUp) gave up; wrote \(files.count) files to \(out)")
    }

    static func figure(_ x: Double) -> String { String(format: "%.4f", x) }

    /// Earliest date in the validation series (the start date when the scenario has no sim_period.csv).
    static func earliestDate(_ directory: String) throws -> Int? {
        let probe = try ValidationData.read(directory: directory, startDay: 0)
        return probe.names.indices.compactMap { probe.firstDay($0) }.min()
    }
}

/// `[#####-----] day 120/396` redrawn in place on a terminal; nothing otherwise.
final class DayProgress: @unchecked Sendable {
    let enabled: Bool
    private var shown = false
    init(enabled: Bool) { self.enabled = enabled }

    func update(_ day: Int, _ days: Int) {
        guard enabled else { return }
        let width = 30, filled = days == 0 ? width : width * day / days
        Diagnostics.write("\r\u{1B}[K[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                          + "] day \(day)/\(days)")
        shown = true
    }

    func finish() {
        if shown { Diagnostics.write("\r\u{1B}[K") }
    }
}
