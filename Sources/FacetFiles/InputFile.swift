import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one gate every file Facet reads passes (photos, folders, manifests, notebooks, `.facet`
/// files, models, connection files, cache entries): only a regular file (or, where a folder is
/// wanted, a folder) is opened. A named pipe would block the read forever, a device would stream
/// without end, a socket cannot be read at all; each is refused with its kind in words, before
/// anything opens it.
///
/// Text files also pass one decoder (`text(_:)`): UTF-8 or an error naming the file and the byte
/// offset of the first bad byte, and CRLF or lone CR line endings read as LF.
public enum InputFile {
    /// What kind of thing is at a path, following links (as opening it would).
    public enum Kind: Equatable, Sendable {
        case missing, regular, folder, fifo, socket, characterDevice, blockDevice, other

        /// "a named pipe (FIFO)", used in "… is a named pipe (FIFO), not a regular file".
        public var words: String {
            switch self {
            case .missing: return "missing"
            case .regular: return "a regular file"
            case .folder: return "a folder"
            case .fifo: return "a named pipe (FIFO)"
            case .socket: return "a socket"
            case .characterDevice: return "a character device"
            case .blockDevice: return "a block device"
            case .other: return "a special file"
            }
        }
    }

    /// The kind of `path` (following links). Never opens it.
    public static func kind(_ path: String) -> Kind {
        var st = stat()
        guard stat(path, &st) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .folder
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        default: return .other
        }
    }

    /// Why `path` cannot be read as a file (`folder: true`: as a folder), or nil when it can be
    /// opened without blocking: "no such file or folder", "it is a named pipe (FIFO), not a
    /// regular file", "it is a folder, not a file".
    public static func problem(_ path: String, folder: Bool = false) -> String? {
        if path.isEmpty { return "the path is empty" }
        let k = kind(path)
        switch k {
        case .regular: return folder ? "it is a file, not a folder" : nil
        case .folder: return folder ? nil : "it is a folder, not a file"
        case .missing:
            var st = stat()
            if stat(path, &st) != 0, errno != ENOENT { return FileFailure.reason(errno: errno) }
            return "no such file or folder"
        default: return "it is \(k.words), not a regular file"
        }
    }

    /// Throws `InputFileError` unless `path` is a regular file (or a folder, with `folder: true`).
    public static func require(_ path: String, folder: Bool = false) throws {
        if let why = problem(path, folder: folder) { throw InputFileError(path: path, reason: why) }
    }

    /// The bytes of a regular file (checked first, so a FIFO is never opened).
    public static func data(_ path: String) throws -> Data {
        try require(path)
        do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputFileError(path: path, reason: FileFailure.reason(error))
        }
    }

    /// A regular file's text: UTF-8 (else an error naming the byte offset) with CRLF and lone CR
    /// line endings read as LF.
    public static func text(_ path: String) throws -> String {
        try text(data(path), path: path)
    }

    /// Decodes bytes read from `path` the way `text(_:)` does.
    public static func text(_ data: Data, path: String) throws -> String {
        guard let text = String(data: data, encoding: .utf8) else {
            let offset = firstInvalidUTF8(data) ?? 0
            throw InputFileError(path: path, reason: notUTF8(data, at: offset))
        }
        return normalisingLineEndings(text)
    }

    /// The one message for text that is not UTF-8: "it is not UTF-8 text (byte 0xFF at offset 12)".
    public static func notUTF8(_ data: Data, at offset: Int) -> String {
        let byte = offset < data.count ? String(format: " 0x%02X", data[data.startIndex + offset]) : ""
        return "it is not UTF-8 text (byte\(byte) at offset \(offset))"
    }

    /// CRLF and lone CR as LF, so every line-based reader (notebooks, the lexer, the formatter)
    /// sees the same lines whatever editor wrote the file.
    public static func normalisingLineEndings(_ text: String) -> String {
        guard text.utf8.contains(13) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var previousCR = false
        for b in text.utf8 {
            if b == 13 { bytes.append(10); previousCR = true; continue }
            if b == 10, previousCR { previousCR = false; continue }
            previousCR = false
            bytes.append(b)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Offset of the first byte that does not start or continue a valid UTF-8 sequence.
    public static func firstInvalidUTF8(_ data: Data) -> Int? {
        let bytes = [UInt8](data)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return i
            }
            if i + length > bytes.count { return i }
            for j in 1..<length where bytes[i + j] & 0xC0 != 0x80 { return i }
            // Overlong, surrogate and out-of-range forms: let the standard decoder judge the sequence.
            if length > 1, String(bytes: bytes[i..<(i + length)], encoding: .utf8) == nil { return i }
            i += length
        }
        return nil
    }

    /// Regular files and folders in `folder` are kept; anything else is returned as skipped with
    /// its kind in words (a FIFO among photos, a socket).
    public static func partition(_ paths: [String]) -> (readable: [String], skipped: [(path: String, reason: String)]) {
        var readable: [String] = [], skipped: [(String, String)] = []
        for p in paths {
            let k = kind(p)
            if k == .regular || k == .folder { readable.append(p) } else { skipped.append((p, problem(p) ?? k.words)) }
        }
        return (readable, skipped)
    }
}

/// A file that could not be read as one: what (the path) and why (in words).
public struct InputFileError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
    public var description: String { "\(path): \(reason)" }
}
