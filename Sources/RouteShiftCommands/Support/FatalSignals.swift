#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CMappedFiles
import RouteShiftCore

/// Turns a crash into the documented internal-error exit (70) with a message,
/// instead of a signal and a register dump.
///
/// The usual cause outside a bug is memory: under a limit (`ulimit -v`) a failed
/// allocation ends in the runtime's trap, or in a fault while it reports one.
/// The handler writes one prepared line (only async-signal-safe calls: the
/// message is built at install time) and exits with `_exit(70)`. It runs on
/// its own stack, so a stack overflow is reported too.
public enum FatalSignals {
    nonisolated(unsafe) private static var table = UnsafeMutablePointer<UnsafeMutableBufferPointer<UInt8>?>.allocate(capacity: 64)

    /// Installs the handlers (once, at start-up, before any other thread runs).
    public static func install() {
        var limit = rlimit()
        let memoryLimit: UInt64? = getrlimit(RLIMIT_AS_CONSTANT, &limit) == 0 && limit.rlim_cur != rlim_t.max
            ? UInt64(limit.rlim_cur) : nil
        let cause = memoryLimit.map {
            "most likely out of memory: the process may use at most \($0 >> 20) MiB (ulimit -v); raise the limit or use a smaller input"
        } ?? "out of memory, or a bug (please report it with the command that caused it)"
        table.initialize(repeating: nil, count: 64)

        // The alternate stack lets the handler run after a stack overflow.
        let size = 1 << 16
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        stack.ss_size = size
        stack.ss_flags = 0
        sigaltstack(&stack, nil)

        let signals: [(Int32, String)] = [(SIGSEGV, "segmentation fault"), (SIGBUS, "bus error"), (SIGABRT, "abort"),
                                          (SIGILL, "trap"), (SIGTRAP, "trap"), (SIGFPE, "arithmetic fault")]
        for (signal, name) in signals {
            let text = Array("routeshift: error: internal failure (signal \(signal), \(name)): \(cause)\n".utf8)
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: text.count)
            _ = buffer.initialize(from: text)
            table[Int(signal)] = buffer
            var action = sigaction()
            #if canImport(Darwin)
            action.__sigaction_u.__sa_handler = handle
            #else
            action.__sigaction_handler.sa_handler = handle
            #endif
            action.sa_flags = Int32(truncatingIfNeeded: SA_ONSTACK)
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
    }

    /// On SIGINT or SIGTERM, removes the outputs being written (temporary files,
    /// staging directories: `InFlightOutputs`), then exits 130 or 143 as a shell would.
    /// Finished outputs are never touched: they were renamed into place whole.
    ///
    /// The signals are blocked in every thread and taken by one small watcher
    /// thread with `sigwait`, so the clean-up runs as ordinary code (a signal
    /// handler could not safely walk directories). No dispatch machinery is
    /// involved, which would wait forever for a thread under a tight memory limit;
    /// if the watcher cannot start, the signals keep their default action.
    public static func installInterruptCleanup() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        guard pthread_sigmask(SIG_BLOCK, &set, nil) == 0 else { return }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 1 << 17)
        defer { pthread_attr_destroy(&attributes) }
        var thread = pthread_t()
        let started = pthread_create(&thread, &attributes, { _ in
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGINT)
            sigaddset(&set, SIGTERM)
            var received: Int32 = 0
            while sigwait(&set, &received) != 0 {}
            InFlightOutputs.removeAllAndExit(status: received == SIGINT ? 130 : 143,
                                             message: "routeshift: interrupted; unfinished outputs removed\n")
        }, nil)
        if started != 0 {
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
        } else {
            pthread_detach(thread)
        }
    }

    private static let handle: @convention(c) (Int32) -> Void = { signal in
        // A mapped cache cut short by another program: its own message, naming the file.
        var length = 0
        if signal == SIGBUS, let text = routeshift_mapping_fault_message(&length) {
            let prefix: StaticString = "routeshift: error: "
            _ = write(STDERR_FILENO, prefix.utf8Start, prefix.utf8CodeUnitCount)
            _ = write(STDERR_FILENO, text, length)
            _ = write(STDERR_FILENO, "\n", 1)
            _exit(70)
        }
        if signal >= 0, signal < 64, let message = FatalSignals.table[Int(signal)] {
            _ = write(STDERR_FILENO, message.baseAddress, message.count)
        }
        _exit(70)
    }
}

#if canImport(Glibc)
private let RLIMIT_AS_CONSTANT = Int32(RLIMIT_AS.rawValue)
#else
private let RLIMIT_AS_CONSTANT = RLIMIT_AS
#endif
