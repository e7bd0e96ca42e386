import Foundation
import RouteShiftCore
import RouteShiftGraph
import RouteShiftNetwork
import RouteShiftSimulation
import RouteShiftObservations
import Yams

/// Reads scenario files: YAML, or JSON (read by the same YAML 1.2 parser, so
/// both share one schema and report the same line numbers).
///
/// Every error is an `InputError` naming the file, the line (from the YAML
/// node's mark) and the key path (`$.interventions[2].close`), with the
/// nearest valid key when one was misspelled.
public enum ScenarioParser {
    /// Reads and parses the scenario at `path`; relative paths inside it are
    /// resolved against its directory.
    /// - Parameter allowOutsidePaths: let relative paths in the scenario climb out of
    ///   its directory (`../`); by default they must stay inside it, so a scenario
    ///   from elsewhere cannot make RouteShift read arbitrary files.
    public static func load(path: String, allowOutsidePaths: Bool = false) throws -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MissingInput(path: path, what: "scenario file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError("scenario file is not UTF-8 text", at: InputLocation(file: path))
        }
        return try parse(text, file: path, allowOutsidePaths: allowOutsidePaths)
    }

    /// Parses scenario text; `file` names it in messages and anchors relative paths.
    public static func parse(_ text: String, file: String? = nil, allowOutsidePaths: Bool = false) throws -> Scenario {
        try YAMLInputGuard.check(text, file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw InputError("not valid YAML or JSON: \(describe(error))", at: InputLocation(file: file, line: line(of: error)))
        }
        guard let root else { throw InputError("empty scenario file", at: InputLocation(file: file)) }
        let reader = NodeReader(file: file, allowOutsidePaths: allowOutsidePaths)
        return try reader.scenario(root)
    }

    /// Reads a list of interventions in scenario syntax (`- close: HU-RS`, `from:` …)
    /// from a node of another YAML file, with its key path in messages.
    public static func interventions(_ node: Node, file: String?, path: String) throws -> [Intervention] {
        let reader = NodeReader(file: file)
        guard let items = node.sequence else { throw reader.fail("expected a list of interventions", node, path) }
        return try items.enumerated().map { try reader.intervention($0.element, "\(path)[\($0.offset)]") }
    }

    static func baseDirectory(_ file: String?) -> String? {
        guard let file else { return nil }
        let dir = (file as NSString).deletingLastPathComponent
        return dir.isEmpty ? "." : dir
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        default: "\(error)"
        }
    }
}

/// A scenario file, or a file it names, that does not exist or cannot be read.
@available(*, deprecated, renamed: "MissingInput")
public typealias MissingScenarioInput = MissingInput

/// Walks the composed YAML tree, keeping the key path for messages.
struct NodeReader {
    let file: String?
    var allowOutsidePaths = false
    /// Every value read, by key path, for `Scenario.valueLocations`.
    let seen = SeenValues()

    final class SeenValues {
        var locations: [String: InputLocation] = [:]
    }

    func location(_ node: Node?, _ path: String) -> InputLocation {
        InputLocation(file: file, line: node?.mark?.line, path: path)
    }

    func fail(_ message: String, _ node: Node?, _ path: String, suggestions: [String] = []) -> InputError {
        InputError(message, at: location(node, path), suggestions: suggestions)
    }

    /// The mapping's entries, rejecting keys not in `allowed` (with suggestions) and duplicates.
    func entries(_ node: Node, _ path: String, allowed: [String]) throws -> [(key: String, value: Node, path: String)] {
        let result = try YAMLMapping.entries(node, path, allowed: allowed, file: file)
        for (_, value, keyPath) in result { seen.locations[keyPath] = location(value, keyPath) }
        return result
    }

    func string(_ node: Node, _ path: String) throws -> String {
        guard let s = node.scalar?.string, !s.isEmpty else { throw fail("expected a text value", node, path) }
        return s
    }

