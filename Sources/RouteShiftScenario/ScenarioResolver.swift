import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftSimulation

/// Checks a scenario against a network and turns it into arrays the assignment reads.
///
/// Errors point into the scenario (or demand CSV) file: line, key path and the
/// nearest valid ids.
public struct ScenarioResolver: Sendable {
    public let costed: CostedNetwork
    private var network: RouteNetwork { costed.network }
    private let references: EdgeReferences

    /// Indexes the network's segment ids, borders and countries (`EdgeReferences`).
    /// - Complexity: O(E).
    public init(costed: CostedNetwork) {
        self.costed = costed
        references = EdgeReferences(network: costed.network)
    }

    /// A resolver for `costed`, another costing of the network of `other` (another day's
    /// state): the network's references are those of `other`.
    /// - Complexity: O(1).
    public init(costed: CostedNetwork, sharingReferencesOf other: ScenarioResolver) {
        self.costed = costed
        references = other.references
    }

    /// Resolves demand and interventions; rejects unknown ids and contradictory interventions.
    /// - Complexity: O(D + Σ targets · edges of each target), plus O(E) per hub closed.
    public func resolve(_ scenario: Scenario) throws -> ResolvedScenario {
        let demand = try resolveDemand(scenario)
        let totalFlow = demand.reduce(0) { $0 + $1.flow }
        var overlay = CostOverlay(graph: costed.graph)
        var capacities: [Int: Double] = [:]
        var touches: [Int: [(Intervention, TravelDirection)]] = [:]
        var status: [Int: EdgeStatus] = [:]

        for intervention in scenario.interventions {
            for (target, location) in zip(intervention.targets, intervention.targetLocations) {
                let rows = try self.rows(of: target, location: location)
                if intervention.direction != .both {
                    if case .hub = target { throw InputError("'direction' applies to segments and borders, not to a hub", at: location) }
                    if case .country = target { throw InputError("'direction' applies to segments and borders, not to a country", at: location) }
                }
                for row in rows {
                    for (earlier, direction) in touches[row] ?? [] {
                        if let clash = Self.conflict(earlier, direction, intervention, intervention.direction) {
                            let edge = network.edgeAttributes?.segment[row] ?? "edge \(network.edges.ids[row])"
                            let line = earlier.location.line.map { " on line \($0)" } ?? ""
                            throw InputError("\(edge) is \(clash) (see the intervention\(line))", at: location)
                        }
                    }
                    touches[row, default: []].append((intervention, intervention.direction))
                    try apply(intervention, row: row, overlay: &overlay, capacities: &capacities, location: location)
                    if case .capacity(let perPeriod) = intervention.action {
                        try checkCapacity(perPeriod, row: row, totalFlow: totalFlow, scenario: scenario, intervention: intervention)
                    }
                    status[row] = Self.status(status[row], intervention)
                }
            }
        }
        return ResolvedScenario(scenario: scenario, costed: costed, demand: demand, overlay: overlay, capacities: capacities, status: status)
    }

    /// The edge's status after `i`: closures in two directions make `closed`, surveillance
    /// and a cap combine; otherwise the later intervention names the status.
    private static func status(_ old: EdgeStatus?, _ i: Intervention) -> EdgeStatus {
        switch i.action {
        case .close:
            let new: EdgeStatus = switch i.direction {
            case .both: .closed
            case .forward: .closedForward
            case .backward: .closedBackward
            }
            if let old, !old.isDisjoint(with: .closed) { return old.intersection(.closed).union(new) }
            return new
        case .surveillance: return old == .capacity ? [.surveillance, .capacity] : .surveillance
        case .capacity: return old == .surveillance ? [.surveillance, .capacity] : .capacity
        }
    }

