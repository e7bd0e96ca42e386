#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMappedFiles
import Foundation
import RouteShiftCore
import RouteShiftGeoJSON
import RouteShiftGraph

/// A compiled network cache (`.rsnet`): the network's graph and tables as raw
/// little-endian arrays, memory-mapped and used where they lie, so loading a
/// million-node network is a `mmap` and a validation pass instead of a parse and a build.
///
/// Layout: an 8-byte magic `RSNET\r\n\0`, format version (UInt32), 4 zero bytes,
/// payload length (UInt64), then the payload: the path, size, modification time and
/// FNV-1a checksum (Fowler, Noll, Vo) of each input file (the network file and, for an
/// edge table, the nodes table, present or not) for staleness checks;
/// the graph's arrays (`GraphStorage`); the edge table; node names and attributes,
/// edge geometries and edge attributes (a shared string table plus typed values, see
/// `AttributeCodec`); the landmark distances for A*, when built (`Landmarks`). Every
/// array is a UInt64 count followed, at the next multiple of 8 bytes, by its elements,
/// so each can be used in place.
///
/// A cache is input like any other: every count and offset is checked against the
/// payload, and the graph's indices against each other (`RoutingGraph.init(storage:)`),
/// before use, so a truncated or crafted file is an `InputError` naming it, never a
/// crash. There is no checksum over the payload (reading it would touch every byte):
/// a cache whose bytes were changed in place but still fit together is read as written.
/// A cache whose version or source no longer matches is rejected with an error that
/// says which (its `underlying` error is `Outdated`: build it again).
public enum CompiledNetwork {
    public static let fileExtension = "rsnet"
    public static let formatVersion: UInt32 = 4
    /// The first 8 bytes of every cache.
    public static let magic: [UInt8] = Array("RSNET\r\n".utf8) + [0]
    static let headerSize = 24

    /// Writes `network`, read from the network file `source`, to `path` atomically; the
    /// files it depends on are those `NetworkSource.inputs(of: source)` names.
    public static func write(_ network: RouteNetwork, source: String, to path: String) throws {
        try write(network, inputs: NetworkSource.inputs(of: source), to: path)
    }

    /// Writes `network` to `path` atomically, recording each of `inputs` (the files the
    /// network was read from, including any that were looked for and absent, such as a
    /// `nodes.csv` beside an edge table) for the staleness check of `read`.
    public static func write(_ network: RouteNetwork, inputs: [String], to path: String) throws {
        var payload = ByteWriter()
        payload.scalar(UInt64(inputs.count))
        for input in inputs {
            payload.string(URL(fileURLWithPath: input).standardizedFileURL.path)
            if let bytes = FileManager.default.contents(atPath: input).map({ [UInt8]($0) }), let stamp = SourceStamp.of(input) {
                payload.scalar(UInt64(1))
                payload.scalar(UInt64(bytes.count))
                payload.scalar(stamp.seconds)
                payload.scalar(stamp.nanoseconds)
                payload.scalar(fnv1a(bytes))
            } else {
                payload.scalar(UInt64(0))
                payload.scalar(UInt64(0)); payload.scalar(Int64(0)); payload.scalar(Int64(0)); payload.scalar(UInt64(0))
            }
        }
        writeGraph(network.graph.storage, to: &payload)
        let e = network.edges
        payload.column(e.ids); payload.column(e.sources); payload.column(e.targets)
        payload.column(e.costs); payload.column(e.reverseCosts)
        let names = network.nodeNames.sorted { $0.key < $1.key }
        payload.array(names.map(\.key))
        payload.scalar(UInt64(names.count))
        for (_, name) in names { payload.string(name) }
        let nodeProps = network.nodeProperties.sorted { $0.key < $1.key }
        payload.array(nodeProps.map(\.key))
        try AttributeCodec.write(nodeProps.map(\.value), to: &payload)
        payload.align()
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
        payload.align()
        if let landmarks = network.landmarks, landmarks.belong(to: network.graph) {
            payload.scalar(UInt64(1))
            payload.column(landmarks.nodes)
            payload.column(landmarks.fromLandmark)
            if let to = landmarks.toLandmark {
                payload.scalar(UInt64(1)); payload.column(to)
            } else {
                payload.scalar(UInt64(0))
            }
        } else {
            payload.scalar(UInt64(0))
        }
        let file = framed(payload: payload.buffer)
        try AtomicFileWriter.withWriter(path: path) { try $0.write(file) }
    }

