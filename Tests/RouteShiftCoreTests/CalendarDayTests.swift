import RouteShiftCore
import XCTest

final class CalendarDayTests: XCTestCase {
    /// Day counts against the Unix epoch, and Python's lenient `strptime("%Y-%m-%d")` spellings.
    func testParsingAndPrinting() {
        XCTAssertEqual(CalendarDay(parsing: "1970-01-01")?.ordinal, 0)
        XCTAssertEqual(CalendarDay(parsing: "2015-09-15")?.ordinal, 16693)  // date -d 2015-09-15 +%s / 86400
        XCTAssertEqual(CalendarDay(parsing: "2016-03-01")!.ordinal - CalendarDay(parsing: "2016-02-28")!.ordinal, 2)
        XCTAssertEqual(CalendarDay(parsing: "2015-05-01")!.adding(days: 396), CalendarDay(parsing: "2016-05-31"))
        XCTAssertEqual(CalendarDay(parsing: "2020-11-4")?.description, "2020-11-04")
        XCTAssertNil(CalendarDay(parsing: "2015-02-29"))
        XCTAssertNil(CalendarDay(parsing: "2015-13-01"))
        XCTAssertNil(CalendarDay(parsing: "Day 3"))
        XCTAssertEqual(CalendarDay.days(year: 2000, month: 2), 29)
        XCTAssertEqual(CalendarDay.days(year: 1900, month: 2), 28)
    }
}
