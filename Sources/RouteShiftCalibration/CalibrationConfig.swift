import Foundation
import RouteShiftCore
import RouteShiftGraph
import RouteShiftObservations
import RouteShiftOptimization
import RouteShiftScenario
import RouteShiftSimulation
import Yams

/// `FROM:TO` months inclusive (`2014-01:2019-12`), or one year (`2015`) or month.
public struct MonthRange: Hashable, Sendable, CustomStringConvertible {
    public var first: YearMonth
    public var last: YearMonth

    public init(first: YearMonth, last: YearMonth) { self.first = first; self.last = last }

    public init?(_ text: String) {
        let ends = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func bounds(_ s: String) -> (YearMonth, YearMonth)? {
            if s.count == 4, let y = Int(s) { return (YearMonth(year: y, month: 1), YearMonth(year: y, month: 12)) }
            return YearMonth(parsing: s).map { ($0, $0) }
        }
        switch ends.count {
        case 1:
            guard let (a, b) = bounds(ends[0]) else { return nil }
            first = a; last = b
        case 2:
            guard let (a, _) = bounds(ends[0]), let (_, b) = bounds(ends[1]), a <= b else { return nil }
            first = a; last = b
        default:
            return nil
        }
    }

    public var months: [YearMonth] {
        var out: [YearMonth] = [], m = first
        while m <= last { out.append(m); m = m.next }
        return out
    }

    public var description: String { "\(first):\(last)" }
}

/// A calibration configuration file (see `Examples/calibration/README.md`).
public struct CalibrationConfig: Sendable {
    public var file: String?
    public var train: MonthRange
    public var validate: MonthRange?
    /// Observations directory (absolute, or relative to the file); `nil` = the bundled one.
    public var observations: String?
    /// Network; `nil` = the bundled one.
    public var network: String?
    public var free: [FreeParameter]
    public var algorithm: OptimizationAlgorithm = .bobyqa
    public var maxEvaluations = 1_000
    public var tolerance = 1e-4
    public var rounds = 2
    public var choiceSet = ChoiceSetSettings()
    public var size = 5
    /// Where each top-level key was written, for later errors.
    public var locations: [String: InputLocation] = [:]

    static let topKeys = ["train", "validate", "observations", "network", "parameters", "optimizer", "choice_set", "objective"]

    /// Reads `path`; relative paths inside resolve against its directory.
    /// - Throws: `InputError` with file, line and key path (nearest valid key or name),
    ///   or `MissingInput` when the file cannot be read.
    public static func load(path: String) throws -> CalibrationConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MissingInput(path: path, what: "calibration file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError("calibration file is not UTF-8 text", at: InputLocation(file: path))
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String? = nil) throws -> CalibrationConfig {
        try YAMLInputGuard.check(text, file: file)
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw InputError("not valid YAML: \(error)", at: InputLocation(file: file))
        }
        guard let root else { throw InputError("empty calibration file", at: InputLocation(file: file)) }
        let r = ConfigReader(file: file)
        var train: MonthRange?, validate: MonthRange?
        var config = CalibrationConfig(file: file, train: MonthRange(first: YearMonth(year: 2000, month: 1),
                                                                    last: YearMonth(year: 2000, month: 1)), free: [])
        for (key, value, path) in try r.entries(root, "$", allowed: topKeys) {
            config.locations[key] = r.location(value, path)
            switch key {
            case "train": train = try r.range(value, path)
            case "validate": validate = try r.range(value, path)
            case "observations": config.observations = r.resolve(try r.string(value, path))
            case "network": config.network = r.resolve(try r.string(value, path))
            case "objective":
                let name = try r.string(value, path)
                guard name == "route-ard" else {
                    throw r.fail("unknown objective '\(name)' (route-ard: Σ_routes |modelled − observed| / Σ observed per period)",
                                 value, path, suggestions: ["route-ard"])
                }
            case "parameters":
                for (name, body, p) in try r.entries(value, path, allowed: nil) {
                    var start: Double?, lower: Double?, upper: Double?
                    for (k, v, kp) in try r.entries(body, p, allowed: ["start", "min", "max"]) {
                        let x = try r.number(v, kp)
                        switch k { case "start": start = x; case "min": lower = x; default: upper = x }
                    }
                    guard let start, let lower, let upper else {
                        throw r.fail("parameter '\(name)' needs start, min and max", body, p)
                    }
                    config.free.append(FreeParameter(name: name, start: start, lower: lower, upper: upper,
                                                     location: r.location(body, p)))
                }
            case "optimizer":
                for (k, v, kp) in try r.entries(value, path, allowed: ["algorithm", "max_evaluations", "tolerance", "rounds"]) {
                    switch k {
                    case "algorithm":
                        let raw = try r.string(v, kp)
                        guard let a = OptimizationAlgorithm(rawValue: raw.lowercased()) else {
                            throw r.fail("unknown algorithm '\(raw)'", v, kp, suggestions: OptimizationAlgorithm.allCases.map(\.rawValue))
                        }
                        config.algorithm = a
                    case "max_evaluations": config.maxEvaluations = try r.count(v, kp, max: 10_000_000)
                    case "tolerance": config.tolerance = try r.number(v, kp, min: 0)
                    default: config.rounds = try r.count(v, kp, max: 1_000)
                    }
                }
            default:
                for (k, v, kp) in try r.entries(value, path, allowed: ["method", "size", "max_overlap", "max_detour", "search_limit"]) {
                    switch k {
                    case "method":
                        // Fixed choice sets are sets of distinct routes; Yen's near-copies are not offered.
                        let raw = try r.string(v, kp)
                        let names = [ChoiceSetSettings.Method.corridors, .linkElimination].map(\.rawValue)
                        guard let m = ChoiceSetSettings.Method(rawValue: raw.lowercased()), m != .kShortest else {
                            throw r.fail("unknown choice-set method '\(raw)' (\(names.joined(separator: ", ")))", v, kp,
                                         suggestions: names)
                        }
                        config.choiceSet.method = m
                    case "size": config.size = try r.count(v, kp, max: ShortestPathQuery.maximumPathCount)
                    case "max_overlap": config.choiceSet.maxOverlap = try r.number(v, kp, min: 0, max: 1)
                    case "max_detour": config.choiceSet.maxDetour = try r.number(v, kp, min: 0)
                    default: config.choiceSet.searchLimit = try r.count(v, kp, max: ChoiceSetRule.maximumSearchLimit)
                    }
                }
            }
        }
        guard let train else { throw r.fail("missing 'train' (e.g. train: 2014-01:2019-12)", root, "$.train") }
        config.train = train
        config.validate = validate
        if let validate, validate.months.contains(where: train.months.contains) {
            throw r.fail("'validate' (\(validate)) overlaps 'train' (\(train))", root, "$.validate")
        }
        guard !config.free.isEmpty else { throw r.fail("no free parameters under 'parameters'", root, "$.parameters") }
        try CalibrationParameters.validate(config.free)
        return config
    }
}

