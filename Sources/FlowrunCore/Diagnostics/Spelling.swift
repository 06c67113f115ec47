/// Finds the closest known word to a misspelled one, for "did you mean" hints.
enum Spelling {
    /// The candidate nearest to `word` by edit distance, if near enough to be a
    /// likely typo; among equally near ones the smallest, whatever the order given.
    static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let target = Array(word.lowercased().unicodeScalars)
        guard target.count <= 64 else { return nil }
        let threshold = max(1, target.count / 3)
        var best: (word: String, distance: Int)?
        for candidate in candidates {
            let other = Array(candidate.lowercased().unicodeScalars)
            guard abs(other.count - target.count) <= threshold else { continue }
            let d = distance(target, other)
            // A suggestion must keep something of the word: `x` is one edit
            // from every one-letter name, and `1` is no hint for it.
            guard d <= threshold, d < target.count, d < other.count else { continue }
            // Ties go to the smaller word: candidates may come from a dictionary,
            // whose order changes from run to run, and the hint must not.
            if let current = best, d > current.distance || (d == current.distance && candidate >= current.word) { continue }
            best = (candidate, d)
        }
        return best?.word
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