    private static func writeGraph(_ g: GraphStorage, to out: inout ByteWriter) {
        out.column(g.firstArc); out.column(g.arcHead); out.column(g.arcEdge); out.column(g.arcBackwardBits)
        switch g.costs {
        case let .exact(costs): out.scalar(UInt64(0)); out.scalar(UInt64(0)); out.column(costs)
        case let .decimal(units, scale): out.scalar(UInt64(1)); out.scalar(scale.bitPattern); out.column(units)
        }
        switch g.nodeIds {
        case let .offsets(base, offsets): out.scalar(UInt64(0)); out.scalar(base); out.column(offsets)
        case let .listed(ids): out.scalar(UInt64(1)); out.scalar(Int64(0)); out.column(ids)
        }
        switch g.edgeIds {
        case let .consecutive(first, count): out.scalar(UInt64(0)); out.scalar(first); out.scalar(UInt64(count))
        case let .listed(ids): out.scalar(UInt64(1)); out.column(ids)
        }
        if let lon = g.longitudes, let lat = g.latitudes {
            out.scalar(UInt64(1)); out.column(lon); out.column(lat)
        } else {
            out.scalar(UInt64(0))
        }
        if let slots = g.nodeSlots {
            out.scalar(UInt64(1)); out.scalar(g.nodeSlotBase); out.column(slots)
        } else {
            out.scalar(UInt64(0))
        }
        out.scalar(UInt64(g.isSymmetric ? 1 : 0))
    }

