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
    /// Parses one line (without its line end; maybe empty). `lineNumber`
    /// counts from 1 within the worker's share and is used in errors only.
    mutating func parse(_ line: UnsafeBufferPointer<UInt8>, lineNumber: Int) throws
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
        guard var p = bytes.baseAddress, !bytes.isEmpty else { return }
        let end = p + bytes.count
        while p < end {
            let newline = memchr(p, 0x0A, end - p).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) } ?? end
            var count = newline - p
            if count > 0 && p[count - 1] == 0x0D { count -= 1 }
            lines += 1
            do {
                try rows.parse(UnsafeBufferPointer(start: p, count: count), lineNumber: lines)
            } catch let e as InputError {
                error = e
                return
            } catch {
                self.error = InputError("\(error)", underlying: error)
                return
            }
            p = newline < end ? newline + 1 : end
        }
    }
}

extension PgRoutingCSV {
    /// Parser threads used by default: one per processor.
    public static var defaultWorkers: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

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

/// Lines parsed into one reusable `CSVRow`: the fast byte parser, or the slow
/// one (quoted fields, exact error messages) when the fast one declines.
protocol CSVRowLines {
    var columns: [CSVColumn] { get }
    var names: [String] { get }
    var file: String { get }
    var row: CSVRow { get set }
}

extension CSVRowLines {
    /// Parses `line` into `row`; `false` for a blank line.
    mutating func readRow(_ line: UnsafeBufferPointer<UInt8>, lineNumber: Int) throws -> Bool {
        if line.isEmpty { return false }
        if !CSVRow.parseFast(line, columns: columns, into: &row) {
            row = try CSVRow.parseSlow(line, columns: columns, names: names, file: file, lineNumber: lineNumber)
        }
        return true
    }
}

/// Edge rows for the graph builder, parsed by one worker.
struct EdgeLines: ParsedLines, CSVRowLines {
    let columns: [CSVColumn]
    let names: [String]
    let file: String
    var batch = EdgeTable()
    var row = CSVRow()

    mutating func parse(_ line: UnsafeBufferPointer<UInt8>, lineNumber: Int) throws {
        guard try readRow(line, lineNumber: lineNumber) else { return }
        batch.ids.append(row.id); batch.sources.append(row.source); batch.targets.append(row.target)
        batch.costs.append(row.cost); batch.reverseCosts.append(row.reverseCost)
    }

    mutating func clear() {
        batch.ids.removeAll(keepingCapacity: true); batch.sources.removeAll(keepingCapacity: true)
        batch.targets.removeAll(keepingCapacity: true); batch.costs.removeAll(keepingCapacity: true)
        batch.reverseCosts.removeAll(keepingCapacity: true)
    }
}

/// Node rows (`id, lon, lat`), parsed by one worker.
struct NodeLines: ParsedLines, CSVRowLines {
    let columns: [CSVColumn]
    let names: [String]
    let file: String
    var nodes = NodeCoordinates()
    var row = CSVRow()

    mutating func parse(_ line: UnsafeBufferPointer<UInt8>, lineNumber: Int) throws {
        guard try readRow(line, lineNumber: lineNumber) else { return }
        try row.checkNodePosition(names: names, columns: columns, file: file, lineNumber: lineNumber)
        nodes.append(id: row.id, longitude: row.x1, latitude: row.y1)
    }
}
