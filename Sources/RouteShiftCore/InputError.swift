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

/// Bad user input: a malformed file, an unknown id, an invalid value.
///
/// Its description names the place and the offending value, and suggests the
/// nearest valid id where one was misspelled. The CLI maps it to exit code 2.
public struct InputError: Error, Hashable, Sendable, CustomStringConvertible {
    public var location: InputLocation
    public var message: String
    public var suggestions: [String]

    public init(_ message: String, at location: InputLocation = InputLocation(), suggestions: [String] = []) {
        self.message = message
        self.location = location
        self.suggestions = suggestions
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

    public var description: String {
        let place = location.description
        let message = shownMessage
        var s = place.isEmpty ? message : "\(place): \(message)"
        if !suggestions.isEmpty {
            s += " (did you mean " + suggestions.map { "'\($0)'" }.joined(separator: ", ") + "?)"
        }
        return s
    }
}
