/// "Did you mean …?" suggestions for misspelled identifiers.
public enum NearestMatch {
    /// Up to `limit` candidates closest to `query` by case-insensitive Levenshtein
    /// distance, within `maxDistance` (default: a third of the query's length, at least 2).
    /// Ties are broken by the candidate string, so the answer is deterministic.
    ///
    /// - Complexity: O(n · |query| · |candidate|) for n candidates.
    public static func suggestions<S: Sequence>(
        for query: String, among candidates: S, limit: Int = 3, maxDistance: Int? = nil
    ) -> [String] where S.Element == String {
        let q = Array(query.lowercased().unicodeScalars)
        let bound = maxDistance ?? Swift.max(2, q.count / 3)
        var scored: [(Int, String)] = []
        for candidate in candidates {
            let c = Array(candidate.lowercased().unicodeScalars)
            if abs(c.count - q.count) > bound { continue }
            let d = levenshtein(q, c)
            if d <= bound { scored.append((d, candidate)) }
        }
        scored.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return scored.prefix(limit).map(\.1)
    }

    /// Edit distance with unit costs (Levenshtein 1966), two-row dynamic programme.
    public static func levenshtein<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = Swift.min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
