import Foundation
import RouteShiftCore
import RouteShiftGraph
import XCTest
@testable import RouteShiftNetwork
import RouteShiftTestSupport

final class PgRoutingCSVTests: XCTestCase {
    // MARK: Helpers

    private func parse(_ text: String, name: String = "edges.csv", chunkSize: Int = PgRoutingCSV.defaultChunkSize,
                       readCoordinates: Bool = true) throws -> PgRoutingCSV.Edges {
        try PgRoutingCSV.parseEdges(Array(text.utf8), name: name, readCoordinates: readCoordinates,
                                    chunkSize: chunkSize)
    }

    private func assertTable(_ t: EdgeTable, ids: [Int64], sources: [Int64], targets: [Int64], costs: [Double],
                             reverseCosts: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(t.ids.array, ids, file: file, line: line)
        XCTAssertEqual(t.sources.array, sources, file: file, line: line)
        XCTAssertEqual(t.targets.array, targets, file: file, line: line)
        XCTAssertEqual(t.costs.map(\.bitPattern), costs.map(\.bitPattern), file: file, line: line)
        XCTAssertEqual(t.reverseCosts.map(\.bitPattern), reverseCosts.map(\.bitPattern), file: file, line: line)
    }

    private func assertSame(_ a: PgRoutingCSV.Edges, _ b: PgRoutingCSV.Edges,
                            file: StaticString = #filePath, line: UInt = #line) {
        assertTable(a.table, ids: b.table.ids.array, sources: b.table.sources.array, targets: b.table.targets.array,
                    costs: b.table.costs.array, reverseCosts: b.table.reverseCosts.array, file: file, line: line)
        XCTAssertEqual(a.sourceCoordinates, b.sourceCoordinates, file: file, line: line)
        XCTAssertEqual(a.targetCoordinates, b.targetCoordinates, file: file, line: line)
        XCTAssertEqual(a.hasReverseCost, b.hasReverseCost, file: file, line: line)
        XCTAssertEqual(a.hasCoordinates, b.hasCoordinates, file: file, line: line)
    }

    /// The full description of the `InputError` that `body` throws.
    private func errorText(_ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as InputError {
            return error.description
        } catch {
            return "unexpected \(error)"
        }
    }

    private func fixture(_ name: String) throws -> String {
        try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Fixtures")).path
    }

    // MARK: Known tables

    func testParsesSmallTable() throws {
        let edges = try parse("""
            id,source,target,cost,reverse_cost
            1,1,2,1,1
            2,2,3,-1,0.5
            3,3,4,2.25,-1
            -4,4,1,1e3,1.5E-2
            """)
        assertTable(edges.table, ids: [1, 2, 3, -4], sources: [1, 2, 3, 4], targets: [2, 3, 4, 1],
                    costs: [1, -1, 2.25, 1000], reverseCosts: [1, 0.5, -1, 0.015])
        XCTAssertTrue(edges.hasReverseCost)
        XCTAssertFalse(edges.hasCoordinates)
        XCTAssertEqual(edges.nodeCoordinates().count, 0)
    }

    func testHeaderOnlyGivesEmptyTable() throws {
        let edges = try parse("id,source,target,cost\n")
        XCTAssertEqual(edges.table.count, 0)
    }

    func testColumnOrderAndCaseDoNotMatter() throws {
        let reference = try parse("""
            id,source,target,cost,reverse_cost
            7,100,200,3.5,4.5
            8,200,300,0.125,-1
            """)
        let permuted = try parse("""
            Reverse_Cost,name,TARGET,cost,Id,source
            4.5,Main street,200,3.5,7,100
            -1,,300,0.125,8,200
            """)
        assertSame(permuted, reference)
    }

    func testWithoutReverseCostTheGraphIsDirected() throws {
        let edges = try parse("source,target,id,cost\n1,2,1,5\n2,1,2,6\n")
        assertTable(edges.table, ids: [1, 2], sources: [1, 2], targets: [2, 1], costs: [5, 6], reverseCosts: [-1, -1])
        XCTAssertFalse(edges.hasReverseCost)
    }

