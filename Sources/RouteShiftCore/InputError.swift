/// Where in an input a problem was found: a file, and a line, a column name or a JSON path in it.
public struct InputLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    /// A JSON path such as `$.features[3].properties.cost`, or a CSV column name.
    public var path: String?

    public init(file: String? = nil, line: Int? = nil, path: String? = nil) {
        self.file = file; self.line = line; self.path = path
    }

    public var description: String {
        guard let file else { return [line.map { "line \($0)" }, path].compactMap { $0 }.joined(separator: " ") }
        var s = file
        if let line { s += ":\(line)" }
        if let path { s += " (\(path))" }
        return s
    }
}

/// The two domains of RouteShift's errors, as GEOSwift separates invalid input
/// from library failure: the input is wrong (the caller can fix it by fixing
/// the input), or RouteShift could not do its job. A caller that maps errors to
/// outcomes (the `routeshift` exit codes) reads this instead of the message.
public enum ErrorDomain: Hashable, Sendable {
    /// Invalid input data: a malformed file, an unknown id, a value out of range (`InputError`).
    case invalidInput
    /// An input that does not exist or cannot be read (`MissingInput`).
    case missingInput
    /// An output that cannot be written.
    case cannotWrite
    /// A program or data file an output format needs is not installed.
    case missingTool
    /// A failure of RouteShift itself: a function called outside its contract (`ContractError`)
    /// or an error of a library underneath.
    case failure
}

/// An error that says which `ErrorDomain` it belongs to.
public protocol DomainError: Error, CustomStringConvertible {
    var domain: ErrorDomain { get }
}

/// Bad user input: a malformed file, an unknown id, an invalid value.
///
/// Its description names the place and the offending value, and suggests the
/// nearest valid id where one was misspelled. When it reports an error of a
/// lower layer (a `GraphError` of a graph build), that error is kept in
/// `underlying`. Domain `invalidInput` (exit 65 in the command-line tool).
public struct InputError: DomainError, Hashable, Sendable {
    public var location: InputLocation
    public var message: String
    public var suggestions: [String]
    /// The lower-layer error this one reports, if any.
    public var underlying: (any Error & Sendable)?

    public init(_ message: String, at location: InputLocation = InputLocation(), suggestions: [String] = [],
                underlying: (any Error & Sendable)? = nil) {
        self.message = message
        self.location = location
        self.suggestions = suggestions
        self.underlying = underlying
    }

    /// The longest message shown: a value echoed from a hostile input (a 10 MB
    /// field, a line of another file) is cut, never printed whole.
    public static let messageLimit = 600

    /// A short, escaped excerpt of an offending value for a message: quoted,
    /// control characters escaped, at most `limit` characters.
    public static func excerpt(_ value: some StringProtocol, limit: Int = 60) -> String {
        var out = ""
        for scalar in value.unicodeScalars.prefix(limit) { out += escaped(scalar) }
        return "'" + out + (value.unicodeScalars.count > limit ? "…" : "") + "'"
    }

    static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x00..<0x20, 0x7F, 0x80..<0xA0, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
            return "\\u{" + String(scalar.value, radix: 16) + "}"
        default: return String(scalar)
        }
    }

    /// The message with control characters escaped and cut at `messageLimit`.
    var shownMessage: String {
        var out = ""
        var count = 0
        for scalar in message.unicodeScalars {
            if count >= Self.messageLimit { return out + "… (cut)" }
            out += Self.escaped(scalar)
            count += 1
        }
        return out
    }

    /// Reports `underlying` (its description is the message) at `location`.
    public init(_ underlying: some Error & Sendable & CustomStringConvertible, at location: InputLocation = InputLocation(),
                suggestions: [String] = []) {
        self.init(underlying.description, at: location, suggestions: suggestions, underlying: underlying)
    }

    public var domain: ErrorDomain { .invalidInput }

    public var description: String {
        let place = location.description
        let message = shownMessage
        var s = place.isEmpty ? message : "\(place): \(message)"
        if !suggestions.isEmpty {
            s += " (did you mean " + suggestions.map { "'\($0)'" }.joined(separator: ", ") + "?)"
        }
        return s
    }

    public static func == (a: InputError, b: InputError) -> Bool {
        a.location == b.location && a.message == b.message && a.suggestions == b.suggestions
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(location); hasher.combine(message); hasher.combine(suggestions)
    }
}

/// An input that does not exist or cannot be read: a scenario file, a demand
/// CSV, a network. Domain `missingInput` (exit 66 in the command-line tool).
public struct MissingInput: DomainError, Hashable, Sendable {
    public var path: String
    /// What was expected there, e.g. `demand CSV`.
    public var what: String
    public init(path: String, what: String) { self.path = path; self.what = what }
    public var domain: ErrorDomain { .missingInput }
    public var description: String { "\(path): cannot read \(what)" }
}

/// A RouteShift function called outside its documented contract: a negative
/// flow, a path count of 0, parallel arrays of different lengths. A mistake of
/// the calling code, not of an input file (inputs are checked, with their file
/// and line, before they reach these functions). Domain `failure`.
public struct ContractError: DomainError, Hashable, Sendable {
    /// The function whose contract was broken, e.g. `Assignment.run`.
    public var function: String
    /// The argument, as a Swift key path from the function's parameters, e.g. `problem.method.k`.
    public var argument: String
    public var message: String
    public init(_ message: String, function: String, argument: String) {
        self.message = message; self.function = function; self.argument = argument
    }
    public var domain: ErrorDomain { .failure }
    public var description: String { "\(function): \(argument): \(message)" }
}
