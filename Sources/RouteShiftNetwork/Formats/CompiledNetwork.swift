import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph

/// A compiled network cache (`.rsnet`): the network's tables as raw little-endian
/// arrays, so batch runs load it in milliseconds instead of re-reading GeoJSON.
///
/// Layout: an 8-byte magic `RSNET\r\n\0`, format version (UInt32), payload length
/// (UInt64), FNV-1a 64-bit checksum of the payload (Fowler, Noll, Vo), then the
/// payload: the source file's path, size and checksum (for staleness checks),
/// the edge table, node coordinates, node names and attributes, edge geometries
/// and edge attributes (a shared string table plus typed values, see `AttributeCodec`). A cache whose version, checksum or source no longer
/// matches is rejected with an error that says which (its `underlying` error is `Outdated`: build it again).
public enum CompiledNetwork {
    public static let fileExtension = "rsnet"
    public static let formatVersion: UInt32 = 2
    /// The first 8 bytes of every cache.
    public static let magic: [UInt8] = Array("RSNET\r\n".utf8) + [0]

    /// Writes `network` (read from `source`) to `path` atomically.
    public static func write(_ network: RouteNetwork, source: String, to path: String) throws {
        var payload = ByteWriter()
        let sourceBytes = FileManager.default.contents(atPath: source).map { [UInt8]($0) } ?? []
        payload.string(URL(fileURLWithPath: source).standardizedFileURL.path)
        payload.scalar(UInt64(sourceBytes.count))
        payload.scalar(fnv1a(sourceBytes))
        let e = network.edges
        payload.array(e.ids); payload.array(e.sources); payload.array(e.targets); payload.array(e.costs); payload.array(e.reverseCosts)
        // Coordinates in index order, keyed by external id.
        let g = network.graph
        var ids: [Int64] = [], lon: [Double] = [], lat: [Double] = []
        if g.hasCoordinates {
            for i in 0..<g.nodeCount {
                let c = g.coordinate(of: Int32(i))!
                ids.append(g.nodeIds[i]); lon.append(c.longitude); lat.append(c.latitude)
            }
        }
        payload.array(ids); payload.array(lon); payload.array(lat)
        let names = network.nodeNames.sorted { $0.key < $1.key }
        payload.array(names.map(\.key))
        payload.scalar(UInt64(names.count))
        for (_, name) in names { payload.string(name) }
        let nodeProps = network.nodeProperties.sorted { $0.key < $1.key }
        payload.array(nodeProps.map(\.key))
        try AttributeCodec.write(nodeProps.map(\.value), to: &payload)
        if let geometries = network.edgeGeometries {
            payload.scalar(UInt64(1))
            payload.array(geometries.map { Int32($0.count) })
            payload.array(geometries.flatMap { $0.flatMap { [$0.longitude, $0.latitude] } })
        } else {
            payload.scalar(UInt64(0))
        }
        if let props = network.edgeProperties {
            payload.scalar(UInt64(1))
            try AttributeCodec.write(props, to: &payload)
        } else {
            payload.scalar(UInt64(0))
        }
        let file = framed(payload: payload.buffer)
        try AtomicFileWriter.withWriter(path: path) { try $0.write(file) }
    }

    /// A payload under the cache header: magic, version, length and checksum.
    public static func framed(payload: [UInt8]) -> [UInt8] {
        var file = ByteWriter()
        file.buffer.append(contentsOf: magic)
        file.scalar(formatVersion)
        file.scalar(UInt64(payload.count))
        file.scalar(fnv1a(payload))
        file.buffer.append(contentsOf: payload)
        return file.buffer
    }

    /// Why a cache cannot be used and must be built again from its source
    /// (kept as the `underlying` error of the `InputError` that reports it).
    public struct Outdated: Error, Hashable, Sendable, CustomStringConvertible {
        public var path: String
        /// The network file it was built from, when the cache names one that has changed.
        public var source: String?
        public init(path: String, source: String?) { self.path = path; self.source = source }
        public var description: String { "\(path) must be built again" + (source.map { " from \($0)" } ?? "") }
    }