    func testEndpointCoordinatesYieldNodeCoordinates() throws {
        let path = try fixture("triangle_edges")
        let edges = try PgRoutingCSV.readEdges(path: path)
        assertTable(edges.table, ids: [1, 2, 3], sources: [10, 20, 30], targets: [20, 30, 10],
                    costs: [1.5, 0.25, 12], reverseCosts: [1.5, -1, 12])
        XCTAssertTrue(edges.hasCoordinates)
        let fromEdges = edges.nodeCoordinates()
        XCTAssertEqual(fromEdges.ids, [10, 20, 30])
        XCTAssertEqual(fromEdges.longitudes, [2.35, 4.35, 13.4])
        XCTAssertEqual(fromEdges.latitudes, [48.85, 50.85, 52.52])
        let nodes = try PgRoutingCSV.readNodes(path: try fixture("triangle_nodes"))
        XCTAssertEqual(nodes.ids, fromEdges.ids)
        XCTAssertEqual(nodes.longitudes, fromEdges.longitudes)
        XCTAssertEqual(nodes.latitudes, fromEdges.latitudes)

        let costsOnly = try PgRoutingCSV.readEdges(path: path, readCoordinates: false)
        XCTAssertFalse(costsOnly.hasCoordinates)
        XCTAssertTrue(costsOnly.sourceCoordinates.isEmpty)
        XCTAssertEqual(costsOnly.table.costs, edges.table.costs)
    }

    func testQuotedFieldsBlanksCRLFAndByteOrderMark() throws {
        let plain = try parse("id,source,target,cost,reverse_cost\n1,2,3,4.5,-1\n2,3,4,0.5,0.5\n")
        let messy = try parse(
            "\u{FEFF}\"id\",\"source\", target ,\"cost\",reverse_cost\r\n"
                + "\"1\",2,\" 3 \",4.5,-1\r\n"
                + "\r\n"
                + " 2 , 3,4, \"0.5\" ,+0.5\r\n")
        assertSame(messy, plain)
        let names = try parse("id,name,source,target,cost\n1,\"Rue \"\"du\"\" Bac, Paris\",5,6,1\n")
        assertTable(names.table, ids: [1], sources: [5], targets: [6], costs: [1], reverseCosts: [-1])
    }

    func testLastLineWithoutNewline() throws {
        let edges = try parse("id,source,target,cost\n1,2,3,4\n5,6,7,8")
        XCTAssertEqual(edges.table.ids, [1, 5])
        XCTAssertEqual(edges.table.costs, [4, 8])
    }

    func testIntegerLimits() throws {
        let edges = try parse("""
            id,source,target,cost
            9223372036854775807,-9223372036854775808,123456789012345678,1
            -123456789012345678,+5,0,1
            """)
        XCTAssertEqual(edges.table.ids, [Int64.max, -123_456_789_012_345_678])
        XCTAssertEqual(edges.table.sources, [Int64.min, 5])
        XCTAssertEqual(edges.table.targets, [123_456_789_012_345_678, 0])
    }

    // MARK: Chunking

    func testRowsSplitAcrossChunkBoundariesParseIdentically() throws {
        var text = "id,source,target,cost,reverse_cost,x1,y1,x2,y2\r\n"
        for i in 1...60 {
            let cost = i % 7 == 0 ? "\"\(Double(i) / 3)\"" : "\(Double(i) / 3)"
            text += "\(i),\(i * 11),\(i * 13),\(cost),\(-Double(i)),\(Double(i) * 0.1),\(Double(i) * 0.2),"
                + "0.1234567890123456789,\(i)e-3\r\n"
            if i % 10 == 0 { text += "\n" }
        }
        let reference = try parse(text)
        XCTAssertEqual(reference.table.count, 60)
        for chunkSize in [1, 2, 3, 5, 7, 16, 31, 64, 100, 257] {
            assertSame(try parse(text, chunkSize: chunkSize), reference)
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgrouting-\(UUID()).csv")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        for chunkSize in [1, 9, 48, 49, 50, 4096] {
            assertSame(try PgRoutingCSV.readEdges(path: url.path, chunkSize: chunkSize), reference)
        }
    }

