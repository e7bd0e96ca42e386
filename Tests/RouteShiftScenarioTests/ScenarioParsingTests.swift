import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftScenarioFixtures
@testable import RouteShiftScenario
@testable import RouteShiftSimulation
import XCTest
import RouteShiftTestSupport

final class ScenarioParsingTests: XCTestCase {
    func testEveryInterventionKindIsRead() throws {
        let s = try ScenarioParser.parse("""
        name: every kind
        network: nets/balkans.geojson
        demand: demand.csv
        seed: 42
        cost_model:
          w_risk: 2
          sea_speed_kmh: 12
          detection_probability: {high: 0.6}
        assignment:
          method: equilibrium
          max_iterations: 30
          gap: 0.001
          bpr: {alpha: 0.3, beta: 2}
        interventions:
          - close: HU-RS-001
          - close: [GR-MK-001, MK-RS-001]
          - close: HU-RS
            direction: forward
          - close: {hub: belgrade}
          - close: {country: HU}
            from: 2026-03-01
            to: 2026-04-30
          - surveillance: {border: HR-RS, cost_multiplier: 1.5, detection_probability: 0.4}
            from: 10
          - capacity: {segment: AT-SI-001, per_period: 250}
        report: {top: 5}
        """, file: "/data/scenarios/every.yaml")

        XCTAssertEqual(s.name, "every kind")
        XCTAssertEqual(s.network, "/data/scenarios/nets/balkans.geojson")
        XCTAssertEqual(s.demand, .csv(path: "/data/scenarios/demand.csv", line: 3))
        XCTAssertEqual(s.seed, 42)
        XCTAssertEqual(s.costModel.riskWeight, 2)
        XCTAssertEqual(s.costModel.seaSpeedKmh, 12)
        XCTAssertEqual(s.costModel.detectionProbability[.high], 0.6)
        XCTAssertEqual(s.costModel.detectionProbability[.low], 0.05)
        XCTAssertEqual(s.assignment.assignmentMethod, .equilibrium(maxIterations: 30, relativeGap: 0.001, alpha: 0.3, beta: 2))
        XCTAssertEqual(s.topSegments, 5)

        let i = s.interventions
        XCTAssertEqual(i.count, 7)
        XCTAssertEqual(i[0].action, .close)
        XCTAssertEqual(i[0].targets, [.reference("HU-RS-001")])
        XCTAssertEqual(i[0].location.line, 15)
        XCTAssertEqual(i[1].targets, [.reference("GR-MK-001"), .reference("MK-RS-001")])
        XCTAssertEqual(i[1].targetLocations.map(\.path), ["$.interventions[1].close[0]", "$.interventions[1].close[1]"])
        XCTAssertEqual(i[2].direction, .forward)
        XCTAssertEqual(i[3].targets, [.hub("belgrade")])
        XCTAssertEqual(i[4].targets, [.country("HU")])
        XCTAssertEqual(i[4].window, TimeWindow(from: .date(year: 2026, month: 3, day: 1), to: .date(year: 2026, month: 4, day: 30)))
        XCTAssertEqual(i[5].action, .surveillance(costMultiplier: 1.5, detectionProbability: 0.4))
        XCTAssertEqual(i[5].targets, [.border("HR-RS")])
        XCTAssertEqual(i[5].window, TimeWindow(from: .day(10)))
        XCTAssertEqual(i[6].action, .capacity(perPeriod: 250))
        XCTAssertEqual(i[6].targets, [.segment("AT-SI-001")])
        XCTAssertEqual(i[6].location.line, 25)
    }

    func testJSONReadsLikeYAML() throws {
        let json = try ScenarioParser.parse("""
        {
          "name": "json",
          "demand": [{"origin": "izmir", "destination": "vienna", "flow": 10}],
          "assignment": {"method": "logit", "k": 3, "theta": 0.01},
          "interventions": [
            {"close": "HU-RS", "direction": "backward"},
            {"close": {"country": "NO"}}
          ]
        }
        """, file: "s.json")
        XCTAssertEqual(json.assignment.assignmentMethod, .pathSizeLogit(k: 3, theta: 0.01))
        XCTAssertEqual(json.interventions[0].direction, .backward)
        XCTAssertEqual(json.interventions[0].location.line, 6)
        // "NO" stays a country code, not YAML 1.1's boolean false.
        XCTAssertEqual(json.interventions[1].targets, [.country("NO")])
        guard case .inline(let rows) = json.demand else { return XCTFail("inline demand expected") }
        XCTAssertEqual(rows, [DemandEntry(origin: "izmir", destination: "vienna", flow: 10,
                                          location: InputLocation(file: "s.json", line: 3, path: "$.demand[0]"))])
    }