    /// Reads a cache written by `write`.
    ///
    /// - Parameter checkSource: when the recorded source file still exists, reject
    ///   the cache if that file has changed since (stale cache).
    /// - Throws: `InputError` for a file that is not a cache, of another version,
    ///   corrupt (checksum), truncated, or stale.
    public static func read(path: String, checkSource: Bool = true) throws -> RouteNetwork {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("cannot read compiled network", at: InputLocation(file: path))
        }
        return try decode([UInt8](data), path: path, checkSource: checkSource)
    }

    /// `read` of a cache already in memory; `path` names it in messages.
    public static func decode(_ bytes: [UInt8], path: String, checkSource: Bool = true) throws -> RouteNetwork {
        guard bytes.count >= 28, Array(bytes[0..<8]) == magic else {
            throw InputError("not a RouteShift compiled network (bad magic bytes)", at: InputLocation(file: path))
        }
        var header = ByteReader(bytes: bytes, offset: 8, file: path)
        let version: UInt32 = try header.scalar()
        guard version == formatVersion else {
            throw InputError("compiled network has format version \(version), this RouteShift reads \(formatVersion)",
                             at: InputLocation(file: path), underlying: Outdated(path: path, source: nil))
        }
        let length: UInt64 = try header.scalar()
        let checksum: UInt64 = try header.scalar()
        guard UInt64(bytes.count - header.offset) == length else {
            throw InputError("compiled network is truncated or padded (\(bytes.count - header.offset) payload bytes, "
                             + "expected \(length))", at: InputLocation(file: path), underlying: Outdated(path: path, source: nil))
        }
        let payloadBytes = bytes[header.offset...]
        guard fnv1a(payloadBytes) == checksum else {
            throw InputError("compiled network is corrupt (checksum mismatch)", at: InputLocation(file: path),
                             underlying: Outdated(path: path, source: nil))
        }
        var r = ByteReader(bytes: bytes, offset: header.offset, file: path)
        let source = try r.string()
        let sourceSize: UInt64 = try r.scalar()
        let sourceHash: UInt64 = try r.scalar()
        if checkSource, let current = FileManager.default.contents(atPath: source) {
            let currentBytes = [UInt8](current)
            if UInt64(currentBytes.count) != sourceSize || fnv1a(currentBytes) != sourceHash {
                throw InputError("compiled network is stale: its source \(source) has changed since it was built",
                                 at: InputLocation(file: path), underlying: Outdated(path: path, source: source))
            }
        }
        do {
            return try decodeTables(&r, path: path)
        } catch let error as InputError where error.location.file == nil {
            throw InputError("compiled network is inconsistent: \(error.message)", at: InputLocation(file: path),
                             underlying: Outdated(path: path, source: nil))
        } catch let error as GraphError {
            throw InputError("compiled network is inconsistent: \(error)", at: InputLocation(file: path),
                             underlying: Outdated(path: path, source: nil))
        }
    }

    /// The tables after the header. Every count and index is checked against
    /// the payload before it is used: a cache is input like any other, and one
    /// with a valid checksum can still be inconsistent (hand-made or from a bug).
    private static func decodeTables(_ r: inout ByteReader, path: String) throws -> RouteNetwork {
        var table = EdgeTable()
        table.ids = try r.array(); table.sources = try r.array(); table.targets = try r.array()
        table.costs = try r.array(); table.reverseCosts = try r.array()
        let m = table.ids.count
        guard [table.sources.count, table.targets.count, table.costs.count, table.reverseCosts.count]
            .allSatisfy({ $0 == m }) else { throw r.corrupt("edge table columns of different lengths") }
        let ids: [Int64] = try r.array(), lon: [Double] = try r.array(), lat: [Double] = try r.array()
        guard lon.count == ids.count, lat.count == ids.count else { throw r.corrupt("node coordinate columns") }
        var coordinates: NodeCoordinates? = nil
        if !ids.isEmpty {
            var c = NodeCoordinates()
            c.ids = ids; c.longitudes = lon; c.latitudes = lat
            coordinates = c
        }
        let nameIds: [Int64] = try r.array()
        let nameCount: UInt64 = try r.scalar()
        guard nameCount == UInt64(nameIds.count) else { throw r.corrupt("node names") }
        var names: [Int64: String] = [:]
        for id in nameIds { names[id] = try r.string() }
        let propIds: [Int64] = try r.array()
        let propValues = try AttributeCodec.read(from: &r)
        guard propValues.count == propIds.count else { throw r.corrupt("node attributes") }
        var nodeProps: [Int64: [String: JSONValue]] = [:]
        for (id, value) in zip(propIds, propValues) { nodeProps[id] = value }
        var geometries: [[Coordinate]]? = nil
        if try r.scalar() as UInt64 == 1 {
            let counts: [Int32] = try r.array()
            let flat: [Double] = try r.array()
            guard counts.count == m, counts.allSatisfy({ $0 >= 0 }),
                  counts.reduce(0, { $0 + Int($1) }) * 2 == flat.count  // each ≥ 0 and ≤ 2^31: no overflow
            else { throw r.corrupt("edge geometries") }
            var out: [[Coordinate]] = []
            out.reserveCapacity(counts.count)
            var k = 0
            for n in counts {
                var line: [Coordinate] = []
                line.reserveCapacity(Int(n))
                for _ in 0..<Int(n) { line.append(Coordinate(longitude: flat[k], latitude: flat[k + 1])); k += 2 }
                out.append(line)
            }
            geometries = out
        }
        var edgeProps: [[String: JSONValue]]? = nil
        if try r.scalar() as UInt64 == 1 {
            let values = try AttributeCodec.read(from: &r)
            guard values.count == table.count else { throw r.corrupt("edge attributes") }
            edgeProps = values
        }
        guard r.offset == r.bytes.count else { throw r.corrupt("unread bytes after the last table") }
        let graph = try RoutingGraph(edges: table, coordinates: coordinates)
        return try RouteNetwork(graph: graph, edges: table, nodeNames: names, nodeProperties: nodeProps,
                                edgeGeometries: geometries, edgeProperties: edgeProps, origin: path)
    }

    /// FNV-1a, 64-bit: a fast checksum that catches corruption (not tampering).
    static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 { FNV1a.hash(bytes) }
}

