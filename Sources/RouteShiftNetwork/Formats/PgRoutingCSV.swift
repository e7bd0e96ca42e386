#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CMappedFiles
import RouteShiftCore
import RouteShiftGraph

/// Reader for pgRouting-shaped edge and node lists in CSV.
///
/// Edges: a header line naming the columns `id, source, target, cost` and
/// optionally `reverse_cost` and `x1, y1, x2, y2` (endpoint longitude/latitude),
/// in any order, matched case-insensitively; other columns are skipped. As in
/// pgRouting's `pgr_dijkstra`, a negative cost means "no arc in that direction",
/// and when the `reverse_cost` column is absent the graph is directed with only
/// the source→target arcs: every reverse cost is then -1.
///
/// Nodes: a header line naming `id, lon, lat`.
///
/// Fields may be quoted (RFC 4180, `""` for a quote inside), but a quoted field
/// cannot span lines. Lines end in LF or CRLF; empty lines are skipped; a UTF-8
/// byte-order mark is ignored.
///
/// The file is read in chunks of `chunkSize` bytes, so it is never held in memory
/// whole. Numbers are parsed by hand from the bytes; decimals with up to 15
/// significant digits take an exact fast path, the rest go through `strtod`,
/// so every value is the correctly rounded double.
public enum PgRoutingCSV {
    /// Bytes read from the file at a time.
    public static let defaultChunkSize = 4 << 20

    /// The contents of a pgRouting edges CSV.
    public struct Edges: Sendable {
        public var table: EdgeTable
        /// `false` when the file had no `reverse_cost` column (all reverse costs are -1).
        public var hasReverseCost: Bool
        /// `true` when the file had `x1, y1, x2, y2` and they were read.
        public var hasCoordinates: Bool
        /// Per edge row, the (x1, y1) of its source; empty without coordinates.
        public var sourceCoordinates: [Coordinate]
        /// Per edge row, the (x2, y2) of its target; empty without coordinates.
        public var targetCoordinates: [Coordinate]

        /// Node coordinates from the edges' endpoint columns, in order of first
        /// mention; the first row that mentions a node gives its coordinate.
        /// Empty without coordinates.
        ///
        /// - Complexity: O(n) expected for n edges.
        public func nodeCoordinates() -> NodeCoordinates {
            var nodes = NodeCoordinates()
            guard hasCoordinates else { return nodes }
            var seen = Set<Int64>(minimumCapacity: table.count)
            for i in 0..<table.count {
                if seen.insert(table.sources[i]).inserted {
                    nodes.append(id: table.sources[i], longitude: sourceCoordinates[i].longitude,
                                 latitude: sourceCoordinates[i].latitude)
                }
                if seen.insert(table.targets[i]).inserted {
                    nodes.append(id: table.targets[i], longitude: targetCoordinates[i].longitude,
                                 latitude: targetCoordinates[i].latitude)
                }
            }
            return nodes
        }
    }

    /// Reads an edges CSV file.
    ///
    /// - Parameters:
    ///   - readCoordinates: when `false`, the `x1, y1, x2, y2` columns are skipped
    ///     like unknown ones (less work and memory when only costs are needed).
    ///   - chunkSize: bytes read at a time; a line longer than this still works.
    /// - Throws: `InputError` naming the file, line, column and offending text;
    ///   `MissingInput` when the file is cut short (or grows) while it is read.
    /// - Complexity: O(file size), with memory O(edges + chunkSize).
    public static func readEdges(
        path: String, readCoordinates: Bool = true, chunkSize: Int = defaultChunkSize
    ) throws -> Edges {
        let reader = try ChunkedLineReader(path: path, chunkSize: chunkSize)
        return try reader.whole { try parseEdges(from: reader, readCoordinates: readCoordinates) }
    }

    /// Parses edges CSV text already in memory; `name` is used in error messages.
    public static func parseEdges(
        _ bytes: [UInt8], name: String = "<input>", readCoordinates: Bool = true, chunkSize: Int = defaultChunkSize
    ) throws -> Edges {
        try parseEdges(from: ChunkedLineReader(bytes: bytes, name: name, chunkSize: chunkSize),
                       readCoordinates: readCoordinates)
    }

    /// Reads an edges CSV file straight into a graph, without an `EdgeTable`.
    ///
    /// Rows are parsed in batches and handed to
    /// `RoutingGraph(coordinates:edgeBatches:)`, which keeps them in compact
    /// columns, so memory peaks at about the graph plus 16 bytes per edge
    /// instead of the graph plus a 40-byte-per-row table. The endpoint
    /// coordinate columns are not read. The graph is the one
    /// `RoutingGraph(edges: readEdges(path:).table, coordinates:)` builds.
    ///
    /// - Throws: `InputError` and `MissingInput` as `readEdges`, `GraphError` as the graph builder.
    /// - Complexity: O(file size), with memory O(graph + edges + chunkSize).
    ///   - workers: parser threads; with more than one, each chunk is split at
    ///     line ends and parsed concurrently, and the rows still reach the
    ///     builder in file order, so the graph does not depend on `workers`.
    public static func readGraph(
        path: String, coordinates: consuming NodeCoordinates? = nil, chunkSize: Int = defaultChunkSize,
        workers: Int = defaultWorkers
    ) throws -> RoutingGraph {
        let reader = try ChunkedLineReader(path: path, chunkSize: chunkSize)
        var pending: NodeCoordinates? = consume coordinates
        return try reader.whole {
            try parseGraph(from: reader, coordinates: pending.take(), workers: workers)
        }
    }

    /// `readGraph` over CSV text already in memory; `name` is used in error messages.
    public static func parseGraph(
        _ bytes: [UInt8], name: String = "<input>", coordinates: NodeCoordinates? = nil,
        chunkSize: Int = defaultChunkSize, workers: Int = defaultWorkers
    ) throws -> RoutingGraph {
        try parseGraph(from: ChunkedLineReader(bytes: bytes, name: name, chunkSize: chunkSize), coordinates: coordinates,
                       workers: workers)
    }

