/// One step of a JSON path: an object member or an array element.
enum JSONPathComponent: Hashable, Sendable {
    case key(String)
    case index(Int)
}

extension [JSONPathComponent] {
    /// JSONPath-style rendering (`$.features[3].geometry.coordinates[0][2]`); member names
    /// that are not plain identifiers use bracket notation (`$["a b"]`) so the path stays unambiguous.
    var rendered: String {
        var s = "$"
        for component in self {
            switch component {
            case .index(let i):
                s += "[\(i)]"
            case .key(let k):
                if JSONPathComponent.isIdentifier(k) {
                    s += "." + k
                } else {
                    s += "["
                    JSONWriter.appendString(k, to: &s)
                    s += "]"
                }
            }
        }
        return s
    }
}

extension JSONPathComponent {
    static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return key.utf8.allSatisfy { b in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: "_")
        }
    }
}
