// Closes the Hungarian–Serbian border on a three-city network and measures
// where the 100 people travelling from Belgrade to Budapest go.
//
//   belgrade ---- HU-RS-001 (380 km) ---- budapest
//        \                                 /
//      HR-RS-001 (390 km)       HR-HU-001 (350 km)
//          \                             /
//           ------------ zagreb ---------
//
// The direct crossing is the cheaper route; with HU-RS closed the only other
// route is through Croatia, so all 100 are displaced there and nobody is stranded.
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftScenario
import RouteShiftSimulation

func crossing(_ segment: String, _ border: String, km: Double) -> [String: JSONValue] {
    [NetworkSchema.kind: .string("border"), NetworkSchema.mode: .string("land"), NetworkSchema.segment: .string(segment),
     NetworkSchema.border: .string(border), NetworkSchema.lengthKm: .number(km)]
}

do {
    var edges = EdgeTable()
    edges.append(id: 1, source: 1, target: 2, cost: 380, reverseCost: 380)
    edges.append(id: 2, source: 1, target: 3, cost: 390, reverseCost: 390)
    edges.append(id: 3, source: 3, target: 2, cost: 350, reverseCost: 350)
    let hub: [String: JSONValue] = ["kind": .string("hub")]
    let network = try RouteNetwork(
        graph: RoutingGraph(edges: edges), edges: edges,
        nodeNames: [1: "belgrade", 2: "budapest", 3: "zagreb"], nodeProperties: [1: hub, 2: hub, 3: hub],
        edgeProperties: [crossing("HU-RS-001", "HU-RS", km: 380), crossing("HR-RS-001", "HR-RS", km: 390),
                         crossing("HR-HU-001", "HR-HU", km: 350)],
        origin: "three cities")

    var assignment = AssignmentSettings()
    assignment.method = .allOrNothing
    let scenario = Scenario(
        name: "close HU-RS",
        demand: .inline([DemandEntry(origin: "belgrade", destination: "budapest", flow: 100)]),
        assignment: assignment,
        interventions: [Intervention(action: .close, targets: [.border("HU-RS")])])
    let report = try Simulation.run(scenario: scenario, network: network)

    let totals = report.totals
    print("demand \(totals.demand), displaced \(totals.displaced), stranded \(totals.scenarioStranded)")
    for segment in report.segments.sorted(by: { $0.segment < $1.segment }) {
        print("\(segment.segment): \(segment.baselineFlow) -> \(segment.scenarioFlow)")
    }
} catch let error as InputError {
    print("input error: \(error)")
}