    /// Rows per batch handed to the graph builder (2.5 MB of columns).
    static let graphBatchRows = 1 << 16

    /// Reads a nodes CSV file (`id, lon, lat`), rows in file order.
    ///
    /// A node id given twice is not checked here: `RoutingGraph(edges:coordinates:)`
    /// rejects it when the graph is built.
    /// - Throws: `InputError` and `MissingInput` as `readEdges`.
    /// - Parameter workers: parser threads, as for `readGraph`.
    public static func readNodes(
        path: String, chunkSize: Int = defaultChunkSize, workers: Int = defaultWorkers
    ) throws -> NodeCoordinates {
        let reader = try ChunkedLineReader(path: path, chunkSize: chunkSize)
        return try reader.whole { try parseNodes(from: reader, workers: workers) }
    }

    /// Parses nodes CSV text already in memory; `name` is used in error messages.
    public static func parseNodes(
        _ bytes: [UInt8], name: String = "<input>", chunkSize: Int = defaultChunkSize, workers: Int = defaultWorkers
    ) throws -> NodeCoordinates {
        try parseNodes(from: ChunkedLineReader(bytes: bytes, name: name, chunkSize: chunkSize), workers: workers)
    }
}

// MARK: - Edges and nodes

extension PgRoutingCSV {
    static func parseEdges(from reader: ChunkedLineReader, readCoordinates: Bool) throws -> Edges {
        let (header, columns, withCoordinates) = try edgeHeader(reader: reader, readCoordinates: readCoordinates)

        // Plain local columns: their appends inline, unlike calls into EdgeTable.
        var ids: [Int64] = [], sources: [Int64] = [], targets: [Int64] = []
        var costs: [Double] = [], reverseCosts: [Double] = []
        var sourceCoordinates: [Coordinate] = []
        var targetCoordinates: [Coordinate] = []
        var reserved = false
        var row = CSVRow()
        while let line = try reader.nextLine() {
            if line.isEmpty { continue }
            if !CSVRow.parseFast(line, columns: columns, into: &row) {
                row = try CSVRow.parseSlow(line, columns: columns, names: header.names, reader: reader)
            }
            ids.append(row.id); sources.append(row.source); targets.append(row.target)
            costs.append(row.cost); reverseCosts.append(row.reverseCost)
            if withCoordinates {
                sourceCoordinates.append(Coordinate(longitude: row.x1, latitude: row.y1))
                targetCoordinates.append(Coordinate(longitude: row.x2, latitude: row.y2))
            }
            // Reserve once from the average length of the first rows, so large
            // files do not pay for repeated growth (and its transient doubling).
            if !reserved && ids.count == 256, let estimate = reader.estimatedRemainingLines() {
                reserved = true
                let n = ids.count + estimate
                ids.reserveCapacity(n); sources.reserveCapacity(n); targets.reserveCapacity(n)
                costs.reserveCapacity(n); reverseCosts.reserveCapacity(n)
                if withCoordinates {
                    sourceCoordinates.reserveCapacity(n)
                    targetCoordinates.reserveCapacity(n)
                }
            }
        }
        var table = EdgeTable()
        table.ids = Column(ids); table.sources = Column(sources); table.targets = Column(targets)
        table.costs = Column(costs); table.reverseCosts = Column(reverseCosts)
        return Edges(table: table, hasReverseCost: header.index["reverse_cost"] != nil,
                     hasCoordinates: withCoordinates,
                     sourceCoordinates: sourceCoordinates, targetCoordinates: targetCoordinates)
    }

    static func parseGraph(from reader: ChunkedLineReader, coordinates: consuming NodeCoordinates?,
                           batchRows: Int = graphBatchRows, workers: Int = 1) throws -> RoutingGraph {
        let (header, columns, _) = try edgeHeader(reader: reader, readCoordinates: false)
        let expected = reader.estimatedLinesAhead()
        if workers > 1 {
            return try RoutingGraph(coordinates: consume coordinates, expectedEdges: expected) { deliver in
                try parseLinesInParallel(
                    reader: reader, workers: workers,
                    makeRows: { EdgeLines(columns: columns, names: header.names, file: reader.name) },
                    consume: { rows in
                        if rows.count > 0 { try deliver(rows.batch) }
                        rows.clear()
                    })
            }
        }
        return try RoutingGraph(coordinates: consume coordinates, expectedEdges: expected) { deliver in
            var batch = EdgeTable()
            // A row takes at least 8 bytes ("1,1,2,1\n"): a small input reserves no more rows than it can hold.
            batch.reserveCapacity(reader.sizeHint > 0 ? min(batchRows, reader.sizeHint / 8 + 1) : batchRows)
            var row = CSVRow()
            while let line = try reader.nextLine() {
                if line.isEmpty { continue }
                if !CSVRow.parseFast(line, columns: columns, into: &row) {
                    row = try CSVRow.parseSlow(line, columns: columns, names: header.names, reader: reader)
                }
                batch.ids.append(row.id); batch.sources.append(row.source); batch.targets.append(row.target)
                batch.costs.append(row.cost); batch.reverseCosts.append(row.reverseCost)
                if batch.ids.count == batchRows {
                    try deliver(batch)
                    batch.ids.removeAll(keepingCapacity: true); batch.sources.removeAll(keepingCapacity: true)
                    batch.targets.removeAll(keepingCapacity: true); batch.costs.removeAll(keepingCapacity: true)
                    batch.reverseCosts.removeAll(keepingCapacity: true)
                }
            }
            if batch.count > 0 { try deliver(batch) }
        }
    }