/// Walks the YAML tree keeping the key path, like the scenario reader.
private struct ConfigReader {
    let file: String?

    func location(_ node: Node?, _ path: String) -> InputLocation {
        InputLocation(file: file, line: node?.mark?.line, path: path)
    }

    func fail(_ message: String, _ node: Node?, _ path: String, suggestions: [String] = []) -> InputError {
        InputError(message, at: location(node, path), suggestions: suggestions)
    }

    func entries(_ node: Node, _ path: String, allowed: [String]?) throws -> [(key: String, value: Node, path: String)] {
        try YAMLMapping.entries(node, path, allowed: allowed, file: file)
    }

    func string(_ node: Node, _ path: String) throws -> String {
        guard let s = node.scalar?.string, !s.isEmpty else { throw fail("expected a text value", node, path) }
        return s
    }

    /// A whole number from 1 to `max` (a count of searches, rounds, evaluations).
    func count(_ node: Node, _ path: String, max: Int) throws -> Int {
        let x = try number(node, path, min: 1, max: Double(max))
        guard x == x.rounded() else { throw fail("expected a whole number, got \(InputError.excerpt(node.scalar?.string ?? ""))", node, path) }
        return Int(x)
    }

    func number(_ node: Node, _ path: String, min: Double? = nil, max: Double? = nil) throws -> Double {
        guard let raw = node.scalar?.string, let x = Double(raw.replacingOccurrences(of: "_", with: "")), x.isFinite else {
            throw fail("expected a number, got '\(node.scalar?.string ?? "a list or mapping")'", node, path)
        }
        if let min, x < min { throw fail("must be at least \(min) (got \(raw))", node, path) }
        if let max, x > max { throw fail("must be at most \(max) (got \(raw))", node, path) }
        return x
    }

    func range(_ node: Node, _ path: String) throws -> MonthRange {
        let raw = try string(node, path)
        guard let r = MonthRange(raw) else {
            throw fail("expected months FROM:TO such as 2014-01:2019-12 (or a year), got '\(raw)'", node, path)
        }
        return r
    }

    func resolve(_ raw: String) -> String {
        guard !raw.hasPrefix("/"), let file else { return raw }
        let dir = (file as NSString).deletingLastPathComponent
        return dir.isEmpty ? raw : dir + "/" + raw
    }
}
