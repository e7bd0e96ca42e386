import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftObservations
import RouteShiftScenario
import RouteShiftSimulation
import Yams

/// What a backtest compares: a border (every section, both directions) or a
/// recorded route total (a counter of the caller, e.g. a Frontex route and crossing type).
public enum EpisodeTarget: Hashable, Sendable, CustomStringConvertible {
    case border(String)
    case route(String)

    public var description: String {
        switch self {
        case .border(let b): "border \(b)"
        case .route(let r): "route \(r)"
        }
    }
}

/// One recorded figure pair of an episode.
public struct EpisodeElement: Hashable, Sendable {
    public var target: EpisodeTarget
    /// People (or detections) in the before and after windows, as recorded.
    public var observedBefore: Double
    public var observedAfter: Double
    /// Where the figures come from.
    public var source: String
    public var location: InputLocation

    public var observedChange: Double { observedAfter - observedBefore }
}

/// A documented redirection: what changed when, and what the record shows before and after.
public struct Episode: Hashable, Sendable {
    public var id: String
    public var name: String
    public var interventions: [Intervention]
    public var before: MonthRange
    public var after: MonthRange
    public var elements: [EpisodeElement]
    public var location: InputLocation
}

/// A catalogue of episodes (`Geodata/validation/episodes.yaml`).
public struct EpisodeCatalogue: Sendable {
    public var file: String?
    public var episodes: [Episode]

    /// - Throws: `InputError` with file, line and key path; `MissingScenarioInput` when unreadable.
    public static func load(path: String) throws -> EpisodeCatalogue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MissingScenarioInput(path: path, what: "episode catalogue")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    public static func parse(_ source: String, file: String? = nil) throws -> EpisodeCatalogue {
        func at(_ node: Node?, _ path: String) -> InputLocation { InputLocation(file: file, line: node?.mark?.line, path: path) }
        func mapping(_ node: Node, _ path: String, _ allowed: [String]) throws -> [(String, Node, String)] {
            guard let m = node.mapping else { throw InputError("expected a mapping", at: at(node, path)) }
            return try m.map { k, v in
                let key = k.scalar?.string ?? ""
                guard allowed.contains(key) else {
                    throw InputError("unknown key '\(key)'", at: at(k, "\(path).\(key)"),
                                     suggestions: NearestMatch.suggestions(for: key, among: allowed))
                }
                return (key, v, "\(path).\(key)")
            }
        }
        func text(_ node: Node, _ path: String) throws -> String {
            guard let s = node.scalar?.string, !s.isEmpty else { throw InputError("expected a text value", at: at(node, path)) }
            return s
        }
        func number(_ node: Node, _ path: String) throws -> Double {
            guard let raw = node.scalar?.string, let x = Double(raw.replacingOccurrences(of: "_", with: "")), x.isFinite, x >= 0 else {
                throw InputError("expected a number of people, got '\(node.scalar?.string ?? "a list or mapping")'", at: at(node, path))
            }
            return x
        }
        func range(_ node: Node, _ path: String) throws -> MonthRange {
            let raw = try text(node, path)
            guard let r = MonthRange(raw) else {
                throw InputError("expected months FROM:TO such as 2015-08:2015-08, got '\(raw)'", at: at(node, path))
            }
            return r
        }
        try YAMLInputGuard.check(source, file: file)
        let root: Node?
        do { root = try Yams.compose(yaml: source) } catch {
            throw InputError("not valid YAML: \(error)", at: InputLocation(file: file))
        }
        guard let root else { throw InputError("empty episode catalogue", at: InputLocation(file: file)) }
        var episodes: [Episode] = []
        for (key, value, path) in try mapping(root, "$", ["episodes", "sources"]) where key == "episodes" {
            guard let items = value.sequence else { throw InputError("expected a list of episodes", at: at(value, path)) }
            for (i, item) in items.enumerated() {
                let p = "\(path)[\(i)]"
                var id: String?, name = "", interventions: [Intervention] = [], before: MonthRange?, after: MonthRange?
                var elements: [EpisodeElement] = []
                for (k, v, kp) in try mapping(item, p, ["id", "name", "confidence", "interventions", "before", "after",
                                                         "elements", "note"]) {
                    switch k {
                    case "id": id = try text(v, kp)
                    case "name": name = try text(v, kp)
                    case "interventions": interventions = try ScenarioParser.interventions(v, file: file, path: kp)
                    case "before": before = try range(v, kp)
                    case "after": after = try range(v, kp)
                    case "elements":
                        guard let list = v.sequence, !list.isEmpty else {
                            throw InputError("expected a list of elements", at: at(v, kp))
                        }
                        for (j, e) in list.enumerated() {
                            let ep = "\(kp)[\(j)]"
                            var target: EpisodeTarget?, b: Double?, a: Double?, source: String?
                            for (ek, ev, evp) in try mapping(e, ep, ["border", "route", "before", "after", "source"]) {
                                switch ek {
                                case "border": target = .border(try text(ev, evp))
                                case "route": target = .route(try text(ev, evp))
                                case "before": b = try number(ev, evp)
                                case "after": a = try number(ev, evp)
                                default: source = try text(ev, evp)
                                }
                            }
                            guard let target, let b, let a, let source else {
                                throw InputError("an element needs a border or route, before, after and source", at: at(e, ep))
                            }
                            elements.append(EpisodeElement(target: target, observedBefore: b, observedAfter: a, source: source,
                                                           location: at(e, ep)))
                        }
                    default: break
                    }
                }
                guard let id, let before, let after, !elements.isEmpty else {
                    throw InputError("an episode needs id, before, after and elements", at: at(item, p))
                }
                guard before.last < after.first else {
                    throw InputError("'before' (\(before)) must end before 'after' (\(after)) starts", at: at(item, p))
                }
                episodes.append(Episode(id: id, name: name, interventions: interventions, before: before, after: after,
                                        elements: elements, location: at(item, p)))
            }
        }
        return EpisodeCatalogue(file: file, episodes: episodes)
    }
}