    /// The edge file's header and the role of each column; coordinate columns
    /// count only when all four are present and wanted.
    private static func edgeHeader(reader: ChunkedLineReader, readCoordinates: Bool) throws
        -> (header: CSVHeader, columns: [CSVColumn], withCoordinates: Bool) {
        let known: [String: CSVColumn] = [
            "id": .id, "source": .source, "target": .target, "cost": .cost, "reverse_cost": .reverseCost,
            "x1": .x1, "y1": .y1, "x2": .x2, "y2": .y2,
        ]
        let header = try CSVHeader(reader: reader, known: known, required: ["id", "source", "target", "cost"])
        var columns = header.columns
        let coordinateNames = ["x1", "y1", "x2", "y2"]
        let presentCoordinates = coordinateNames.filter { header.index[$0] != nil }
        if !presentCoordinates.isEmpty && presentCoordinates.count < 4 {
            let missing = coordinateNames.filter { header.index[$0] == nil }
            throw InputError(
                "endpoint coordinates need all of x1, y1, x2, y2; missing "
                    + missing.map { "'\($0)'" }.joined(separator: ", "),
                at: InputLocation(file: reader.name, line: 1))
        }
        let withCoordinates = readCoordinates && presentCoordinates.count == 4
        if !withCoordinates {
            columns = columns.map { [.x1, .y1, .x2, .y2].contains($0) ? .ignored : $0 }
        }
        return (header, columns, withCoordinates)
    }

    /// Line numbers of the data rows of an edges (or, with `nodes`, a nodes)
    /// file for which `matches` holds, in file order, at most `limit`: after a
    /// build fails on a node or edge id, they point at the rows behind it.
    /// - Complexity: O(file size); only run on that error path.
    static func lines(in path: String, nodes: Bool, limit: Int, where matches: (CSVRow) -> Bool) -> [Int] {
        guard let reader = try? ChunkedLineReader(path: path, chunkSize: defaultChunkSize) else { return [] }
        let columns: [CSVColumn], names: [String]
        if nodes {
            guard let header = try? CSVHeader(reader: reader, known: ["id": .id, "lon": .x1, "lat": .y1],
                                              required: ["id", "lon", "lat"]) else { return [] }
            (columns, names) = (header.columns, header.names)
        } else {
            guard let (header, c, _) = try? edgeHeader(reader: reader, readCoordinates: false) else { return [] }
            (columns, names) = (c, header.names)
        }
        var found: [Int] = []
        var row = CSVRow()
        while found.count < limit, let line = try? reader.nextLine() {
            if line.isEmpty { continue }
            if !CSVRow.parseFast(line, columns: columns, into: &row) {
                guard let slow = try? CSVRow.parseSlow(line, columns: columns, names: names, reader: reader) else { continue }
                row = slow
            }
            if matches(row) { found.append(reader.lineNumber) }
        }
        return found
    }

    static func parseNodes(from reader: ChunkedLineReader, workers: Int = 1) throws -> NodeCoordinates {
        let header = try CSVHeader(reader: reader, known: ["id": .id, "lon": .x1, "lat": .y1],
                                   required: ["id", "lon", "lat"])
        var nodes = NodeCoordinates()
        if workers > 1 {
            var reserved = false
            try parseLinesInParallel(
                reader: reader, workers: workers,
                makeRows: { NodeLines(columns: header.columns, names: header.names, file: reader.name) },
                consume: { rows in
                    if !reserved, let estimate = reader.estimatedRemainingLines() {
                        reserved = true
                        nodes.reserveCapacity(nodes.count + rows.nodes.count + estimate)
                    }
                    nodes.ids.append(contentsOf: rows.nodes.ids)
                    nodes.longitudes.append(contentsOf: rows.nodes.longitudes)
                    nodes.latitudes.append(contentsOf: rows.nodes.latitudes)
                    rows.nodes.ids.removeAll(keepingCapacity: true)
                    rows.nodes.longitudes.removeAll(keepingCapacity: true)
                    rows.nodes.latitudes.removeAll(keepingCapacity: true)
                })
            return nodes
        }
        var row = CSVRow()
        while let line = try reader.nextLine() {
            if line.isEmpty { continue }
            if !CSVRow.parseFast(line, columns: header.columns, into: &row) {
                row = try CSVRow.parseSlow(line, columns: header.columns, names: header.names, reader: reader)
            }
            try row.checkNodePosition(names: header.names, columns: header.columns, file: reader.name,
                                      lineNumber: reader.lineNumber)
            nodes.append(id: row.id, longitude: row.x1, latitude: row.y1)
            if nodes.count == 256, let estimate = reader.estimatedRemainingLines() {
                nodes.reserveCapacity(nodes.count + estimate)
            }
        }
        return nodes
    }
}

// MARK: - Header

/// What a column holds; node files reuse `x1`/`y1` for lon/lat.
enum CSVColumn: Equatable {
    case id, source, target, cost, reverseCost, x1, y1, x2, y2, ignored
}

struct CSVHeader {
    /// Column roles in file order.
    var columns: [CSVColumn]
    /// Column names as written, in file order (for error messages).
    var names: [String]
    /// Known lower-cased name → column index.
    var index: [String: Int]

    init(reader: ChunkedLineReader, known: [String: CSVColumn], required: [String]) throws {
        var first: UnsafeBufferPointer<UInt8>?
        while let line = try reader.nextLine() {
            if !line.isEmpty { first = line; break }
        }
        guard var line = first else {
            throw InputError("the file is empty; expected a header line naming the columns "
                                + required.joined(separator: ", "),
                             at: InputLocation(file: reader.name))
        }
        if reader.lineNumber == 1, line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
            line = UnsafeBufferPointer(rebasing: line[3...])
        }
        let location = InputLocation(file: reader.name, line: reader.lineNumber)
        names = try CSVRow.splitFields(line, location: location).map {
            String(decoding: CSVRow.trimmed($0), as: UTF8.self)
        }
        columns = []
        index = [:]
        for (i, name) in names.enumerated() {
            let key = name.lowercased()
            guard let column = known[key] else {
                columns.append(.ignored)
                continue
            }
            if index[key] != nil {
                throw InputError("column '\(name)' appears more than once in the header", at: location)
            }
            index[key] = i
            columns.append(column)
        }
        for name in required where index[name] == nil {
            let unknown = names.filter { known[$0.lowercased()] == nil }
            throw InputError("missing required column '\(name)'", at: location,
                             suggestions: NearestMatch.suggestions(for: name, among: unknown))
        }
    }
}

// MARK: - Rows

