import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a file operation failed, in plain words ("no space left on device", "permission denied").
///
/// Foundation's errors print as `NSCocoaErrorDomain Code=640 …`, which names a domain and a code
/// rather than the reason; every message Facet shows about a file goes through here instead, so
/// a user reads what (the path, said by the caller) and why (said here) in one vocabulary.
public enum FileFailure {
    /// Plain words for a C library `errno`.
    public static func reason(errno code: Int32) -> String {
        switch code {
        case EACCES, EPERM: return "permission denied"
        case ENOSPC: return "no space left on device"
        case EDQUOT: return "disk quota exceeded"
        case EROFS: return "read-only file system"
        case EISDIR: return "it is a folder, not a file"
        case ENOTDIR: return "a part of the path is a file, not a folder"
        case ENOENT: return "no such file or folder"
        case ENAMETOOLONG: return "the name is too long"
        case EEXIST: return "something is already there"
        default:
            let text = String(cString: strerror(code))
            return text.prefix(1).lowercased() + text.dropFirst()
        }
    }

    /// Plain words for any error a file operation threw (Foundation's, POSIX's or Facet's own).
    public static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return reason(errno: Int32(ns.code)) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return reason(errno: Int32(underlying.code))
        }
        if ns.domain == NSCocoaErrorDomain, let words = cocoaReason(ns.code) { return words }
        if ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain { return "the system refused (\(ns.code))" }
        return "\(error)"
    }

    private static func cocoaReason(_ code: Int) -> String? {
        switch CocoaError.Code(rawValue: code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
        case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return "no space left on device"
        case .fileWriteVolumeReadOnly: return "read-only file system"
        case .fileWriteFileExists: return "something is already there"
        case .fileReadCorruptFile: return "the file is damaged"
        case .fileReadTooLarge: return "the file is too large to read"
        case .fileWriteInvalidFileName, .fileReadInvalidFileName: return "not a valid file name"
        case .fileReadUnknown, .fileWriteUnknown: return nil
        default: return nil
        }
    }

    /// Any error as a user should read it: Facet's own errors as they print, Foundation's and the
    /// system's in plain words (for catch-alls, where the error's kind is not known).
    public static func describe(_ error: Error) -> String { reason(error) }

    /// What is wrong with writing a file at `path` that can be told before trying: an empty path,
    /// a folder where the file should be, a file where a folder should be. Nil when none is.
    public static func problemWriting(_ path: String) -> String? {
        if path.isEmpty { return "the path is empty" }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            return "it is a folder, not a file"
        }
        var parent = URL(fileURLWithPath: path).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: parent.path, isDirectory: &isFolder) {
            let up = parent.deletingLastPathComponent()
            if up.path == parent.path { return nil }
            parent = up
        }
        return isFolder.boolValue ? nil : "\(parent.path) is a file, not a folder"
    }
}
