import Foundation
import RouteShiftCore

/// One observation table read as text through RouteShift's one CSV reader
/// (`RouteShiftCore.CSV`, RFC 4180): every field is a `String` as written (quotes
/// removed, `""` unescaped, unquoted fields trimmed of spaces), never a guessed type,
/// so `NA` stays a code. Checks the header and each record's field count, and says
/// where a value is (file, line, column) for the readers' errors.
struct ObservationCSV {
    let path: String
    let header: [String]
    /// Records after the header, each with the line it starts on.
    let records: [(line: Int, fields: [String])]

    /// Reads `path`; quoted fields may hold commas, quotes and line breaks.
    /// - Throws: `ObservationDataNotFound` when unreadable, `InputError` (file and line) when malformed.
    /// - Complexity: O(bytes).
    init(path: String, requiredColumns: [String]) throws {
        let rows: [(line: Int, fields: [String])]
        do {
            rows = try CSV.records(path: path).map { ($0.line, $0.fields) }
        } catch is MissingInput {
            throw ObservationDataNotFound(path: path, searched: [path])
        }
        self.path = path
        guard let first = rows.first else { throw InputError("empty table", at: InputLocation(file: path)) }
        header = first.fields
        for name in requiredColumns where !header.contains(name) {
            throw InputError("the header needs a column '\(name)' (header: \(header.joined(separator: ",").prefix(120)))",
                             at: InputLocation(file: path, line: first.line),
                             suggestions: NearestMatch.suggestions(for: name, among: header))
        }
        records = Array(rows.dropFirst())
        for r in records where r.fields.count != header.count {
            throw InputError("expected \(header.count) fields, found \(r.fields.count): '\(Self.excerpt(r.fields.joined(separator: ",")))'",
                             at: InputLocation(file: path, line: r.line))
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