struct ByteWriter {
    var buffer: [UInt8] = []
    mutating func scalar<T: FixedWidthInteger>(_ x: T) {
        withUnsafeBytes(of: x.littleEndian) { buffer.append(contentsOf: $0) }
    }
    mutating func array<T: BitwiseCopyable>(_ a: [T]) {
        scalar(UInt64(a.count))
        // Raw element bytes: every platform RouteShift runs on is little-endian.
        a.withUnsafeBytes { buffer.append(contentsOf: $0) }
    }
    mutating func bytes(_ b: [UInt8]) { scalar(UInt64(b.count)); buffer.append(contentsOf: b) }
    mutating func string(_ s: String) { bytes(Array(s.utf8)) }
}

struct ByteReader {
    let bytes: [UInt8]
    var offset: Int
    let file: String

    func corrupt(_ what: String) -> InputError {
        InputError("compiled network is corrupt (\(what) at byte \(offset))", at: InputLocation(file: file))
    }

    var remaining: Int { bytes.count - offset }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, offset + n <= bytes.count else { throw corrupt("truncated section") }
        defer { offset += n }
        return bytes[offset..<offset + n]
    }

    mutating func scalar<T: FixedWidthInteger>() throws -> T {
        let slice = try take(MemoryLayout<T>.size)
        var x = T.zero
        withUnsafeMutableBytes(of: &x) { $0.copyBytes(from: slice) }
        return T(littleEndian: x)
    }

    mutating func array<T: BitwiseCopyable>() throws -> [T] {
        let count: UInt64 = try scalar()
        guard count <= UInt64(remaining / Swift.max(1, MemoryLayout<T>.stride)) else { throw corrupt("array length") }
        let slice = try take(Int(count) * MemoryLayout<T>.stride)
        return [T](unsafeUninitializedCapacity: Int(count)) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyBytes(from: slice)
            initialized = Int(count)
        }
    }

    mutating func byteBlock() throws -> [UInt8] {
        let count: UInt64 = try scalar()
        guard count <= UInt64(remaining) else { throw corrupt("byte length") }
        return Array(try take(Int(count)))
    }

    mutating func string() throws -> String { String(decoding: try byteBlock(), as: UTF8.self) }
}

