import FacetFiles
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension ResultCache {
    /// An exclusive flock(2) on one key, held while its result is looked up, computed and stored,
    /// so a second run of the same key waits and then finds the result instead of computing it
    /// twice. The kernel drops the lock when its holder exits in any way, kill -9 included.
    public final class KeyLock {
        private var descriptor: Int32
        init(descriptor: Int32) { self.descriptor = descriptor }
        deinit { release() }

        /// Releases the lock (also done when the lock is deallocated).
        public func release() {
            guard descriptor >= 0 else { return }
            flock(descriptor, LOCK_UN)
            close(descriptor)
            descriptor = -1
        }
    }

    func lockURL(_ key: String) -> URL { entriesFolder.appendingPathComponent("\(key).lock") }

    /// Takes `key`'s lock, waiting while another process holds it (`waiting` is called once,
    /// then the lock is polled so a stop request still ends the wait: nil is returned then).
    /// Throws when the cache folder cannot be used at all.
    public func lock(_ key: String, waiting: () -> Void = {}, shouldStop: () -> Bool = { false }) throws -> KeyLock? {
        let path = lockURL(key).path
        let fd: Int32
        do {
            try FileManager.default.createDirectory(at: entriesFolder, withIntermediateDirectories: true)
            fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno)) }
        } catch {
            throw CacheError("cannot use the cache folder \(entriesFolder.path): \(FileFailure.reason(error))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return KeyLock(descriptor: fd) }
        waiting()
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if shouldStop() { close(fd); return nil }
            usleep(50_000)
        }
        return KeyLock(descriptor: fd)
    }

    /// True when some process holds `key`'s lock now (its entries are in use: pruning skips them).
    func isLocked(_ key: String) -> Bool {
        let fd = open(lockURL(key).path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { flock(fd, LOCK_UN); return false }
        return true
    }
}
