import XCTest
import RouteShiftCore
@testable import RouteShiftObservations

final class PeriodTests: XCTestCase {
    func testParsesYearsMonthsQuartersAndRanges() throws {
        let year = try Period.parse("2015")
        XCTAssertEqual(year.first, YearMonth(year: 2015, month: 1))
        XCTAssertEqual(year.last, YearMonth(year: 2015, month: 12))
        XCTAssertEqual(year.days, 365)
        XCTAssertEqual(try Period.parse("2016-02").days, 29)           // leap year
        XCTAssertEqual(try Period.parse("1900-02").days, 28)           // century, not a leap year
        XCTAssertEqual(try Period.parse("2000-02").days, 29)           // divisible by 400
        let q = try Period.parse("2015-Q3")
        XCTAssertEqual(q.months.map(\.description), ["2015-07", "2015-08", "2015-09"])
        XCTAssertEqual(q.days, 31 + 31 + 30)
        let range = try Period.parse("2015-07:2016-03")
        XCTAssertEqual(range.monthCount, 9)
        XCTAssertEqual(try Period.parse("2015:2016").monthCount, 24)
        XCTAssertEqual(try Period.parse("2015-Q4:2016").monthCount, 15)
        // Labels read back to the same period.
        for text in ["2015", "2015-09", "2015-Q3", "2015-07:2016-03", "2015-02:2015-04"] {
            XCTAssertEqual(try Period.parse(try Period.parse(text).description), try Period.parse(text), text)
        }
    }

    func testRejectsMalformedPeriodsQuotingTheText() {
        for bad in ["2015-13", "15", "2015-Q5", "2016-01:2015-12", "2015-01:2015-02:2015-03", "", "2015/09"] {
            XCTAssertThrowsError(try Period.parse(bad, at: InputLocation(path: "--period")), bad) { error in
                let e = error as? InputError
                XCTAssertNotNil(e)
                XCTAssertEqual(e?.location.path, "--period")
                XCTAssertTrue(e?.message.contains("'\(bad)'") ?? false, e?.message ?? "")
            }
        }
    }

    func testSplitClipsTheFirstAndLastPeriod() throws {
        let p = try Period.parse("2015-08:2016-02")
        XCTAssertEqual(p.split(by: .quarter).map(\.description), ["2015-08:2015-09", "2015-Q4", "2016-01:2016-02"])
        XCTAssertEqual(p.split(by: .year).map(\.description), ["2015-08:2015-12", "2016-01:2016-02"])
        XCTAssertEqual(p.split(by: .month).count, 7)
        // The pieces tile the period: same days in total, each next starts after the previous ends.
        for g in PeriodGranularity.allCases {
            let parts = p.split(by: g)
            XCTAssertEqual(parts.reduce(0) { $0 + $1.days }, p.days)
            for (a, b) in zip(parts, parts.dropFirst()) { XCTAssertEqual(a.lastDay.ordinal + 1, b.firstDay.ordinal) }
        }
    }

    func testCalendarDaysMatchTheUnixEpochCount() {
        // Independent: Python's date(2015, 9, 15) - date(1970, 1, 1) = 16693 days; 1900-03-01 is -25508.
        XCTAssertEqual(CalendarDay(year: 2015, month: 9, day: 15).ordinal, 16693)
        XCTAssertEqual(CalendarDay(year: 1900, month: 3, day: 1).ordinal, -25508)
        XCTAssertEqual(CalendarDay(year: 1970, month: 1, day: 1).ordinal, 0)
        for ordinal in stride(from: -800_000, through: 800_000, by: 997) {
            let d = CalendarDay(ordinal: ordinal).civil
            XCTAssertEqual(CalendarDay(year: d.year, month: d.month, day: d.day).ordinal, ordinal)
        }
        XCTAssertEqual(CalendarDay(year: 2015, month: 9, day: 15).description, "2015-09-15")
    }

    func testOverlapDaysCountsTheSharedDays() throws {
        let september = try Period.parse("2015-09")
        // A fence from 15 September covers 16 of September's 30 days.
        XCTAssertEqual(september.overlapDays(from: CalendarDay(year: 2015, month: 9, day: 15), to: nil), 16)
        XCTAssertEqual(september.overlapDays(from: nil, to: CalendarDay(year: 2015, month: 8, day: 31)), 0)
        XCTAssertEqual(september.overlapDays(from: CalendarDay(year: 2015, month: 9, day: 1), to: CalendarDay(year: 2015, month: 9, day: 1)), 1)
        XCTAssertEqual(september.overlapDays(from: nil, to: nil), 30)
        XCTAssertEqual(september.startTimestamp, "2015-09-01T00:00:00Z")
        XCTAssertEqual(september.endTimestamp, "2015-10-01T00:00:00Z")
    }
}
