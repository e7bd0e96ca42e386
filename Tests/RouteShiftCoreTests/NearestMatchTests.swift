import XCTest
@testable import RouteShiftCore

final class NearestMatchTests: XCTestCase {
    func testLevenshteinKnownDistances() {
        // Classic textbook pairs with hand-counted distances.
        XCTAssertEqual(NearestMatch.levenshtein(Array("kitten"), Array("sitting")), 3)
        XCTAssertEqual(NearestMatch.levenshtein(Array("flaw"), Array("lawn")), 2)
        XCTAssertEqual(NearestMatch.levenshtein(Array(""), Array("abc")), 3)
        XCTAssertEqual(NearestMatch.levenshtein(Array("same"), Array("same")), 0)
    }

    func testSuggestionsRankByDistanceThenName() {
        let ids = ["Belgrade", "Budapest", "Bihac", "Berlin", "Beograd"]
        XCTAssertEqual(NearestMatch.suggestions(for: "Belgrad", among: ids).first, "Belgrade")
        XCTAssertEqual(NearestMatch.suggestions(for: "berlim", among: ids), ["Berlin"])
        XCTAssertEqual(NearestMatch.suggestions(for: "Zzzzzzzz", among: ids), [])
    }
}
