import RouteShiftCore
import RouteShiftNetwork
import RouteShiftObservations

/// The states a network goes through over a range of days: it changes on each day a dated
/// attribute comes into force (`since`, an `earlier` state's `since`) and each day an entry
/// rule starts or stops (`from`, `until`), the days `CostModel.pendingChanges` lists. Between
/// two such days every day sees the same network, so a run costs the network once per state
/// (`CostModel.apply(_:to:asOf:)` on the state's first day) rather than once per day.
public struct NetworkTimeline: Sendable, Equatable {
    /// The first day of each state, in order: the range's first day, then each day within the
    /// range on which the network changes.
    public let starts: [CalendarDay]

    /// - Complexity: O(E + changes · log changes).
    public init(network: RouteNetwork, from first: CalendarDay, through last: CalendarDay) {
        let changes = Set(CostModel.pendingChanges(in: network, asOf: first.description).compactMap { CalendarDay(parsing: $0) })
        starts = [first] + changes.filter { first < $0 && $0 <= last }.sorted()
    }

    /// A single state from `first` on (a run pinned to one day's network).
    public init(single first: CalendarDay) { starts = [first] }

    /// The index of the state in force on `day` (the first for a day before the range).
    /// - Complexity: O(log states).
    public func state(on day: CalendarDay) -> Int {
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= day { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The days of `period` grouped by the network state in force (index into `starts`) and by
    /// which of `windows` are in force (`from`…`to` inclusive, either end open), in order of
    /// first appearance; the day counts add up to `period.days`. A period's demand travels
    /// evenly over its days, so each group carries `days ÷ period.days` of it: the rule of
    /// `simulate --periods`, of calibration and of backtests alike.
    /// - Complexity: O(days × (windows + 1)).
    public func segments(of period: Period, windows: [(from: CalendarDay?, to: CalendarDay?)] = []) -> [DaySegment] {
        var out: [DaySegment] = []
        var index: [DaySegment.Key: Int] = [:]
        var n = state(on: period.firstDay)
        for ordinal in period.firstDay.ordinal...period.lastDay.ordinal {
            while n + 1 < starts.count && starts[n + 1].ordinal <= ordinal { n += 1 }
            let inForce = windows.map { w in (w.from.map { $0.ordinal <= ordinal } ?? true) && (w.to.map { ordinal <= $0.ordinal } ?? true) }
            let key = DaySegment.Key(network: n, inForce: inForce)
            if let i = index[key] { out[i].days += 1; continue }
            index[key] = out.count
            out.append(DaySegment(network: n, inForce: inForce, days: 1))
        }
        return out
    }
}

/// Days of a period that see one network state and one set of windows in force (`NetworkTimeline.segments`).
public struct DaySegment: Hashable, Sendable {
    /// Index into the timeline's `starts`.
    public var network: Int
    /// Per window, whether it is in force on these days.
    public var inForce: [Bool]
    public var days: Int

    struct Key: Hashable { var network: Int; var inForce: [Bool] }
}
