import RouteShiftCore

/// A strict RFC 8259 JSON parser producing `JSONValue`.
///
/// Hand-written rather than Foundation's so that errors carry the JSON path and line of
/// the offending text, duplicate member names are rejected instead of silently dropped,
/// and `true` can never be confused with the number 1.
///
/// - Complexity: O(n) time in the input length; recursion depth is bounded by `maximumDepth`.
struct JSONParser {
    /// Deep enough for any GeoJSON (a MultiPolygon position sits at depth 6 inside a feature),
    /// shallow enough that hostile input cannot overflow the stack.
    static let maximumDepth = 512

    private let input: [UInt8]
    private let file: String?
    private var position = 0
    private var line = 1
    private var path: [JSONPathComponent] = []
    /// When set, the parser notes the line on which the value at this path starts.
    private var target: [JSONPathComponent]?
    private var targetLine: Int?

    init(_ input: [UInt8], file: String?) {
        self.input = input
        self.file = file
    }

    /// Parses one complete document: a single value with only whitespace around it.
    static func parse(_ input: [UInt8], file: String?) throws -> JSONValue {
        var parser = JSONParser(input, file: file)
        // RFC 8259 §8.1 lets a parser ignore a byte order mark; editors on Windows add one.
        if input.starts(with: [0xEF, 0xBB, 0xBF]) { parser.position = 3 }
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.position < input.count {
            throw parser.error("unexpected \(parser.describeCurrent()) after the end of the document")
        }
        return value
    }

    /// The line on which the value at `path` starts, or nil if the document has no such value.
    /// - Complexity: O(n): the whole document is scanned again.
    static func line(of path: [JSONPathComponent], in input: [UInt8]) -> Int? {
        var parser = JSONParser(input, file: nil)
        parser.target = path
        if input.starts(with: [0xEF, 0xBB, 0xBF]) { parser.position = 3 }
        parser.skipWhitespace()
        _ = try? parser.parseValue(depth: 0)
        return parser.targetLine
    }

    private func error(_ message: String) -> InputError {
        InputError(message, at: InputLocation(file: file, line: line, path: path.rendered))
    }

