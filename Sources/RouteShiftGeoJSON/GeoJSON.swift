import RouteShiftCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing GeoJSON (RFC 7946).
///
/// Decoding is strict: anything RFC 7946 forbids, and anything RouteShift cannot represent
/// (coordinates outside the WGS84 degree ranges, numbers that overflow a double), throws an
/// `InputError` whose `location.path` is the JSON path of the offending value, e.g.
/// `$.features[3].geometry.coordinates[0][2]`, whose `location.line` is the line that value
/// starts on, and whose message quotes the value. Foreign members and `"bbox"` are ignored
/// (RFC 7946 §5, §6.1); positions keep longitude and latitude and drop any further elements.
///
/// Encoding is deterministic: the same value always gives the same bytes (see `GeoJSONWriterOptions`).
public enum GeoJSON {
    // MARK: Decoding

    /// Decodes a FeatureCollection (RFC 7946 §3.3).
    /// - Parameter file: named in error locations; pass the path the bytes came from.
    /// - Complexity: O(n) in the input length.
    public static func decodeFeatureCollection(_ bytes: [UInt8], file: String? = nil) throws -> FeatureCollection {
        try read(bytes, file: file) { r, v in try r.featureCollection(v) }
    }

    /// Decodes a single Feature (RFC 7946 §3.2). - Complexity: O(n) in the input length.
    public static func decodeFeature(_ bytes: [UInt8], file: String? = nil) throws -> Feature {
        try read(bytes, file: file) { r, v in try r.feature(v) }
    }

    /// Decodes a single geometry (RFC 7946 §3.1). - Complexity: O(n) in the input length.
    public static func decodeGeometry(_ bytes: [UInt8], file: String? = nil) throws -> Geometry {
        try read(bytes, file: file) { r, v in try r.geometry(v) }
    }

    /// Parses, then interprets; a problem found while interpreting gets the line its value starts
    /// on by scanning the text again, so the common, error-free path keeps no positions.
    private static func read<T>(
        _ bytes: [UInt8], file: String?, _ body: (inout GeoJSONReader, JSONValue) throws -> T
    ) throws -> T {
        let value = try JSONParser.parse(bytes, file: file)
        var reader = GeoJSONReader()
        do {
            return try body(&reader, value)
        } catch let failure as GeoJSONReader.Failure {
            let location = InputLocation(file: file, line: JSONParser.line(of: failure.path, in: bytes),
                                         path: failure.path.rendered)
            throw InputError(failure.message, at: location, suggestions: failure.suggestions)
        }
    }

    /// Parses any JSON document into a `JSONValue`, with the same path-aware errors.
    public static func decodeJSON(_ bytes: [UInt8], file: String? = nil) throws -> JSONValue {
        try JSONParser.parse(bytes, file: file)
    }

    public static func decodeFeatureCollection(_ text: String, file: String? = nil) throws -> FeatureCollection {
        try decodeFeatureCollection(Array(text.utf8), file: file)
    }

    public static func decodeFeature(_ text: String, file: String? = nil) throws -> Feature {
        try decodeFeature(Array(text.utf8), file: file)
    }

    public static func decodeGeometry(_ text: String, file: String? = nil) throws -> Geometry {
        try decodeGeometry(Array(text.utf8), file: file)
    }

    /// Reads and decodes the FeatureCollection in the file at `path`.
    public static func readFeatureCollection(path: String) throws -> FeatureCollection {
        try decodeFeatureCollection(try readFile(path), file: path)
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        guard let f = fopen(path, "rb") else {
            throw InputError("cannot open: \(String(cString: strerror(errno)))", at: InputLocation(file: path))
        }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            bytes.append(contentsOf: chunk[..<n])
            if n < chunk.count {
                // fread returns short at end of file or on error; only ferror tells them apart.
                if ferror(f) != 0 {
                    throw InputError("cannot read: \(String(cString: strerror(errno)))", at: InputLocation(file: path))
                }
                return bytes
            }
        }
    }

    // MARK: Encoding

    /// The collection as a GeoJSON document: one feature per line, ending in a newline.
    /// Identical, byte for byte, to what `GeoJSONFeatureWriter` streams.
    /// - Throws: `InputError` naming the path of a non-finite number, which JSON cannot hold.
    /// - Complexity: O(n) in the output size, plus sorting each properties object's keys.
    public static func encode(_ collection: FeatureCollection, options: GeoJSONWriterOptions = .init()) throws -> [UInt8] {
        var sink = InMemoryByteSink()
        let writer = try GeoJSONFeatureWriter(sink: sink, options: options)
        for feature in collection.features { try writer.write(feature) }
        try writer.finish()
        sink = writer.sink
        return sink.bytes
    }

    /// One feature as compact JSON, no trailing newline.
    public static func encode(_ feature: Feature, options: GeoJSONWriterOptions = .init()) throws -> [UInt8] {
        var w = JSONWriter(options: options)
        try w.feature(feature)
        return w.bytes
    }

    /// One geometry as compact JSON, no trailing newline.
    public static func encode(_ geometry: Geometry, options: GeoJSONWriterOptions = .init()) throws -> [UInt8] {
        var w = JSONWriter(options: options)
        try w.geometry(geometry)
        return w.bytes
    }

    /// Any JSON value, compact, object keys in UTF-8 byte order.
    public static func encode(_ value: JSONValue) throws -> [UInt8] {
        var w = JSONWriter(options: .init())
        try w.value(value)
        return w.bytes
    }

    public static func encodeString(_ collection: FeatureCollection, options: GeoJSONWriterOptions = .init()) throws -> String {
        String(decoding: try encode(collection, options: options), as: UTF8.self)
    }

    public static func encodeString(_ feature: Feature, options: GeoJSONWriterOptions = .init()) throws -> String {
        String(decoding: try encode(feature, options: options), as: UTF8.self)
    }

    public static func encodeString(_ geometry: Geometry, options: GeoJSONWriterOptions = .init()) throws -> String {
        String(decoding: try encode(geometry, options: options), as: UTF8.self)
    }

    /// Writes a FeatureCollection to `path` atomically, feature by feature: `body` receives a
    /// writer; if it returns the file is committed, if anything throws no file (and no
    /// temporary) is left and an existing file at `path` is untouched.
    public static func writeFeatureCollection<R>(
        to path: String, options: GeoJSONWriterOptions = .init(),
        _ body: (GeoJSONFeatureWriter<AtomicFileWriter>) throws -> R
    ) throws -> R {
        let writer = try GeoJSONFeatureWriter(sink: try AtomicFileWriter(path: path), options: options)
        do {
            let result = try body(writer)
            try writer.finish()
            return result
        } catch {
            writer.abort()
            throw error
        }
    }
}
