/// A calendar day as a count of days since 1970-01-01 (negative before), proleptic Gregorian.
///
/// Conversions are Hinnant's `days_from_civil` / `civil_from_days` ("chrono-Compatible
/// Low-Level Date Algorithms", 2013), exact for every date. O(1).
public struct CalendarDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let ordinal: Int

    public init(ordinal: Int) { self.ordinal = ordinal }

    /// The day `year-month-day` (the day is not checked against the month's length).
    public init(year: Int, month: Int, day: Int) {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        ordinal = era * 146_097 + doe - 719_468
    }

    /// The day written `YYYY-M-D` (one or two digits for month and day, as Python's
    /// `strptime("%Y-%m-%d")` accepts), or nil when it is not a valid date.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= Self.days(year: y, month: m) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// (year, month, day).
    public var civil: (year: Int, month: Int, day: Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    /// Days in month `month` (1…12) of `year`.
    public static func days(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The day `n` days later (earlier when negative).
    public func adding(days n: Int) -> CalendarDay { CalendarDay(ordinal: ordinal + n) }

    /// `2015-09-15`.
    public var description: String {
        let (y, m, d) = civil
        let year = String(y)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool { a.ordinal < b.ordinal }
}

extension CalendarDay {
    /// The first day of `text`: a day `YYYY-MM-DD`, a month `YYYY-MM` or a year `YYYY`.
    /// - Throws: `InputError` quoting the text otherwise.
    public static func firstDay(of text: String) throws -> CalendarDay {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let padded = parts.count == 1 ? text + "-01-01" : parts.count == 2 ? text + "-01" : text
        guard parts.count <= 3, parts[0].count == 4, let day = CalendarDay(parsing: padded) else {
            throw InputError("\(InputError.excerpt(text)) is not a day (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY)")
        }
        return day
    }
}

extension CalendarDay: ExpressibleByStringLiteral {
    /// The day a literal names (`"2015-09-15"`), as `init(parsing:)` reads it; a literal that is
    /// not a date is a programming error and stops the program, as SwiftPM's `Version` does.
    public init(stringLiteral text: String) {
        guard let day = CalendarDay(parsing: text) else { preconditionFailure("\(text) is not a calendar date (YYYY-MM-DD)") }
        self = day
    }
}
