import RouteShiftGeoJSON
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftScenarioFixtures
@testable import RouteShiftSimulation
import XCTest

final class CostModelTests: XCTestCase {
    func twoEdgeNetwork() throws -> RouteNetwork { try ScenarioFixtures.twoEdgeNetwork() }

    func testDefaultCostsByHand() throws {
        let costed = try CostModel.apply(.init(), to: twoEdgeNetwork())
        // Leg: 0.05·100 + 3·(100/25) + 0.05·100 (the fare) = 5 + 12 + 5.
        XCTAssertEqual(costed.unitCosts[0], 22, accuracy: 1e-9)
        // Sea: 0.05·50 + 3·(50/10 + 72) + (2·50 + 1500) + 100000·10/1000 + 800·0.5/0.5
        //    = 2.5 + 231 + 1600 + 1000 + 800.
        XCTAssertEqual(costed.unitCosts[1], 3633.5, accuracy: 1e-9)
        XCTAssertEqual(costed.edges.costs.array, costed.unitCosts)
        XCTAssertEqual(costed.edges.reverseCosts[0], -1, "a missing direction stays missing")
        XCTAssertEqual(costed.edges.reverseCosts[1], 3633.5, accuracy: 1e-9)
        XCTAssertEqual(costed.edges.ids, [1, 2])
        XCTAssertEqual(costed.risk, [0, 10])
        XCTAssertEqual(try ShortestPathQuery(graph: costed.graph).cost(from: 1, to: 3)!, 3655.5, accuracy: 1e-9)
    }

    /// A checked border, an unchecked one (surveillance `none`) and a border and a sea
    /// crossing with a recorded price, 2 km / 10 km each.
    func testUncheckedBordersAndRecordedPricesByHand() throws {
        var table = EdgeTable()
        for id in Int64(1)...4 { table.append(id: id, source: id, target: id + 1, cost: 1, reverseCost: 1) }
        let network = try RouteNetwork(
            graph: RoutingGraph(edges: table), edges: table, nodeNames: [1: "a", 2: "b", 3: "c", 4: "d", 5: "e"],
            edgeProperties: [
                ["kind": "border", "mode": "land", "length_km": 2, "surveillance": "medium"],
                ["kind": "border", "mode": "land", "length_km": 2, "surveillance": "none"],
                ["kind": "border", "mode": "land", "length_km": 2, "surveillance": "medium", "price_eur": 1350],
                ["kind": "sea", "mode": "sea", "length_km": 10, "price_eur": 1100],
            ], origin: "four-edge")
        let costed = try CostModel.apply(.init(), to: network)
        // Land km: 0.05 + 3/25 + 0.05 = 0.22 per km; medium: 800·0.2/0.8 = 200 per attempt.
        // Checked: 2·0.22 + 3·24 + 500 + 200.
        XCTAssertEqual(costed.unitCosts[0], 772.44, accuracy: 1e-9)
        // Unchecked: the kilometres alone, no wait, price or detection.
        XCTAssertEqual(costed.unitCosts[1], 0.44, accuracy: 1e-9)
        // Recorded price instead of the €500 border price: 2·0.22 + 72 + 1350 + 200.
        XCTAssertEqual(costed.unitCosts[2], 1622.44, accuracy: 1e-9)
        // Sea km 0.05 + 3/10 + 2 = 2.35; 72 h wait; €1,100 instead of €1,500.
        XCTAssertEqual(costed.unitCosts[3], 23.5 + 216 + 1100, accuracy: 1e-9)
        // Path features price the same (the calibration's fixed choice sets).
        let c = CostModel.coefficients(.init())
        for row in 0..<4 {
            let f = CostFeatures(costed.attributes[row], surveillance: costed.attributes[row].surveillance)
            XCTAssertEqual(CostModel.cost(of: f.vector, coefficients: c), costed.unitCosts[row], accuracy: 1e-9)
        }
    }