struct CSVRow {
    var id: Int64 = 0
    var source: Int64 = 0
    var target: Int64 = 0
    var cost = 0.0
    var reverseCost = -1.0
    var x1 = 0.0, y1 = 0.0, x2 = 0.0, y2 = 0.0

    private static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")

    /// Parses an unquoted, well-formed line; `false` sends it to `parseSlow`,
    /// which handles quotes and blanks or throws the precise error.
    ///
    /// Columns after the last one read (the skipped `x1..y2` of an edges file read
    /// without coordinates) are not parsed field by field: the rest of the line is
    /// checked eight bytes at a time to hold exactly one comma per such column, the
    /// first right at the start, and no quote, which is what skipping them one by
    /// one would accept.
    @inline(__always)
    static func parseFast(_ line: UnsafeBufferPointer<UInt8>, columns: [CSVColumn], into row: inout CSVRow) -> Bool {
        guard let start = line.baseAddress else { return false }
        var p = start
        let end = p + line.count
        var read = columns.count
        while read > 1 && columns[read - 1] == .ignored { read -= 1 }
        var first = true
        for column in columns[..<read] {
            if !first {
                guard p < end, p.pointee == comma else { return false }
                p += 1
            }
            first = false
            switch column {
            case .id: guard let v = NumberScanner.integer(&p, end, floor: start) else { return false }; row.id = v
            case .source: guard let v = NumberScanner.integer(&p, end, floor: start) else { return false }; row.source = v
            case .target: guard let v = NumberScanner.integer(&p, end, floor: start) else { return false }; row.target = v
            case .cost: guard let v = NumberScanner.double(&p, end, floor: start) else { return false }; row.cost = v
            case .reverseCost: guard let v = NumberScanner.double(&p, end, floor: start) else { return false }; row.reverseCost = v
            case .x1: guard let v = NumberScanner.double(&p, end, floor: start) else { return false }; row.x1 = v
            case .y1: guard let v = NumberScanner.double(&p, end, floor: start) else { return false }; row.y1 = v
            case .x2: guard let v = NumberScanner.double(&p, end, floor: start) else { return false }; row.x2 = v
            case .y2: guard let v = NumberScanner.double(&p, end, floor: start) else { return false }; row.y2 = v
            case .ignored:
                while p < end && p.pointee != comma {
                    if p.pointee == quote { return false }
                    p += 1
                }
            }
        }
        let skipped = columns.count - read
        if skipped == 0 { return p == end }
        guard p < end, p.pointee == comma else { return false }
        return commasWithoutQuotes(p, end) == skipped
    }

    /// The number of commas in `[p, end)`, or -1 if a quote is among the bytes.
    /// Eight bytes at a time: in `x = word ^ pattern` a byte is zero exactly where
    /// the word has the pattern's byte, and `~(((x & 0x7f…) + 0x7f…) | x | 0x7f…)`
    /// sets the top bit of exactly those bytes (no carry crosses a byte); the top
    /// bits are counted by one multiplication (each byte's bit moved to its bottom,
    /// the eight bytes summed into the top one), not a population count, which
    /// baseline x86-64 has no instruction for.
    @inline(__always)
    static func commasWithoutQuotes(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Int {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        @inline(__always) func matches(_ word: UInt64, _ pattern: UInt64) -> UInt64 {
            let x = word ^ pattern
            return ~(((x & low) &+ low) | x | low)
        }
        var p = start
        var commas = 0
        while end - p >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
            if matches(word, 0x2222_2222_2222_2222) != 0 { return -1 }
            commas += Int(((matches(word, 0x2C2C_2C2C_2C2C_2C2C) >> 7) &* 0x0101_0101_0101_0101) >> 56)
            p += 8
        }
        while p < end {
            if p.pointee == quote { return -1 }
            if p.pointee == comma { commas += 1 }
            p += 1
        }
        return commas
    }

    /// Splits with quote handling, trims blanks, and names the first bad field.
    static func parseSlow(
        _ line: UnsafeBufferPointer<UInt8>, columns: [CSVColumn], names: [String], reader: ChunkedLineReader
    ) throws -> CSVRow {
        try parseSlow(line, columns: columns, names: names, file: reader.name, lineNumber: reader.lineNumber)
    }

    static func parseSlow(
        _ line: UnsafeBufferPointer<UInt8>, columns: [CSVColumn], names: [String], file: String, lineNumber: Int
    ) throws -> CSVRow {
        var location = InputLocation(file: file, line: lineNumber)
        let fields = try splitFields(line, location: location)
        guard fields.count == columns.count else {
            throw InputError("expected \(columns.count) fields as in the header, found \(fields.count)", at: location)
        }
        var row = CSVRow()
        for (i, column) in columns.enumerated() where column != .ignored {
            let field = trimmed(fields[i])
            location.path = names[i]
            let text = String(decoding: field, as: UTF8.self)
            switch column {
            case .id, .source, .target:
                guard !field.isEmpty else { throw InputError("empty value, expected an integer", at: location) }
                guard let v = NumberScanner.wholeInteger(field) else {
                    let unsigned = field.first == UInt8(ascii: "-") || field.first == UInt8(ascii: "+")
                        ? field.dropFirst() : field[...]
                    let isDigits = !unsigned.isEmpty
                        && unsigned.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
                    throw InputError(isDigits ? "'\(text)' is out of range for a 64-bit integer"
                                              : "'\(text)' is not an integer", at: location)
                }
                switch column {
                case .id: row.id = v
                case .source: row.source = v
                default: row.target = v
                }
            default:
                guard !field.isEmpty else { throw InputError("empty value, expected a number", at: location) }
                let parsed = field.withUnsafeBufferPointer { buffer -> Double? in
                    guard var p = buffer.baseAddress else { return nil }
                    let end = p + buffer.count
                    guard let v = NumberScanner.double(&p, end), p == end else { return nil }
                    return v
                }
                guard let v = parsed else {
                    throw InputError(NumberScanner.isDecimal(field) ? "'\(text)' is out of range for a double"
                                                                    : "'\(text)' is not a number", at: location)
                }
                switch column {
                case .cost: row.cost = v
                case .reverseCost: row.reverseCost = v
                case .x1: row.x1 = v
                case .y1: row.y1 = v
                case .x2: row.x2 = v
                default: row.y2 = v
                }
            }
        }
        return row
    }

