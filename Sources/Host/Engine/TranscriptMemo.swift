/// The transcript of the last frame and the bytes it was read from. Retell resends the whole transcript
/// (with per-word timings) in every frame; with the memo only the utterances whose bytes changed since the
/// last frame are parsed, the others are recognised by comparing bytes.
///
/// Costs a copy of the transcript's bytes per call (the frame is received anyway): a memory comparison
/// instead of a structural scan of every utterance and its timings on every frame.
struct TranscriptMemo {
    /// The utterances of the remembered transcript.
    private(set) var utterances: [Utterance] = []
    /// The transcript array's bytes after its `[`, through its `]`.
    private var bytes: [UInt8] = []
    /// Where each utterance ends in `bytes` (just after its `}`).
    private var ends: [Int] = []

    init() {}

    /// How many leading utterances of a transcript whose bytes after its `[` begin `text` are byte for byte
    /// those remembered, and the offset in `text` just after the last of them.
    func unchanged(in text: UnsafeRawBufferPointer) -> (count: Int, end: Int) {
        let common = bytes.withUnsafeBytes { Self.commonPrefixLength($0, text) }
        var low = 0
        var high = ends.count
        while low < high {  // the number of utterances ending within the common bytes
            let middle = (low + high) / 2
            if ends[middle] <= common { low = middle + 1 } else { high = middle }
        }
        return (low, low == 0 ? 0 : ends[low - 1])
    }

    /// Remembers `utterances`, read from `text` (the bytes after the `[`, through the `]`), each ending at
    /// the offset in `ends`.
    mutating func remember(_ utterances: [Utterance], ends: [Int], text: UnsafeRawBufferPointer) {
        self.utterances = utterances
        self.ends = ends
        bytes = Array(text)
    }

    /// The first `count` utterances and where they end, in arrays with room for a few more (the frame's new
    /// utterances are appended without growing them: a growth copies every utterance again).
    func prefix(_ count: Int) -> (utterances: [Utterance], ends: [Int]) {
        var head: [Utterance] = []
        var headEnds: [Int] = []
        head.reserveCapacity(utterances.count + 4)
        headEnds.reserveCapacity(utterances.count + 4)
        head.append(contentsOf: utterances[..<count])
        headEnds.append(contentsOf: ends[..<count])
        return (head, headEnds)
    }

    private static func commonPrefixLength(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let count = min(a.count, b.count)
        var index = 0
        while index + 8 <= count, a.loadUnaligned(fromByteOffset: index, as: UInt64.self) == b.loadUnaligned(fromByteOffset: index, as: UInt64.self) {
            index += 8
        }
        while index < count, a[index] == b[index] { index += 1 }
        return index
    }
}