    private func describeCurrent() -> String {
        guard position < input.count else { return "end of input" }
        let b = input[position]
        if b >= 0x20 && b < 0x7F { return "character '\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x" + String(b, radix: 16, uppercase: true)
    }

    private mutating func skipWhitespace() {
        while position < input.count {
            switch input[position] {
            case UInt8(ascii: "\n"): line += 1; position += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): position += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws -> JSONValue {
        if let target, targetLine == nil, path == target { targetLine = line }
        guard position < input.count else { throw error("unexpected end of input, expected a value") }
        switch input[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected \(describeCurrent()), expected a value")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        let bytes = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        guard position + count <= input.count, input[position..<position + count].elementsEqual(bytes) else {
            throw error("invalid literal, expected '\(literal)'")
        }
        position += count
    }

    private mutating func parseObject(depth: Int) throws -> JSONValue {
        guard depth <= Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
        position += 1  // "{"
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if position < input.count, input[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < input.count, input[position] == UInt8(ascii: "\"") else {
                throw error("unexpected \(describeCurrent()), expected a member name in double quotes")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < input.count, input[position] == UInt8(ascii: ":") else {
                throw error("unexpected \(describeCurrent()) after member name \(JSONWriter.quoted(key)), expected ':'")
            }
            position += 1
            skipWhitespace()
            path.append(.key(key))
            // RFC 8259 §4 leaves duplicate names to the implementation; silently keeping one would hide data errors.
            if members[key] != nil { throw error("duplicate member name \(JSONWriter.quoted(key))") }
            members[key] = try parseValue(depth: depth)
            path.removeLast()
            skipWhitespace()
            guard position < input.count else { throw error("unexpected end of input inside an object") }
            switch input[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .object(members)
            default: throw error("unexpected \(describeCurrent()) in an object, expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws -> JSONValue {
        guard depth <= Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
        position += 1  // "["
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < input.count, input[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            path.append(.index(elements.count))
            elements.append(try parseValue(depth: depth))
            path.removeLast()
            skipWhitespace()
            guard position < input.count else { throw error("unexpected end of input inside an array") }
            switch input[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(elements)
            default: throw error("unexpected \(describeCurrent()) in an array, expected ',' or ']'")
            }
        }
    }

    /// RFC 8259 §6 number grammar, checked exactly; the digits are then converted by the
    /// standard library, which rounds correctly.
    private mutating func parseNumber() throws -> Double {
        let start = position
        func digits(_ p: inout Int, _ input: [UInt8]) -> Int {
            let s = p
            while p < input.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(input[p]) { p += 1 }
            return p - s
        }
        var p = position
        if input[p] == UInt8(ascii: "-") { p += 1 }
        if p < input.count, input[p] == UInt8(ascii: "0") {
            p += 1
        } else if digits(&p, input) == 0 {
            position = p
            throw error("invalid number, expected a digit")
        }
        let integerEnd = p
        if p < input.count, input[p] == UInt8(ascii: ".") {
            p += 1
            if digits(&p, input) == 0 { position = p; throw error("invalid number, expected a digit after '.'") }
        }
        if p < input.count, input[p] == UInt8(ascii: "e") || input[p] == UInt8(ascii: "E") {
            p += 1
            if p < input.count, input[p] == UInt8(ascii: "+") || input[p] == UInt8(ascii: "-") { p += 1 }
            if digits(&p, input) == 0 { position = p; throw error("invalid number, expected a digit in the exponent") }
        }
        position = p
        let text = String(decoding: input[start..<p], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error("number \(text) is not finite in double precision")
        }
        // An integer literal must come out exact: beyond 2^53 a double would silently round
        // it (9007199254740993 → …992), and ids are compared exactly (RFC 8259 §6).
        if integerEnd == p, integerEnd - start > 15 {
            guard let exact = Int64(text), Int64(exactly: value) == exact else {
                throw error("integer \(text.count <= 40 ? text : text.prefix(40) + "…") cannot be represented exactly "
                            + "(beyond 2^53); write it as a string")
            }
        }
        return value
    }

    private mutating func parseString() throws -> String {
        position += 1  // opening quote
        var bytes: [UInt8] = []
        while true {
            guard position < input.count else { throw error("unexpected end of input inside a string") }
            let b = input[position]
            switch b {
            case UInt8(ascii: "\""):
                position += 1
                guard let s = String(validating: bytes, as: UTF8.self) else { throw error("string is not valid UTF-8") }
                return s
            case UInt8(ascii: "\\"):
                position += 1
                try parseEscape(into: &bytes)
            case 0..<0x20:
                throw error("unescaped control character 0x\(String(b, radix: 16, uppercase: true)) in a string")
            default:
                bytes.append(b)
                position += 1
            }
        }
    }

    private mutating func parseEscape(into bytes: inout [UInt8]) throws {
        guard position < input.count else { throw error("unexpected end of input inside a string") }
        let c = input[position]
        position += 1
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(c)
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "u"):
            var scalarValue = UInt32(try parseHex4())
            if (0xD800..<0xDC00).contains(scalarValue) {
                // A high surrogate must be followed by an escaped low surrogate (RFC 8259 §7).
                guard position + 1 < input.count, input[position] == UInt8(ascii: "\\"),
                      input[position + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired surrogate \\u\(String(scalarValue, radix: 16, uppercase: true)) in a string")
                }
                position += 2
                let low = UInt32(try parseHex4())
                guard (0xDC00..<0xE000).contains(low) else {
                    throw error("unpaired surrogate \\u\(String(scalarValue, radix: 16, uppercase: true)) in a string")
                }
                scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else {
                throw error("unpaired surrogate \\u\(String(scalarValue, radix: 16, uppercase: true)) in a string")
            }
            bytes.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw error("invalid escape sequence '\\\(Character(Unicode.Scalar(c)))' in a string")
        }
    }

    private mutating func parseHex4() throws -> UInt16 {
        guard position + 4 <= input.count else { throw error("unexpected end of input in a \\u escape") }
        var v: UInt16 = 0
        for b in input[position..<position + 4] {
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw error("invalid hexadecimal digit in a \\u escape")
            }
            v = v << 4 | UInt16(digit)
        }
        position += 4
        return v
    }
}