    /// A file is mapped and read in place, its pages given back behind the reading: over a
    /// file of many pages, line by line and block by block (on two threads), the rows and
    /// the graph are those parsed from the same bytes in memory, with the first bad line's
    /// number right.
    func testMappedFileReadsLikeBytesInMemory() throws {
        var text = "id,source,target,cost,reverse_cost\n"
        for i in 1...6000 { text += "\(i),\(1 + i % 997),\(1 + (i * 7) % 991),\(Double(i % 1000) / 7),\(i % 4 == 0 ? -1 : 0.5)\n" }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgrouting-\(UUID()).csv")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let reference = try parse(text)
        let graph = try PgRoutingCSV.parseGraph(Array(text.utf8), name: url.path, workers: 1)
        for chunkSize in [100, 4096, 5000, 1 << 20] {
            assertSame(try PgRoutingCSV.readEdges(path: url.path, chunkSize: chunkSize), reference)
            for workers in [1, 2] {
                assertSameGraph(try PgRoutingCSV.readGraph(path: url.path, chunkSize: chunkSize, workers: workers), graph,
                                "chunk \(chunkSize) workers \(workers)")
            }
        }
        try Data((text + "6001,1,2,x,1\n").utf8).write(to: url)
        for workers in [1, 2] {
            XCTAssertThrowsError(try PgRoutingCSV.readGraph(path: url.path, chunkSize: 5000, workers: workers)) { error in
                XCTAssertTrue("\(error)".contains(":6002"), "\(error)")
            }
        }
    }

    func testManyRowsReserveAndParseFromFile() throws {
        // More rows than the reservation sample, with a chunk size that splits many rows.
        var text = "id,source,target,cost,reverse_cost\n"
        for i in 0..<5000 { text += "\(i),\(i),\(i + 1),\(Double(i) * 0.001),\(i % 3 == 0 ? -1 : 1)\n" }
        let edges = try parse(text, chunkSize: 1000)
        XCTAssertEqual(edges.table.count, 5000)
        XCTAssertEqual(edges.table.costs[4321], 4.321)
        XCTAssertEqual(edges.table.reverseCosts[4320], -1)
    }

    // MARK: Floating point exactness


