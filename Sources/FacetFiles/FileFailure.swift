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
        if let e = error as? InputFileError { return e.reason }
        if let e = error as? DecodingError { return damaged(e) }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return reason(errno: Int32(ns.code)) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return reason(errno: Int32(underlying.code))
        }
        if ns.domain == NSCocoaErrorDomain, let words = cocoaReason(ns.code) { return words }
        if ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain {
            // Foundation's "unknown" read and write errors (256, 512) carry the path: say what is
            // in the way rather than a number.
            if let path = ns.userInfo[NSFilePathErrorKey] as? String ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path,
               let why = obstacle(path) { return why }
            let writing = (512..<1024).contains(ns.code)   // NSFileWrite… codes; 256..<512 are reads
            return writing ? "the system refused to write it" : "the system refused to read it"
        }
        return "\(error)"
    }

    /// What in a path stops a file operation that the system would not explain: a part of the
    /// path that is a file, the path itself a folder or a special file. Nil when none is.
    public static func obstacle(_ path: String) -> String? {
        var url = URL(fileURLWithPath: path)
        let kind = InputFile.kind(path)
        switch kind {
        case .folder: return "it is a folder, not a file"
        case .regular: return nil
        case .missing: break
        default: return "it is \(kind.words), not a regular file"
        }
        while url.path != "/" {
            url.deleteLastPathComponent()
            switch InputFile.kind(url.path) {
            case .missing: continue
            case .folder: return nil
            default: return "\(url.path) is a file, not a folder"
            }
        }
        return nil
    }

    /// A damaged JSON or metadata field, in words: "the file is damaged: the value at
    /// `preprocessing.size` is not a number" (never Swift's `DecodingError.dataCorrupted(...)`).
    public static func damaged(_ error: DecodingError) -> String {
        func at(_ path: [CodingKey]) -> String {
            let names = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.isEmpty ? "" : " at `\(names.joined(separator: ".").replacingOccurrences(of: ".[", with: "["))`"
        }
        switch error {
        case let .typeMismatch(type, c): return "the file is damaged: the value\(at(c.codingPath)) is not \(typeWords(type))"
        case let .valueNotFound(type, c): return "the file is damaged: \(typeWords(type)) is missing\(at(c.codingPath))"
        case let .keyNotFound(key, c): return "the file is damaged: `\(key.stringValue)` is missing\(at(c.codingPath))"
        case let .dataCorrupted(c): return "the file is damaged: it is not valid JSON\(at(c.codingPath))"
        @unknown default: return "the file is damaged"
        }
    }

    private static func typeWords(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Int.Type, is Double.Type, is Float.Type, is UInt64.Type, is Int64.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "the expected kind of value"
        }
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
    public static func describe(_ error: Error) -> String {
        if let e = error as? InputFileError { return e.description }
        return reason(error)
    }

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
