#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import RouteShiftCore
import RouteShiftGraph

/// Rows parsed from CSV lines into a worker's own buffers.
protocol ParsedLines: Sendable {
    /// Parses every line of `bytes` (line ends included), counting them into
    /// `lines` (from 0, within the worker's share) and stopping at the first
    /// error, whose line number is `lines`.
    mutating func parseLines(_ bytes: UnsafeBufferPointer<UInt8>, lines: inout Int) throws
}

/// Calls `body` with each line of `bytes` (without its LF or CRLF; maybe
/// empty) and its number, counted on from `lines`.
/// - Complexity: O(bytes) besides `body`.
@inline(__always)
func forEachLine(_ bytes: UnsafeBufferPointer<UInt8>, lines: inout Int,
                 _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) rethrows {
    guard var p = bytes.baseAddress, !bytes.isEmpty else { return }
    let end = p + bytes.count
    while p < end {
        let newline = memchr(p, 0x0A, end - p).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) } ?? end
        var count = newline - p
        if count > 0 && p[count - 1] == 0x0D { count -= 1 }
        lines += 1
        try body(UnsafeBufferPointer(start: p, count: count), lines)
        p = newline < end ? newline + 1 : end
    }
}

/// One share of a block: the rows parsed from it, its line count and its first bad line.
struct ParsedShare<Rows: ParsedLines> {
    var rows: Rows
    var lines = 0
    /// Numbered within the share; renumbered before it is thrown.
    var error: InputError?

    /// Parses every line of `bytes`, stopping at the first error.
    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) {
        lines = 0
        error = nil
        do {
            try rows.parseLines(bytes, lines: &lines)
        } catch let e as InputError {
            error = e
        } catch {
            self.error = InputError("\(error)", underlying: error)
        }
    }
}

extension PgRoutingCSV {
    /// Parser threads used by default: one per processor.
    public static var defaultWorkers: Int { Parallel.defaultWorkers }

    /// Parses the reader's remaining lines on `workers` threads, handing the
    /// rows to `consume` in file order.
    ///
    /// Each block the reader yields is split at line ends into shares, and
    /// each share is parsed into its own `Rows`, so no two threads write the
    /// same memory. While one block is parsed, the shares of the previous one
    /// are consumed on one of the same threads; two sets of shares alternate.
    /// Memory is the reader's buffer plus two blocks' worth of rows.
    ///
    /// - Throws: the first error in file order: `consume`'s, or the first bad
    ///   line's `InputError` with its line number in the file.
    static func parseLinesInParallel<Rows: ParsedLines>(
        reader: ChunkedLineReader, workers: Int, makeRows: () -> Rows, consume: (inout Rows) throws -> Void
    ) throws {
        // More shares than threads, so the thread that also consumes is not waited for.
        let shares = 2 * max(1, workers)
        let parts = UnsafeMutablePointer<ParsedShare<Rows>>.allocate(capacity: 2 * shares)
        for i in 0..<2 * shares { (parts + i).initialize(to: ParsedShare(rows: makeRows())) }
        defer {
            parts.deinitialize(count: 2 * shares)
            parts.deallocate()
        }
        var bounds = [Int](repeating: 0, count: shares + 1)
        var current = 0
        var pending = false
        try withoutActuallyEscaping(consume) { consume in
            while true {
                let block = try reader.nextBlock()
                guard block != nil || pending else { break }
                let bytes = block ?? UnsafeBufferPointer(start: nil, count: 0)
                // Share boundaries: just after the first line end at or past each even split.
                let n = bytes.count
                for k in 1..<shares {
                    var b = max(bounds[k - 1], n * k / shares)
                    while b < n && b > 0 && bytes[b - 1] != 0x0A { b += 1 }
                    bounds[k] = b
                }
                bounds[shares] = n
                let parsing = block == nil ? 0 : shares
                nonisolated(unsafe) let set = parts + current * shares
                nonisolated(unsafe) let previous = parts + (1 - current) * shares
                let share = bounds
                nonisolated(unsafe) let input = bytes
                nonisolated(unsafe) let consumeShares = consume
                nonisolated(unsafe) var consumeError: Error?
                let consuming = pending
                DispatchQueue.concurrentPerform(iterations: parsing + (consuming ? 1 : 0)) { i in
                    if consuming && i == 0 {
                        do {
                            for k in 0..<shares { try consumeShares(&previous[k].rows) }
                        } catch {
                            consumeError = error
                        }
                        return
                    }
                    let k = consuming ? i - 1 : i
                    set[k].parse(UnsafeBufferPointer(rebasing: input[share[k]..<share[k + 1]]))
                }
                if let consumeError { throw consumeError }
                guard block != nil else { break }
                for k in 0..<shares {
                    if var error = set[k].error {
                        error.location.line = reader.lineNumber + (error.location.line ?? 0)
                        throw error
                    }
                    reader.lineNumber += set[k].lines
                }
                pending = true
                current = 1 - current
            }
        }
    }
}