/// One element's recorded and modelled change.
public struct ElementResult: Hashable, Sendable {
    public var element: EpisodeElement
    public var modelledBefore: Double
    public var modelledAfter: Double
    public var modelledChange: Double { modelledAfter - modelledBefore }
}

/// An episode's verdict.
public struct EpisodeResult: Hashable, Sendable {
    public var episode: Episode
    public var elements: [ElementResult]
    /// The element that gains most in the record gains (more than any other) in the model, and every element that falls, falls.
    public var directionCorrect: Bool
    /// Modelled ÷ recorded change of the element that gains most in the record (nil when the model's is 0 and the record's 0).
    public var magnitudeRatio: Double?
    public var withinFactorTwo: Bool { magnitudeRatio.map { $0 >= 0.5 && $0 <= 2 } ?? false }
}

/// Runs episodes month by month with observed demand and one parameter set.
///
/// Each month of an episode's before and after windows is split into the days of one network
/// state (dated attributes, `since`; entry rules) and one set of interventions in force
/// (`NetworkTimeline.segments`, as `simulate --periods` splits a period); each part carries its
/// share of the month's demand (days ÷ days in the month) and is assigned by the path-size logit on choice sets
/// found with those interventions in force (`FixedChoiceSets` under the overlay; the
/// outside option is priced against the sets without interventions). Borders count
/// every crossing of their sections in both directions; routes count what
/// `routeCounter` says.
public enum Backtest {
    public struct Inputs: Sendable {
        public var network: RouteNetwork
        public var parameters: CostModel.Parameters
        public var theta: Double
        public var choiceSet: ChoiceSetRule
        /// Demand of one month.
        public var demand: @Sendable (YearMonth) throws -> [Demand]
        /// The route names a crossing of `row` in direction `forward` counts for.
        public var routeCounter: @Sendable (_ row: Int, _ forward: Bool) -> [String]
        public var workers: Int
        public init(network: RouteNetwork, parameters: CostModel.Parameters, theta: Double, choiceSet: ChoiceSetRule,
                    demand: @escaping @Sendable (YearMonth) throws -> [Demand],
                    routeCounter: @escaping @Sendable (Int, Bool) -> [String], workers: Int = Assignment.defaultWorkers) {
            self.network = network; self.parameters = parameters; self.theta = theta; self.choiceSet = choiceSet
            self.demand = demand; self.routeCounter = routeCounter; self.workers = workers
        }
    }