    /// Rejects a node row whose lon/lat is not a WGS84 position (the check
    /// GeoJSON positions get), naming the line and column.
    @inline(__always)
    func checkNodePosition(names: [String], columns: [CSVColumn], file: String, lineNumber: Int) throws {
        if let problem = Coordinate.longitudeProblem(x1) {
            throw InputError(problem, at: InputLocation(file: file, line: lineNumber,
                                                        path: columns.firstIndex(of: .x1).map { names[$0] }))
        }
        if let problem = Coordinate.latitudeProblem(y1) {
            throw InputError(problem, at: InputLocation(file: file, line: lineNumber,
                                                        path: columns.firstIndex(of: .y1).map { names[$0] }))
        }
    }

    /// RFC 4180 fields of one line, quotes removed and `""` unescaped.
    static func splitFields(_ line: UnsafeBufferPointer<UInt8>, location: InputLocation) throws -> [[UInt8]] {
        var fields: [[UInt8]] = []
        var i = 0
        let n = line.count
        while true {
            var field: [UInt8] = []
            var j = i
            while j < n && (line[j] == UInt8(ascii: " ") || line[j] == UInt8(ascii: "\t")) { j += 1 }
            if j < n && line[j] == quote {
                j += 1
                var closed = false
                while j < n {
                    if line[j] == quote {
                        if j + 1 < n && line[j + 1] == quote {
                            field.append(quote); j += 2
                        } else {
                            closed = true; j += 1; break
                        }
                    } else {
                        field.append(line[j]); j += 1
                    }
                }
                guard closed else {
                    throw InputError("unterminated quoted field (a quoted field cannot span lines)", at: location)
                }
                while j < n && (line[j] == UInt8(ascii: " ") || line[j] == UInt8(ascii: "\t")) { j += 1 }
                guard j == n || line[j] == comma else {
                    throw InputError("unexpected text after a closing quote in field \(fields.count + 1)",
                                     at: location)
                }
            } else {
                j = i
                while j < n && line[j] != comma { field.append(line[j]); j += 1 }
            }
            fields.append(field)
            if j >= n { return fields }
            i = j + 1
        }
    }

    static func trimmed(_ field: [UInt8]) -> [UInt8] {
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard let first = field.firstIndex(where: { !blank($0) }) else { return [] }
        let last = field.lastIndex(where: { !blank($0) })!
        return Array(field[first...last])
    }
}

// MARK: - Numbers

/// Decimal number scanning straight from bytes.
enum NumberScanner {
    /// Exactly representable powers of ten, 10^0 ... 10^22.
    static let powersOfTen: [Double] = (0...22).map { k in
        var p = 1.0
        for _ in 0..<k { p *= 10 }  // exact: every intermediate is an integer below 2^53 · 2^22
        return p
    }

    /// The eight bytes at `q` as a little-endian word, bytes at and past `end`
    /// read as zero; `nil` when that needs bytes before `floor` (a field of
    /// fewer than eight bytes at the start of its line).
    ///
    /// Near `end` the word is loaded from `end - 8` (bytes of the same line, at
    /// or after `floor`) and shifted down, so nothing past `end` is read.
    @inline(__always)
    static func word(at q: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, floor: UnsafePointer<UInt8>) -> UInt64? {
        let n = end - q
        if n >= 8 { return UInt64(littleEndian: UnsafeRawPointer(q).loadUnaligned(as: UInt64.self)) }
        if n <= 0 { return 0 }
        guard end - floor >= 8 else { return nil }
        let last = UInt64(littleEndian: UnsafeRawPointer(end - 8).loadUnaligned(as: UInt64.self))
        return last >> UInt64(8 * (8 - n))
    }

