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
        return try data.withUnsafeBytes { raw in try records(utf8: raw.bindMemory(to: UInt8.self), file: path) }
    }

    /// The records of `text`; `file` names it in errors.
    /// - Throws: `InputError` at the line where an unterminated quoted field starts.
    /// - Complexity: O(n) in the length of `text`.
    public static func records(_ text: String, file: String? = nil) throws -> [Record] {
        var text = text
        return try text.withUTF8 { try records(utf8: $0, file: file) }
    }

    /// The reader, over UTF-8 bytes: every delimiter is ASCII, and no byte of a
    /// multi-byte UTF-8 sequence is, so fields split as their characters would.
    /// A leading byte-order mark is skipped; invalid UTF-8 becomes U+FFFD.
    static func records(utf8 bytes: UnsafeBufferPointer<UInt8>, file: String?) throws -> [Record] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false, wasQuoted = false
        var line = 1, recordLine = 1
        let n = bytes.count
        var i = n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0

        // Unquoted fields lose leading and trailing `.whitespaces` (space, tab and the
        // Unicode space separators, all of which are non-ASCII apart from space and tab).
        func isPlainEnd(_ b: UInt8) -> Bool { b < 0x80 && b != space && b != tab }
        func endField() {
            let text = String(decoding: field, as: UTF8.self)
            if wasQuoted || field.isEmpty || (isPlainEnd(field[0]) && isPlainEnd(field[field.count - 1])) {
                fields.append(text)
            } else {
                fields.append(text.trimmingCharacters(in: .whitespaces))
            }
            field.removeAll(keepingCapacity: true); wasQuoted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
        }
        func isBlank(_ field: [UInt8]) -> Bool {
            if field.allSatisfy({ $0 == space || $0 == tab }) { return true }
            if field.allSatisfy({ $0 < 0x80 }) { return false }
            return String(decoding: field, as: UTF8.self).trimmingCharacters(in: .whitespaces).isEmpty
        }
        while i < n {
            let c = bytes[i]
            i += 1
            if quoted {
                if c == quote {
                    if i < n, bytes[i] == quote { i += 1; field.append(quote) } else { quoted = false }
                } else {
                    if c == lf || (c == cr && !(i < n && bytes[i] == lf)) { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case quote where isBlank(field):
                quoted = true; wasQuoted = true; field.removeAll(keepingCapacity: true)
            case space where wasQuoted, tab where wasQuoted:
                continue  // spaces after a closing quote are not part of the field
            case comma:
                endField()
            case cr, lf:
                if c == cr, i < n, bytes[i] == lf { i += 1 }
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
    /// - Complexity: O(n) over the UTF-8 bytes; only text with non-ASCII bytes is also read
    ///   as characters (for the Unicode line breaks).
    public static func field(_ s: String) -> String {
        var ascii = true, special = false
        for b in s.utf8 {
            if b >= 0x80 { ascii = false; break }
            if b == 0x2C || b == 0x22 || (0x0A...0x0D).contains(b) { special = true; break }
        }
        if !ascii { special = s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) }
        guard special else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One CSV line (with its `\n`) of `fields`, each quoted as `field(_:)` does.
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }
}