    /// A sea crossing without systematic checks (the Øresund bridge before November 2015) costs a
    /// ticket, as a domestic ferry: no 72-hour wait, no smuggling price, no detection.
    func testUncheckedSeaCrossingIsATicketByHand() throws {
        let network = try twoEdgeNetwork([
            ["kind": "sea", "mode": "sea", "length_km": 10, "surveillance": "none"],
            ["kind": "sea", "mode": "sea", "length_km": 10, "surveillance": "none", "price_eur": 15],
        ], origin: "unchecked-sea")
        let costed = try CostModel.apply(.init(), to: network)
        // A scheduled boat: 0.05 + 3/30 = 0.15 per km (no smuggling price per km); the €50
        // ferry ticket, else the recorded €15 fare.
        XCTAssertEqual(costed.unitCosts[0], 1.5 + 50, accuracy: 1e-9)
        XCTAssertEqual(costed.unitCosts[1], 1.5 + 15, accuracy: 1e-9)
        let c = CostModel.coefficients(.init())
        for row in 0..<2 {
            let f = CostFeatures(costed.attributes[row], surveillance: costed.attributes[row].surveillance)
            XCTAssertEqual(f.seas + f.pricedSeas, 0)
            XCTAssertEqual(f.attemptsByLevel, [0, 0, 0])
            XCTAssertEqual(CostModel.cost(of: f.vector, coefficients: c), costed.unitCosts[row], accuracy: 1e-9)
        }
    }

    /// A domestic ferry (the islands to the mainland) is a ticket on a scheduled boat: its
    /// kilometres at the ferry speed, no smuggling price per kilometre, no wait, no detection;
    /// a smuggler's sea crossing of the same length at the boat speed costs far more.
    func testDomesticFerryTravelsAtFerrySpeedByHand() throws {
        let network = try twoEdgeNetwork([
            ["kind": "ferry", "mode": "sea", "length_km": 300],
            ["kind": "sea", "mode": "sea", "length_km": 300, "surveillance": "low"],
        ], origin: "ferry")
        var p = CostModel.Parameters()
        p.ferrySpeedKmh = 20
        let costed = try CostModel.apply(p, to: network)
        // 300 km · (0.05 + 3/20) = 60, plus the €50 ticket.
        XCTAssertEqual(costed.unitCosts[0], 60 + 50, accuracy: 1e-9)
        // 300 km · (0.05 + 3/10 + 2) = 705; 72 h · 3 = 216; €1,500; low: 800 · 0.05/0.95.
        XCTAssertEqual(costed.unitCosts[1], 705 + 216 + 1500 + 800 * 0.05 / 0.95, accuracy: 1e-9)
        let f = CostFeatures(costed.attributes[0], surveillance: costed.attributes[0].surveillance)
        XCTAssertEqual(f.ferryKm, 300)
        XCTAssertEqual(f.seaKm, 0)
        XCTAssertEqual(CostModel.cost(of: f.vector, coefficients: CostModel.coefficients(p)), costed.unitCosts[0], accuracy: 1e-9)
    }

    /// The chain a —1→ b —2→ c with the given properties on edges 1 and 2.
    private func twoEdgeNetwork(_ properties: [[String: JSONValue]], origin: String) throws -> RouteNetwork {
        var table = EdgeTable()
        table.append(id: 1, source: 1, target: 2, cost: 1, reverseCost: 1)
        table.append(id: 2, source: 2, target: 3, cost: 1, reverseCost: 1)
        return try RouteNetwork(
            graph: RoutingGraph(edges: table), edges: table, nodeNames: [1: "a", 2: "b", 3: "c"],
            edgeProperties: properties, origin: origin)
    }