    /// Why two interventions cannot both apply to one edge, or `nil` when they can.
    private static func conflict(_ a: Intervention, _ da: TravelDirection, _ b: Intervention, _ db: TravelDirection) -> String? {
        guard a.window.overlaps(b.window) else { return nil }
        let sameArcs = da == .both || db == .both || da == db
        switch (a.action, b.action) {
        case (.close, .close): return sameArcs ? "closed twice" : nil
        case (.close, .capacity), (.capacity, .close): return sameArcs ? "both closed and capped" : nil
        case (.close, .surveillance), (.surveillance, .close): return sameArcs ? "both closed and under surveillance" : nil
        case (.capacity, .capacity): return sameArcs ? "capped twice" : nil
        case (.surveillance, .surveillance): return sameArcs ? "under surveillance twice" : nil
        default: return nil
        }
    }

    private func apply(_ intervention: Intervention, row: Int, overlay: inout CostOverlay,
                       capacities: inout [Int: Double], location: InputLocation) throws {
        let id = network.edges.ids[row]
        do {
            switch intervention.action {
            case .close:
                try overlay.close(edge: id, direction: intervention.direction)
            case .surveillance(let multiplier, let probability):
                if let probability {
                    var a = costed.attributes[row]
                    a.detectionProbability = probability
                    try overlay.setCost(ofEdge: id, to: CostModel.cost(of: a, costed.parameters), direction: intervention.direction)
                }
                if let multiplier { try overlay.multiplyCost(ofEdge: id, by: multiplier, direction: intervention.direction) }
            case .capacity(let perPeriod):
                capacities[row] = perPeriod
            }
        } catch let error as GraphError {
            throw InputError(error, at: location)
        }
    }

    /// Edge rows an intervention target names.
    /// - Throws: `InputError` at `location` for an unknown target, with the nearest valid ids.
    public func rows(of target: InterventionTarget, location: InputLocation) throws -> [Int] {
        switch target {
        case .reference(let s):
            do {
                return try references.rows(of: s, at: location)
            } catch var error as InputError {
                let t = s.trimmingCharacters(in: .whitespaces)
                if t.count == 2 && t == t.uppercased() {
                    error.message += " (for every crossing of a country write close: {country: \(t)})"
                }
                throw error
            }
        case .segment(let s): return try references.rows(ofSegment: s, at: location)
        case .border(let s): return try references.rows(ofBorder: s, at: location)
        case .hub(let s): return try references.rows(ofHub: s, at: location)
        case .country(let c): return try references.rows(ofCountry: c, at: location)
        }
    }

    // MARK: Demand

    /// The scenario's demand as node ids, rows of the same pair added (not for `demand: observed`, which is per period).
    public func resolveDemand(_ scenario: Scenario) throws -> [Demand] {
        let entries: [DemandEntry]
        var context = ""
        switch scenario.demand {
        case .inline(let rows): entries = rows
        case .csv(let path, let line):
            entries = try Self.readDemandCSV(path: path)
            if let file = scenario.file { context = ", named by \(file)\(line.map { ":\($0)" } ?? "")" }
        case .observed(let line):
            throw InputError("'demand: observed' builds the demand of each period: it needs 'periods' (or --periods)",
                             at: InputLocation(file: scenario.file, line: line, path: "$.demand"))
        }
        return try resolve(entries, context: context)
    }

    /// Demand rows as node ids, rows of the same pair and class of travellers added (the class of a
    /// row's nationality under the network's entry rules, `EntryClasses`; a row without one is of
    /// the class `*`, the nationalities no rule names).
    func resolve(_ entries: [DemandEntry], context: String = "") throws -> [Demand] {
        try checkDemandTotal(entries)
        var order: [ODPair: Int] = [:]
        var demand: [Demand] = []
        let classes = network.entryClasses
        // Demand names a few hundred places many times over (observed demand: every period).
        var nodes: [String: Int64] = [:]
        func place(_ name: String, _ location: InputLocation, column: String) throws -> Int64 {
            if let id = nodes[name] { return id }
            let id = try node(name, location, column: column, context: context)
            nodes[name] = id
            return id
        }
        for entry in entries {
            let o = try place(entry.origin, entry.location, column: "origin")
            let d = try place(entry.destination, entry.location, column: "destination")
            guard o != d else { throw InputError("origin and destination are the same place", at: entry.location) }
            let userClass = entry.nationality.map { classes.userClass(of: $0) } ?? EntryClasses.unnamed
            let pair = ODPair(origin: o, destination: d, userClass: userClass)
            if let i = order[pair] { demand[i].flow += entry.flow; continue }
            order[pair] = demand.count
            demand.append(Demand(origin: o, destination: d, flow: entry.flow, userClass: userClass))
        }
        return demand
    }

