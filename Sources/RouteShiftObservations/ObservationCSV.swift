import Foundation
import RouteShiftCore

/// One RFC 4180 table read as text: every field is a `String` exactly as written
/// (quotes removed, `""` unescaped), never a guessed type, so `NA` stays a code.
struct ObservationCSV {
    let path: String
    let header: [String]
    /// Records after the header, each with the line it starts on.
    let records: [(line: Int, fields: [String])]

    /// Reads `path`; quoted fields may hold commas, quotes and line breaks.
    /// - Throws: `ObservationDataNotFound` when unreadable, `InputError` (file and line) when malformed.
    /// - Complexity: O(bytes).
    init(path: String, requiredColumns: [String]) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ObservationDataNotFound(path: path, searched: [path])
        }
        self.path = path
        var rows: [(line: Int, fields: [String])] = []
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var i = 0, line = 1
            let n = bytes.count
            if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
            var fields: [String] = []
            var field: [UInt8] = []
            var recordLine = 1
            var atRecordStart = true
            while i < n {
                let b = bytes[i]
                if atRecordStart { recordLine = line; atRecordStart = false }
                if b == UInt8(ascii: "\"") && field.isEmpty {
                    // Quoted field: runs to the closing quote not followed by another.
                    i += 1
                    var closed = false
                    while i < n {
                        let c = bytes[i]
                        if c == UInt8(ascii: "\"") {
                            if i + 1 < n, bytes[i + 1] == UInt8(ascii: "\"") { field.append(c); i += 2; continue }
                            closed = true; i += 1; break
                        }
                        if c == UInt8(ascii: "\n") { line += 1 }
                        field.append(c); i += 1
                    }
                    guard closed else {
                        throw InputError("unterminated quoted field", at: InputLocation(file: path, line: recordLine))
                    }
                    if i < n, bytes[i] != UInt8(ascii: ","), bytes[i] != UInt8(ascii: "\n"), bytes[i] != UInt8(ascii: "\r") {
                        throw InputError("text after a closing quote", at: InputLocation(file: path, line: line))
                    }
                    continue
                }
                if b == UInt8(ascii: ",") {
                    fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true)
                    i += 1; continue
                }
                if b == UInt8(ascii: "\r") || b == UInt8(ascii: "\n") {
                    if b == UInt8(ascii: "\r"), i + 1 < n, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                    fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true)
                    if !(fields.count == 1 && fields[0].isEmpty) { rows.append((recordLine, fields)) }
                    fields.removeAll(keepingCapacity: true)
                    line += 1; i += 1; atRecordStart = true
                    continue
                }
                field.append(b); i += 1
            }
            if !atRecordStart {
                fields.append(String(decoding: field, as: UTF8.self))
                if !(fields.count == 1 && fields[0].isEmpty) { rows.append((recordLine, fields)) }
            }
        }
        guard let first = rows.first else { throw InputError("empty table", at: InputLocation(file: path)) }
        header = first.fields
        for name in requiredColumns where !header.contains(name) {
            throw InputError("the header needs a column '\(name)' (header: \(header.joined(separator: ",").prefix(120)))",
                             at: InputLocation(file: path, line: first.line),
                             suggestions: NearestMatch.suggestions(for: name, among: header))
        }
        records = Array(rows.dropFirst())
        for r in records where r.fields.count != header.count {
            throw InputError("expected \(header.count) fields, found \(r.fields.count)", at: InputLocation(file: path, line: r.line))
        }
    }

    /// Position of a column named in `requiredColumns`.
    func column(_ name: String) -> Int { header.firstIndex(of: name)! }

    func location(_ line: Int, _ column: String) -> InputLocation { InputLocation(file: path, line: line, path: column) }

    /// A short escaped excerpt of a field for messages.
    static func excerpt(_ s: String) -> String {
        let cut = s.count > 40 ? String(s.prefix(40)) + "…" : s
        return cut.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : $0.escaped(asASCII: true) }.joined()
    }
}

/// The observation tables cannot be found or read (the CLI's "missing input").
public struct ObservationDataNotFound: DomainError, Hashable, Sendable {
    public var domain: ErrorDomain { .missingInput }
    public var path: String?
    public var searched: [String]
    public init(path: String?, searched: [String]) { self.path = path; self.searched = searched }
    public var description: String {
        if let path, searched == [path] { return "\(path): cannot read the observation table" }
        return "observation data not found (looked in \(searched.joined(separator: ", ")))"
    }
}
