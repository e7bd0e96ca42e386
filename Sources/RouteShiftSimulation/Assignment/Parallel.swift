import Dispatch

/// One result cell per index, each written by exactly one worker; read only
/// after every worker has finished, so no two threads touch the same cell.
final class ResultSlots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        buffer = .allocate(capacity: max(count, 1))
        buffer.initialize(repeating: nil)
    }

    deinit {
        _ = buffer.deinitialize()
        buffer.deallocate()
    }

    subscript(index: Int) -> T? {
        get { buffer[index] }
        set { buffer[index] = newValue }
    }
}

enum Parallel {
    /// `body(state, i)` for every `i` in `0..<count`, results in index order.
    ///
    /// Up to `workers` threads (`DispatchQueue.concurrentPerform`), each with its
    /// own `state` (a `ShortestPathQuery`, which must not be shared), taking the
    /// indices `w, w + workers, …`. Results land in fixed slots, so the output
    /// does not depend on scheduling. The first error by index is rethrown.
    static func map<State, T>(count: Int, workers: Int, state: @Sendable () -> State,
                              _ body: @Sendable (State, Int) throws -> T) throws -> [T] {
        let threads = min(max(workers, 1), count)
        if threads <= 1 {
            let s = state()
            return try (0..<count).map { try body(s, $0) }
        }
        let slots = ResultSlots<Result<T, any Error>>(count: count)
        DispatchQueue.concurrentPerform(iterations: threads) { w in
            let s = state()
            var i = w
            while i < count {
                slots[i] = Result { try body(s, i) }
                i += threads
            }
        }
        return try (0..<count).map { try slots[$0]!.get() }
    }
}

