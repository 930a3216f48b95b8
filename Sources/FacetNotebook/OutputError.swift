import FacetFiles
import Foundation

/// A report that cannot be written, in plain words: what failed (naming the path) and why
/// ("cannot write in the folder /mnt/ro: read-only file system"). Foundation's error text never
/// reaches the user from here, because it names codes and domains rather than the reason.
public struct OutputError: Error, CustomStringConvertible, Equatable {
    /// What failed, with the path: "cannot write the report /x/r.md".
    public var what: String
    /// Why, in plain words: "no space left on device".
    public var why: String

    public init(_ what: String, _ why: String) { self.what = what; self.why = why }

    /// `what` with the reason for a failed system call's `errno`.
    init(_ what: String, errno code: Int32) { self.init(what, Self.reason(code)) }

    public var description: String { "\(what): \(why)" }

    /// Plain words for a failed system call (one vocabulary for every file message: FacetFiles).
    static func reason(_ code: Int32) -> String { FileFailure.reason(errno: code) }
}

/// The few file operations a report needs, on `errno` rather than Foundation so that each
/// failure can be told in plain words (`OutputError`).
enum FileOps {
    /// True when something (file, folder or link) is at `path`.
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// True when `path` is a folder (following links, as opening a file in it would).
    static func isFolder(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates a new file with `data`, flushed to the device, so that a full disk shows up here
    /// rather than after the file has replaced an older one.
    static func create(_ path: String, _ data: Data, what: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw OutputError(what, errno: errno) }
        var failure: Int32 = 0
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count, failure == 0 {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { if errno != EINTR { failure = errno } } else { offset += n }
            }
        }
        if failure == 0, fsync(fd) != 0, errno != EINVAL { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure != 0 {
            unlink(path)
            throw OutputError(what, errno: failure)
        }
    }

    /// Creates `path` and any missing folders above it.
    static func makeFolders(_ path: String) throws {
        let existing = nearestExisting(path)
        guard existing == path || isFolder(existing) else {
            throw OutputError("cannot create the folder \(path)", "\(existing) is a file, not a folder")
        }
        try makeMissing(path)
    }

    private static func makeMissing(_ path: String) throws {
        if isFolder(path) { return }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if parent != path, !parent.isEmpty { try makeMissing(parent) }
        guard mkdir(path, 0o777) != 0 else { return }
        let code = errno
        if code == EEXIST, isFolder(path) { return }   // made by someone else meanwhile
        throw OutputError("cannot create the folder \(path)", code == EEXIST ? "it is a file, not a folder" : OutputError.reason(code))
    }

    /// The closest path at or above `path` that exists.
    static func nearestExisting(_ path: String) -> String {
        var p = path
        while !exists(p), p != "/", !p.isEmpty { p = URL(fileURLWithPath: p).deletingLastPathComponent().path }
        return p
    }

    /// `rename(2)`: atomic within one file system, replacing a file at `to`.
    static func rename(_ from: String, _ to: String, what: String) throws {
        if Glibc.rename(from, to) != 0 { throw OutputError(what, errno: errno) }
    }

    /// Removes a file or a folder tree, if present; failures are ignored because what is removed
    /// is only ever a temporary or a replaced copy.
    static func remove(_ path: String) {
        if exists(path) { try? FileManager.default.removeItem(atPath: path) }
    }
}