    /// - Throws: `InputError` for an unknown border or route (nearest valid names), interventions the
    ///   network does not have, or demand errors.
    public static func run(_ catalogue: EpisodeCatalogue, _ inputs: Inputs,
                           progress: ((String) -> Void)? = nil) throws -> [EpisodeResult] {
        let costed = try CostModel.apply(inputs.parameters, to: inputs.network)
        let resolver = ScenarioResolver(costed: costed)
        // Each day runs on the network as it stood that day (dated attributes, `since`; entry
        // rules): one costing per distinct state, `day` the first day of a state of a timeline.
        var states: [[String]: (costed: CostedNetwork, resolver: ScenarioResolver)] = [:]
        func state(_ day: String) throws -> (key: [String], costed: CostedNetwork, resolver: ScenarioResolver) {
            let key = CostModel.pendingChanges(in: inputs.network, asOf: day)
            if let s = states[key] { return (key, s.costed, s.resolver) }
            let c = try CostModel.apply(inputs.parameters, to: inputs.network, asOf: day)
            let s = (costed: c, resolver: ScenarioResolver(costed: c))
            states[key] = s
            return (key, s.costed, s.resolver)
        }
        let knownRoutes = Set((0..<inputs.network.edgeCount).flatMap { row in
            inputs.routeCounter(row, true) + inputs.routeCounter(row, false)
        })
        // Validate every episode before running any.
        var rowsOf: [String: [Int: Set<Int>]] = [:]
        var windowsOf: [String: [(from: CalendarDay?, to: CalendarDay?)]] = [:]
        for episode in catalogue.episodes {
            windowsOf[episode.id] = try episode.interventions.map { try $0.calendarWindow() }
            _ = try resolver.resolve(Scenario(name: episode.id, file: catalogue.file, demand: .inline([]),
                                              costModel: inputs.parameters, interventions: episode.interventions))
            var byRow: [Int: Set<Int>] = [:]
            for (i, e) in episode.elements.enumerated() {
                switch e.target {
                case .border(let b):
                    for row in try resolver.rows(of: .border(b), location: e.location) { byRow[row, default: []].insert(i) }
                case .route(let r):
                    guard knownRoutes.contains(r) else {
                        throw InputError("unknown route '\(r)'", at: e.location,
                                         suggestions: NearestMatch.suggestions(for: r, among: knownRoutes.sorted(), maxDistance: 12))
                    }
                }
            }
            rowsOf[episode.id] = byRow
        }
        // Sets are taken over where the network state or the interventions cannot change them
        // (`FixedChoiceSets.build(reusing:)`): from the same state without interventions, else
        // from the last sets built.
        var referenceOfState: [[String]: FixedChoiceSets] = [:]
        var lastBuilt: FixedChoiceSets?
        var results: [EpisodeResult] = []
        for episode in catalogue.episodes {
            progress?("\(episode.id): \(episode.name)")
            let byRow = rowsOf[episode.id]!
            let routeIndex = Dictionary(episode.elements.enumerated().compactMap { i, e -> (String, [Int])? in
                if case .route(let r) = e.target { return (r, [i]) }
                return nil
            }, uniquingKeysWith: +)
            let counter: @Sendable (Int, Bool) -> [Int] = { row, forward in
                var found = Array(byRow[row] ?? [])
                for r in inputs.routeCounter(row, forward) { found += routeIndex[r] ?? [] }
                return found.sorted()
            }
            let months = episode.before.months + episode.after.months
            var demandOf: [YearMonth: [Demand]] = [:]
            for m in months { demandOf[m] = try inputs.demand(m) }
            let pairs = Array(Set(demandOf.values.flatMap { $0.map { ODPair($0) } }))
            struct SetKey: Hashable { var state: [String]; var active: [Int] }
            var setsByActive: [SetKey: FixedChoiceSets] = [:]
            func sets(_ active: [Int], on day: String) throws -> FixedChoiceSets {
                let st = try state(day)
                let key = SetKey(state: st.key, active: active)
                if let s = setsByActive[key] { return s }
                let resolved = try st.resolver.resolve(Scenario(name: episode.id, file: catalogue.file, demand: .inline([]),
                                                                costModel: inputs.parameters,
                                                                interventions: active.map { episode.interventions[$0] }))
                let previous = active.isEmpty ? referenceOfState[st.key] ?? lastBuilt
                    : setsByActive[SetKey(state: st.key, active: [])] ?? referenceOfState[st.key] ?? lastBuilt
                let s = try FixedChoiceSets.build(costed: st.costed, pairs: pairs, rule: inputs.choiceSet,
                                                  overlay: resolved.overlay.isEmpty ? nil : resolved.overlay,
                                                  counter: counter, workers: inputs.workers, reusing: previous)
                setsByActive[key] = s
                lastBuilt = s
                if active.isEmpty { referenceOfState[st.key] = s }
                return s
            }
            var totals = [[Double]](repeating: [Double](repeating: 0, count: episode.elements.count), count: 2)
            // The months cut into days of one network state and one set of interventions in force,
            // each with its share of the month's demand: the rule of `simulate --periods`.
            let span = [episode.before.first, episode.after.last].map { Period(month: $0) }
            let timeline = NetworkTimeline(network: inputs.network, from: span[0].firstDay, through: span[1].lastDay)
            for m in months {
                let window = episode.before.months.contains(m) ? 0 : 1
                let period = Period(month: m)
                for segment in timeline.segments(of: period, windows: windowsOf[episode.id]!) {
                    let day = timeline.starts[segment.network].description
                    let active = segment.inForce.indices.filter { segment.inForce[$0] }
                    let share = Double(segment.days) / Double(period.days)
                    let reference = try sets([], on: day)
                    let demand = demandOf[m]!.map { Demand(origin: $0.origin, destination: $0.destination, flow: $0.flow * share, userClass: $0.userClass) }
                    let r = FixedSetLogit.crossings(of: demand, sets: try sets(active, on: day), parameters: inputs.parameters,
                                                    theta: inputs.theta,
                                                    outsideOption: inputs.parameters.outsideOption.map(OutsideOption.init(margin:)),
                                                    counters: episode.elements.count, reference: reference)
                    for i in 0..<episode.elements.count { totals[window][i] += r.counts[i] }
                }
            }
            let elements = episode.elements.enumerated().map { i, e in
                ElementResult(element: e, modelledBefore: totals[0][i], modelledAfter: totals[1][i])
            }
            results.append(verdict(episode, elements))
        }
        return results
    }

