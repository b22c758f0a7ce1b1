/// German number and ordinal words as callers (and speech recognisers) produce them, parsed by hand.
///
/// Words are expected in folded form (lower case, `ä→ae`, `ö→oe`, `ü→ue`, `ß→ss`; see ``GermanText/fold(_:)``).
enum GermanNumbers {
    private static let units: [String: Int] = [
        "null": 0, "eins": 1, "ein": 1, "eine": 1, "einen": 1, "einer": 1, "einem": 1, "zwei": 2, "zwo": 2,
        "drei": 3, "vier": 4, "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
    ]
    private static let teens: [String: Int] = [
        "zehn": 10, "elf": 11, "zwoelf": 12, "dreizehn": 13, "vierzehn": 14, "fuenfzehn": 15, "sechzehn": 16,
        "sechszehn": 16, "siebzehn": 17, "siebenzehn": 17, "achtzehn": 18, "neunzehn": 19,
    ]
    private static let tens: [String: Int] = [
        "zwanzig": 20, "dreissig": 30, "dreizig": 30, "vierzig": 40, "fuenfzig": 50,
    ]
    /// Units that may start a compound (`einundzwanzig`, never `einsundzwanzig`).
    private static let compoundUnits: [String: Int] = [
        "ein": 1, "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
    ]

    /// The cardinal value of a folded word (0–59), e.g. `vierundzwanzig` → 24; `nil` when it is none.
    static func cardinal(_ word: String) -> Int? {
        if let value = units[word] ?? teens[word] ?? tens[word] { return value }
        guard let split = word.range(of: "und") else { return nil }
        let unit = String(word[..<split.lowerBound])
        let ten = String(word[split.upperBound...])
        guard let unitValue = compoundUnits[unit], let tenValue = tens[ten] else { return nil }
        return tenValue + unitValue
    }

    private static let ordinalEndings = ["en", "er", "es", "em", "e"]
    private static let irregularOrdinalStems: [String: Int] = [
        "erst": 1, "zweit": 2, "zwot": 2, "dritt": 3, "siebt": 7, "siebent": 7, "acht": 8,
    ]

    /// The value of an ordinal word (1–31), e.g. `dritten` → 3, `dreiundzwanzigsten` → 23; `nil` when it is none.
    ///
    /// An ordinal always carries an ending (`-e`, `-en`, `-er`, `-es`, `-em`), which keeps `acht` (8) a cardinal.
    static func ordinal(_ word: String) -> Int? {
        for ending in ordinalEndings where word.hasSuffix(ending) && word.count > ending.count + 2 {
            let stem = String(word.dropLast(ending.count))
            if let value = ordinalStem(stem) { return value }
        }
        return nil
    }

    private static func ordinalStem(_ stem: String) -> Int? {
        if let value = irregularOrdinalStems[stem] { return value }
        if stem.hasSuffix("st"), let value = cardinal(String(stem.dropLast(2))), (20...31).contains(value) { return value }
        if stem.hasSuffix("t"), let value = cardinal(String(stem.dropLast(1))), (4...19).contains(value) { return value }
        return nil
    }
}

/// Text helpers for German input.
enum GermanText {
    /// Lower case with umlauts and ß spelled out, so `Nächsten`, `naechsten` and `NÄCHSTEN` compare equal.
    static func fold(_ word: String) -> String {
        var folded = ""
        folded.reserveCapacity(word.count + 2)
        for character in word.lowercased() {
            switch character {
            case "ä": folded += "ae"
            case "ö": folded += "oe"
            case "ü": folded += "ue"
            case "ß": folded += "ss"
            default: folded.append(character)
            }
        }
        return folded
    }
}
