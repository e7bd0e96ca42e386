import RouteShiftCore
import XCTest

/// The one CSV reader and writer, against RFC 4180's own examples and round trips.
final class CSVTests: XCTestCase {
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

    func testWriterRoundTripsThroughTheReader() throws {
        let fields = ["plain", "a,b", "say \"x\"", "line\nbreak", "cr\rx", ""]
        XCTAssertEqual(CSV.row(fields), "plain,\"a,b\",\"say \"\"x\"\"\",\"line\nbreak\",\"cr\rx\",\n")
        XCTAssertEqual(try CSV.records(CSV.row(fields)).map(\.fields), [fields])
    }
}
