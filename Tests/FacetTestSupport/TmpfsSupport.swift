import Foundation
import XCTest

/// A small tmpfs mounted for one test: a real file system that fills up, or that can be made
/// read-only — the only way to deny a write to root, who ignores permission bits (CI runs as root).
public struct Tmpfs {
    public let url: URL

    /// Mounts a tmpfs of `kilobytes` on a new temporary folder. Not root: the test is skipped, with
    /// a message saying why. Root and the mount fails: the test fails, since CI must exercise it.
    public static func mount(kilobytes: Int, file: StaticString = #filePath, line: UInt = #line) throws -> Tmpfs {
        guard getuid() == 0 else {
            throw XCTSkip("needs root to mount a tmpfs (CI runs as root); skipped as uid \(getuid())", file: file, line: line)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-tmpfs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let result = try command("mount", "-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", dir.path)
        guard result.status == 0 else {
            XCTFail("running as root but cannot mount a tmpfs: \(result.stderr)", file: file, line: line)
            throw XCTSkip("no tmpfs")
        }
        return Tmpfs(url: dir)
    }

    /// Makes the file system read-only; nothing, not even root, may then create a file in it.
    public func remountReadOnly() throws {
        let result = try Self.command("mount", "-o", "remount,ro", url.path)
        if result.status != 0 { throw MountFailed(message: "cannot remount \(url.path) read-only: \(result.stderr)") }
    }

    public struct MountFailed: Error { var message: String }

    public func unmount() {
        _ = try? Self.command("umount", url.path)
        try? FileManager.default.removeItem(at: url)
    }

    private static func command(_ args: String...) throws -> (status: Int32, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }
}

/// Every file below `folder` (relative path → bytes), to compare a tree before and after.
public func snapshot(_ folder: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let fm = FileManager.default
    guard let walk = fm.enumerator(atPath: folder.path) else { return files }
    for case let path as String in walk {
        let full = folder.appendingPathComponent(path)
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: full.path, isDirectory: &isDir), !isDir.boolValue {
            files[path] = try Data(contentsOf: full)
        } else {
            files[path + "/"] = Data()
        }
    }
    return files
}