    private func node(_ name: String, _ location: InputLocation, column: String, context: String) throws -> Int64 {
        do {
            return try network.resolveNode(name)
        } catch let error as InputError {
            var at = location
            at.path = (location.path.map { $0 + "." } ?? "") + column
            if location.file?.hasSuffix(".csv") == true { at.path = column }
            throw InputError("unknown place '\(name)' in the demand\(context) (not a node of \(network.origin))", at: at,
                             suggestions: error.suggestions)
        }
    }

    /// Reads demand rows from a CSV file with a header naming the columns `origin`
    /// (or `origin_hub`), `destination` (or `destination_hub`) and `flow`, in any
    /// order, and optionally `period` and `nationality` (ISO alpha-3: the network's entry
    /// rules apply to the row; empty: none); other columns are ignored. Fields may be quoted (RFC 4180); blank
    /// lines and lines starting with `#` are skipped.
    static func readDemandCSV(path: String) throws -> [DemandEntry] {
        var entries: [DemandEntry] = []
        var columns: (origin: Int, destination: Int, flow: Int, period: Int?, nationality: Int?, count: Int)?
        for record in try CSV.records(path: path, what: "demand CSV") {
            if record.fields[0].hasPrefix("#") { continue }
            let at = InputLocation(file: path, line: record.line)
            let fields = record.fields
            guard let c = columns else {
                let names = fields.map { $0.lowercased() }
                func column(_ accepted: [String]) throws -> Int {
                    guard let index = names.firstIndex(where: accepted.contains) else {
                        throw InputError("the demand CSV header needs a column '\(accepted[0])' (header: \(fields.joined(separator: ",")))",
                                         at: at, suggestions: names.flatMap { NearestMatch.suggestions(for: $0, among: accepted) })
                    }
                    return index
                }
                columns = (try column(["origin", "origin_hub"]), try column(["destination", "destination_hub"]),
                           try column(["flow"]), names.firstIndex(of: "period"), names.firstIndex(of: "nationality"), fields.count)
                continue
            }
            guard fields.count == c.count else {
                throw InputError("expected \(c.count) fields, found \(fields.count)", at: at)
            }
            guard let flow = Double(fields[c.flow]), flow.isFinite, flow >= 0 else {
                throw InputError("flow must be a number ≥ 0, got '\(fields[c.flow])'",
                                 at: InputLocation(file: path, line: record.line, path: "flow"))
            }
            var entry = DemandEntry(origin: fields[c.origin], destination: fields[c.destination], flow: flow, location: at)
            entry.period = c.period.map { fields[$0] }
            if let n = c.nationality, !fields[n].isEmpty {
                entry.nationality = try EntryRule.parseNationalities(fields[n], at: InputLocation(file: path, line: record.line, path: "nationality")).first
                if fields[n].contains(";") || fields[n] == "*" {
                    throw InputError("nationality \(InputError.excerpt(fields[n])) must be one ISO 3166-1 alpha-3 code",
                                     at: InputLocation(file: path, line: record.line, path: "nationality"))
                }
            }
            entries.append(entry)
        }
        guard columns != nil else { throw InputError("empty demand CSV", at: InputLocation(file: path)) }
        return entries
    }
}