    /// `demand: ../../../../etc/passwd` must not be read: relative paths stay in the
    /// scenario's directory unless allowed; the refusal quotes a short escaped excerpt.
    func testRelativePathsStayInsideTheScenarioDirectory() throws {
        let escape = assertInputError(try ScenarioParser.parse("name: x\ndemand: ../../../../etc/passwd\n",
                                                               file: "/data/run/s.yaml"),
                                      line: 2, path: "$.demand")
        XCTAssertTrue(escape?.message.contains("leaves the scenario's directory") ?? false)
        assertInputError(try ScenarioParser.parse("name: x\nnetwork: sub/../../net.geojson\ndemand: d.csv\n",
                                                  file: "/data/run/s.yaml"), line: 2, path: "$.network")
        let inside = try ScenarioParser.parse("name: x\nnetwork: sub/../net.geojson\ndemand: ./d/../d.csv\n",
                                              file: "/data/run/s.yaml")
        XCTAssertEqual(inside.network, "/data/run/sub/../net.geojson")
        let allowed = try ScenarioParser.parse("name: x\ndemand: ../d.csv\n", file: "/data/run/s.yaml",
                                               allowOutsidePaths: true)
        guard case .csv(let path, _) = allowed.demand else { return XCTFail("\(allowed.demand)") }
        XCTAssertEqual(path, "/data/run/../d.csv")
    }

    func testMisspelledKeyGivesLineAndSuggestion() {
        assertInputError(try ScenarioParser.parse("""
        name: typo
        demand: d.csv
        interventoins:
          - close: HU-RS
        """, file: "typo.yaml"), line: 3, path: "$.interventoins", suggestions: ["interventions"])
    }

    func testBadValuesGiveLines() throws {
        assertInputError(try ScenarioParser.parse("name: x\ndemand: d.csv\nassignment:\n  method: logitt\n"),
                         line: 4, path: "$.assignment.method", suggestions: ["logit"])
        assertInputError(try ScenarioParser.parse("name: x\ndemand: d.csv\ninterventions:\n  - close: A\n    direction: forwards\n"),
                         line: 5, path: "$.interventions[0].direction", suggestions: ["forward"])
        assertInputError(try ScenarioParser.parse("name: x\ndemand: d.csv\ninterventions:\n  - capacity: {segment: A, per_period: -3}\n"),
                         line: 4, path: "$.interventions[0].capacity.per_period")
        assertInputError(try ScenarioParser.parse("name: x\ndemand: d.csv\ninterventions:\n  - close: A\n    capacity: {segment: A, per_period: 3}\n"),
                         line: 4, path: "$.interventions[0]")
        assertInputError(try ScenarioParser.parse("name: x\ndemand: d.csv\ninterventions:\n  - close: A\n    from: 2026-05-01\n    to: 2026-04-01\n"),
                         line: 4, path: "$.interventions[0]")
        // A day the month lacks, quoted where it stands; one- and two-digit months and days are the same day.
        let lacking = assertInputError(try ScenarioParser.parse("name: x\ndemand: d.csv\ninterventions:\n  - close: A\n    from: 2026-02-29\n"),
                                       line: 5, path: "$.interventions[0].from")
        XCTAssertTrue(lacking?.message.contains("'2026-02-29'") ?? false, "\(String(describing: lacking))")
        let short = try ScenarioParser.parse("name: x\ndemand: d.csv\ninterventions:\n  - close: A\n    from: 2028-2-29\n")
        XCTAssertEqual(short.interventions[0].window, TimeWindow(from: .date(year: 2028, month: 2, day: 29)))
        // An unbounded search budget would run for minutes per OD pair: bounded where it is written.
        assertInputError(try ScenarioParser.parse("name: x\ndemand: d.csv\nchoice_set:\n  search_limit: 1000001\n"),
                         line: 4, path: "$.choice_set.search_limit")
        XCTAssertNoThrow(try ScenarioParser.parse("name: x\ndemand: d.csv\nchoice_set:\n  search_limit: 1000\n"))
        assertInputError(try ScenarioParser.parse("demand: d.csv\n"), line: 1, path: "$.name")
        assertInputError(try ScenarioParser.parse("name: [unclosed\n"), line: 2, path: nil)
    }