/// Parses `line` into `row` with the fast byte parser, or the slow one (quoted
/// fields, exact error messages) when the fast one declines; `false` for a
/// blank line. The callers hold `columns` in a local, so no reference count
/// is touched per line.
@inline(__always)
func readRow(_ line: UnsafeBufferPointer<UInt8>, lineNumber: Int, columns: [CSVColumn], names: [String], file: String,
             into row: inout CSVRow) throws -> Bool {
    if line.isEmpty { return false }
    if !CSVRow.parseFast(line, columns: columns, into: &row) {
        row = try CSVRow.parseSlow(line, columns: columns, names: names, file: file, lineNumber: lineNumber)
    }
    return true
}

/// Edge rows for the graph builder, parsed by one worker.
///
/// The rows go into plain arrays, not an `EdgeTable`'s columns: a column's
/// append switches on its storage and swaps the array out and back in (a
/// retain and a release per value), five times per row. `batch` wraps the
/// arrays in a table without copying them.
struct EdgeLines: ParsedLines {
    let columns: [CSVColumn]
    let names: [String]
    let file: String
    var ids: [Int64] = [], sources: [Int64] = [], targets: [Int64] = []
    var costs: [Double] = [], reverseCosts: [Double] = []

    var count: Int { ids.count }

    /// The rows as a table sharing the arrays (no copy while it lives; `clear`
    /// then reuses their memory once the table is gone).
    var batch: EdgeTable {
        var table = EdgeTable()
        table.ids = Column(ids); table.sources = Column(sources); table.targets = Column(targets)
        table.costs = Column(costs); table.reverseCosts = Column(reverseCosts)
        return table
    }

    mutating func parseLines(_ bytes: UnsafeBufferPointer<UInt8>, lines: inout Int) throws {
        let columns = columns, names = names, file = file
        var row = CSVRow()
        try forEachLine(bytes, lines: &lines) { line, number in
            guard try readRow(line, lineNumber: number, columns: columns, names: names, file: file, into: &row) else { return }
            ids.append(row.id); sources.append(row.source); targets.append(row.target)
            costs.append(row.cost); reverseCosts.append(row.reverseCost)
        }
    }

    mutating func clear() {
        ids.removeAll(keepingCapacity: true); sources.removeAll(keepingCapacity: true)
        targets.removeAll(keepingCapacity: true); costs.removeAll(keepingCapacity: true)
        reverseCosts.removeAll(keepingCapacity: true)
    }
}

/// Node rows (`id, lon, lat`), parsed by one worker.
struct NodeLines: ParsedLines {
    let columns: [CSVColumn]
    let names: [String]
    let file: String
    var nodes = NodeCoordinates()

    mutating func parseLines(_ bytes: UnsafeBufferPointer<UInt8>, lines: inout Int) throws {
        let columns = columns, names = names, file = file
        var row = CSVRow()
        try forEachLine(bytes, lines: &lines) { line, number in
            guard try readRow(line, lineNumber: number, columns: columns, names: names, file: file, into: &row) else { return }
            try row.checkNodePosition(names: names, columns: columns, file: file, lineNumber: number)
            nodes.append(id: row.id, longitude: row.x1, latitude: row.y1)
        }
    }
}