    /// Direction: the record's largest gain is the model's largest gain, and
    /// everything that falls in the record falls in the model. Magnitude: the
    /// ratio of modelled to recorded change of the record's largest gain.
    static func verdict(_ episode: Episode, _ elements: [ElementResult]) -> EpisodeResult {
        func top(_ value: (ElementResult) -> Double) -> Int? {
            elements.indices.max { value(elements[$0]) < value(elements[$1]) || (value(elements[$0]) == value(elements[$1]) && $0 > $1) }
        }
        let gainer = top { $0.element.observedChange }
        // The record's largest gain must be a gain in the model too, and the model's largest.
        var direction = gainer != nil && gainer == top { $0.modelledChange } && elements[gainer!].modelledChange > 0
        for e in elements where e.element.observedChange < 0 && !(e.modelledChange < 0) { direction = false }
        var ratio: Double? = nil
        if let g = gainer {
            let o = elements[g].element.observedChange
            ratio = o != 0 ? elements[g].modelledChange / o : nil
        }
        return EpisodeResult(episode: episode, elements: elements, directionCorrect: direction, magnitudeRatio: ratio)
    }
}

/// Backtest output: JSON (`routeshift.backtest/1`, `Schemas/backtest.schema.json`) and a table.
public enum BacktestReport {
    static func number(_ x: Double, _ places: Int) -> JSONValue { CalibrationReport.number(x, places) }