    /// Values that parse but break a later stage (the assignment's limits, the cost
    /// model on the network's edges, sums over the demand, congestion) are reported at
    /// the scenario line and key that set them, as invalid input.
    func testChecksAfterParsingReportTheScenarioKey() throws {
        let od = "demand: [{origin: izmir, destination: vienna, flow: 10}]\n"
        assertInputError(try ScenarioFixtures.resolve("name: x\n" + od + "assignment: {method: logit, k: 1000000}\n"),
                         line: 3, path: "$.assignment.k")
        assertInputError(try ScenarioFixtures.resolve("name: x\n" + od + "choice_set:\n  size: 1001\n"),
                         line: 4, path: "$.choice_set.size")
        assertInputError(try ScenarioFixtures.resolve("name: x\n" + od + "interventions:\n  - capacity: {segment: HU-RS-001, per_period: 0}\n"),
                         line: 4, path: "$.interventions[0].capacity.per_period")
        // w_dist · per_km · ~300 km overflows on every land edge; per_km is ordinary, so w_dist is named.
        let weight = assertInputError(try ScenarioFixtures.resolve("name: x\n" + od + "cost_model:\n  per_km: 0.1\n  w_dist: 1e308\n"),
                                      line: 5, path: "$.cost_model.w_dist")
        XCTAssertTrue(weight?.message.hasPrefix("w_dist makes the generalised cost of") ?? false, "\(String(describing: weight))")
        XCTAssertTrue(weight?.message.contains("w_dist = 1e+308") ?? false, "\(String(describing: weight))")
        // A speed of 0 makes hours infinite: the speed is blamed, not the weights around it.
        assertInputError(try ScenarioFixtures.resolve("name: x\n" + od + "cost_model:\n  w_time: 2\n  land_speed_kmh: 0\n"),
                         line: 5, path: "$.cost_model.land_speed_kmh")
        // Flows: each is finite, their sum is not.
        assertInputError(try ScenarioFixtures.resolve("""
        name: x
        demand:
          - {origin: izmir, destination: vienna, flow: 1e308}
          - {origin: izmir, destination: budapest, flow: 1e308}
        """), line: 3, path: "$.demand[0]")
        // Finite costs (10^300 per unit) and a finite demand whose product overflows: the row where it does.
        assertInputError(try ScenarioFixtures.resolve("""
        name: x
        cost_model: {w_dist: 1e300}
        demand:
          - {origin: izmir, destination: vienna, flow: 1}
          - {origin: izmir, destination: budapest, flow: 1e12}
        """), line: 5, path: "$.demand[1]")
        // Congestion: (v/c)^β with c = 10^-300 overflows, reported at the capacity.
        assertInputError(try ScenarioFixtures.resolve("name: x\n" + od + """
        assignment: {method: equilibrium}
        interventions:
          - capacity: {segment: HU-RS-001, per_period: 1e-300}
        """), line: 5, path: "$.interventions[0].capacity.per_period")
    }

    /// A scenario built in code skips the parser's checks; the assignment's own refusal
    /// is still reported as invalid input at the scenario key, not at a Swift argument.
    func testAssignmentRefusalIsMappedToTheScenarioKey() throws {
        var scenario = Scenario(name: "x", file: "built.yaml",
                                demand: .inline([DemandEntry(origin: "izmir", destination: "vienna", flow: 10)]))
        scenario.assignment.k = 5000
        let error = assertInputError(try Simulation.run(scenario: scenario, network: ScenarioFixtures.network),
                                     line: nil, path: "$.assignment.k")
        XCTAssertEqual(error?.location.file, "built.yaml")
        XCTAssertTrue(error?.underlying is ContractError)
    }

    func testDemandCSVTotalIsReportedAtItsLine() throws {
        let dir = try TemporaryDirectory("rs-scen")
        try "origin,destination,flow\nizmir,vienna,9e14\nizmir,budapest,2e14\n"
            .write(toFile: dir.path("demand.csv"), atomically: true, encoding: .utf8)
        let error = assertInputError(try ScenarioFixtures.resolve("name: x\ndemand: demand.csv\n", file: dir.path("s.yaml")),
                                     line: 3, path: nil)
        XCTAssertEqual(error?.location.file, dir.path("demand.csv"))
    }

