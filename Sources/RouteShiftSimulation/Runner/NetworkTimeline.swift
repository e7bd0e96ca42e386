import RouteShiftCore
import RouteShiftNetwork

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
}
