/// Finds the bytes that end or interrupt a JSON string — `"`, `\` and control characters — eight bytes at a
/// time. The string scanners of ``JSONReader`` and ``JSONOutput`` run over every transcript Retell resends
/// and every LLM request body; checking words instead of bytes took a late turn's JSON work down by about a
/// third (perf under engine-bench, 200-utterance transcripts).
enum JSONStringScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The index of the first special byte in `bytes[start...]`, or `bytes.count`.
    static func firstSpecial(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if hasSpecial(word) { break }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return index }
            index += 1
        }
        return bytes.count
    }

    /// Whether any byte of `word` is `"`, `\` or below 0x20 (a byte at or above 0x80 never counts).
    private static func hasSpecial(_ word: UInt64) -> Bool {
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroInQuote = (quote &- ones) & ~quote
        let zeroInBackslash = (backslash &- ones) & ~backslash
        let below0x20 = (word &- ones &* 0x20) & ~word
        return (zeroInQuote | zeroInBackslash | below0x20) & highBits != 0
    }
}
