import RouteShiftCore
import Foundation

/// A calendar month of the proleptic Gregorian calendar.
public struct YearMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    /// 1…12.
    public let month: Int

    public init(year: Int, month: Int) {
        precondition((1...12).contains(month), "month \(month) outside 1…12")
        self.year = year; self.month = month
    }

    /// Months since year 0: consecutive months have consecutive indices.
    public var index: Int { year * 12 + month - 1 }
    public init(index: Int) {
        self.init(year: index >= 0 ? index / 12 : (index - 11) / 12, month: ((index % 12) + 12) % 12 + 1)
    }

    public var next: YearMonth { YearMonth(index: index + 1) }
    /// 1…4.
    public var quarter: Int { (month - 1) / 3 + 1 }

    /// Days in the month (28…31), Gregorian leap years.
    public var days: Int {
        CalendarDay.days(year: year, month: month)
    }

    /// The first day of the month.
    public var firstDay: CalendarDay { CalendarDay(year: year, month: month, day: 1) }
    /// The last day of the month.
    public var lastDay: CalendarDay { CalendarDay(year: year, month: month, day: days) }

    /// `2015-09`.
    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    public static func < (a: YearMonth, b: YearMonth) -> Bool { a.index < b.index }

    /// Parses `YYYY-MM`; `nil` for anything else.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m) else { return nil }
        self.init(year: y, month: m)
    }
}

/// How a range of months is cut into periods.
public enum PeriodGranularity: String, Hashable, Sendable, CaseIterable {
    case month, quarter, year
}

/// A run of whole calendar months, `first…last` inclusive: a month, a quarter,
/// a year, or any range.
public struct Period: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let first: YearMonth
    public let last: YearMonth

    public init(first: YearMonth, last: YearMonth) {
        precondition(first <= last, "period \(first)…\(last) is empty")
        self.first = first; self.last = last
    }

    public init(month: YearMonth) { self.init(first: month, last: month) }

    /// The months of the period, in order.
    public var months: [YearMonth] { (first.index...last.index).map(YearMonth.init(index:)) }
    public var monthCount: Int { last.index - first.index + 1 }
    /// Days in the period.
    public var days: Int { lastDay.ordinal - firstDay.ordinal + 1 }
    public var firstDay: CalendarDay { first.firstDay }
    public var lastDay: CalendarDay { last.lastDay }

    /// `2015-09` for a month, `2015-Q3` for a calendar quarter, `2015` for a calendar
    /// year, `2015-07:2016-03` otherwise. `Period.parse` reads every label back.
    public var description: String {
        if first == last { return first.description }
        if first.month == 1, last.month == 12, first.year == last.year { return "\(first.year)" }
        if first.year == last.year, first.month % 3 == 1, last.month == first.month + 2 {
            return "\(first.year)-Q\(first.quarter)"
        }
        return "\(first):\(last)"
    }

    /// RFC 3339 instant of the period's first moment (UTC), for time-stamped GeoJSON.
    public var startTimestamp: String { "\(firstDay)T00:00:00Z" }
    /// RFC 3339 instant of the first moment after the period (UTC).
    public var endTimestamp: String { "\(CalendarDay(ordinal: lastDay.ordinal + 1))T00:00:00Z" }

    public static func < (a: Period, b: Period) -> Bool { (a.first, a.last) < (b.first, b.last) }

    /// Parses `2015` (a year), `2015-09` (a month), `2015-Q3` (a quarter) or a range
    /// `A:B` of any two of these (from the start of `A` to the end of `B`).
    ///
    /// - Throws: `InputError` at `location` quoting the text.
    public static func parse(_ text: String, at location: InputLocation = InputLocation()) throws -> Period {
        let t = text.trimmingCharacters(in: .whitespaces)
        let ends = t.split(separator: ":", omittingEmptySubsequences: false)
        func bad(_ why: String) -> InputError {
            InputError("invalid period '\(text.prefix(40))': \(why) (write 2015, 2015-09, 2015-Q3 or 2015-07:2016-03)",
                       at: location)
        }
        guard ends.count <= 2 else { throw bad("more than one ':'") }
        guard let a = unit(ends[0]) else { throw bad("'\(ends[0].prefix(20))' is not a year, month or quarter") }
        if ends.count == 1 { return a }
        guard let b = unit(ends[1]) else { throw bad("'\(ends[1].prefix(20))' is not a year, month or quarter") }
        guard a.first <= b.last else { throw bad("it ends before it starts") }
        return Period(first: a.first, last: b.last)
    }

    private static func unit(_ s: Substring) -> Period? {
        if s.count == 4, let y = Int(s) { return Period(first: YearMonth(year: y, month: 1), last: YearMonth(year: y, month: 12)) }
        if let m = YearMonth(parsing: s) { return Period(month: m) }
        let parts = s.uppercased().split(separator: "-")
        if parts.count == 2, parts[0].count == 4, let y = Int(parts[0]), parts[1].count == 2, parts[1].first == "Q",
           let q = Int(parts[1].dropFirst()), (1...4).contains(q) {
            return Period(first: YearMonth(year: y, month: 3 * q - 2), last: YearMonth(year: y, month: 3 * q))
        }
        return nil
    }

    /// The period cut into calendar months, quarters or years, the first and last
    /// clipped to the period (`2015-08:2016-02` by quarter gives `2015-08:2015-09`,
    /// `2015-Q4`, `2016-01:2016-02`).
    /// - Complexity: O(months).
    public func split(by granularity: PeriodGranularity) -> [Period] {
        var out: [Period] = []
        var start = first
        while start <= last {
            let end: YearMonth
            switch granularity {
            case .month: end = start
            case .quarter: end = YearMonth(year: start.year, month: start.quarter * 3)
            case .year: end = YearMonth(year: start.year, month: 12)
            }
            let clipped = min(end, last)
            out.append(Period(first: start, last: clipped))
            start = clipped.next
        }
        return out
    }

    /// Whether `month` lies in the period.
    public func contains(_ month: YearMonth) -> Bool { first <= month && month <= last }

    /// Days of the period that also lie in `from…to` (either end open).
    public func overlapDays(from: CalendarDay?, to: CalendarDay?) -> Int {
        let a = max(firstDay.ordinal, from?.ordinal ?? Int.min)
        let b = min(lastDay.ordinal, to?.ordinal ?? Int.max)
        return max(0, b - a + 1)
    }
}