    func testUnknownSegmentGivesLineAndNearestIds() {
        assertInputError(try ScenarioFixtures.resolve("""
        name: unknown segment
        demand:
          - {origin: izmir, destination: vienna, flow: 10}
        interventions:
          - close: HU-RS-001
          - close:
              - GR-MK-001
              - HU-RS-030
        """), line: 8, path: "$.interventions[1].close[1]", suggestions: ["HU-RS-001", "HU-RS-002", "HR-RS-001"])
        assertInputError(try ScenarioFixtures.resolve("""
        name: unknown hub
        demand: [{origin: izmir, destination: vienna, flow: 10}]
        interventions:
          - close: {hub: belgrad}
        """), line: 4, path: "$.interventions[0].close.hub", suggestions: ["belgrade"])
        assertInputError(try ScenarioFixtures.resolve("""
        name: unknown border
        demand: [{origin: izmir, destination: vienna, flow: 10}]
        interventions:
          - surveillance: {border: HU-SR, cost_multiplier: 2}
        """), line: 4, path: "$.interventions[0].surveillance.border", suggestions: ["HR-SI", "HU-RS"])
    }

    func testContradictoryInterventionsAreRejected() {
        let closedAndCapped = assertInputError(try ScenarioFixtures.resolve("""
        name: closed and capped
        demand: [{origin: izmir, destination: vienna, flow: 10}]
        interventions:
          - close: HU-RS
          - capacity: {segment: HU-RS-002, per_period: 100}
        """), line: 5, path: "$.interventions[1].capacity.segment")
        XCTAssertTrue(closedAndCapped?.message.contains("HU-RS-002 is both closed and capped") ?? false, "\(String(describing: closedAndCapped))")
        XCTAssertTrue(closedAndCapped?.message.contains("line 4") ?? false)

        let twice = assertInputError(try ScenarioFixtures.resolve("""
        name: closed twice
        demand: [{origin: izmir, destination: vienna, flow: 10}]
        interventions:
          - close: {country: HU}
          - close: HU-RS-001
        """), line: 5, path: "$.interventions[1].close")
        XCTAssertTrue(twice?.message.contains("closed twice") ?? false)

        assertInputError(try ScenarioFixtures.resolve("""
        name: surveilled closed border
        demand: [{origin: izmir, destination: vienna, flow: 10}]
        interventions:
          - close: AT-SI-001
            direction: forward
          - surveillance: {segment: AT-SI-001, cost_multiplier: 2}
        """), line: 6, path: "$.interventions[1].surveillance.segment")
    }

    func testCompatibleInterventionsAreAccepted() throws {
        let r = try ScenarioFixtures.resolve("""
        name: compatible
        demand: [{origin: izmir, destination: vienna, flow: 10}]
        interventions:
          - close: HU-RS-001
            direction: forward
          - close: HU-RS-001
            direction: backward
          - close: AT-HU-001
            to: 2026-01-31
          - close: AT-HU-001
            from: 2026-02-01
          - surveillance: {segment: HR-RS-001, cost_multiplier: 2}
          - capacity: {segment: HR-RS-001, per_period: 50}
        """)
        XCTAssertEqual(r.status[ScenarioFixtures.row(ofSegment: "HU-RS-001")], .closed)
        XCTAssertEqual(r.status[ScenarioFixtures.row(ofSegment: "HR-RS-001")], [.surveillance, .capacity])
        XCTAssertEqual(r.capacities, [ScenarioFixtures.row(ofSegment: "HR-RS-001"): 50])
        XCTAssertEqual(r.overlay.closedEdges, [6, 7])
    }

    func testCountryHubAndBorderTargets() throws {
        let country = try ScenarioFixtures.resolve("""
        name: country
        demand: [{origin: izmir, destination: vienna, flow: 10}]
        interventions:
          - close: {country: hu}
        """)
        // Every crossing of Hungary: HU-RS-001 (6), AT-HU-001 (7), HU-RS-002 (14); legs inside Hungary stay open.
        XCTAssertEqual(country.overlay.closedEdges, [6, 7, 14])

        let hub = try ScenarioFixtures.resolve("""
        name: hub
        demand: [{origin: izmir, destination: vienna, flow: 10}]
        interventions:
          - close: belgrade
        """)
        XCTAssertEqual(hub.overlay.closedEdges, [5, 6, 8, 13, 14])

        let border = try ScenarioFixtures.resolve("""
        name: border in either order
        demand: [{origin: izmir, destination: vienna, flow: 10}]
        interventions:
          - close: RS-HU
            direction: forward
        """)
        XCTAssertEqual(border.overlay.closedEdges, [6, 14])
        XCTAssertEqual(border.status[ScenarioFixtures.row(ofSegment: "HU-RS-002")], .closedForward)

        assertInputError(try ScenarioFixtures.resolve("""
        name: direction on a hub
        demand: [{origin: izmir, destination: vienna, flow: 10}]
        interventions:
          - close: {hub: belgrade}
            direction: forward
        """), line: 4, path: "$.interventions[0].close.hub")
    }

