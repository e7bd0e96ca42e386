import XCTest
import Foundation
@testable import RouteShiftCore

final class AtomicFileTests: XCTestCase {
    func testAbortLeavesExistingFileUntouchedAndNoTemporaries() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rs-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.json").path
        try AtomicFileWriter.write("old", to: path)

        struct Boom: Error {}
        XCTAssertThrowsError(try AtomicFileWriter.withWriter(path: path) { w in
            try w.write("half-")
            throw Boom()
        })
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["out.json"])

        try AtomicFileWriter.withWriter(path: path) { w in try w.write("new") }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "new")
    }

    func testMissingDirectoryIsAnInputError() {
        XCTAssertThrowsError(try AtomicFileWriter.write("x", to: "/nonexistent-dir-rs/out.json")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent-dir-rs/out.json"))
        }
    }
}