    private func scan(_ text: String) -> Double? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> Double? in
            var p = UnsafePointer(buffer.baseAddress!)
            let end = p + buffer.count
            guard let v = NumberScanner.double(&p, end), p == end else { return nil }
            return v
        }
    }

    func testFloatParsingMatchesStrtodBitForBit() throws {
        var rng = SplitMix64(seed: 0x5EED)
        var texts: [String] = []
        for _ in 0..<20_000 {
            // Any finite double, uniformly over bit patterns, printed several ways.
            var x = Double(bitPattern: rng.next())
            if !x.isFinite { x = 1.0 / 3.0 }
            for format in ["%.17g", "%.15g", "%.16e", "%.6f", "%g", "%.3e"] { texts.append(String(format: format, x)) }
            texts.append("\(x)")
            // Short decimals of the kind real files hold, around the fast path's limits.
            let mantissa = rng.next() % (rng.next() % 2 == 0 ? 1 << 53 : 10_000_000_000_000_000_000)
            let exponent = Int(rng.next() % 60) - 30
            texts.append("\(mantissa)e\(exponent)")
            let digits = Int(rng.next() % 9)
            texts.append(String(format: "%.\(digits)f", Double(Int64(bitPattern: rng.next()) % 100_000_000) / 1000))
        }
        texts += ["0", "-0", "0.0", "-0.000", ".5", "5.", "+1.5", "1e-400", "4.9e-324", "2.2250738585072011e-308",
                  "1.7976931348623157e308", "9007199254740993", "9007199254740992.5", "0.1", "1e22", "1e23",
                  "123456789012345678901234567890", "0.000000000000000000000000000001234"]
        var mismatches: [String] = []
        for text in texts {
            let expected = strtod(text, nil)
            guard expected.isFinite else { continue }
            guard let got = scan(text) else { mismatches.append("\(text): rejected"); continue }
            if got.bitPattern != expected.bitPattern { mismatches.append("\(text): \(got) != \(expected)") }
        }
        XCTAssertEqual(mismatches.prefix(10), [])
    }

    /// Plain decimals and integers of the lengths the word-at-a-time scanner
    /// handles (0–9 digits before and after the point, signs, leading and
    /// trailing zeros) parse bit for bit as Swift's own `Double(String)` and
    /// `Int64(String)`, alone, at the start, in the middle and at the end of a
    /// line (so the eight-byte loads near either end of the line are used), and
    /// stop where the number ends.
    func testWordScannerMatchesSwiftsParserOnRandomDecimals() throws {
        var rng = SplitMix64(seed: 0xDEC1_4A15)
        func digits(_ count: Int) -> String { String((0..<count).map { _ in Character(String(rng.next() % 10)) }) }
        var mismatches: [String] = []
        for trial in 0..<100_000 {
            let sign = ["", "", "-", "+"][Int(rng.next() % 4)]
            let whole = digits(Int(rng.next() % 10)), fraction = digits(Int(rng.next() % 10))
            let point = trial % 7 == 0 ? "" : "."
            let number = sign + whole + point + (point.isEmpty ? "" : fraction)
            let integerText = (sign == "+" ? "" : sign) + whole
            let prefix = ["", "7,", "123456789,", "1,2,3,"][Int(rng.next() % 4)]
            let suffix = ["", ",", ",1.5", ",0.123456,0.654321", "\n"][Int(rng.next() % 5)]
            let line = Array((prefix + number + suffix).utf8)
            let expected = Double(number)
            let got = line.withUnsafeBufferPointer { buffer -> (Double?, Int) in
                let start = buffer.baseAddress!
                var p = start + prefix.utf8.count
                let v = NumberScanner.double(&p, start + buffer.count, floor: start)
                return (v, p - start - prefix.utf8.count)
            }
            if let expected {
                if got.0?.bitPattern != expected.bitPattern || got.1 != number.utf8.count {
                    mismatches.append("\(prefix + number + suffix): \(String(describing: got)) != \(expected)")
                }
            } else if got.0 != nil && got.1 == number.utf8.count {
                mismatches.append("\(prefix + number + suffix): accepted \(got), Swift rejects")
            }
            guard !whole.isEmpty, whole.count <= 18 else { continue }
            let integer = Array((prefix + integerText + suffix).utf8).withUnsafeBufferPointer { buffer -> (Int64?, Int) in
                let start = buffer.baseAddress!
                var p = start + prefix.utf8.count
                let v = NumberScanner.integer(&p, start + buffer.count, floor: start)
                return (v, p - start - prefix.utf8.count)
            }
            if integer.0 != Int64(integerText) || integer.1 != integerText.utf8.count {
                mismatches.append("\(prefix + integerText + suffix): integer \(String(describing: integer))")
            }
        }
        XCTAssertEqual(mismatches.prefix(10), [])
    }

    func testFloatParsingThroughTheLoaderMatchesStrtod() throws {
        var rng = SplitMix64(seed: 42)
        var text = "id,source,target,cost,reverse_cost\n"
        var expected: [Double] = []
        for i in 0..<2000 {
            let x = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF)  // finite, non-negative
            let printed = String(format: i % 2 == 0 ? "%.17g" : "%.9g", x)
            text += "\(i),1,2,\(printed),-\(printed)\n"
            expected.append(strtod(printed, nil))
        }
        let edges = try parse(text, chunkSize: 333)
        XCTAssertEqual(edges.table.costs.map(\.bitPattern), expected.map(\.bitPattern))
        XCTAssertEqual(edges.table.reverseCosts.map(\.bitPattern), expected.map { (-$0).bitPattern })
    }

    // MARK: Errors

    /// The fast row parser either declines a line or reads it exactly as the slow
    /// (field-splitting) one does, on random lines over the bytes that matter to it,
    /// with the coordinate columns skipped in bulk (word-at-a-time comma count) and read.
    func testFastRowParserAgreesWithTheSlowOne() throws {
        var random = SplitMix64(seed: 20261202)
        let alphabet = Array("0123456789,,,,\"-.e ".utf8)
        let header = CSVHeaderFixture.edges
        var accepted = 0
        for trial in 0..<20_000 {
            var line: [UInt8]
            var plain = false
            if trial % 2 == 0 {
                // Near-valid rows: nine fields, some mutated.
                let fields = (0..<9).map { i -> String in
                    i < 3 ? String(random.next() % 1000) : String(format: "%.6f", Double(random.next() % 100_000) / 1000)
                }
                line = Array(fields.joined(separator: ",").utf8)
                let mutations = Int(random.next() % 3)
                plain = mutations == 0
                for _ in 0..<mutations where !line.isEmpty {
                    let at = Int(random.next() % UInt64(line.count))
                    if random.next() % 2 == 0 {
                        line[at] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                    } else {
                        line.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: at)
                    }
                }
            } else {
                line = (0..<Int(random.next() % 60)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            }
            for columns in [header.skippingCoordinates, header.all] {
                var fast = CSVRow()
                let ok = line.withUnsafeBufferPointer { CSVRow.parseFast($0, columns: columns, into: &fast) }
                let slow = try? line.withUnsafeBufferPointer {
                    try CSVRow.parseSlow($0, columns: columns, names: header.names, file: "e.csv", lineNumber: 1)
                }
                let text = String(decoding: line, as: UTF8.self)
                if ok {
                    accepted += 1
                    let s = try XCTUnwrap(slow, "fast parser accepted what the slow one rejects: \(text)")
                    XCTAssertEqual([fast.id, fast.source, fast.target], [s.id, s.source, s.target], text)
                    XCTAssertEqual([fast.cost, fast.reverseCost, fast.x1, fast.y1, fast.x2, fast.y2].map(\.bitPattern),
                                   [s.cost, s.reverseCost, s.x1, s.y1, s.x2, s.y2].map(\.bitPattern), text)
                } else {
                    XCTAssertFalse(plain, "fast parser declined a plain row: \(text)")
                }
            }
        }
        XCTAssertGreaterThan(accepted, 5_000)
        // The skipped columns' commas are counted across eight-byte words.
        let columns = header.skippingCoordinates
        for (text, ok) in [("1,2,3,4,5,6,7,8,9", true), ("1,2,3,4,5,6,7,8", false), ("1,2,3,4,5,6,7,8,9,", false),
                           ("1,2,3,4,5,66666666666,77777777777777,8,9999999999999", true),
                           ("1,2,3,4,5,6666666666\"6,7,8,9", false), ("1,2,3,4,5,,,,", true), ("1,2,3,4,5", false),
                           ("1,2,3,4,56,7,8,9", false)] {
            var row = CSVRow()
            XCTAssertEqual(Array(text.utf8).withUnsafeBufferPointer { CSVRow.parseFast($0, columns: columns, into: &row) },
                           ok, text)
        }
    }

    func testErrorMessages() {
        let header = "id,source,target,cost,reverse_cost\n"
        let cases: [(String, String)] = [
            (header + "1,2,3,4,5\n2,3,4,abc,1\n", "edges.csv:3 (cost): 'abc' is not a number"),
            (header + "1,2,3,4,5\n\n2,3,4,1,1x\n", "edges.csv:4 (reverse_cost): '1x' is not a number"),
            (header + "1,2.5,3,4,5\n", "edges.csv:2 (source): '2.5' is not an integer"),
            (header + "1,2,9223372036854775808,4,5\n",
             "edges.csv:2 (target): '9223372036854775808' is out of range for a 64-bit integer"),
            (header + "-,2,3,4,5\n", "edges.csv:2 (id): '-' is not an integer"),
            (header + "1,+-2,3,4,5\n", "edges.csv:2 (source): '+-2' is not an integer"),
            (header + "1,2,-9223372036854775809,4,5\n",
             "edges.csv:2 (target): '-9223372036854775809' is out of range for a 64-bit integer"),
            (header + "1,2,3,1e400,5\n", "edges.csv:2 (cost): '1e400' is out of range for a double"),
            (header + "1,2,3,nan,5\n", "edges.csv:2 (cost): 'nan' is not a number"),
            (header + "1,2,3,inf,5\n", "edges.csv:2 (cost): 'inf' is not a number"),
            (header + ",2,3,4,5\n", "edges.csv:2 (id): empty value, expected an integer"),
            (header + "1,2,3, ,5\n", "edges.csv:2 (cost): empty value, expected a number"),
            (header + "1,2,3,4\n", "edges.csv:2: expected 5 fields as in the header, found 4"),
            (header + "1,2,3,4,5,6\n", "edges.csv:2: expected 5 fields as in the header, found 6"),
            (header + "1,2,3,\"4,5\n", "edges.csv:2: unterminated quoted field (a quoted field cannot span lines)"),
            (header + "1,2,3,\"4\"x,5\n", "edges.csv:2: unexpected text after a closing quote in field 4"),
            ("", "edges.csv: the file is empty; expected a header line naming the columns id, source, target, cost"),
            ("\n\r\n", "edges.csv: the file is empty; expected a header line naming the columns id, source, target, cost"),
            ("id,sourse,target,cost\n", "edges.csv:1: missing required column 'source' (did you mean 'sourse'?)"),
            ("id,source,target,weight\n", "edges.csv:1: missing required column 'cost'"),
            ("id,source,target,cost,COST\n", "edges.csv:1: column 'COST' appears more than once in the header"),
            ("id,source,target,cost,x1,y1,x2\n",
             "edges.csv:1: endpoint coordinates need all of x1, y1, x2, y2; missing 'y2'"),
            ("id,source,target,cost,x1,y1,x2,y2\n1,2,3,4,5,6,7,north\n", "edges.csv:2 (y2): 'north' is not a number"),
        ]
        for (text, message) in cases {
            XCTAssertEqual(errorText { try self.parse(text) }, message, "input: \(text.debugDescription)")
            // The same error is found whatever the chunking.
            XCTAssertEqual(errorText { try self.parse(text, chunkSize: 3) }, message)
        }
    }

    func testNodeErrorMessages() {
        XCTAssertEqual(errorText { try PgRoutingCSV.parseNodes(Array("id,lng,lat\n".utf8), name: "nodes.csv") },
                       "nodes.csv:1: missing required column 'lon' (did you mean 'lng'?)")
        XCTAssertEqual(errorText { try PgRoutingCSV.parseNodes(Array("id,lon,lat\n1,2,x\n".utf8), name: "nodes.csv") },
                       "nodes.csv:2 (lat): 'x' is not a number")
    }

    func testMissingFileNamesThePath() {
        XCTAssertEqual(errorText { try PgRoutingCSV.readEdges(path: "/nonexistent/edges.csv") },
                       "/nonexistent/edges.csv: cannot open: No such file or directory")
    }

    // MARK: Straight into a graph

    private func assertSameGraph(_ a: RoutingGraph, _ b: RoutingGraph, _ message: String,
                                 file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.firstArc, b.firstArc, message, file: file, line: line)
        XCTAssertEqual(a.arcHead, b.arcHead, message, file: file, line: line)
        XCTAssertEqual(a.arcCost.map(\.bitPattern), b.arcCost.map(\.bitPattern), message, file: file, line: line)
        XCTAssertEqual(a.arcEdge, b.arcEdge, message, file: file, line: line)
        XCTAssertEqual(a.nodeIds, b.nodeIds, message, file: file, line: line)
        XCTAssertEqual(a.edgeIds, b.edgeIds, message, file: file, line: line)
        XCTAssertEqual(a.edgeForwardArc, b.edgeForwardArc, message, file: file, line: line)
        XCTAssertEqual(a.edgeBackwardArc, b.edgeBackwardArc, message, file: file, line: line)
        XCTAssertEqual((0..<a.nodeCount).map { a.coordinate(of: Int32($0))?.longitude },
                       (0..<b.nodeCount).map { b.coordinate(of: Int32($0))?.longitude }, message, file: file, line: line)
    }

    func testReadGraphEqualsTableThenBuild() throws {
        var rng = SplitMix64(seed: 17)
        var nodes = "id,lon,lat\n"
        for id in 1...300 {
            nodes += "\(id),\(Double(rng.next() % 100_000) / 1000),\(Double(rng.next() % 90_000) / 1000)\n"  // lat within [-90, 90]
        }
        let coordinates = try PgRoutingCSV.parseNodes(Array(nodes.utf8))
        for variant in 0..<3 {
            var text = "id,source,target,cost,reverse_cost,x1,y1,x2,y2\n"
            for row in 0..<1500 {
                let id = variant == 0 ? row + 1 : 10 * row + Int(rng.next() % 7)
                let cost = Double(rng.next() % 1_000_000) / 1e6
                let reverse = variant == 2 && row % 5 == 0 ? -1 : cost
                text += "\(id),\(1 + rng.next() % 300),\(1 + rng.next() % 300),\(cost),\(reverse),0,0,0,0\n"
            }
            let bytes = Array(text.utf8)
            let table = try PgRoutingCSV.parseEdges(bytes).table
            for given in [nil, coordinates] {
                let expected = try RoutingGraph(edges: table, coordinates: given)
                let message = "variant \(variant) coordinates \(given != nil)"
                assertSameGraph(try PgRoutingCSV.parseGraph(bytes, coordinates: given), expected, message)
                for batchRows in [1, 7, 256] {
                    let reader = ChunkedLineReader(bytes: bytes, name: "edges.csv", chunkSize: 333)
                    assertSameGraph(try PgRoutingCSV.parseGraph(from: reader, coordinates: given, batchRows: batchRows),
                                    expected, message)
                }
            }
        }
        // Parse errors keep their file and line.
        let bad = Array("id,source,target,cost\n1,1,2,0.5\n2,2,x,1\n".utf8)
        let message = errorText { try PgRoutingCSV.parseGraph(bad, name: "e.csv") }
        XCTAssertNotNil(message)
        XCTAssertEqual(message, errorText { try PgRoutingCSV.parseEdges(bad, name: "e.csv") })
    }

    /// Random edge files parsed by several threads against the one-thread
    /// parse: the same graph array for array, whatever the chunk size (down
    /// to a few bytes, so rows straddle chunk and share boundaries), with
    /// blank lines, CRLF and quoted fields (the slow path) mixed in.
    func testParallelReaderBuildsTheSerialGraph() throws {
        var rng = SplitMix64(seed: 2026)
        for (size, nodeCount) in [(0, 5), (1, 5), (37, 20), (500, 120), (4000, 900)] {
            var nodes = "id,lon,lat\n"
            for id in 1...nodeCount {
                nodes += "\(id),\(Double(rng.next() % 100_000) / 1000),\(Double(rng.next() % 90_000) / 1000)\n"  // lat within [-90, 90]
            }
            let nodeBytes = Array(nodes.utf8)
            let coordinates = try PgRoutingCSV.parseNodes(nodeBytes, workers: 1)
            var text = "id,source,target,cost,reverse_cost\n"
            for row in 0..<size {
                let cost = Double(rng.next() % 1_000_000) / 1e6
                let reverse = rng.next() % 4 == 0 ? -1 : (rng.next() % 2 == 0 ? cost : Double(rng.next() % 1000) / 7)
                let end = rng.next() % 5 == 0 ? "\r\n" : "\n"
                let costText = rng.next() % 9 == 0 ? "\"\(cost)\"" : "\(cost)"
                text += "\(row + 1),\(1 + rng.next() % UInt64(nodeCount)),\(1 + rng.next() % UInt64(nodeCount)),"
                    + "\(costText),\(reverse)\(end)"
                if rng.next() % 25 == 0 { text += "\n" }
            }
            let bytes = Array(text.utf8)
            for given in [nil, coordinates] {
                let serial = try PgRoutingCSV.parseGraph(bytes, coordinates: given, workers: 1)
                for chunkSize in [1, 7, 64, 1000, PgRoutingCSV.defaultChunkSize] {
                    for workers in [2, 3, 4] {
                        let message = "rows \(size) coordinates \(given != nil) chunk \(chunkSize) workers \(workers)"
                        let parallel = try PgRoutingCSV.parseGraph(bytes, coordinates: given, chunkSize: chunkSize,
                                                                   workers: workers)
                        assertSameGraph(parallel, serial, message)
                        XCTAssertEqual((0..<parallel.arcCount).map { parallel.isBackward(arc: Int32($0)) },
                                       (0..<serial.arcCount).map { serial.isBackward(arc: Int32($0)) }, message)
                        XCTAssertEqual((0..<parallel.nodeCount).map { parallel.coordinate(of: Int32($0))?.latitude },
                                       (0..<serial.nodeCount).map { serial.coordinate(of: Int32($0))?.latitude },
                                       message)
                        let parallelNodes = try PgRoutingCSV.parseNodes(nodeBytes, chunkSize: chunkSize,
                                                                        workers: workers)
                        XCTAssertEqual(parallelNodes.ids, coordinates.ids, message)
                        XCTAssertEqual(parallelNodes.longitudes, coordinates.longitudes, message)
                        XCTAssertEqual(parallelNodes.latitudes, coordinates.latitudes, message)
                    }
                }
            }
        }
        // The first bad line in file order is reported, with its line number, as by one thread.
        var text = "id,source,target,cost\n"
        for row in 1...300 { text += row == 150 || row == 290 ? "\(row),1,x,1\n" : "\(row),1,2,0.5\n" }
        let bad = Array(text.utf8)
        let expected = errorText { try PgRoutingCSV.parseGraph(bad, name: "e.csv", workers: 1) }
        XCTAssertEqual(expected?.contains("e.csv:151"), true, expected ?? "")
        for chunkSize in [5, 100, 4096] {
            for workers in [2, 4] {
                XCTAssertEqual(errorText { try PgRoutingCSV.parseGraph(bad, name: "e.csv", chunkSize: chunkSize,
                                                                       workers: workers) }, expected)
            }
        }
    }

    /// A file cut short by another program while it is mapped and read: the pages past
    /// its new end would raise SIGBUS and end the process. Each reader (edges line by
    /// line, the graph on one and on two threads, nodes) reports instead that the file
    /// shrank, with both sizes (`MissingInput`, exit 66), whatever the zeros that stand in
    /// for the lost pages made the parser see. A file that stays whole reads as before.
    func testAFileTruncatedWhileItIsReadIsAReadErrorNotABusError() throws {
        let dir = try TemporaryDirectory("rs-net")
        var edges = "id,source,target,cost,reverse_cost\n", nodes = "id,lon,lat\n"
        for i in 1...12_000 {
            edges += "\(i),\(i),\(i + 1),1.5,2.25\n"
            nodes += "\(i),\(Double(i % 360) - 180),\(Double(i % 180) - 90)\n"
        }
        let edgesPath = dir.path("edges.csv")
        let nodesPath = dir.path("nodes.csv")
        let readers: [(String, String, (ChunkedLineReader) throws -> Any)] = [
            ("edges", edgesPath, { try PgRoutingCSV.parseEdges(from: $0, readCoordinates: true) }),
            ("graph", edgesPath, { try PgRoutingCSV.parseGraph(from: $0, coordinates: nil, workers: 1) }),
            ("graph, 2 threads", edgesPath, { try PgRoutingCSV.parseGraph(from: $0, coordinates: nil, workers: 2) }),
            ("nodes, 2 threads", nodesPath, { try PgRoutingCSV.parseNodes(from: $0, workers: 2) }),
        ]
        for (what, path, read) in readers {
            for cut in [0, 5000] {
                try (path == edgesPath ? edges : nodes).write(toFile: path, atomically: false, encoding: .utf8)
                let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
                XCTAssertGreaterThan(size, 100_000)
                let reader = try ChunkedLineReader(path: path, chunkSize: 1 << 14)
                XCTAssertEqual(truncate(path, off_t(cut)), 0)  // after the mapping, before the reading
                XCTAssertThrowsError(try reader.whole { try read(reader) }, what) { error in
                    XCTAssertTrue(error is MissingInput, "\(what): \(error)")
                    XCTAssertEqual("\(error)", "\(path): cannot read it to its end: it shrank from \(size) to \(cut) "
                                   + "bytes while being read", what)
                }
            }
            try (path == edgesPath ? edges : nodes).write(toFile: path, atomically: false, encoding: .utf8)
            let reader = try ChunkedLineReader(path: path, chunkSize: 1 << 14)
            XCTAssertNoThrow(try reader.whole { try read(reader) }, what)
        }
        XCTAssertEqual(try PgRoutingCSV.readEdges(path: edgesPath).table.count, 12_000)
        XCTAssertEqual(try PgRoutingCSV.readNodes(path: nodesPath).count, 12_000)
    }

}

/// The columns of an edges header with coordinates, read or skipped.
private enum CSVHeaderFixture {
    static let edges = (
        names: ["id", "source", "target", "cost", "reverse_cost", "x1", "y1", "x2", "y2"],
        all: [CSVColumn.id, .source, .target, .cost, .reverseCost, .x1, .y1, .x2, .y2],
        skippingCoordinates: [CSVColumn.id, .source, .target, .cost, .reverseCost, .ignored, .ignored, .ignored, .ignored]
    )
}
