/// One of `count` disjoint parts of a sorted work list, written `K/N`.
///
/// Partition rule: the item at position `i` of the list, sorted by its key
/// (scenario name for `batch`, element id for `sweep`), belongs to shard
/// `i mod count`. Round-robin rather than contiguous blocks, so neighbouring
/// items (often similar in cost, e.g. `close-hu-*`) spread over the shards.
/// Every item lands in exactly one shard, and the rule needs nothing but the
/// sorted list, so independent processes on different machines agree.
public struct Shard: Hashable, Sendable, CustomStringConvertible {
    /// 0-based index, `0..<count`.
    public let index: Int
    public let count: Int

    /// - Throws: `InputError` unless `count >= 1` and `0 <= index < count`.
    public init(index: Int, count: Int) throws {
        guard count >= 1 else {
            throw InputError("shard count \(count) must be at least 1")
        }
        guard (0..<count).contains(index) else {
            throw InputError("shard index \(index) must be between 0 and \(count - 1) (0-based, K/N with K < N)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `K/N`, e.g. `0/4` (the first of four shards).
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw InputError("'\(text)' is not a shard; write K/N, e.g. 0/4 (K counts from 0)")
        }
        try self.init(index: k, count: n)
    }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }

    /// Whether the item at `position` of the sorted list belongs to this shard.
    public func contains(position: Int) -> Bool { position % count == index }

    /// This shard's items of an already sorted list, in order.
    public func select<T>(_ sorted: [T]) -> [T] {
        sorted.enumerated().filter { contains(position: $0.offset) }.map(\.element)
    }
}