/// Attribute dictionaries in binary: one table of every key and string value,
/// then per dictionary its entries sorted by key as (key index, tag, value).
/// Strings repeat across thousands of edges (`border`, `route`, `kind`…), so
/// the table keeps the cache small and decoding is table look-ups, not JSON parsing.
enum AttributeCodec {
    private enum Tag: UInt8 { case null = 0, isFalse, isTrue, number, string, json }

    static func write(_ objects: [[String: JSONValue]], to out: inout ByteWriter) throws {
        var strings = Set<String>()
        for object in objects {
            for (key, value) in object {
                strings.insert(key)
                if case .string(let s) = value { strings.insert(s) }
            }
        }
        let table = strings.sorted()
        let index = Dictionary(uniqueKeysWithValues: table.enumerated().map { ($1, UInt32($0)) })
        out.scalar(UInt64(table.count))
        for s in table { out.string(s) }
        out.scalar(UInt64(objects.count))
        for object in objects {
            out.scalar(UInt32(object.count))
            for (key, value) in object.sorted(by: { $0.key < $1.key }) {
                out.scalar(index[key]!)
                switch value {
                case .null: out.scalar(Tag.null.rawValue)
                case .bool(let b): out.scalar((b ? Tag.isTrue : Tag.isFalse).rawValue)
                case .number(let x): out.scalar(Tag.number.rawValue); out.scalar(x.bitPattern)
                case .string(let s): out.scalar(Tag.string.rawValue); out.scalar(index[s]!)
                case .array, .object: out.scalar(Tag.json.rawValue); out.bytes(try GeoJSON.encode(value))
                }
            }
        }
    }

    static func read(from r: inout ByteReader) throws -> [[String: JSONValue]] {
        let stringCount: UInt64 = try r.scalar()
        // Each string takes at least its 8-byte length.
        guard stringCount <= UInt64(r.remaining / 8) else { throw r.corrupt("attribute strings") }
        var table: [String] = []
        table.reserveCapacity(Int(stringCount))
        for _ in 0..<stringCount { table.append(try r.string()) }
        let count: UInt64 = try r.scalar()
        // Each dictionary takes at least its 4-byte entry count.
        guard count <= UInt64(r.remaining / 4) else { throw r.corrupt("attribute count") }
        func string(_ i: UInt32) throws -> String {
            guard Int(i) < table.count else { throw r.corrupt("attribute string index") }
            return table[Int(i)]
        }
        var objects: [[String: JSONValue]] = []
        objects.reserveCapacity(Int(count))
        for _ in 0..<count {
            let entries: UInt32 = try r.scalar()
            // Each entry takes at least a 4-byte key index and a 1-byte tag.
            guard Int(entries) <= r.remaining / 5 else { throw r.corrupt("attribute entry count") }
            var object: [String: JSONValue] = [:]
            object.reserveCapacity(Int(entries))
            for _ in 0..<entries {
                let key = try string(try r.scalar())
                let raw: UInt8 = try r.scalar()
                switch Tag(rawValue: raw) {
                case .null?: object[key] = .null
                case .isFalse?: object[key] = .bool(false)
                case .isTrue?: object[key] = .bool(true)
                case .number?: object[key] = .number(Double(bitPattern: try r.scalar()))
                case .string?: object[key] = .string(try string(try r.scalar()))
                case .json?: object[key] = try GeoJSON.decodeJSON(try r.byteBlock())
                case nil: throw r.corrupt("attribute tag \(raw)")
                }
            }
            objects.append(object)
        }
        return objects
    }
}