    func number(_ node: Node, _ path: String, min: Double? = nil, above: Double? = nil, max: Double? = nil) throws -> Double {
        guard let raw = node.scalar?.string, let x = Double(raw.replacingOccurrences(of: "_", with: "")), x.isFinite else {
            throw fail("expected a number, got \(InputError.excerpt(node.scalar?.string ?? "a \(kind(of: node))"))", node, path)
        }
        if let min, x < min { throw fail("must be at least \(format(min)) (got \(InputError.excerpt(raw)))", node, path) }
        if let above, x <= above { throw fail("must be above \(format(above)) (got \(InputError.excerpt(raw)))", node, path) }
        if let max, x > max { throw fail("must be at most \(format(max)) (got \(InputError.excerpt(raw)))", node, path) }
        return x
    }

    func integer(_ node: Node, _ path: String, min: Int? = nil, max: Int? = nil) throws -> Int {
        guard let raw = node.scalar?.string, let x = Int(raw.replacingOccurrences(of: "_", with: "")) else {
            throw fail("expected a whole number, got \(InputError.excerpt(node.scalar?.string ?? "a \(kind(of: node))"))", node, path)
        }
        if let min, x < min { throw fail("must be at least \(min) (got \(InputError.excerpt(raw)))", node, path) }
        if let max, x > max { throw fail("must be at most \(max) (got \(InputError.excerpt(raw)))", node, path) }
        return x
    }

    private func kind(of node: Node) -> String {
        node.mapping != nil ? "mapping" : node.sequence != nil ? "list" : "value"
    }