    /// A border fenced and closed from 15 September 2015 (`since`): before that day it has
    /// the defaults (medium surveillance, open), from it the written attributes.
    func testDatedAttributesApplyFromTheirDay() throws {
        let network = try twoEdgeNetwork(
            [
                ["kind": "border", "mode": "land", "length_km": 2, "surveillance": "high", "status": "closed",
                 "since": "2015-09-15"],
                ["kind": "border", "mode": "land", "length_km": 2, "surveillance": "high", "price_eur": 900,
                 "since": "2015-10-17"],
            ], origin: "dated")
        let before = try CostModel.apply(.init(), to: network, asOf: "2015-09-01")
        // Medium: 2·0.22 + 72 + 500 + 800·0.2/0.8.
        XCTAssertEqual(before.unitCosts[0], 772.44, accuracy: 1e-9)
        XCTAssertEqual(before.edges.costs[0], 772.44, accuracy: 1e-9, "open before its day")
        XCTAssertEqual(before.attributes[1].surveillance, .medium)
        XCTAssertNil(before.attributes[1].recordedPrice)
        let after = try CostModel.apply(.init(), to: network, asOf: "2015-10-17")
        XCTAssertEqual(after.edges.costs[0], -1, "closed from its day")
        // High: 2·0.22 + 72 + 900 + 800·0.5/0.5.
        XCTAssertEqual(after.unitCosts[1], 1772.44, accuracy: 1e-9)
        XCTAssertEqual(try CostModel.apply(.init(), to: network).edges.costs[0], -1, "without a day every row applies")
        XCTAssertEqual(CostModel.pendingChanges(in: network, asOf: "2015-09-01"), ["2015-09-15", "2015-10-17"])
        XCTAssertEqual(CostModel.pendingChanges(in: network, asOf: "2015-10-01"), ["2015-10-17"])
        XCTAssertEqual(CostModel.pendingChanges(in: network, asOf: nil), [])
    }

    /// A border with two dated states (legal transit from 19 June 2015, a fence from 9 March
    /// 2016; the defaults before) and a domestic ferry under medium surveillance.
    func testEarlierStatesHoldUntilTheNextOneAndFerriesDetectNobody() throws {
        let network = try twoEdgeNetwork(
            [
                ["kind": "border", "mode": "land", "length_km": 2, "surveillance": "high", "since": "2016-03-09",
                 "earlier": .array([.object(["since": "2015-06-19", "surveillance": "none", "status": "open", "barrier": "none"])])],
                ["kind": "ferry", "mode": "sea", "length_km": 10, "surveillance": "medium"],
            ], origin: "dated states")
        // Defaults before the first state: medium, 2·0.22 + 72 + 500 + 800·0.2/0.8.
        XCTAssertEqual(try CostModel.apply(.init(), to: network, asOf: "2015-06-01").unitCosts[0], 772.44, accuracy: 1e-9)
        // The earlier state, unchecked: the kilometres alone.
        let transit = try CostModel.apply(.init(), to: network, asOf: "2015-06-19")
        XCTAssertEqual(transit.unitCosts[0], 0.44, accuracy: 1e-9)
        XCTAssertEqual(try CostModel.apply(.init(), to: network, asOf: "2016-03-08").unitCosts[0], 0.44, accuracy: 1e-9)
        // The latest state from its day: high, 2·0.22 + 72 + 500 + 800·0.5/0.5.
        XCTAssertEqual(try CostModel.apply(.init(), to: network, asOf: "2016-03-09").unitCosts[0], 1372.44, accuracy: 1e-9)
        XCTAssertEqual(CostModel.pendingChanges(in: network, asOf: "2015-01-01"), ["2015-06-19", "2016-03-09"])
        XCTAssertEqual(CostModel.pendingChanges(in: network, asOf: "2015-07-01"), ["2016-03-09"])
        // Ferry: a scheduled boat, 0.05 + 3/30 = 0.15 per km, and the €50 ticket; no turn-back attempts.
        XCTAssertEqual(transit.unitCosts[1], 1.5 + 50, accuracy: 1e-9)
        XCTAssertEqual(transit.attributes[1].detectionProbability, 0)
        let c = CostModel.coefficients(.init())
        for row in 0..<2 {
            let f = CostFeatures(transit.attributes[row], surveillance: transit.attributes[row].surveillance)
            XCTAssertEqual(CostModel.cost(of: f.vector, coefficients: c), transit.unitCosts[row], accuracy: 1e-9)
        }
    }

