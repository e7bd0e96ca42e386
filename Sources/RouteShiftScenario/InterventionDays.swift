import RouteShiftCore
import RouteShiftSimulation

extension Intervention {
    /// The window as calendar days (`from`…`to` inclusive, either end open), as runs over
    /// periods read it (`simulate --periods`, backtests).
    /// - Throws: `InputError` at the window's key for a day number (`day 12`), which has no date.
    public func calendarWindow() throws -> (from: CalendarDay?, to: CalendarDay?) {
        func day(_ d: ScenarioDay?, _ key: String) throws -> CalendarDay? {
            switch d {
            case nil: return nil
            case .date(let y, let m, let dd)?: return CalendarDay(year: y, month: m, day: dd)
            case .day(let n)?:
                var at = location
                at.path = (at.path ?? "$") + "." + key
                throw InputError("window day \(n) is a day number: periods need calendar dates (YYYY-MM-DD)", at: at)
            }
        }
        return (try day(window.from, "from"), try day(window.to, "to"))
    }
}