    private func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }

    /// `raw` resolved against the scenario's directory; a relative path that climbs
    /// out of it (`../../etc/passwd`) is refused unless `allowOutsidePaths`.
    func path(_ raw: String, _ node: Node, _ keyPath: String) throws -> String {
        if raw.hasPrefix("/") { return raw }
        if !allowOutsidePaths {
            var depth = 0
            for component in raw.split(separator: "/") where component != "." {
                depth += component == ".." ? -1 : 1
                if depth < 0 {
                    throw fail("path \(InputError.excerpt(raw)) leaves the scenario's directory; keep data beside the "
                               + "scenario, use an absolute path, or allow it explicitly", node, keyPath)
                }
            }
        }
        guard let base = ScenarioParser.baseDirectory(file) else { return raw }
        return base == "." ? raw : base + "/" + raw
    }

    // MARK: Sections

    static let topKeys = ["name", "network", "demand", "cost_model", "assignment", "choice_set", "seed", "interventions",
                          "report", "periods", "by", "date"]

    func scenario(_ root: Node) throws -> Scenario {
        var name: String?
        var network: String?
        var demand: DemandSource?
        var scenario = Scenario(name: "", file: file, demand: .inline([]))
        var choiceSet: (node: Node, path: String)?
        for (key, value, keyPath) in try entries(root, "$", allowed: Self.topKeys) {
            switch key {
            case "name": name = try string(value, keyPath)
            case "network": network = try path(try string(value, keyPath), value, keyPath)
            case "demand": demand = try demandSource(value, keyPath)
            case "cost_model":
                scenario.costModel = try costModel(value, keyPath)
                scenario.usesDefaultCostModel = false
            case "assignment": scenario.assignment = try assignment(value, keyPath)
            case "choice_set": choiceSet = (value, keyPath)
            case "seed": scenario.seed = UInt64(try integer(value, keyPath, min: 0))
            case "interventions":
                guard let items = value.sequence else { throw fail("expected a list of interventions", value, keyPath) }
                for (i, item) in items.enumerated() {
                    scenario.interventions.append(try intervention(item, "\(keyPath)[\(i)]"))
                }
            case "periods":
                let text = try string(value, keyPath)
                scenario.periodsLocation = location(value, keyPath)
                scenario.periods = try Period.parse(text, at: location(value, keyPath))
            case "date":
                let text = try string(value, keyPath)
                scenario.asOfLocation = location(value, keyPath)
                do {
                    scenario.asOf = try CalendarDay.firstDay(of: text).description
                } catch var error as InputError {
                    error.location = location(value, keyPath)
                    throw error
                }
            case "by":
                let text = try string(value, keyPath)
                guard let g = PeriodGranularity(rawValue: text) else {
                    throw fail("'by' must be month, quarter or year, got '\(text.prefix(20))'", value, keyPath,
                               suggestions: NearestMatch.suggestions(for: text, among: PeriodGranularity.allCases.map(\.rawValue)))
                }
                scenario.granularity = g
            case "report":
                for (k, v, p) in try entries(value, keyPath, allowed: ["top"]) where k == "top" {
                    scenario.topSegments = try integer(v, p, min: 0)
                }
            default: break
            }
        }
        if let choiceSet { try readChoiceSet(choiceSet.node, choiceSet.path, into: &scenario.assignment) }
        guard let name else { throw fail("missing 'name'", root, "$.name") }
        guard let demand else { throw fail("missing 'demand' (a CSV path or a list of rows)", root, "$.demand") }
        scenario.name = name
        scenario.network = network
        scenario.demand = demand
        scenario.valueLocations = seen.locations
        return scenario
    }

    /// A scalar as written (YAML would read `2015` as a number and `2015-07:2016-03` as text).
    func node(_ node: Node) -> String? { node.scalar?.string }

    func demandSource(_ node: Node, _ keyPath: String) throws -> DemandSource {
        if node.scalar?.string == "observed" { return .observed(line: node.mark?.line) }
        if node.scalar != nil { return .csv(path: try path(try string(node, keyPath), node, keyPath), line: node.mark?.line) }
        guard let rows = node.sequence else {
            throw fail("expected a CSV path or a list of {origin, destination, flow}", node, keyPath)
        }
        var demandRows: [DemandEntry] = []
        for (i, row) in rows.enumerated() {
            let rowPath = "\(keyPath)[\(i)]"
            var origin: String?, destination: String?, flow: Double?
            for (k, v, p) in try entries(row, rowPath, allowed: ["origin", "destination", "flow"]) {
                switch k {
                case "origin": origin = try string(v, p)
                case "destination": destination = try string(v, p)
                default: flow = try number(v, p, min: 0)
                }
            }
            guard let origin, let destination, let flow else {
                throw fail("a demand row needs origin, destination and flow", row, rowPath)
            }
            demandRows.append(DemandEntry(origin: origin, destination: destination, flow: flow, location: location(row, rowPath)))
        }
        return .inline(demandRows)
    }

    func costModel(_ node: Node, _ keyPath: String) throws -> CostModel.Parameters {
        var p = CostModel.Parameters()
        let keys = CostModel.Parameters.fileKeys
        for (key, value, valuePath) in try entries(node, keyPath, allowed: keys.map(\.key)) {
            if key == "detection_probability" {
                for (level, v, lp) in try entries(value, valuePath, allowed: Surveillance.levels.map(\.rawValue)) {
                    // `entries` admits only the allowed keys.
                    p.detectionProbability[Surveillance(rawValue: level)!] = try number(v, lp, min: 0, max: 0.99)
                }
                continue
            }
            let x = try number(value, valuePath, min: 0)
            if let setter = keys.first(where: { $0.key == key })?.set { setter(&p, x) }
        }
        return p
    }

    func assignment(_ node: Node, _ keyPath: String) throws -> AssignmentSettings {
        var s = AssignmentSettings()
        let keys = ["method", "k", "theta", "max_iterations", "gap", "bpr"]
        for (key, value, p) in try entries(node, keyPath, allowed: keys) {
            switch key {
            case "method":
                let raw = try string(value, p)
                guard let m = AssignmentSettings.Method(rawValue: raw.lowercased()) else {
                    throw fail("unknown assignment method '\(raw)'", value, p,
                               suggestions: NearestMatch.suggestions(for: raw, among: AssignmentSettings.Method.allCases.map(\.rawValue),
                                                                     maxDistance: 6))
                }
                s.method = m
            case "k": s.k = try integer(value, p, min: 1, max: ShortestPathQuery.maximumPathCount)
            case "theta": s.theta = try number(value, p, min: 0)
            case "max_iterations": s.maxIterations = try integer(value, p, min: 1)
            case "gap": s.gap = try number(value, p, min: 0)
            default:
                for (k, v, bp) in try entries(value, p, allowed: ["alpha", "beta"]) {
                    if k == "alpha" { s.bprAlpha = try number(v, bp, min: 0) } else { s.bprBeta = try number(v, bp, min: 0) }
                }
            }
        }
        return s
    }

    /// `choice_set: {method, size, max_overlap, max_detour, search_limit}`; `size` is the assignment's `k`.
    func readChoiceSet(_ node: Node, _ keyPath: String, into s: inout AssignmentSettings) throws {
        let keys = ["method", "size", "max_overlap", "max_detour", "search_limit"]
        for (key, value, p) in try entries(node, keyPath, allowed: keys) {
            switch key {
            case "method":
                let raw = try string(value, p)
                let names = ChoiceSetSettings.Method.allCases.map(\.rawValue)
                guard let m = ChoiceSetSettings.Method(rawValue: raw.lowercased()) else {
                    throw fail("unknown choice-set method '\(raw)' (\(names.joined(separator: ", ")))", value, p,
                               suggestions: NearestMatch.suggestions(for: raw, among: names, maxDistance: 8))
                }
                s.choiceSet.method = m
            case "size": s.k = try integer(value, p, min: 1, max: ShortestPathQuery.maximumPathCount)
            case "max_overlap": s.choiceSet.maxOverlap = try number(value, p, min: 0, max: 1)
            case "max_detour": s.choiceSet.maxDetour = try number(value, p, min: 0)
            default: s.choiceSet.searchLimit = try integer(value, p, min: 1, max: ChoiceSetRule.maximumSearchLimit)
            }
        }
    }

    static let interventionKeys = ["close", "surveillance", "capacity", "direction", "from", "to"]

    func intervention(_ node: Node, _ path: String) throws -> Intervention {
        let items = try entries(node, path, allowed: Self.interventionKeys)
        let actions = items.filter { ["close", "surveillance", "capacity"].contains($0.key) }
        guard actions.count == 1, let (kind, body, bodyPath) = actions.first else {
            throw fail(actions.isEmpty ? "an intervention needs one of close, surveillance, capacity"
                                       : "an intervention has exactly one of close, surveillance, capacity; split it in two",
                       node, path)
        }
        var direction = TravelDirection.both
        var window = TimeWindow()
        for (key, value, p) in items {
            switch key {
            case "direction":
                let raw = try string(value, p)
                guard let d = TravelDirection(rawValue: raw.lowercased()), d != .both || raw.lowercased() == "both" else {
                    throw fail("unknown direction '\(raw)' (forward = source→target, backward, both)", value, p,
                               suggestions: NearestMatch.suggestions(for: raw, among: TravelDirection.allCases.map(\.rawValue)))
                }
                direction = d
            case "from": window.from = try day(value, p)
            case "to": window.to = try day(value, p)
            default: break
            }
        }
        if let a = window.from, let b = window.to, let c = a.compare(b), c > 0 {
            throw fail("'from' (\(a)) is after 'to' (\(b))", node, path)
        }
        let location = self.location(node, path)
        switch kind {
        case "close":
            let (targets, locations) = try closeTargets(body, bodyPath)
            return Intervention(action: .close, targets: targets, direction: direction, window: window,
                                location: location, targetLocations: locations)
        case "surveillance":
            var target: (InterventionTarget, InputLocation)?
            var multiplier: Double?, probability: Double?
            for (k, v, p) in try entries(body, bodyPath, allowed: ["segment", "border", "cost_multiplier", "detection_probability"]) {
                switch k {
                case "segment": target = (.segment(try string(v, p)), self.location(v, p))
                case "border": target = (.border(try string(v, p)), self.location(v, p))
                case "cost_multiplier": multiplier = try number(v, p, min: 0)
                default: probability = try number(v, p, min: 0, max: 0.99)
                }
            }
            guard let target else { throw fail("surveillance needs a segment or a border", body, bodyPath) }
            guard multiplier != nil || probability != nil else {
                throw fail("surveillance needs cost_multiplier and/or detection_probability", body, bodyPath)
            }
            return Intervention(action: .surveillance(costMultiplier: multiplier, detectionProbability: probability),
                                targets: [target.0], direction: direction, window: window, location: location,
                                targetLocations: [target.1])
        default:
            var target: (InterventionTarget, InputLocation)?
            var perPeriod: Double?
            for (k, v, p) in try entries(body, bodyPath, allowed: ["segment", "border", "per_period"]) {
                switch k {
                case "segment": target = (.segment(try string(v, p)), self.location(v, p))
                case "border": target = (.border(try string(v, p)), self.location(v, p))
                default: perPeriod = try number(v, p, above: 0)
                }
            }
            guard let target else { throw fail("capacity needs a segment or a border", body, bodyPath) }
            guard let perPeriod else { throw fail("capacity needs per_period", body, bodyPath) }
            return Intervention(action: .capacity(perPeriod: perPeriod), targets: [target.0], direction: direction,
                                window: window, location: location, targetLocations: [target.1])
        }
    }

    /// `close:` takes an id, a list of ids, or a mapping naming the kind: `{country: HU}`, `{hub: belgrade}`…
    func closeTargets(_ node: Node, _ path: String) throws -> ([InterventionTarget], [InputLocation]) {
        if node.scalar != nil { return ([.reference(try string(node, path))], [location(node, path)]) }
        if let items = node.sequence {
            guard items.count > 0 else { throw fail("empty list of ids to close", node, path) }
            var targets: [InterventionTarget] = [], locations: [InputLocation] = []
            for (i, item) in items.enumerated() {
                let (t, l) = try closeTargets(item, "\(path)[\(i)]")
                targets += t; locations += l
            }
            return (targets, locations)
        }
        var targets: [InterventionTarget] = [], locations: [InputLocation] = []
        for (k, v, p) in try entries(node, path, allowed: ["segment", "border", "hub", "country"]) {
            let values: [(String, Node, String)] = try v.sequence.map { seq in
                try seq.enumerated().map { (try string($0.element, "\(p)[\($0.offset)]"), $0.element, "\(p)[\($0.offset)]") }
            } ?? [(try string(v, p), v, p)]
            for (s, n, sp) in values {
                switch k {
                case "segment": targets.append(.segment(s))
                case "border": targets.append(.border(s))
                case "hub": targets.append(.hub(s))
                default: targets.append(.country(s))
                }
                locations.append(location(n, sp))
            }
        }
        return (targets, locations)
    }

    func day(_ node: Node, _ path: String) throws -> ScenarioDay {
        guard let raw = node.scalar?.string else { throw fail("expected a date (YYYY-MM-DD) or a day number", node, path) }
        if let n = Int(raw) { return .day(n) }
        // A day the month does not have (2015-02-30) is rejected, not carried into the next month.
        if let date = CalendarDay(parsing: raw) {
            let (y, m, d) = date.civil
            return .date(year: y, month: m, day: d)
        }
        throw fail("expected a date (YYYY-MM-DD) or a day number, got \(InputError.excerpt(raw))", node, path)
    }
}