    func testWeightsAndParameters() throws {
        var p = CostModel.Parameters()
        p.timeWeight = 0; p.riskWeight = 2; p.detectionProbability[.high] = 0.75; p.seaPricePerKm = 0
        let costed = try CostModel.apply(p, to: twoEdgeNetwork())
        // 0.05·100 + 0.05·100 (fare).
        XCTAssertEqual(costed.unitCosts[0], 10, accuracy: 1e-9)
        // 2.5 + 1500 + 2·1000 + 800·3.
        XCTAssertEqual(costed.unitCosts[1], 5902.5, accuracy: 1e-9)
    }

    /// A day compares with `since` as a date, however it is written: 1 June 2015 (`2015-6-1`) is
    /// before a state of 19 June, 8 March 2016 (`2016-3-8`) before the fence of 9 March, which
    /// as text they are not ("2015-06-19" < "2015-6-1", "2016-03-09" < "2016-3-8").
    func testADayWrittenWithoutLeadingZerosIsTheSameDay() throws {
        let network = try twoEdgeNetwork(
            [
                ["kind": "border", "mode": "land", "length_km": 2, "surveillance": "high", "since": "2016-03-09",
                 "earlier": .array([.object(["since": "2015-06-19", "surveillance": "none", "status": "open"])])],
                ["kind": "ferry", "mode": "sea", "length_km": 10, "surveillance": "medium"],
            ], origin: "dated states")
        for (day, padded, level, changes) in [("2015-6-1", "2015-06-01", Surveillance.medium, ["2015-06-19", "2016-03-09"]),
                                              ("2016-3-8", "2016-03-08", .unchecked, ["2016-03-09"])] {
            let costed = try CostModel.apply(.init(), to: network, asOf: day)
            XCTAssertEqual(costed.attributes[0].surveillance, level, day)
            XCTAssertEqual(costed.asOf, padded, "the entry rules read the day as YYYY-MM-DD")
            XCTAssertEqual(CostModel.attributes(ofRow: 0, in: network, .init(), asOf: day).surveillance, level, day)
            XCTAssertEqual(CostModel.pendingChanges(in: network, asOf: day), changes, day)
        }
        XCTAssertThrowsError(try CostModel.apply(.init(), to: network, asOf: "2016-02-30")) { error in
            XCTAssertTrue("\(error)".contains("2016-02-30"), "\(error)")
        }
    }

    /// Overland kilometres pay a public-transport fare, not a smuggling price: the default fare
    /// of Gevgelija → Tabanovce (about 200 km by North Macedonia's railway, summer 2015) lies
    /// within the fares the record gives for it, "about 6 euros" (Reuters) to €25 (IBNA, from
    /// September 2015), and the smuggler is paid per crossing.
    func testOverlandKilometresPayTheFareOfTheTrain() throws {
        let p = CostModel.Parameters()
        let leg = CostModel.EdgeAttributes(kind: .leg, isSea: false, lengthKm: 200, risk: 0, detectionProbability: 0)
        var fareOnly = p
        fareOnly.distanceWeight = 0; fareOnly.timeWeight = 0
        let fare = CostModel.cost(of: leg, fareOnly)
        XCTAssertGreaterThanOrEqual(fare, 6)
        XCTAssertLessThanOrEqual(fare, 25)
        // Doubling the fare doubles the price term of a leg and leaves a border crossing's price alone.
        var dearer = fareOnly
        dearer.transitFarePerKm *= 2
        XCTAssertEqual(CostModel.cost(of: leg, dearer), 2 * fare, accuracy: 1e-9)
        let border = CostModel.EdgeAttributes(kind: .border, isSea: false, lengthKm: 0, risk: 0, detectionProbability: 0)
        XCTAssertEqual(CostModel.cost(of: border, dearer), CostModel.cost(of: border, fareOnly), accuracy: 1e-9)
        XCTAssertEqual(CostModel.cost(of: border, fareOnly), p.borderCrossingPrice, accuracy: 1e-9)
    }
}
