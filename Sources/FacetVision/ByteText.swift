import Foundation

/// Line, field and number scanning over raw CSV bytes (no Strings on the hot path).
struct ByteText {
    let bytes: UnsafeRawBufferPointer
    private let base: UnsafePointer<UInt8>

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        // An empty buffer may have no base address; point at a static byte so reads stay defined.
        base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? ByteText.empty
    }

    private static let empty: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    var count: Int { bytes.count }
    var startsWithBOM: Bool { count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF }

    /// A line's content (without CR/LF) and where the next line starts.
    struct Line {
        var content: Range<Int>
        var next: Int
    }

    func line(at start: Int) -> Line {
        var end = count
        if start < count, let hit = memchr(base + start, 0x0A, count - start) {
            end = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
        }
        var contentEnd = end
        if contentEnd > start, base[contentEnd - 1] == 0x0D { contentEnd -= 1 }  // CRLF
        return Line(content: start..<contentEnd, next: end + 1)
    }

    func lineCount(in range: Range<Int>) -> Int {
        var lines = 0, position = range.lowerBound
        while position < range.upperBound {
            guard let hit = memchr(base + position, 0x0A, range.upperBound - position) else { return lines + 1 }
            position = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base + 1
            lines += 1
        }
        return lines
    }

    /// About `count` ranges covering `start..<self.count`, each ending just after a newline.
    func chunks(from start: Int, count parts: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = [], lower = start
        let step = max(1, (count - start) / parts)
        while lower < count {
            var upper = min(count, lower + step)
            if upper < count, let hit = memchr(base + upper, 0x0A, count - upper) {
                upper = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base + 1
            } else {
                upper = count
            }
            ranges.append(lower..<upper)
            lower = upper
        }
        return ranges.isEmpty ? [start..<start] : ranges
    }

    func isBlank(_ line: Line) -> Bool {
        line.content.allSatisfy { base[$0] == 0x20 || base[$0] == 0x09 }
    }

    func isDigit(_ index: Int) -> Bool { base[index] &- 0x30 < 10 }

    /// Comma-separated fields with surrounding spaces and quotes trimmed (FER fields never hold commas).
    func fields(_ line: Line) -> [Range<Int>] {
        var fields: [Range<Int>] = []
        var start = line.content.lowerBound
        let end = line.content.upperBound
        while true {
            var stop = end
            if start < end, let hit = memchr(base + start, 0x2C, end - start) {
                stop = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
            }
            fields.append(trimmed(start..<stop))
            if stop == end { return fields }
            start = stop + 1
        }
    }

    private func trimmed(_ range: Range<Int>) -> Range<Int> {
        func padding(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x22 }
        var a = range.lowerBound, b = range.upperBound
        while a < b, padding(base[a]) { a += 1 }
        while b > a, padding(base[b - 1]) { b -= 1 }
        return a..<b
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(start: base + range.lowerBound, count: range.count), as: UTF8.self)
    }

    /// A non-negative decimal integer, or nil if the field has a non-digit.
    func integer(_ range: Range<Int>) -> Int? {
        var value = 0
        for i in range {
            let digit = base[i] &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// Number of space-separated values in a field.
    func countValues(_ range: Range<Int>) -> Int {
        var count = 0, inNumber = false
        for i in range {
            let separator = base[i] == 0x20 || base[i] == 0x09
            if !separator && !inNumber { count += 1 }
            inNumber = !separator
        }
        return count
    }

    /// `tooLarge`: the 1-based position of the pixel and its text as written.
    enum PixelScan { case count(Int), badByte(UInt8), tooLarge(index: Int, text: String) }

    /// Writes up to `expected` space-separated values 0...255 into `out`; reports how many there were.
    func scanPixels(_ range: Range<Int>, into out: UnsafeMutablePointer<UInt8>, expected: Int) -> PixelScan {
        var found = 0, value = 0, inNumber = false
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b = base[i]
            let digit = b &- 0x30
            if digit < 10 {
                value = value &* 10 &+ Int(digit)
                if value > 255 {
                    var start = i, stop = i
                    while start > range.lowerBound, base[start - 1] &- 0x30 < 10 { start -= 1 }
                    while stop < end, base[stop] &- 0x30 < 10 { stop += 1 }
                    return .tooLarge(index: found + 1, text: string(start..<stop))
                }
                inNumber = true
            } else if b == 0x20 || b == 0x09 {
                if inNumber {
                    if found < expected { out[found] = UInt8(truncatingIfNeeded: value) }
                    found += 1
                    value = 0
                    inNumber = false
                }
            } else {
                return .badByte(b)
            }
            i += 1
        }
        if inNumber {
            if found < expected { out[found] = UInt8(truncatingIfNeeded: value) }
            found += 1
        }
        return .count(found)
    }
}
