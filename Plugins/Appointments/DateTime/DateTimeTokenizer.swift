/// One piece of a caller's phrase.
enum DateTimeToken: Sendable, Hashable {
    /// A folded word (`naechsten`, `uhr`, `dritten`).
    case word(String)
    /// Digits (`14`, `2026`).
    case number(Int)
    /// Digits with a trailing dot (`3.`): a day ordinal.
    case ordinalDigits(Int)
    /// `14:30` or `14.30` followed by `Uhr`.
    case clock(hour: Int, minute: Int)
    /// `3.3.`, `03.03.26`, `3.3.2026` or ISO `2026-03-03`; the year as written (2 or 4 digits), if any.
    case date(day: Int, month: Int, year: Int?)

    /// The folded word, when this is one.
    var word: String? {
        if case .word(let text) = self { return text }
        return nil
    }
}

/// Splits a phrase into ``DateTimeToken``s by hand (no regular expressions).
enum DateTimeTokenizer {
    private static let separators: Set<Character> = [" ", "\t", "\n", ",", ";", "!", "?", "(", ")", "\"", "„", "“", "”", "'", "/"]

    static func tokenize(_ phrase: String) -> [DateTimeToken] {
        var pieces: [String] = []
        var current = ""
        let characters = Array(phrase)
        for (index, character) in characters.enumerated() {
            let previousIsDigit = index > 0 && characters[index - 1].isASCII && characters[index - 1].isNumber
            let nextIsDigit = index + 1 < characters.count && characters[index + 1].isASCII && characters[index + 1].isNumber
            if separators.contains(character) || (character == "-" && !(previousIsDigit && nextIsDigit)) {
                if !current.isEmpty { pieces.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces.flatMap(classify)
    }

    /// One whitespace-separated piece as tokens (`14:30uhr` gives two).
    private static func classify(_ piece: String) -> [DateTimeToken] {
        let folded = GermanText.fold(piece)
        if folded.hasSuffix("uhr"), folded.count > 3, folded.dropLast(3).allSatisfy({ $0.isNumber || $0 == ":" || $0 == "." }) {
            return classify(String(folded.dropLast(3))) + [.word("uhr")]
        }
        if let first = folded.first, first.isNumber {
            // ISO `2026-03-03t14:30[:00][+01:00]`: the date and the wall-clock time.
            if let separator = folded.firstIndex(of: "t"), folded[..<separator].contains("-") {
                let time = folded[folded.index(after: separator)...].prefix(5)
                return classify(String(folded[..<separator])) + classify(String(time))
            }
            if let token = numeric(folded) { return [token] }
            // `14h`, `14uhr` handled above; anything else numeric-looking is kept as a word.
            return [.word(folded)]
        }
        var word = folded
        while let last = word.last, last == "." || last == ":" { word.removeLast() }
        return word.isEmpty ? [] : [.word(word)]
    }

    /// Digits with `:`, `.` or `-` inside: times, dates, ordinals, plain numbers.
    private static func numeric(_ text: String) -> DateTimeToken? {
        if text.allSatisfy(\.isNumber) { return Int(text).map(DateTimeToken.number) }
        if text.contains(":") {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1].prefix(2)),
                (0...24).contains(hour), (0...59).contains(minute)
            else { return nil }
            return .clock(hour: hour, minute: minute)
        }
        if text.contains("-") {
            let parts = text.split(separator: "-")
            guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]),
                let day = Int(parts[2].prefix(2))
            else { return nil }
            return .date(day: day, month: month, year: year)
        }
        let trailingDot = text.hasSuffix(".")
        let parts = text.split(separator: ".", omittingEmptySubsequences: true)
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return nil }
        let numbers = parts.compactMap { Int($0) }
        switch numbers.count {
        case 1:
            return trailingDot ? .ordinalDigits(numbers[0]) : .number(numbers[0])
        case 2:
            // `14.30` without a trailing dot reads as a time only when it cannot be a date.
            if !trailingDot, parts[1].count == 2, numbers[0] <= 24, numbers[1] <= 59, numbers[1] > 12 || numbers[0] > 31 {
                return .clock(hour: numbers[0], minute: numbers[1])
            }
            return .date(day: numbers[0], month: numbers[1], year: nil)
        case 3:
            return .date(day: numbers[0], month: numbers[1], year: numbers[2])
        default:
            return nil
        }
    }
}