    /// A payload under the cache header: magic, version and length.
    public static func framed(payload: [UInt8]) -> [UInt8] {
        var file = ByteWriter()
        file.buffer.append(contentsOf: magic)
        file.scalar(formatVersion)
        file.scalar(UInt32(0))
        file.scalar(UInt64(payload.count))
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

    /// Reads a cache written by `write`: the file is memory-mapped and the graph and
    /// edge table are used in place.
    ///
    /// - Parameter checkSource: reject the cache if one of its recorded inputs that still
    ///   exists has changed since, or one recorded as absent exists now (stale cache): a
    ///   different size is stale, the same size and modification time is fresh, and only
    ///   the same size with another modification time reads the file to compare its checksum.
    /// - Throws: `InputError` for a file that is not a cache, of another version,
    ///   truncated, inconsistent, or stale.
    /// - Complexity: O(n + m) sequential reads of the mapped arrays (the validation), no copy.
    public static func read(path: String, checkSource: Bool = true) throws -> RouteNetwork {
        let image: FileImage
        do {
            image = try FileImage(mapping: path)
        } catch let error as FileImage.Failure {
            throw InputError("cannot read compiled network: \(error.reason)", at: InputLocation(file: path))
        }
        return try decode(image, path: path, checkSource: checkSource)
    }

    /// `read` of a cache already in memory (copied once, so its arrays are aligned);
    /// `path` names it in messages.
    public static func decode(_ bytes: [UInt8], path: String, checkSource: Bool = true) throws -> RouteNetwork {
        try decode(FileImage(copying: bytes), path: path, checkSource: checkSource)
    }

    static func decode(_ image: FileImage, path: String, checkSource: Bool) throws -> RouteNetwork {
        let bytes = image.bytes
        guard bytes.count >= headerSize, magic.indices.allSatisfy({ bytes[$0] == magic[$0] }) else {
            throw InputError("not a RouteShift compiled network (bad magic bytes)", at: InputLocation(file: path))
        }
        var header = ByteReader(image: image, offset: 8, file: path)
        let version: UInt32 = try header.scalar()
        guard version == formatVersion else {
            throw InputError("compiled network has format version \(version), this RouteShift reads \(formatVersion)",
                             at: InputLocation(file: path), underlying: Outdated(path: path, source: nil))
        }
        _ = try header.scalar() as UInt32
        let length: UInt64 = try header.scalar()
        guard UInt64(bytes.count - headerSize) == length else {
            throw InputError("compiled network is truncated or padded (\(bytes.count - headerSize) payload bytes, "
                             + "expected \(length))", at: InputLocation(file: path), underlying: Outdated(path: path, source: nil))
        }
        var r = ByteReader(image: image, offset: headerSize, file: path)
        do {
            let inputCount: UInt64 = try r.scalar()
            // Each input takes at least its 8-byte path length and 40 bytes of record.
            guard inputCount <= UInt64(r.remaining / 48) else { throw r.corrupt("input count \(inputCount)") }
            var inputs: [RecordedInput] = []
            for _ in 0..<inputCount {
                let source = try r.string()
                let present = try r.tag(2) == 1
                inputs.append(RecordedInput(path: source, present: present, size: try r.scalar(),
                                            stamp: SourceStamp(seconds: try r.scalar(), nanoseconds: try r.scalar()),
                                            hash: try r.scalar()))
            }
            if checkSource, let changed = inputs.first(where: { $0.hasChanged }) {
                let what = changed.present ? "has changed since it was built" : "was absent when it was built and is there now"
                throw InputError("compiled network is stale: its input \(changed.path) \(what)",
                                 at: InputLocation(file: path), underlying: Outdated(path: path, source: changed.path))
            }
            return try decodeTables(&r, path: path)
        } catch let error as InputError where error.location.file == nil {
            throw InputError("compiled network is inconsistent: \(error.message)", at: InputLocation(file: path),
                             underlying: Outdated(path: path, source: nil))
        } catch let error as GraphError {
            throw InputError("compiled network is inconsistent: \(error)", at: InputLocation(file: path),
                             underlying: Outdated(path: path, source: nil))
        }
    }

    /// A file the cache was built from, as it was then.
    struct RecordedInput {
        var path: String
        /// Whether the file existed (an absent `nodes.csv` beside an edge table is recorded too).
        var present: Bool
        var size: UInt64
        var stamp: SourceStamp
        var hash: UInt64

        /// Whether the file has changed: it has appeared, its size differs, or its
        /// modification time differs and so does its checksum (a file touched but not
        /// changed is fresh). A file that existed and no longer exists is not checked
        /// (a cache may be used without its sources).
        var hasChanged: Bool {
            guard let now = SourceStamp.of(path), let currentSize = SourceStamp.size(of: path) else { return false }
            guard present else { return true }
            if currentSize != size { return true }
            if now == stamp { return false }
            guard let current = FileManager.default.contents(atPath: path) else { return false }
            return fnv1a(current) != hash
        }
    }

    private static func readGraph(_ r: inout ByteReader) throws -> GraphStorage {
        let firstArc: Column<Int32> = try r.column(), arcHead: Column<Int32> = try r.column()
        let arcEdge: Column<Int32> = try r.column(), bits: Column<UInt64> = try r.column()
        let costs: GraphStorage.Costs
        switch try r.tag(2) {
        case 0: _ = try r.scalar() as UInt64; costs = .exact(try r.column())
        default:
            let scale = Double(bitPattern: try r.scalar())
            costs = .decimal(units: try r.column(), scale: scale)
        }
        let nodeIds: GraphStorage.NodeIds
        switch try r.tag(2) {
        case 0:
            let base: Int64 = try r.scalar()
            nodeIds = .offsets(base: base, try r.column())
        default: _ = try r.scalar() as Int64; nodeIds = .listed(try r.column())
        }
        let edgeIds: GraphStorage.EdgeIds
        switch try r.tag(2) {
        case 0:
            let first: Int64 = try r.scalar()
            let count: UInt64 = try r.scalar()
            guard count < UInt64(Int32.max) else { throw r.corrupt("edge count") }
            edgeIds = .consecutive(first: first, count: Int(count))
        default: edgeIds = .listed(try r.column())
        }
        var lon: Column<Double>?, lat: Column<Double>?
        if try r.tag(2) == 1 { lon = try r.column(); lat = try r.column() }
        var slots: Column<Int32>?, slotBase: Int64 = 0
        if try r.tag(2) == 1 { slotBase = try r.scalar(); slots = try r.column() }
        let symmetric = try r.tag(2) == 1
        return GraphStorage(firstArc: firstArc, arcHead: arcHead, arcEdge: arcEdge, arcBackwardBits: bits, costs: costs,
                            nodeIds: nodeIds, edgeIds: edgeIds, longitudes: lon, latitudes: lat, nodeSlots: slots,
                            nodeSlotBase: slotBase, isSymmetric: symmetric)
    }

    /// The tables after the header. Every count and index is checked against
    /// the payload before it is used: a cache is input like any other.
    private static func decodeTables(_ r: inout ByteReader, path: String) throws -> RouteNetwork {
        let graph = try RoutingGraph(storage: readGraph(&r))
        var table = EdgeTable()
        table.ids = try r.column(); table.sources = try r.column(); table.targets = try r.column()
        table.costs = try r.column(); table.reverseCosts = try r.column()
        let m = graph.edgeCount
        guard [table.ids.count, table.sources.count, table.targets.count, table.costs.count, table.reverseCosts.count]
            .allSatisfy({ $0 == m }) else { throw r.corrupt("edge table columns of other lengths than the graph's edges") }
        // Row i of the table is edge row i of the graph (what every caller relies on).
        let rowsMatch = table.ids.withUnsafeBufferPointer { ids -> Bool in
            var mismatches = 0
            switch graph.storage.edgeIds {
            case let .consecutive(first, _):
                for i in 0..<m { mismatches &+= ids[i] == first &+ Int64(i) ? 0 : 1 }
            case let .listed(listed):
                listed.withUnsafeBufferPointer { listed in
                    for i in 0..<m { mismatches &+= ids[i] == listed[i] ? 0 : 1 }
                }
            }
            return mismatches == 0
        }
        guard rowsMatch else { throw r.corrupt("edge table ids differ from the graph's") }
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
        r.align()
        var geometries: [[Coordinate]]? = nil
        if try r.tag(2) == 1 {
            let counts: [Int32] = try r.array()
            let flat: Column<Double> = try r.column()
            guard counts.count == m, counts.allSatisfy({ $0 >= 0 }),
                  counts.reduce(0, { $0 + Int($1) }) * 2 == flat.count  // each ≥ 0 and ≤ 2^31: no overflow
            else { throw r.corrupt("edge geometries") }
            var out: [[Coordinate]] = []
            out.reserveCapacity(counts.count)
            flat.withUnsafeBufferPointer { flat in
                var k = 0
                for n in counts {
                    var line: [Coordinate] = []
                    line.reserveCapacity(Int(n))
                    for _ in 0..<Int(n) { line.append(Coordinate(longitude: flat[k], latitude: flat[k + 1])); k += 2 }
                    out.append(line)
                }
            }
            geometries = out
        }
        var edgeProps: [[String: JSONValue]]? = nil
        if try r.tag(2) == 1 {
            let values = try AttributeCodec.read(from: &r)
            guard values.count == m else { throw r.corrupt("edge attributes") }
            edgeProps = values
        }
        r.align()
        var landmarks: Landmarks? = nil
        if try r.tag(2) == 1 {
            let nodes: Column<Int32> = try r.column()
            let from: Column<Float> = try r.column()
            let to: Column<Float>? = try r.tag(2) == 1 ? try r.column() : nil
            landmarks = try Landmarks(graph: graph, nodes: nodes, fromLandmark: from, toLandmark: to)
        }
        guard r.offset == r.count else { throw r.corrupt("unread bytes after the last table") }
        var network = try RouteNetwork(graph: graph, edges: table, nodeNames: names, nodeProperties: nodeProps,
                                       edgeGeometries: geometries, edgeProperties: edgeProps, origin: path)
        network.landmarks = landmarks
        return network
    }

    /// FNV-1a, 64-bit: a fast checksum that catches corruption (not tampering).
    static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 { FNV1a.hash(bytes) }
}

/// A source file's modification time, to tell a changed source without reading it.
struct SourceStamp: Hashable {
    var seconds: Int64
    var nanoseconds: Int64

