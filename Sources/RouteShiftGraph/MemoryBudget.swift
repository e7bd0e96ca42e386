#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Up-front checks for allocations whose size the input decides (a cost matrix of
/// |sources| × |targets|, a distance table of n² hubs): a product that overflows,
/// or exceeds what the process may use, is refused with `GraphError.exceedsMemory`
/// before the allocation, whose failure would otherwise end the process with a trap.
public enum MemoryBudget {
    /// Bytes the process may allocate at most: the lower of its address-space limit
    /// (`ulimit -v`, RLIMIT_AS) and the machine's physical memory; `nil` if neither is known.
    public static var limit: UInt64? {
        var limits: [UInt64] = []
        var r = rlimit()
        #if canImport(Darwin)
        let resource = RLIMIT_AS
        #else
        let resource = Int32(RLIMIT_AS.rawValue)
        #endif
        if getrlimit(resource, &r) == 0, r.rlim_cur != rlim_t.max { limits.append(UInt64(r.rlim_cur)) }
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        if pages > 0, size > 0 { limits.append(UInt64(pages) &* UInt64(size)) }
        return limits.min()
    }

    /// Throws unless `count` elements of `bytesEach` bytes (`count` itself a product
    /// of `factors` when given) fit: no overflow and at most `limit`.
    /// - Parameter what: the allocation in words, e.g. "a cost matrix of 1000000 × 1000000".
    public static func require(_ what: String, factors: [Int], bytesEach: Int) throws {
        var bytes = UInt64(max(0, bytesEach))
        for f in factors {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: UInt64(max(0, f)))
            if overflow { throw GraphError.exceedsMemory(what: what, bytes: nil, limit: limit) }
            bytes = product
        }
        if let limit, bytes > limit { throw GraphError.exceedsMemory(what: what, bytes: bytes, limit: limit) }
    }
}