    /// The run of decimal digits that starts `word` (its lowest byte first):
    /// how many (0...8) and, when fewer than eight, their value. Branch-free:
    /// a byte is a digit exactly when `byte ^ 0x30` is below 10; the digits are
    /// shifted to the top of the word (zero bytes before them act as leading
    /// zeros) and combined pairwise, then in fours, then in eights, by three
    /// multiplications (the method of Lemire's fast_float).
    /// - Complexity: O(1).
    @inline(__always)
    static func leadingDigits(_ word: UInt64) -> (count: Int, value: UInt64) {
        let x = word ^ 0x3030_3030_3030_3030
        // Top bit of each byte set where the byte is not a digit (no carry crosses a byte).
        let notDigit = (((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | x) & 0x8080_8080_8080_8080
        let count = notDigit.trailingZeroBitCount >> 3
        guard count > 0 && count < 8 else { return (count, 0) }
        var v = x << UInt64(64 - 8 * count)
        v = (v &* 10) &+ (v >> 8)
        v = (((v & 0x0000_00FF_0000_00FF) &* 0x000F_4240_0000_0064)
            &+ (((v >> 16) & 0x0000_00FF_0000_00FF) &* 0x0000_2710_0000_0001)) >> 32
        return (count, v & 0xFFFF_FFFF)
    }

    /// 10^k for 0 ≤ k ≤ 7.
    @inline(__always)
    static func integerPowerOfTen(_ k: Int) -> UInt64 {
        switch k {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        default: 10_000_000
        }
    }

    /// An optionally negative integer of at most 18 digits; longer ones (which
    /// might overflow) and anything unusual return `nil` for the checked path.
    ///
    /// Up to seven digits (bytes of the line from `floor` on may be read as a
    /// word) are read eight bytes at a time by `leadingDigits`; longer runs, or
    /// a field too close to the start of its line, by one loop per digit. Both
    /// read the same integer and stop at the same byte.
    /// - Complexity: O(digits).
    @inline(__always)
    static func integer(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>,
                        floor: UnsafePointer<UInt8>? = nil) -> Int64? {
        var q = p
        var negative = false
        if q < end && q.pointee == UInt8(ascii: "-") { negative = true; q += 1 }
        if let word = word(at: q, end, floor: floor ?? p) {
            let (count, value) = leadingDigits(word)
            if count == 0 { return nil }
            if count < 8 {
                p = q + count
                return negative ? -Int64(value) : Int64(value)
            }
        }
        return integerByDigit(&p, end)
    }

    /// `integer`, one digit at a time.
    @inline(never)
    static func integerByDigit(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Int64? {
        var q = p
        var negative = false
        if q < end && q.pointee == UInt8(ascii: "-") { negative = true; q += 1 }
        let digitsStart = q
        var value: UInt64 = 0
        while q < end {
            let d = q.pointee &- UInt8(ascii: "0")
            if d > 9 { break }
            value = value &* 10 &+ UInt64(d)
            q += 1
        }
        let digits = q - digitsStart
        guard digits > 0 && digits <= 18 else { return nil }
        p = q
        return negative ? -Int64(value) : Int64(value)
    }

    /// A whole field as a signed 64-bit integer, with overflow checks.
    static func wholeInteger(_ field: [UInt8]) -> Int64? {
        var i = 0
        var negative = false
        if i < field.count && (field[i] == UInt8(ascii: "-") || field[i] == UInt8(ascii: "+")) {
            negative = field[i] == UInt8(ascii: "-"); i += 1
        }
        guard i < field.count else { return nil }
        var magnitude: UInt64 = 0
        while i < field.count {
            let d = field[i] &- UInt8(ascii: "0")
            guard d <= 9 else { return nil }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            guard !o1 && !o2 else { return nil }
            magnitude = s
            i += 1
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// A decimal `[+-]digits[.digits][(e|E)[+-]digits]` (either digit run may be
    /// empty, not both), correctly rounded. Stops at the first byte that cannot
    /// continue the number; `nil` for bad syntax or a value beyond the double range.
    ///
    /// With a mantissa ≤ 2^53 (any 15 significant digits) and a power of ten
    /// ≤ 10^22, one IEEE multiplication or division of two exact doubles is the
    /// correctly rounded result (Clinger 1990, "How to read floating point numbers
    /// accurately"); other inputs go to `strtod`.
    ///
    /// The common plain decimal (`[+-]digits[.digits]`, no exponent) with at most
    /// seven digits before and after the point is read a word at a time
    /// (`leadingDigits`, once for each run; bytes of the line from `floor` on
    /// may be read); up to 19 digits in all, so the digits are an exact UInt64,
    /// in one loop per digit run without per-digit bookkeeping
    /// (`decimalByDigit`); anything else takes `generalDouble`. All three give
    /// the same double, the one `Double(String)` and `strtod` give.
    /// - Complexity: O(digits).
    @inline(__always)
    static func double(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>,
                       floor: UnsafePointer<UInt8>? = nil) -> Double? {
        let floor = floor ?? p
        var q = p
        var negative = false
        if q < end {
            if q.pointee == UInt8(ascii: "-") { negative = true; q += 1 } else if q.pointee == UInt8(ascii: "+") { q += 1 }
        }
        guard let whole = word(at: q, end, floor: floor) else { return decimalByDigit(&p, end) }
        let (wholeDigits, wholeValue) = leadingDigits(whole)
        guard wholeDigits < 8 else { return decimalByDigit(&p, end) }
        q += wholeDigits
        var mantissa = wholeValue
        var places = 0
        if q < end && q.pointee == UInt8(ascii: ".") {
            q += 1
            guard let fraction = word(at: q, end, floor: floor) else { return decimalByDigit(&p, end) }
            let (fractionDigits, fractionValue) = leadingDigits(fraction)
            guard fractionDigits < 8 else { return decimalByDigit(&p, end) }
            // Below 10^14 < 2^53: exact as a double.
            mantissa = mantissa &* integerPowerOfTen(fractionDigits) &+ fractionValue
            places = fractionDigits
            q += fractionDigits
        }
        guard wholeDigits + places > 0, q == end || (q.pointee | 0x20) != UInt8(ascii: "e") else {
            return decimalByDigit(&p, end)
        }
        p = q
        let v = Double(mantissa) / exactPowerOfTen(places)
        return negative ? -v : v
    }

    /// `double` with one loop per digit run.
    @inline(never)
    static func decimalByDigit(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Double? {
        var q = p
        var negative = false
        if q < end {
            if q.pointee == UInt8(ascii: "-") { negative = true; q += 1 } else if q.pointee == UInt8(ascii: "+") { q += 1 }
        }
        var mantissa: UInt64 = 0
        let wholeStart = q
        while q < end {
            let d = q.pointee &- UInt8(ascii: "0")
            if d > 9 { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            q += 1
        }
        var digits = q - wholeStart
        var places = 0
        if q < end && q.pointee == UInt8(ascii: ".") {
            q += 1
            let fractionStart = q
            while q < end {
                let d = q.pointee &- UInt8(ascii: "0")
                if d > 9 { break }
                mantissa = mantissa &* 10 &+ UInt64(d)
                q += 1
            }
            places = q - fractionStart
            digits += places
        }
        if digits > 0 && digits <= 19 && places <= 22 && mantissa <= 1 << 53
            && (q == end || (q.pointee | 0x20) != UInt8(ascii: "e")) {
            p = q
            let v = Double(mantissa) / exactPowerOfTen(places)
            return negative ? -v : v
        }
        return generalDouble(&p, end)
    }

    /// 10^k for 0 ≤ k ≤ 22, exact (a constant table, no lazily built array).
    @inline(__always)
    static func exactPowerOfTen(_ k: Int) -> Double {
        switch k {
        case 0: 1
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    /// `double` for every syntax: significant digits beyond 19, exponents, and
    /// the values the fast path leaves out.
    @inline(never)
    static func generalDouble(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Double? {
        let start = p
        var q = p
        var negative = false
        if q < end {
            if q.pointee == UInt8(ascii: "-") { negative = true; q += 1 } else if q.pointee == UInt8(ascii: "+") { q += 1 }
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var truncated = false
        var sawDigit = false
        while q < end {
            let d = q.pointee &- UInt8(ascii: "0")
            if d > 9 { break }
            sawDigit = true
            if significant < 19 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                if mantissa != 0 { significant += 1 }
            } else {
                exponent += 1
                if d != 0 { truncated = true }
            }
            q += 1
        }
        if q < end && q.pointee == UInt8(ascii: ".") {
            q += 1
            while q < end {
                let d = q.pointee &- UInt8(ascii: "0")
                if d > 9 { break }
                sawDigit = true
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if mantissa != 0 { significant += 1 }
                    exponent -= 1
                } else if d != 0 {
                    truncated = true
                }
                q += 1
            }
        }
        guard sawDigit else { return nil }
        if q < end && (q.pointee | 0x20) == UInt8(ascii: "e") {
            q += 1
            var exponentNegative = false
            if q < end {
                if q.pointee == UInt8(ascii: "-") { exponentNegative = true; q += 1 } else if q.pointee == UInt8(ascii: "+") { q += 1 }
            }
            var e = 0
            var sawExponentDigit = false
            while q < end {
                let d = q.pointee &- UInt8(ascii: "0")
                if d > 9 { break }
                sawExponentDigit = true
                if e < 100_000 { e = e * 10 + Int(d) }
                q += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += exponentNegative ? -e : e
        }
        p = q
        if mantissa == 0 && !truncated { return negative ? -0.0 : 0.0 }
        if !truncated && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            let m = Double(mantissa)
            let v = exponent < 0 ? m / powersOfTen[-exponent] : m * powersOfTen[exponent]
            return negative ? -v : v
        }
        return slowDouble(start, q)
    }

    /// `strtod` on a NUL-terminated copy; the syntax was already checked.
    @inline(never)
    static func slowDouble(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Double? {
        let n = end - start
        let v = withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buffer -> Double in
            let base = buffer.baseAddress!
            UnsafeMutableRawPointer(base).copyMemory(from: start, byteCount: n)
            base[n] = 0
            return strtod(base, nil)
        }
        return v.isFinite ? v : nil
    }

    /// Whether a field has the decimal syntax `double` accepts (whatever its range).
    static func isDecimal(_ field: [UInt8]) -> Bool {
        var s = String(decoding: field, as: UTF8.self)[...]
        if s.first == "-" || s.first == "+" { s = s.dropFirst() }
        let parts = s.split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "E", maxSplits: 1, omittingEmptySubsequences: false) }
        guard let mantissa = parts.first, parts.count <= 2 else { return false }
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard pieces.count <= 2, pieces.contains(where: { !$0.isEmpty }),
              pieces.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return false }
        if parts.count == 2 {
            var e = parts[1]
            if e.first == "-" || e.first == "+" { e = e.dropFirst() }
            guard !e.isEmpty, e.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        }
        return true
    }
}

// MARK: - Chunked reading

/// Hands out lines from a file, up to `chunkSize` bytes of whole lines at a time.
///
/// A regular file is mapped (`mmap`) and its lines are handed out in place: no copy
/// into a buffer, and the pages of the lines already handed out are given back
/// (`MADV_DONTNEED`) as the reading moves on, so the resident memory stays about one
/// chunk, as with reading. Other files (pipes, devices) and bytes in memory are read
/// `chunkSize` bytes at a time into a buffer; the partial line at the end of a chunk is
/// moved to the front before the next read.
///
/// A mapped file that another program truncates while it is read would end the
/// process with SIGBUS on the first page past its new end. The mapping is guarded
/// (`routeshift_mapping_guard`): such a page reads as zeros instead, and `whole`
/// reports the file as cut short (`MissingInput`, whatever the zeros made the parser
/// say). Without a free guard the file is read, not mapped.
final class ChunkedLineReader {
    let name: String
    /// Lines handed out so far; `nextBlock` callers add the lines they find.
    var lineNumber = 0
    private var fd: Int32 = -1
    private var memory: [UInt8] = []
    private var memoryOffset = 0
    private let totalBytes: Int
    private var consumedBytes = 0
    private let chunkSize: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var filled = 0
    private var atEnd = false
    /// The mapped file (`totalBytes` long), when it could be mapped.
    private var mapped: UnsafeMutablePointer<UInt8>?
    /// Mapped pages before this offset have been given back.
    private var released = 0
    /// The guard of the mapping (`routeshift_mapping_guard`), or -1.
    private var guardSlot: Int32 = -1
    /// The file's size when it was opened, for a regular file.
    private let openedSize: Int?

    init(path: String, chunkSize: Int) throws {
        name = path
        self.chunkSize = max(1, chunkSize)
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw InputError("cannot open: \(String(cString: strerror(errno)))", at: InputLocation(file: path))
        }
        var info = stat()
        let isRegular = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        totalBytes = isRegular ? Int(info.st_size) : 0
        openedSize = isRegular ? totalBytes : nil
        if isRegular, totalBytes > 0, let region = mmap(nil, totalBytes, PROT_READ, MAP_PRIVATE, fd, 0),
           region != MAP_FAILED {
            guardSlot = routeshift_mapping_guard(region, totalBytes)
            if guardSlot >= 0 {
                _ = madvise(region, totalBytes, MADV_SEQUENTIAL)
                mapped = region.assumingMemoryBound(to: UInt8.self)
            } else {
                munmap(region, totalBytes)
            }
        }
        if let mapped {
            // The whole file is the window, read to its end: lines are handed out where they lie.
            buffer = mapped; capacity = 0; filled = totalBytes; atEnd = true
        } else {
            capacity = self.chunkSize + 4096
            buffer = .allocate(capacity: capacity)
        }
    }

    init(bytes: [UInt8], name: String, chunkSize: Int) {
        self.name = name
        self.chunkSize = max(1, chunkSize)
        memory = bytes
        totalBytes = bytes.count
        openedSize = nil
        capacity = self.chunkSize + 4096
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        if let mapped {
            _ = routeshift_mapping_unguard(guardSlot)
            munmap(mapped, totalBytes)
        } else {
            buffer.deallocate()
        }
        if fd >= 0 { close(fd) }
    }

    /// `body`'s result, once the file is known to have been read whole: not cut
    /// short or grown while it was read. Otherwise (and also when `body` threw,
    /// since the zeros that stand in for a cut-off page are bad CSV) the error says
    /// the file changed.
    /// - Throws: `MissingInput` for a changed file, else what `body` throws.
    func whole<T>(_ body: () throws -> T) throws -> T {
        let result: T
        do {
            result = try body()
        } catch {
            try checkUnchanged()
            throw error
        }
        try checkUnchanged()
        return result
    }

    /// Throws when a guarded page faulted or the file's size is no longer the one it was opened with.
    func checkUnchanged() throws {
        guard let openedSize else { return }
        var info = stat()
        let size = fstat(fd, &info) == 0 ? Int(info.st_size) : openedSize
        let faulted = guardSlot >= 0 && routeshift_mapping_faulted(guardSlot) != 0
        guard faulted || size != openedSize else { return }
        let change = size < openedSize || faulted ? "shrank" : "grew"
        throw MissingInput(path: name, what: "it to its end: it \(change) from \(openedSize) to \(size) bytes while being read")
    }

    /// Gives back the mapped pages wholly before `offset` (lines already handed out and
    /// no longer valid), once they amount to a chunk.
    @inline(__always)
    private func release(before offset: Int) {
        guard offset - released >= chunkSize + Self.pageSize, let mapped else { return }
        let end = offset / Self.pageSize * Self.pageSize
        _ = madvise(mapped + released, end - released, MADV_DONTNEED)
        released = end
    }

    private static let pageSize = max(4096, Int(sysconf(Int32(_SC_PAGESIZE))))

    /// The input's size in bytes when known (bytes in memory, a regular file), else 0.
    var sizeHint: Int { totalBytes }

    /// Lines still to come in a mapped file, estimated from the line ends in its next
    /// megabyte (a little high, so that capacity reserved from it is rarely short;
    /// capacity never written costs no memory); 0 when not mapped.
    /// - Complexity: O(1 MB).
    func estimatedLinesAhead() -> Int {
        guard let mapped, start < totalBytes else { return 0 }
        let remaining = totalBytes - start
        let sample = min(remaining, 1 << 20)
        var lines = 0
        var p = UnsafePointer(mapped + start)
        let end = p + sample
        while p < end, let found = memchr(p, 0x0A, end - p) {
            lines += 1
            p = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return Int(Double(remaining) / Double(sample) * Double(max(lines, 1)) * 1.05) + 16
    }

    /// Rows still to come, estimated from the average length of the lines so far.
    func estimatedRemainingLines() -> Int? {
        guard lineNumber > 0, consumedBytes > 0, totalBytes > consumedBytes else { return nil }
        let average = Double(consumedBytes) / Double(lineNumber)
        return Int(Double(totalBytes - consumedBytes) / average * 1.1) + 16
    }

    /// The next line without its LF or CRLF, or `nil` at the end. The buffer is
    /// valid until the next call.
    func nextLine() throws -> UnsafeBufferPointer<UInt8>? {
        release(before: start)
        while true {
            let available = filled - start
            let lineStart = buffer + start
            if available > 0, let found = memchr(lineStart, 0x0A, available) {
                let newline = found.assumingMemoryBound(to: UInt8.self)
                var lineEnd = newline
                if lineEnd > lineStart && lineEnd[-1] == 0x0D { lineEnd -= 1 }
                let next = newline - buffer + 1
                consumedBytes += next - start
                start = next
                lineNumber += 1
                return UnsafeBufferPointer(start: lineStart, count: lineEnd - lineStart)
            }
            if atEnd {
                guard available > 0 else { return nil }
                var count = available
                if lineStart[count - 1] == 0x0D { count -= 1 }
                consumedBytes += available
                start = filled
                lineNumber += 1
                return UnsafeBufferPointer(start: lineStart, count: count)
            }
            try refill()
        }
    }

    /// All the complete lines now readable (at least one unless at the end),
    /// line ends included, or `nil` at the end. The buffer is valid until the
    /// next call; the caller counts its lines into `lineNumber`.
    func nextBlock() throws -> UnsafeBufferPointer<UInt8>? {
        release(before: start)
        if !atEnd && filled - start < chunkSize { try refill() }
        while true {
            let available = filled - start
            let blockStart = buffer + start
            guard available > 0 || !atEnd else { return nil }
            // What is left when it fits one chunk at the end; else the whole lines of the first
            // chunk, or on to the first line end after it (a line longer than a chunk).
            var count = available
            if !atEnd || available > chunkSize {
                count = min(available, chunkSize)
                while count > 0 && blockStart[count - 1] != 0x0A { count -= 1 }
                if count == 0, available > chunkSize, let found = memchr(blockStart + chunkSize, 0x0A, available - chunkSize) {
                    count = found.assumingMemoryBound(to: UInt8.self) - blockStart + 1
                }
                if count == 0 && atEnd { count = available }
            }
            if count > 0 {
                consumedBytes += count
                start += count
                return UnsafeBufferPointer(start: blockStart, count: count)
            }
            try refill()
        }
    }

    private func refill() throws {
        if start > 0 {
            memmove(buffer, buffer + start, filled - start)
            filled -= start
            start = 0
        }
        if capacity - filled < chunkSize {
            // Only a line longer than the spare room gets here.
            capacity = max(capacity * 2, filled + chunkSize)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: buffer, count: filled)
            buffer.deallocate()
            buffer = grown
        }
        let count: Int
        if fd >= 0 {
            var n: Int
            repeat { n = read(fd, buffer + filled, chunkSize) } while n < 0 && errno == EINTR
            guard n >= 0 else {
                throw InputError("read failed: \(String(cString: strerror(errno)))", at: InputLocation(file: name))
            }
            count = n
        } else {
            count = min(chunkSize, memory.count - memoryOffset)
            if count > 0 {
                memory.withUnsafeBufferPointer {
                    (buffer + filled).update(from: $0.baseAddress! + memoryOffset, count: count)
                }
            }
            memoryOffset += count
        }
        if count == 0 { atEnd = true } else { filled += count }
    }
}