    static func of(_ path: String) -> SourceStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        return SourceStamp(seconds: Int64(info.st_mtimespec.tv_sec), nanoseconds: Int64(info.st_mtimespec.tv_nsec))
        #else
        return SourceStamp(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec))
        #endif
    }

    static func size(of path: String) -> UInt64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt64(info.st_size)
    }
}

/// The bytes of a cache: a read-only private mapping of the file (unmapped when the
/// last column using it goes), or an aligned copy of bytes given in memory.
///
/// The columns are read in place for as long as the network is used, so a file
/// truncated meanwhile by another program would end the process with SIGBUS at the
/// next read past its new end, and zeros read instead would be wrong answers. The
/// mapping is guarded as fatal (`routeshift_mapping_guard_fatal`): the fault is
/// recorded with a message naming the file, which a SIGBUS handler (the CLI's) can
/// report before it ends the process.
///
/// `@unchecked Sendable`: the memory is never written after creation.
final class FileImage: @unchecked Sendable {
    struct Failure: Error { var reason: String }

    let bytes: UnsafeRawBufferPointer
    private let mapped: Bool
    /// The guard of the mapping, or -1; its message (NUL-terminated, owned here).
    private var guardSlot: Int32 = -1
    private var faultMessage: UnsafeMutablePointer<CChar>?

