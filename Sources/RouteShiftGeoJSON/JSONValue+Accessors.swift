// Typed views of a JSON value, for reading Feature properties: `properties["lanes"]?.doubleValue`.
// Each returns nil when the value has another JSON type; nothing is converted (a string "2" is not a number).

extension JSONValue {
    public var stringValue: String? {
        if case .string(let s) = self { s } else { nil }
    }

    public var doubleValue: Double? {
        if case .number(let n) = self { n } else { nil }
    }

    /// The number, if it is an integer that fits in `Int` exactly.
    public var intValue: Int? {
        guard case .number(let n) = self else { return nil }
        return Int(exactly: n)
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { b } else { nil }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { a } else { nil }
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { o } else { nil }
    }

    public var isNull: Bool { self == .null }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text, object keys in UTF-8 byte order.
    public var description: String { JSONWriter.snippet(self, limit: .max) }
}
