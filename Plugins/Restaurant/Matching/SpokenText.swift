import Foundation
import PluginAPI

/// Turns what speech-to-text heard into comparable tokens, and compares tokens forgivingly.
///
/// No regular expressions: everything is a single pass over characters.
enum SpokenText {
    /// Lower-cased words with accents folded (`Tiramisù` → `tiramisu`, `Weißbier` → `weissbier`) and
    /// everything that is not a letter or digit treated as a separator.
    static func words(_ text: String) -> [String] {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        var words: [String] = []
        var current = ""
        for character in folded {
            if character == "ß" {
                current += "ss"
            } else if character.isLetter || character.isNumber {
                current += character.lowercased()
            } else if character == "'" || character == "’" {
                continue  // "caesar's" → "caesars"
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Filler that says nothing about which dish is meant (English and German).
    static let fillers: Set<String> = [
        "a", "an", "the", "some", "please", "i", "id", "im", "like", "love", "want", "wanna", "get", "can", "could", "have",
        "me", "my", "for", "to", "would", "um", "uh", "uhm", "er", "erm", "yeah", "yes", "also", "just", "order", "of",
        "and", "with", "another", "more", "give", "lets", "do", "you", "got",
        "ein", "eine", "einen", "einem", "einer", "bitte", "mal", "die", "der",
        "das", "den", "dem", "des", "ich", "hatte", "haette", "gern", "gerne", "mochte", "moechte", "nehme", "und", "mit",
        "noch", "ah", "ahm", "aeh", "aehm", "einmal", "zweimal", "dreimal", "fur", "fuer", "von", "habe", "hab", "wir",
        "nehmen", "bekommen", "kriege", "krieg", "gibt", "es",
    ]

    /// Number words: usually a quantity ("two pepperoni"), sometimes part of a name ("four cheese").
    /// They are matched like other words but count only half as unexplained when nothing uses them.
    static let quantities: Set<String> = [
        "one", "two", "three", "four", "five", "six", "eins", "zwei", "drei", "vier", "funf", "fuenf", "sechs",
    ]

    /// Connecting words inside dish names that carry little meaning ("alla", "di", "mit").
    static let connectives: Set<String> = [
        "a", "al", "alla", "all", "alle", "allo", "di", "del", "della", "e", "ed", "con", "la", "le", "il", "in", "and", "with",
        "of", "the", "mit", "und", "nach", "art", "vom", "aus", "auf", "style",
    ]

    /// A rough sound-alike key: `pepperoni`, `peperoni` and `pepparoni` come close; `caesar` and
    /// `cesar` become equal. Digraphs are simplified, look-alike consonants merged, `h` dropped,
    /// doubled letters collapsed and a plural `s` removed.
    static func soundKey(_ word: String) -> String {
        let letters = Array(word)
        var out: [Character] = []
        var index = 0
        func next(_ offset: Int) -> Character? { index + offset < letters.count ? letters[index + offset] : nil }
        while index < letters.count {
            let c = letters[index]
            let n1 = next(1), n2 = next(2)
            var emit: String
            var step = 1
            switch c {
            case "s" where n1 == "c" && n2 == "h": emit = "s"; step = 3
            case "s" where n1 == "h": emit = "s"; step = 2
            case "p" where n1 == "h": emit = "f"; step = 2
            case "c" where n1 == "h" || n1 == "k": emit = "k"; step = 2
            case "g" where n1 == "h": emit = "g"; step = 2
            case "g" where n1 == "n": emit = "n"; step = 2
            case "q" where n1 == "u": emit = "k"; step = 2
            case "t" where n1 == "h": emit = "t"; step = 2
            case "a" where n1 == "e", "o" where n1 == "e": emit = "e"; step = 2
            case "u" where n1 == "e": emit = "u"; step = 2
            case "i" where n1 == "e", "e" where n1 == "i", "e" where n1 == "e": emit = "i"; step = 2
            case "o" where n1 == "u", "o" where n1 == "o": emit = "u"; step = 2
            case "c", "q": emit = "k"
            case "z": emit = "s"
            case "x": emit = "ks"
            case "v", "w": emit = "f"
            case "y", "j": emit = "i"
            case "h": emit = ""
            default: emit = String(c)
            }
            for character in emit where out.last != character { out.append(character) }
            index += step
        }
        if out.count > 3, out.last == "s" { out.removeLast() }
        return String(out)
    }

    /// How alike two words are, 0…1: equal 1; same sound key 0.92; an abbreviation (`pep` for
    /// `pepperoni`) 0.75–0.95; else a closeness from the edit distance of their sound keys (0 when far).
    static func similarity(heard: Word, known: Word) -> Double {
        if heard.text == known.text { return 1 }
        if heard.key == known.key, !heard.key.isEmpty { return 0.92 }
        let heardCount = heard.text.count, knownCount = known.text.count
        if heardCount >= 3, known.text.hasPrefix(heard.text) {
            return 0.75 + 0.2 * Double(heardCount) / Double(knownCount)
        }
        let longest = max(heard.key.count, known.key.count)
        guard longest >= 4 else { return 0 }
        let allowed = longest <= 5 ? 1 : longest <= 8 ? 2 : 3
        let distance = TextDistance.levenshtein(heard.key, known.key, limit: allowed)
        guard distance <= allowed else { return 0 }
        return 0.9 * (1 - Double(distance) / Double(longest))
    }

    /// A word with its precomputed sound key.
    struct Word: Sendable, Hashable {
        let text: String
        let key: String

        init(_ text: String) {
            self.text = text
            self.key = SpokenText.soundKey(text)
        }
    }
}
