import Foundation

/// Finds the menu items a caller means from what speech-to-text heard ("a large pep", "peperoni
/// pizza", "tira misu"), and the options mentioned with them.
///
/// Every name and synonym is split into words once, when the skill is built. A query is scored
/// against each phrase by how much of the phrase's weight it covers: words that set an item apart
/// (`pepperoni`) weigh more than words many items share (`pizza`), by inverse document frequency.
/// Words are compared forgivingly (see ``SpokenText/similarity(heard:known:)``), adjacent heard words
/// are also tried joined (`tira misu`), and words the phrase does not explain lower the score a little
/// unless they name an option or the category (`large`, `pizza`).
public struct MenuMatcher: Sendable {
    /// One item that matched.
    public struct Match: Sendable {
        public var item: MenuItem
        /// 0…1.
        public var score: Double
        /// Options of the item that the query also named (`large` in "a large pep").
        public var options: [MenuOption]
    }

    private struct Phrase: Sendable {
        let words: [SpokenText.Word]
        let weights: [Double]
        let joined: SpokenText.Word
    }

    private struct Entry: Sendable {
        let item: MenuItem
        let phrases: [Phrase]
        /// Words of the category and of every option, which explain extra words in a query.
        let context: [SpokenText.Word]
        /// The category's name: saying only it ("pizza") matches every item in it, weakly.
        let category: [SpokenText.Word]
        let options: [(option: MenuOption, phrases: [[SpokenText.Word]])]
    }

    private let entries: [Entry]
    /// What naming only the category scores: enough to list its items, never a clear match.
    static let categoryScore = 0.5

    /// Prepares `menu` for matching.
    public init(menu: Menu) {
        var frequency: [String: Int] = [:]
        for item in menu.items {
            let words = Set(([item.name] + item.synonyms).flatMap(SpokenText.words))
            for word in words { frequency[word, default: 0] += 1 }
        }
        let itemCount = Double(max(menu.items.count, 1))
        func weight(_ word: String) -> Double {
            if SpokenText.connectives.contains(word) { return 0.2 }
            let idf = log(1 + itemCount / Double(frequency[word] ?? 1))
            return idf * idf
        }
        entries = menu.categories.flatMap { category in
            category.items.map { item in
                let phrases = ([item.name] + item.synonyms).map(SpokenText.words).filter { !$0.isEmpty }.map { words in
                    Phrase(words: words.map(SpokenText.Word.init), weights: words.map(weight), joined: SpokenText.Word(words.joined()))
                }
                let options = item.optionGroups.flatMap(\.options).map { option in
                    (option, ([option.name, option.id.replacingOccurrences(of: "-", with: " ")] + option.synonyms)
                        .map { SpokenText.words($0).map(SpokenText.Word.init) })
                }
                let context = (SpokenText.words(category.name) + options.flatMap { $0.1.flatMap { $0.map(\.text) } })
                    .map(SpokenText.Word.init)
                return Entry(
                    item: item, phrases: phrases, context: context,
                    category: SpokenText.words(category.name).map(SpokenText.Word.init), options: options)
            }
        }
    }

    /// Items matching `query`, best first, scoring at least `threshold`.
    public func search(_ query: String, limit: Int = 5, threshold: Double = 0.4) -> [Match] {
        let heard = Self.heardWords(query)
        guard !heard.isEmpty else { return [] }
        let candidates = Self.withJoinedPairs(heard)
        var matches: [Match] = []
        for entry in entries {
            var best = 0.0
            for phrase in entry.phrases {
                best = max(best, score(phrase, heard: heard, candidates: candidates, context: entry.context))
            }
            if !entry.category.isEmpty {
                best = max(best, Self.categoryScore * Self.phraseSimilarity(heard: heard, known: entry.category))
            }
            guard best >= threshold else { continue }
            matches.append(Match(item: entry.item, score: best, options: mentionedOptions(entry, heard: heard)))
        }
        return Array(matches.sorted { $0.score > $1.score }.prefix(limit))
    }

    /// The option of `item` that `text` names ("large", "extra cheese"), when one is clearly meant.
    public func option(_ text: String, of item: MenuItem) -> MenuOption? {
        guard let entry = entries.first(where: { $0.item.id == item.id }) else { return nil }
        let heard = SpokenText.words(text).map(SpokenText.Word.init)
        guard !heard.isEmpty else { return nil }
        var best: (MenuOption, Double)?
        for (option, phrases) in entry.options {
            for words in phrases where !words.isEmpty {
                let score = Self.phraseSimilarity(heard: heard, known: words)
                if score > (best?.1 ?? 0) { best = (option, score) }
            }
        }
        guard let best, best.1 >= 0.6 else { return nil }
        return best.0
    }

    private func score(_ phrase: Phrase, heard: [SpokenText.Word], candidates: [SpokenText.Word], context: [SpokenText.Word]) -> Double {
        var covered = 0.0, total = 0.0
        for (word, weight) in zip(phrase.words, phrase.weights) {
            let best = candidates.map { SpokenText.similarity(heard: $0, known: word) }.max() ?? 0
            covered += weight * best
            total += weight
        }
        var coverage = total > 0 ? covered / total : 0
        // The whole phrase said as one word, or one word split in two ("pepperonipizza", "calzo ne").
        let joinedHeard = SpokenText.Word(heard.map(\.text).joined())
        coverage = max(coverage, 0.95 * SpokenText.similarity(heard: joinedHeard, known: phrase.joined))
        // Heard words the phrase, the category or the options do not explain.
        let explained = heard.map { word in
            let best = (phrase.words + context).map { SpokenText.similarity(heard: word, known: $0) }.max() ?? 0
            return SpokenText.quantities.contains(word.text) ? max(best, 0.5) : best
        }
        let explainedShare = explained.map { $0 >= 0.6 ? 1.0 : $0 }.reduce(0, +) / Double(heard.count)
        return coverage * (0.8 + 0.2 * explainedShare)
    }

    private func mentionedOptions(_ entry: Entry, heard: [SpokenText.Word]) -> [MenuOption] {
        entry.options.compactMap { option, phrases in
            let hit = phrases.contains { words in
                !words.isEmpty && words.allSatisfy { known in heard.contains { SpokenText.similarity(heard: $0, known: known) >= 0.9 } }
            }
            return hit ? option : nil
        }
    }

    /// How well `heard` says `known`: the mean best similarity of the known words.
    static func phraseSimilarity(heard: [SpokenText.Word], known: [SpokenText.Word]) -> Double {
        let candidates = withJoinedPairs(heard)
        let sum = known.map { word in candidates.map { SpokenText.similarity(heard: $0, known: word) }.max() ?? 0 }.reduce(0, +)
        let extra = max(0, heard.count - known.count)
        return sum / Double(known.count) * (extra == 0 ? 1 : 0.85)
    }

    /// The query's words without filler.
    static func heardWords(_ query: String) -> [SpokenText.Word] {
        SpokenText.words(query).filter { !SpokenText.fillers.contains($0) && Int($0) == nil }.map(SpokenText.Word.init)
    }

    /// The words plus each adjacent pair written together.
    static func withJoinedPairs(_ words: [SpokenText.Word]) -> [SpokenText.Word] {
        guard words.count > 1 else { return words }
        return words + (0..<(words.count - 1)).map { SpokenText.Word(words[$0].text + words[$0 + 1].text) }
    }
}
