import FacetRandom

/// Seeded random mutations of Facet source (bytes deleted, token-ish snippets inserted, spans
/// swapped, lines duplicated, digits and bytes replaced): FuzzTests feeds them to the checker,
/// FormatTests to the formatter.
public enum SourceMutation {
    public static let snippets = ["(", ")", "{", "}", "[", "]", "x", "0", "9", "99999999", "1e300", "-", "..", "|", ":", "=", ",",
                                  "\"", "#", "\n", " ", "net", "use", "heads", "input", "conv", "softmax", "let", "for", "if", "else",
                                  "ferc", "ferc_trunk", "trunk", "relu", "stride", "maxpool 9x9", "dense 0", "dropout 1", ".", "é", "×"]

    public static func mutate(_ text: String, _ rng: inout SeededGenerator) -> String {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            guard !bytes.isEmpty else { break }
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0:   // delete a run of bytes
                bytes.removeSubrange(i..<min(bytes.count, i + Int.random(in: 1...8, using: &rng)))
            case 1:   // insert a token-ish snippet
                bytes.insert(contentsOf: Array(SourceMutation.snippets.randomElement(using: &rng)!.utf8), at: i)
            case 2:   // swap two spans
                let j = Int.random(in: 0..<bytes.count, using: &rng), n = Int.random(in: 1...6, using: &rng)
                let a = min(i, j), b = max(i, j)
                guard b + n <= bytes.count, a + n <= b else { continue }
                let first = Array(bytes[a..<(a + n)]), second = Array(bytes[b..<(b + n)])
                bytes.replaceSubrange(b..<(b + n), with: first)
                bytes.replaceSubrange(a..<(a + n), with: second)
            case 3:   // duplicate a line
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                bytes.insert(contentsOf: Array((lines.randomElement(using: &rng)! + "\n").utf8), at: i)
            case 4:   // replace a digit
                if let d = bytes.indices.dropFirst(i).first(where: { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[$0]) }) {
                    bytes[d] = UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &rng)
                }
            default:  // replace one byte with a random printable one
                bytes[i] = UInt8.random(in: 32...126, using: &rng)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
