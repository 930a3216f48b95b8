import FacetFiles
import Foundation

extension ResultCache {
    /// One file of the cache as `facet cache list` shows it.
    public struct Listing: Sendable {
        public var key: String
        public var kind: Kind
        /// Nil when the entry's header cannot be read (it is damaged; pruning removes it).
        public var info: Info?
        public var bytes: Int
        /// Last written or used (pruning by size removes the least recently used first).
        public var lastUsed: Date
        var url: URL
    }

    /// Every entry, most recently used first. Reads only each file's first two lines.
    public func entries() -> [Listing] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: entriesFolder.path) else { return [] }
        var out: [Listing] = []
        for name in names where !name.hasPrefix(".") {
            let url = entriesFolder.appendingPathComponent(name)
            guard let kind = Kind(rawValue: url.pathExtension),
                  let attributes = try? fm.attributesOfItem(atPath: url.path) else { continue }
            out.append(Listing(key: url.deletingPathExtension().lastPathComponent, kind: kind, info: Self.header(of: url),
                               bytes: (attributes[.size] as? NSNumber)?.intValue ?? 0,
                               lastUsed: attributes[.modificationDate] as? Date ?? .distantPast, url: url))
        }
        return out.sorted { $0.lastUsed > $1.lastUsed }
    }

    /// The info line of an entry without reading or verifying its payload.
    static func header(of url: URL) -> Info? {
        guard InputFile.problem(url.path) == nil, let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 64 * 1024) else { return nil }
        var fake = head
        // Enough for `parse`: a newline after the info line even if the payload was cut off here.
        fake.append(0x0A)
        return try? parse(fake, path: url.path, verify: false).info
    }

    /// Removes entries not used for `age` seconds, and damaged ones; returns what was removed.
    public func prune(olderThan age: TimeInterval, now: Date = Date()) -> [Listing] {
        remove(entries().filter { $0.info == nil || now.timeIntervalSince($0.lastUsed) > age })
    }

    /// Removes the least recently used entries (damaged ones first) until the rest fit in `bytes`;
    /// entries in use by a run under way stay and count.
    public func prune(maxSize bytes: Int) -> [Listing] {
        let all = entries()
        var total = all.reduce(0) { $0 + $1.bytes }
        var victims: [Listing] = []
        let free = all.filter { !isLocked($0.key) }
        for entry in free.filter({ $0.info == nil }) + free.filter({ $0.info != nil }).reversed() {
            if total <= bytes && entry.info != nil { break }
            victims.append(entry)
            total -= entry.bytes
        }
        return remove(victims)
    }

    /// Removes every entry not in use by a running computation.
    public func clear() -> [Listing] { remove(entries()) }

    /// Removes entries whose key is not locked by a run under way, their idle lock files, and
    /// temporary files left by writers that were killed; returns the entries removed.
    private func remove(_ candidates: [Listing]) -> [Listing] {
        var removed: [Listing] = []
        var lockedKeys: [String: Bool] = [:]
        func locked(_ key: String) -> Bool {
            if let known = lockedKeys[key] { return known }
            let now = isLocked(key); lockedKeys[key] = now; return now
        }
        for entry in candidates where !locked(entry.key) {
            if (try? FileManager.default.removeItem(at: entry.url)) != nil { removed.append(entry) }
        }
        removeLeftovers(locked: locked)
        return removed
    }

    /// Lock files of keys with no entry left, and temporary files older than an hour (a write
    /// in progress takes seconds; older ones belong to writers that were killed).
    private func removeLeftovers(locked: (String) -> Bool) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: entriesFolder.path) else { return }
        let present = Set(names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".lock") }.map { ($0 as NSString).deletingPathExtension })
        for name in names {
            let url = entriesFolder.appendingPathComponent(name)
            if name.hasSuffix(".lock") {
                let key = (name as NSString).deletingPathExtension
                if !present.contains(key), !locked(key) { try? fm.removeItem(at: url) }
            } else if name.hasPrefix("."), name.hasSuffix(".tmp"),
                      let modified = (try? fm.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date,
                      Date().timeIntervalSince(modified) > 3600 {
                try? fm.removeItem(at: url)
            }
        }
    }
}
