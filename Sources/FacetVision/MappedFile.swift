#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FacetFiles
import Foundation

/// A read-only memory map of a whole file; pages are loaded on first touch and shared with the
/// page cache, so mapping a large file costs no heap memory.
final class MappedFile: @unchecked Sendable {
    /// First byte (nil for an empty file).
    let base: UnsafeRawPointer?
    /// File length in bytes.
    let count: Int

    /// Maps `path`; throws naming the file if it cannot be opened or mapped.
    init(path: String) throws {
        // Checked before opening: opening a named pipe blocks until a writer comes.
        if let why = InputFile.problem(path) { throw VisionError("\(path): \(why)") }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw VisionError("\(path): cannot open (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw VisionError("\(path): cannot stat (\(String(cString: strerror(errno))))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw VisionError("\(path): not a regular file") }
        count = Int(info.st_size)
        if count == 0 {
            base = nil
            return
        }
        let address = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw VisionError("\(path): cannot map (\(String(cString: strerror(errno))))")
        }
        base = UnsafeRawPointer(address)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// The mapped bytes.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}
