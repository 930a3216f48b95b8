import FacetFiles
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Content-addressed storage for expensive results (trained networks) and training checkpoints,
/// shared by notebook runs and the REPL. See docs/cache.md.
///
/// Each entry is one file, `<directory>/results/<key>.<kind>`, written atomically (temporary
/// file, then rename) as
///
///     facet-cache 1 <SHA-256 of everything after this line, hex>\n
///     <info: one line of JSON — what, where it was made, when, training time>\n
///     <payload: safetensors bytes>
///
/// and verified on every read: a truncated or altered entry is never used. Only the holder of a
/// key's lock (`lock(_:)`) writes that key's entries.
public struct ResultCache: Sendable {
    public let directory: URL
    public init(directory: URL) { self.directory = directory }

    /// What an entry holds: a finished result, or the checkpoint of a training run under way.
    public enum Kind: String, CaseIterable, Sendable { case result, checkpoint }

    /// The entry's description, stored in its second line (and covered by the checksum).
    public struct Info: Codable, Equatable, Sendable {
        public var key: String
        public var kind: String
        /// What was computed: `train tiny() on synthetic(…) for 6 epochs`.
        public var what: String
        /// Where: `notebooks/x.fnb cell 3, line 40` or `<repl>:1: let run = train(…)`.
        public var origin: String
        /// When it was written (ISO 8601, UTC).
        public var created: String
        /// Training time of the result (for a checkpoint: so far).
        public var seconds: Double
        /// Epochs finished and planned (a checkpoint says how far it got).
        public var epochs: Int
        public var ofEpochs: Int

        public init(key: String, kind: String, what: String, origin: String, created: String, seconds: Double,
                    epochs: Int, ofEpochs: Int) {
            self.key = key; self.kind = kind; self.what = what; self.origin = origin; self.created = created
            self.seconds = seconds; self.epochs = epochs; self.ofEpochs = ofEpochs
        }
    }

    /// Why an entry could not be used: it is then removed and the work done again.
    public struct Damaged: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// An entry that exists but cannot be read now; it may well be intact, so it is kept.
    public struct Unreadable: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path) cannot be read (\(reason))" }
    }

    static let magic = "facet-cache 1 "

    /// Folder of entries and their lock files.
    public var entriesFolder: URL { directory.appendingPathComponent("results", isDirectory: true) }

    public func url(_ key: String, _ kind: Kind) -> URL { entriesFolder.appendingPathComponent("\(key).\(kind.rawValue)") }

    // MARK: write

    /// Writes an entry atomically: a reader sees the old entry or the new one, never a part.
    public func write(_ key: String, _ kind: Kind, info: Info, payload: Data) throws {
        try write(key, kind, info: info) { sink in try payload.withUnsafeBytes { try sink($0) } }
    }

    /// Writes an entry whose payload `payload` streams into the sink it is given, so a large
    /// checkpoint goes to disk without a second copy in memory.
    public func write(_ key: String, _ kind: Kind, info: Info,
                      payload: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let target = url(key, kind)
        // Unique per process and write, and starting with a dot so that listing skips it; a
        // writer killed mid-write leaves only such a file.
        let temporary = entriesFolder.appendingPathComponent(".\(key).\(kind.rawValue).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try FileManager.default.createDirectory(at: entriesFolder, withIntermediateDirectories: true)
            let file = try OutputFile(creating: temporary.path)
            defer { file.close() }
            // The checksum is known only at the end: a placeholder of its length first, filled in last.
            try file.write(Data((Self.magic + String(repeating: "0", count: 64) + "\n").utf8))
            var hash = SHA256()
            var infoLine = try JSONEncoder.sorted.encode(info)
            infoLine.append(0x0A)
            hash.update(infoLine)
            try file.write(infoLine)
            try payload { bytes in hash.update(bytes); try file.write(bytes) }
            try file.write(Data(hash.hexDigest().utf8), at: Self.magic.utf8.count)
            guard rename(temporary.path, target.path) == 0 else { throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno)) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw CacheError("cannot write the cache entry \(target.path): \(FileFailure.reason(error))")
        }
    }

    // MARK: read

    /// The entry's info and payload; nil when there is none; `Damaged` when it fails its checksum
    /// or cannot be parsed (the caller reports it, removes it and recomputes).
    public func read(_ key: String, _ kind: Kind) throws -> (info: Info, payload: Data)? {
        let path = url(key, kind).path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        if let why = InputFile.problem(path) { throw Unreadable(path: path, reason: why) }
        // Mapped, not copied: entries are replaced by rename, never rewritten in place.
        let file: Data
        do { file = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe) } catch {
            // Not damage: the entry may be fine (too many open files, a permission on a shared
            // cache). The caller skips the cache and keeps the entry.
            throw Unreadable(path: path, reason: FileFailure.reason(error))
        }
        let (info, payload) = try Self.parse(file, path: path, verify: true)
        guard info.key == key, info.kind == kind.rawValue else {
            throw Damaged(path: path, reason: "it describes another entry (\(info.key.prefix(12)) \(info.kind))")
        }
        return (info, payload)
    }

    /// Splits an entry file; with `verify`, checks the SHA-256 of everything after the first line.
    static func parse(_ file: Data, path: String, verify: Bool) throws -> (info: Info, payload: Data) {
        func damaged(_ reason: String) -> Damaged { Damaged(path: path, reason: reason) }
        guard let firstEnd = file.firstIndex(of: 0x0A) else { throw damaged("truncated: no header line") }
        let first = String(decoding: file[file.startIndex..<firstEnd], as: UTF8.self)
        guard first.hasPrefix(magic), first.count == magic.count + 64 else { throw damaged("not a Facet cache entry") }
        let body = file[(firstEnd + 1)...]
        if verify, SHA256.hex(body) != String(first.dropFirst(magic.count)) {
            throw damaged("checksum mismatch (truncated or altered)")
        }
        guard let infoEnd = body.firstIndex(of: 0x0A),
              let info = try? JSONDecoder().decode(Info.self, from: Data(body[body.startIndex..<infoEnd])) else {
            throw damaged("unreadable description line")
        }
        return (info, Data(body[(infoEnd + 1)...]))
    }

    /// Marks an entry as used now (pruning by size removes the least recently used first).
    public func touch(_ key: String, _ kind: Kind) {
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: url(key, kind).path)
    }

    /// Removes an entry (a damaged one, or a checkpoint once its result is stored).
    public func remove(_ key: String, _ kind: Kind) {
        try? FileManager.default.removeItem(at: url(key, kind))
    }

    /// The cache folder when none is given: `CacheFolder.rule`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        CacheFolder.base(environment: environment)
    }
}

/// A new file written through its descriptor: whole buffers (retrying short writes), and bytes
/// at an offset for the checksum filled in last.
private final class OutputFile {
    private var fd: Int32
    init(creating path: String) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno)) }
    }
    func write(_ data: Data) throws { try data.withUnsafeBytes { try write($0) } }
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw NSError(domain: NSPOSIXErrorDomain, code: Int(n < 0 ? errno : EIO)) }
            done += n
        }
    }
    func write(_ data: Data, at offset: Int) throws {
        let n = data.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, off_t(offset)) }
        guard n == data.count else { throw NSError(domain: NSPOSIXErrorDomain, code: Int(n < 0 ? errno : EIO)) }
    }
    func close() { if fd >= 0 { Glibc.close(fd); fd = -1 } }
}

extension JSONEncoder {
    /// Keys sorted, so the same value always gives the same bytes.
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