    public static func json(_ results: [EpisodeResult], context: [String: String]) -> JSONValue {
        .object([
            "schema": .string("routeshift.backtest/1"),
            "context": .object(context.mapValues(JSONValue.string)),
            "summary": .object([
                "episodes": .number(Double(results.count)),
                "direction_correct": .number(Double(results.filter(\.directionCorrect).count)),
                "magnitude_within_factor_2": .number(Double(results.filter(\.withinFactorTwo).count)),
            ]),
            "episodes": .array(results.map { r in
                .object([
                    "id": .string(r.episode.id), "name": .string(r.episode.name),
                    "before": .string(r.episode.before.description), "after": .string(r.episode.after.description),
                    "direction_correct": .bool(r.directionCorrect),
                    "magnitude_ratio": r.magnitudeRatio.map { number($0, 4) } ?? .null,
                    "magnitude_within_factor_2": .bool(r.withinFactorTwo),
                    "elements": .array(r.elements.map { e in
                        var kind = "border", id = ""
                        switch e.element.target {
                        case .border(let b): id = b
                        case .route(let route): kind = "route"; id = route
                        }
                        return .object([
                            "kind": .string(kind), "id": .string(id),
                            "observed_before": number(e.element.observedBefore, 1),
                            "observed_after": number(e.element.observedAfter, 1),
                            "observed_change": number(e.element.observedChange, 1),
                            "modelled_before": number(e.modelledBefore, 1), "modelled_after": number(e.modelledAfter, 1),
                            "modelled_change": number(e.modelledChange, 1),
                            "source": .string(e.element.source),
                        ])
                    }),
                ])
            }),
        ])
    }

    /// A table a person reads: one block per episode, one row per element.
    public static func text(_ results: [EpisodeResult]) -> String {
        func f(_ x: Double) -> String { String(format: "%.0f", x) }
        var out = ""
        for r in results {
            let ratio = r.magnitudeRatio.map { String(format: "%.2f", $0) } ?? "–"
            out += "\(r.episode.id)  \(r.episode.name)  [\(r.episode.before) → \(r.episode.after)]\n"
            out += "    direction \(r.directionCorrect ? "right" : "WRONG"), magnitude ratio \(ratio)"
                + "\(r.withinFactorTwo ? " (within ×2)" : "")\n"
            let rows = r.elements.map { e -> [String] in
                [e.element.target.description, f(e.element.observedBefore), f(e.element.observedAfter),
                 f(e.element.observedChange), f(e.modelledBefore), f(e.modelledAfter), f(e.modelledChange)]
            }
            let header = ["element", "rec. before", "rec. after", "rec. change", "model before", "model after", "model change"]
            let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max()! }
            for row in [header] + rows {
                out += "    " + row.enumerated().map { c, cell in
                    c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: widths[c] - cell.count) + cell
                }.joined(separator: "  ") + "\n"
            }
            out += "\n"
        }
        let right = results.filter(\.directionCorrect).count, close = results.filter(\.withinFactorTwo).count
        out += "direction right in \(right) of \(results.count) episodes; magnitude within a factor of 2 in \(close)\n"
        return out
    }
}
