/// How far apart two pieces of text are: for "did you mean" hints in config errors and for matching what a
/// caller said against known names.
public enum TextDistance {
    /// The Levenshtein distance between `lhs` and `rhs` (in characters). With a `limit`, gives up and
    /// returns `limit + 1` as soon as the distance must exceed it.
    public static func levenshtein(_ lhs: String, _ rhs: String, limit: Int? = nil) -> Int {
        let a = Array(lhs), b = Array(rhs)
        if let limit, abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                rowMinimum = min(rowMinimum, current[j])
            }
            if let limit, rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
