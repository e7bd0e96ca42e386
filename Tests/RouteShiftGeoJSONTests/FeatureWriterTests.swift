import XCTest
import RouteShiftCore
import RouteShiftTestSupport
@testable import RouteShiftGeoJSON

final class FeatureWriterTests: XCTestCase {
    private var temporary: TemporaryDirectory!
    private var directory: URL { temporary.url }

    override func setUpWithError() throws { temporary = try TemporaryDirectory("rs-geojson") }
    override func tearDown() { temporary = nil }

    private func sample() -> FeatureCollection {
        FeatureCollection(features: (0..<50).map { i in
            Feature(id: .string("seg-\(i)"),
                    geometry: .lineString([Coordinate(longitude: Double(i) * 0.123456789, latitude: 45 + Double(i) / 7),
                                           Coordinate(longitude: Double(i) * 0.2, latitude: 46)]),
                    properties: ["index": .number(Double(i)), "label": .string("Grenze \(i) \u{1F6A7}")])
        })
    }

    func testStreamToFileMatchesInMemoryEncodingByteForByte() throws {
        let fc = sample()
        let options = GeoJSONWriterOptions(coordinatePrecision: 5)
        let path = directory.appendingPathComponent("out.geojson").path
        let written = try GeoJSON.writeFeatureCollection(to: path, options: options) { writer in
            for feature in fc.features { try writer.write(feature) }
            return writer.count
        }
        XCTAssertEqual(written, 50)
        let onDisk = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(onDisk, try GeoJSON.encode(fc, options: options))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["out.geojson"])
    }

    func testStreamToMemorySink() throws {
        let fc = sample()
        let writer = try GeoJSONFeatureWriter(sink: InMemoryByteSink())
        for feature in fc.features { try writer.write(feature) }
        try writer.finish()
        XCTAssertEqual(writer.sink.bytes, try GeoJSON.encode(fc))
        XCTAssertEqual(try GeoJSON.decodeFeatureCollection(writer.sink.bytes), fc)
        XCTAssertThrowsError(try writer.write(fc.features[0])) { error in
            XCTAssertTrue("\(error)".contains("after finish()"))
        }
    }

    func testEncodingErrorAbortsAndLeavesOldFileUntouched() throws {
        let path = directory.appendingPathComponent("out.geojson").path
        try AtomicFileWriter.write("previous", to: path)
        let bad = Feature(geometry: .point(Coordinate(longitude: .infinity, latitude: 0)))
        XCTAssertThrowsError(try GeoJSON.writeFeatureCollection(to: path) { writer in
            try writer.write(Feature(geometry: nil))
            try writer.write(bad)
        }) { error in
            XCTAssertEqual((error as? InputError)?.location.path, "$.features[1].geometry.coordinates[0]")
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "previous")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["out.geojson"])
    }

    func testCallerErrorAndReleasedWriterLeaveNoFile() throws {
        struct Stop: Error {}
        let path = directory.appendingPathComponent("new.geojson").path
        XCTAssertThrowsError(try GeoJSON.writeFeatureCollection(to: path) { writer in
            try writer.write(Feature(geometry: nil))
            throw Stop()
        })
        do {
            // Dropped without finish(): deinit aborts the atomic file.
            let writer = try GeoJSONFeatureWriter(sink: try AtomicFileWriter(path: path))
            try writer.write(Feature(geometry: nil))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [])
    }

    func testStandardOutputSinkWritesTheSameBytes() throws {
        let fc = sample()
        let path = directory.appendingPathComponent("stdout.geojson").path
        // Point file descriptor 1 at a file for the duration of the write.
        let saved = dup(1)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        fflush(nil)
        dup2(fd, 1)
        let writer = try GeoJSONFeatureWriter(sink: StandardOutputSink())
        var failure: Error?
        do {
            for feature in fc.features { try writer.write(feature) }
            try writer.finish()
        } catch { failure = error }
        dup2(saved, 1)
        close(fd)
        close(saved)
        if let failure { throw failure }
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), try GeoJSON.encode(fc))
    }
}