    func testUnknownDemandPlaceInlineAndCSV() throws {
        assertInputError(try ScenarioFixtures.resolve("""
        name: inline demand
        demand:
          - {origin: izmir, destination: vienna, flow: 10}
          - {origin: izmir, destination: viena, flow: 10}
        """, file: "inline.yaml"), line: 4, path: "$.demand[1].destination", suggestions: ["vienna"])

        let dir = try TemporaryDirectory("rs-scen")
        try "origin,destination,flow\nizmir,vienna,10\n\n# comment\nathenss,vienna,5\n"
            .write(toFile: dir.path("demand.csv"), atomically: true, encoding: .utf8)
        try "name: csv demand\ndemand: demand.csv\n".write(toFile: dir.path("s.yaml"), atomically: true, encoding: .utf8)
        let scenario = try ScenarioParser.load(path: dir.path("s.yaml"))
        XCTAssertEqual(scenario.demand, .csv(path: dir.path("demand.csv"), line: 2))
        let error = assertInputError(try ScenarioResolver(costed: ScenarioFixtures.costed()).resolve(scenario),
                                     line: 5, path: "origin", suggestions: ["athens"])
        XCTAssertEqual(error?.location.file, dir.path("demand.csv"))
        XCTAssertTrue(error?.message.contains("named by \(dir.path)/s.yaml:2") ?? false, "\(String(describing: error))")

        XCTAssertThrowsError(try ScenarioParser.load(path: dir.path("missing.yaml"))) { XCTAssertTrue($0 is MissingInput) }
    }

    func testDuplicateODRowsAreSummed() throws {
        let r = try ScenarioFixtures.resolve("""
        name: duplicates
        demand:
          - {origin: izmir, destination: vienna, flow: 10}
          - {origin: athens, destination: vienna, flow: 1}
          - {origin: IZMIR, destination: vienna, flow: 5}
        """)
        XCTAssertEqual(r.demand.map(\.flow), [15, 1])
    }

    func testExampleScenariosResolve() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: examples.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted()
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let scenario = try ScenarioParser.load(path: examples.appendingPathComponent(file).path)
            let network = try RouteShiftNetwork.GeoJSONNetwork.read(path: try XCTUnwrap(scenario.network))
            XCTAssertNoThrow(try ScenarioResolver(costed: CostModel.apply(scenario.costModel, to: network)).resolve(scenario), file)
        }
    }

    func testChoiceSetKeysAreRead() throws {
        let s = try ScenarioParser.parse("""
        name: keys
        demand: [{origin: izmir, destination: vienna, flow: 1}]
        choice_set: {method: k-shortest, size: 6, max_overlap: 0.5, max_detour: 0.25}
        """)
        XCTAssertEqual(s.assignment.k, 6)
        XCTAssertEqual(s.assignment.choiceSet.method, .kShortest)
        XCTAssertEqual(s.assignment.choiceSet.maxOverlap, 0.5)
        XCTAssertEqual(s.assignment.choiceSet.maxDetour, 0.25)
        XCTAssertThrowsError(try ScenarioParser.parse("""
        name: bad
        demand: [{origin: izmir, destination: vienna, flow: 1}]
        choice_set: {method: link-elimnation}
        """)) { error in
            XCTAssertTrue("\(error)".contains("link-elimination"), "\(error)")
        }
        XCTAssertThrowsError(try ScenarioParser.parse("""
        name: bad
        demand: [{origin: izmir, destination: vienna, flow: 1}]
        choice_set: {max_overlap: 1.5}
        """))
    }

    @discardableResult
    func assertInputError<T>(_ body: @autoclosure () throws -> T, line: Int?, path: String?, suggestions: [String]? = nil,
                             file: StaticString = #filePath, testLine: UInt = #line) -> InputError? {
        do {
            _ = try body()
            XCTFail("expected an InputError", file: file, line: testLine)
            return nil
        } catch let error as InputError {
            XCTAssertEqual(error.location.line, line, "\(error)", file: file, line: testLine)
            XCTAssertEqual(error.location.path, path, "\(error)", file: file, line: testLine)
            if let suggestions { XCTAssertEqual(error.suggestions, suggestions, "\(error)", file: file, line: testLine) }
            return error
        } catch {
            XCTFail("expected an InputError, got \(error)", file: file, line: testLine)
            return nil
        }
    }
}
