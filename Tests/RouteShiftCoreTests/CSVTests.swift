import Foundation
import RouteShiftCore
import RouteShiftTestSupport
import XCTest

/// The one CSV reader and writer, against RFC 4180's own examples and round trips.
final class CSVTests: XCTestCase {
    /// `field` quotes exactly the texts holding a comma, a quote or a line break (any of
    /// Unicode's, as Swift's `Character.isNewline` has them), against that rule written plainly,
    /// on random texts mixing ASCII, the line breaks and other non-ASCII characters.
    func testFieldQuotesExactlyTextsWithCommaQuoteOrLineBreak() {
        let pieces: [String] = ["a", "Z", "0", " ", ",", "\"", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\u{85}",
                                "\u{2028}", "\u{2029}", "é", "İ", "€", "–", "·", "\t", ";"]
        var rng = SplitMix64(seed: 2028)
        for _ in 0..<5_000 {
            let s = (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let needs = s.contains { $0 == "," || $0 == "\"" || $0.isNewline }
            let expected = needs ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
            XCTAssertEqual(CSV.field(s), expected, "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        XCTAssertEqual(CSV.field("Frontex 2015-09 first entries; origin UNHCR"), "Frontex 2015-09 first entries; origin UNHCR")
        XCTAssertEqual(CSV.field("a\u{2028}b"), "\"a\u{2028}b\"")
    }

    func testQuotedFieldsCommasQuotesAndLineBreaks() throws {
        // RFC 4180 §2 rules 5-7: quoted fields, embedded CRLF, commas and doubled quotes.
        let text = "id,name,note\r\n1,\"Belgrade, RS\",\"said \"\"hi\"\"\"\r\n2,\"two\r\nlines\",x\r\n"
        XCTAssertEqual(try CSV.records(text), [
            CSV.Record(line: 1, fields: ["id", "name", "note"]),
            CSV.Record(line: 2, fields: ["1", "Belgrade, RS", "said \"hi\""]),
            CSV.Record(line: 3, fields: ["2", "two\r\nlines", "x"]),
        ])
    }

    func testSpacesBlankLinesAndLineEnds() throws {
        // Unquoted fields are trimmed, quoted ones kept; blank lines skipped; LF, CRLF and CR all end a line.
        XCTAssertEqual(try CSV.records(" a , \" b \" , Test Sea\n\n   \r\nc,d\re,f"), [
            CSV.Record(line: 1, fields: ["a", " b ", "Test Sea"]),
            CSV.Record(line: 4, fields: ["c", "d"]),
            CSV.Record(line: 5, fields: ["e", "f"]),
        ])
    }

    func testUnterminatedQuoteNamesItsLine() {
        XCTAssertThrowsError(try CSV.records("a,b\n1,\"open\n2,3\n", file: "d.csv")) { error in
            XCTAssertEqual((error as? InputError)?.location, InputLocation(file: "d.csv", line: 2))
        }
        XCTAssertThrowsError(try CSV.records(path: "/nonexistent/d.csv", what: "demand CSV")) { error in
            XCTAssertEqual(error as? MissingInput, MissingInput(path: "/nonexistent/d.csv", what: "demand CSV"))
        }
    }

    func testNonASCIITextBOMAndCodesReadAsText() throws {
        // A leading byte-order mark is not part of the first field; multi-byte characters
        // never split a field; Unicode spaces around an unquoted field are trimmed like
        // spaces; `NA` (Namibia) stays text.
        let text = "\u{FEFF}code,name\nNA,\u{00A0}Namibia\u{2003}\nCI,Côte d’Ivoire\nXK,\"Kosovo, \u{00A0}\"\n"
        XCTAssertEqual(try CSV.records(text), [
            CSV.Record(line: 1, fields: ["code", "name"]),
            CSV.Record(line: 2, fields: ["NA", "Namibia"]),
            CSV.Record(line: 3, fields: ["CI", "Côte d’Ivoire"]),
            CSV.Record(line: 4, fields: ["XK", "Kosovo, \u{00A0}"]),
        ])
        // Read from a file: the same records, invalid UTF-8 replaced by U+FFFD.
        let path = NSTemporaryDirectory() + "csv-bytes-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var bytes = Array(text.utf8)
        bytes += [UInt8(ascii: "Z"), UInt8(ascii: ","), 0xFF, UInt8(ascii: "\n")]
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let read = try CSV.records(path: path)
        XCTAssertEqual(Array(read.prefix(4)), try CSV.records(text))
        XCTAssertEqual(read.last, CSV.Record(line: 5, fields: ["Z", "\u{FFFD}"]))
    }

    func testWriterRoundTripsThroughTheReader() throws {
        let fields = ["plain", "a,b", "say \"x\"", "line\nbreak", "cr\rx", ""]
        XCTAssertEqual(CSV.row(fields), "plain,\"a,b\",\"say \"\"x\"\"\",\"line\nbreak\",\"cr\rx\",\n")
        XCTAssertEqual(try CSV.records(CSV.row(fields)).map(\.fields), [fields])
    }
}
