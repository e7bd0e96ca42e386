/// The 64-bit FNV-1a hash (Fowler, Noll & Vo; IETF draft-eastlake-fnv): fast,
/// stable across runs and platforms, not cryptographic. Used for cache
/// checksums and for the fingerprints that tell whether a batch's inputs changed.
public enum FNV1a {
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// - Complexity: O(n).
    public static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h = offsetBasis
        for b in bytes { h = (h ^ UInt64(b)) &* prime }
        return h
    }

    /// The hash as 16 lower-case hex digits.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = String(hash(bytes), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
