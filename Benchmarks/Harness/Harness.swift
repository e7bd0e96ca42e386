// What the benchmark executables share: a monotonic clock, peak memory, the median of
// repetitions and `--key value` options. Not part of any product.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seconds on the monotonic clock.
public func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// CPU seconds used by this process so far, all threads (user and system).
public func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Peak resident set size of this process in KiB (Linux reports ru_maxrss in KiB).
public func peakRSSKiB() -> Int {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Int(usage.ru_maxrss)
}

public func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? .nan : (s[(s.count - 1) / 2] + s[s.count / 2]) / 2
}

/// Prints `tool: message` on stderr and exits with status 2.
public func fail(_ message: String, tool: String) -> Never {
    var text = "\(tool): \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(2)
}

/// The command line as `--key value` pairs (keys without the dashes); anything else fails.
public func benchmarkOptions(tool: String) -> [String: String] {
    var options: [String: String] = [:]
    var arguments = CommandLine.arguments.dropFirst()
    while let key = arguments.popFirst() {
        guard key.hasPrefix("--"), let value = arguments.popFirst() else { fail("bad arguments near '\(key)'", tool: tool) }
        options[String(key.dropFirst(2))] = value
    }
    return options
}
