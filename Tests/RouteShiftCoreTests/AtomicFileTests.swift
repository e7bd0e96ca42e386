import XCTest
import Foundation
@testable import RouteShiftCore
import RouteShiftTestSupport

final class AtomicFileTests: XCTestCase {
    func testAbortLeavesExistingFileUntouchedAndNoTemporaries() throws {
        let dir = try TemporaryDirectory("rs-atomic")
        let path = dir.path("out.json")
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
