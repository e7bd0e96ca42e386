import Foundation
import RouteShiftCore

/// A small CSV table read in full: the Geodata source tables are a few hundred
/// rows, so clarity beats streaming here.
///
/// Fields are read by `CSV` (RFC 4180, quoted fields may span lines). Lines
/// starting with `#` are comments.
struct SourceTable {
    let file: String
    let header: [String]
    /// Each row with its 1-based line number in the file, for messages.
    let rows: [(line: Int, fields: [String])]

    init(path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw InputError("cannot read: \(error.localizedDescription)", at: InputLocation(file: path))
        }
        try self.init(text: text, file: path)
    }

    init(text: String, file: String) throws {
        self.file = file
        var records = try CSV.records(text, file: file).map { (line: $0.line, fields: $0.fields) }
        while let first = records.first, first.fields.first?.hasPrefix("#") == true {
            records.removeFirst()
        }
        guard let head = records.first else { throw InputError("empty table", at: InputLocation(file: file)) }
        header = head.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = records.dropFirst().filter { !($0.fields.count == 1 && $0.fields[0].isEmpty) && $0.fields.first?.hasPrefix("#") != true }
    }

    /// Index of a column, or an error naming the file and the columns it has.
    func column(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw InputError("missing column '\(name)' (columns: \(header.joined(separator: ", ")))",
                             at: InputLocation(file: file, line: 1))
        }
        return i
    }

    func optionalColumn(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// The trimmed field of `row` in `column`, empty when the row is short.
    func field(_ row: [String], _ column: Int) -> String {
        column < row.count ? row[column].trimmingCharacters(in: .whitespaces) : ""
    }

    func location(line: Int, column: String? = nil) -> InputLocation {
        InputLocation(file: file, line: line, path: column)
    }
}
