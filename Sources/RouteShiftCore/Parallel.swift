import Foundation
import Dispatch
import Synchronization

/// One result cell per index, each written by exactly one worker; read only
/// after every worker has finished, so no two threads touch the same cell.
public final class ResultSlots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<T?>

    public init(count: Int) {
        buffer = .allocate(capacity: max(count, 1))
        buffer.initialize(repeating: nil)
    }

    deinit {
        _ = buffer.deinitialize()
        buffer.deallocate()
    }

    public subscript(index: Int) -> T? {
        get { buffer[index] }
        set { buffer[index] = newValue }
    }
}

/// The one parallel loop of RouteShift: fixed result slots, so outputs never depend on scheduling.
public enum Parallel {
    /// The default number of threads: the processors available to the process.
    public static var defaultWorkers: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `body(state, i)` for every `i` in `0..<count`, results in index order.
    ///
    /// Up to `workers` threads (`DispatchQueue.concurrentPerform`), each with its
    /// own `state` (e.g. a `ShortestPathQuery`, which must not be shared), each taking
    /// the next index no thread has taken yet, so a thread that gets less of the
    /// processor (a loaded machine) or slower indices takes fewer of them. Results land
    /// in fixed slots, so the output does not depend on scheduling, provided `body`'s
    /// result does not depend on what its state did before. The first error by index is rethrown.
    /// A body that cannot fail (`E == Never`) needs no `try`.
    public static func map<State, T, E: Error>(count: Int, workers: Int, state: @Sendable () -> State,
                                               _ body: @Sendable (State, Int) throws(E) -> T) throws(E) -> [T] {
        let threads = min(max(workers, 1), count)
        if threads <= 1 {
            let s = state()
            var out: [T] = []
            out.reserveCapacity(count)
            for i in 0..<count { out.append(try body(s, i)) }
            return out
        }
        let slots = ResultSlots<Result<T, E>>(count: count)
        let next = NextIndex()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let s = state()
            while true {
                let i = next.take()
                guard i < count else { break }
                slots[i] = Result { () throws(E) -> T in try body(s, i) }
            }
        }
        var out: [T] = []
        out.reserveCapacity(count)
        for i in 0..<count { out.append(try slots[i]!.get()) }
        return out
    }
}


/// The next index of a `Parallel.map`, handed out once each.
private final class NextIndex: Sendable {
    private let value = Atomic<Int>(0)
    func take() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
}