extension CostModel.Parameters {
    /// Scenario file keys (`cost_model:`) of the numeric parameters and the field each is.
    public static let fileFields: [(key: String, field: WritableKeyPath<CostModel.Parameters, Double> & Sendable)] = [
        ("w_dist", \.distanceWeight), ("w_time", \.timeWeight), ("w_price", \.priceWeight), ("w_risk", \.riskWeight),
        ("w_detect", \.detectionWeight), ("per_km", \.perKm), ("value_of_hour", \.valueOfHour),
        ("land_speed_kmh", \.landSpeedKmh), ("sea_speed_kmh", \.seaSpeedKmh), ("ferry_speed_kmh", \.ferrySpeedKmh),
        ("border_wait_hours", \.borderWaitHours),
        ("sea_wait_hours", \.seaWaitHours), ("transit_fare_per_km", \.transitFarePerKm), ("sea_price_per_km", \.seaPricePerKm),
        ("border_crossing_price", \.borderCrossingPrice), ("sea_crossing_price", \.seaCrossingPrice),
        ("ferry_price", \.ferryPrice), ("value_of_life", \.valueOfLife), ("turn_back_cost", \.turnBackCost),
    ]

    /// Scenario file keys (`cost_model:`) and the parameter each sets.
    public static let fileKeys: [(key: String, set: @Sendable (inout CostModel.Parameters, Double) -> Void)] = {
        typealias Setter = @Sendable (inout CostModel.Parameters, Double) -> Void
        var keys: [(key: String, set: Setter)] = fileFields.map { entry in
            let field = entry.field
            return (entry.key, { $0[keyPath: field] = $1 })
        }
        let theta: Setter = { $0.theta = $1 }, outside: Setter = { $0.outsideOption = $1 }, none: Setter = { _, _ in }
        keys += [("theta", theta), ("outside_option", outside), ("detection_probability", none)]
        return keys
    }()

