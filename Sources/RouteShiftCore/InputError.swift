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

    public var description: String {
        let place = location.description
        var s = place.isEmpty ? message : "\(place): \(message)"
        if !suggestions.isEmpty {
            s += " (did you mean " + suggestions.map { "'\($0)'" }.joined(separator: ", ") + "?)"
        }
        return s
    }
}
