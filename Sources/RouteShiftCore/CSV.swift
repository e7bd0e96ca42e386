import Foundation

/// The CSV reader and writer for RouteShift's small tables (demand, Geodata
/// sources, Flee files, map places, reports), after RFC 4180: comma-separated
/// fields, optionally double-quoted, `""` for a quote inside quotes, quoted
/// fields may hold commas and line breaks. Lines end in LF, CRLF or CR.
///
/// One rule for spaces: an unquoted field is trimmed of spaces and tabs, a
/// quoted field is kept as written. Blank lines are skipped; comments are the
/// caller's rule (files differ on where `#` lines may stand).
///
/// The million-row pgRouting tables have their own parallel loader (`PgRoutingCSV`).
public enum CSV {
    /// One record with the 1-based line it starts on.
    public struct Record: Hashable, Sendable {
        public var line: Int
        public var fields: [String]
        public init(line: Int, fields: [String]) { self.line = line; self.fields = fields }
    }

    /// The records of the file at `path`.
    /// - Throws: `MissingInput` when it cannot be read (`what` says what it should hold),
    ///   `InputError` for an unterminated quoted field.
    public static func records(path: String, what: String = "CSV file") throws -> [Record] {
        guard let data = FileManager.default.contents(atPath: path) else { throw MissingInput(path: path, what: what) }
        return try records(String(decoding: data, as: UTF8.self), file: path)
    }

    /// The records of `text`; `file` names it in errors.
    /// - Throws: `InputError` at the line where an unterminated quoted field starts.
    /// - Complexity: O(n) in the length of `text`.
    public static func records(_ text: String, file: String? = nil) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false, wasQuoted = false
        var line = 1, recordLine = 1
        var scalars = Array(text.unicodeScalars)[...]

        func endField() {
            let text = String(field)
            fields.append(wasQuoted ? text : text.trimmingCharacters(in: .whitespaces))
            field = String.UnicodeScalarView(); wasQuoted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
        }
        while let c = scalars.popFirst() {
            if quoted {
                if c == "\"" {
                    if scalars.first == "\"" { scalars.removeFirst(); field.append("\"") } else { quoted = false }
                } else {
                    if c == "\n" || (c == "\r" && scalars.first != "\n") { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where String(field).trimmingCharacters(in: .whitespaces).isEmpty:
                quoted = true; wasQuoted = true; field = String.UnicodeScalarView()
            case " " where wasQuoted, "\t" where wasQuoted:
                continue  // spaces after a closing quote are not part of the field
            case ",":
                endField()
            case "\r", "\n":
                if c == "\r", scalars.first == "\n" { scalars.removeFirst() }
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(c)
            }
        }
        if quoted { throw InputError("unterminated quoted field", at: InputLocation(file: file, line: recordLine)) }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }

    /// `s` as one CSV field: quoted (quotes doubled) when it holds a comma, a
    /// quote or a line break, as written otherwise.
    public static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One CSV line (with its `\n`) of `fields`, each quoted as `field(_:)` does.
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }
}