    /// The value of a `cost_model:` key (`w_dist`, `detection_probability.high`…), `nil` if unset or unknown.
    public func value(ofFileKey key: String) -> Double? {
        let level = "detection_probability."
        if key.hasPrefix(level) { return Surveillance(rawValue: String(key.dropFirst(level.count))).flatMap { detectionProbability[$0] } }
        switch key {
        case "theta": return theta
        case "outside_option": return outsideOption
        default: return Self.fileFields.first(where: { $0.key == key }).map { self[keyPath: $0.field] }
        }
    }
}

/// The one key check of RouteShift's YAML inputs (scenarios, cost model files, calibration files).
public enum YAMLMapping {
    /// The entries of the mapping `node` at key path `path` of `file`, each with its key path:
    /// rejects a node that is not a mapping, keys that are not plain text, keys not in
    /// `allowed` (with the nearest allowed ones; `nil` allows any key) and a key given twice.
    /// - Throws: `InputError` at the file, line and key path.
    public static func entries(_ node: Node, _ path: String, allowed: [String]?, file: String?) throws
        -> [(key: String, value: Node, path: String)] {
        func fail(_ message: String, _ at: Node, _ path: String, suggestions: [String] = []) -> InputError {
            InputError(message, at: InputLocation(file: file, line: at.mark?.line, path: path), suggestions: suggestions)
        }
        guard let mapping = node.mapping else { throw fail("expected a mapping", node, path) }
        var seen = Set<String>()
        var result: [(String, Node, String)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else { throw fail("keys must be plain text", keyNode, path) }
            let keyPath = "\(path).\(key)"
            if let allowed, !allowed.contains(key) {
                throw fail("unknown key '\(key)'", keyNode, keyPath,
                           suggestions: NearestMatch.suggestions(for: key, among: allowed))
            }
            guard seen.insert(key).inserted else { throw fail("duplicate key '\(key)'", keyNode, keyPath) }
            result.append((key, value, keyPath))
        }
        return result
    }
}
