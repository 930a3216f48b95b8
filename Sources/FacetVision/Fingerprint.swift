import FacetFiles
import Foundation

/// 64-bit FNV-1a, used for cache keys (not for security).
struct Fingerprint {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var h = value
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        value = h
    }

    mutating func add(_ text: String) {
        var copy = text + "\u{1F}"  // separator so ("ab","c") differs from ("a","bc")
        copy.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    mutating func add(_ number: Int) { add(String(number)) }

    /// Identity of a file without reading it all: path, size, modification time, and its first and
    /// last 64 KiB (catches a rewrite that keeps size and mtime, e.g. a copy with preserved times).
    mutating func addFile(_ path: String, sampleContent: Bool) throws {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw VisionError("\(path): cannot read file attributes (\(FileFailure.reason(error)))")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        add(path)
        add(size)
        add(String(format: "%.6f", modified))
        guard sampleContent, size > 0 else { return }
        let file = try MappedFile(path: path)
        let window = 64 * 1024
        add(UnsafeRawBufferPointer(rebasing: file.bytes.prefix(window)))
        add(UnsafeRawBufferPointer(rebasing: file.bytes.suffix(window)))
    }

    /// 16 hex digits.
    var hex: String { String(format: "%016llx", value) }
}