    init(mapping path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        // returns 0 on success
        guard fstat(fd, &info) == 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Failure(reason: "not a regular file") }
        let size = Int(info.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            mapped = false
            return
        }
        // returns MAP_FAILED on error; the mapping outlives the descriptor
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else { throw Failure(reason: String(cString: strerror(errno))) }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
        mapped = true
        let message = "\(path): the compiled network was truncated by another program while in use; "
            + "its contents can no longer be read (build it again if it was replaced)"
        faultMessage = strdup(message)
        if let faultMessage {
            guardSlot = routeshift_mapping_guard_fatal(address, size, faultMessage, strlen(faultMessage))
        }
    }

    init(copying source: [UInt8]) {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, source.count), alignment: 16)
        source.withUnsafeBytes { memory.copyMemory(from: $0) }
        bytes = UnsafeRawBufferPointer(start: memory.baseAddress, count: source.count)
        mapped = false
    }

    deinit {
        if guardSlot >= 0 { _ = routeshift_mapping_unguard(guardSlot) }
        free(faultMessage)
        guard let base = bytes.baseAddress else { return }
        if mapped { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) } else { base.deallocate() }
    }
}

struct ByteWriter {
    var buffer: [UInt8] = []
    mutating func scalar<T: FixedWidthInteger>(_ x: T) {
        withUnsafeBytes(of: x.littleEndian) { buffer.append(contentsOf: $0) }
    }
    /// Zero bytes up to the next multiple of 8 (the payload starts at one).
    mutating func align() {
        while buffer.count % 8 != 0 { buffer.append(0) }
    }
    mutating func array<T: BitwiseCopyable>(_ a: [T]) {
        scalar(UInt64(a.count))
        align()
        // Raw element bytes: every platform RouteShift runs on is little-endian.
        a.withUnsafeBytes { buffer.append(contentsOf: $0) }
        align()
    }
    mutating func column<T: BitwiseCopyable>(_ c: Column<T>) {
        scalar(UInt64(c.count))
        align()
        c.withUnsafeBufferPointer { buffer.append(contentsOf: UnsafeRawBufferPointer($0)) }
        align()
    }
    mutating func bytes(_ b: [UInt8]) { scalar(UInt64(b.count)); buffer.append(contentsOf: b) }
    mutating func string(_ s: String) { bytes(Array(s.utf8)) }
}

struct ByteReader {
    let image: FileImage
    var offset: Int
    let file: String

    init(image: FileImage, offset: Int, file: String) {
        self.image = image; self.offset = offset; self.file = file
    }

    var count: Int { image.bytes.count }

    func corrupt(_ what: String) -> InputError {
        InputError("compiled network is corrupt (\(what) at byte \(offset))", at: InputLocation(file: file))
    }

    var remaining: Int { count - offset }

    mutating func take(_ n: Int) throws -> UnsafeRawBufferPointer {
        guard n >= 0, n <= remaining else { throw corrupt("truncated section") }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: image.bytes[offset..<offset + n])
    }

    mutating func align() { offset = min(count, (offset + 7) & ~7) }

    mutating func scalar<T: FixedWidthInteger>() throws -> T {
        let raw = try take(MemoryLayout<T>.size)
        var x = T.zero
        withUnsafeMutableBytes(of: &x) { $0.copyMemory(from: raw) }
        return T(littleEndian: x)
    }

    /// A UInt64 that must be below `limit` (a flag or a kind).
    mutating func tag(_ limit: UInt64) throws -> UInt64 {
        let value: UInt64 = try scalar()
        guard value < limit else { throw corrupt("tag \(value)") }
        return value
    }

    /// An array used in place: a view of the image, kept alive by the column.
    mutating func column<T: BitwiseCopyable>() throws -> Column<T> {
        let count: UInt64 = try scalar()
        align()
        let stride = MemoryLayout<T>.stride
        guard count <= UInt64(remaining / Swift.max(1, stride)) else { throw corrupt("array length \(count)") }
        let raw = try take(Int(count) * stride)
        align()
        guard let base = raw.baseAddress else { return Column() }
        // Aligned: the image starts at a page (or 16-byte) boundary and arrays at multiples of 8.
        let typed = base.bindMemory(to: T.self, capacity: Int(count))
        return Column(unsafeRegion: UnsafeBufferPointer(start: typed, count: Int(count)), owner: image)
    }

    mutating func array<T: BitwiseCopyable>() throws -> [T] { try column().array }

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
