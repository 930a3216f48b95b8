import FacetFiles
import ArgumentParser
import FacetCache
import Foundation

/// `facet cache list | prune | clear`: the result cache that `run` and `repl` share.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "List, prune or clear cached training results and checkpoints.",
        discussion: """
        The cache folder is --cache DIR, else \(CacheFolder.rule) (docs/cache.md). Entries in use by a running training are never removed.
        """,
        subcommands: [List.self, Prune.self, Clear.self])

    /// `--cache DIR` of the maintenance commands.
    struct Folder: ParsableArguments {
        @Option(name: .customLong("cache"), help: ArgumentHelp("Cache folder.", valueName: "dir"))
        var directory: String?
        var cache: ResultCache {
            ResultCache(directory: directory.map { URL(fileURLWithPath: $0) } ?? ResultCache.defaultDirectory())
        }

        /// A cache folder that is a file (or a FIFO) is said as such, not listed as empty.
        func validate() throws {
            let base = directory.map { URL(fileURLWithPath: $0) } ?? ResultCache.defaultDirectory()
            // The nearest part of the entries' path that exists must be a folder.
            var url = cache.entriesFolder
            while InputFile.kind(url.path) == .missing, url.path != "/" { url.deleteLastPathComponent() }
            if let why = InputFile.problem(url.path, folder: true) {
                throw ValidationError("the cache folder \(base.path): \(url.path == base.path ? why : "\(url.path) is not a folder (\(why))")")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every entry: key, what, size, when made and used, and where.")
        @OptionGroup var folder: Folder

        func run() throws {
            let cache = folder.cache
            let entries = cache.entries()
            print("\(ResultCache.entriesText(entries.count)), \(ResultCache.bytesText(entries.reduce(0) { $0 + $1.bytes })) in \(cache.entriesFolder.path)")
            guard !entries.isEmpty else { return }
            var rows = [["key", "kind", "what", "size", "made", "used", "made by"]]
            for e in entries {
                let what = e.info.map { $0.kind == "checkpoint" ? "\($0.what) (after epoch \($0.epochs))" : $0.what } ?? "(damaged)"
                rows.append([String(e.key.prefix(12)), e.kind.rawValue, what, ResultCache.bytesText(e.bytes),
                             e.info.map { CacheCommand.shortDate($0.created) } ?? "?", CacheCommand.shortDate(e.lastUsed),
                             e.info?.origin ?? "?"])
            }
            print(CacheCommand.columns(rows))
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove entries not used for a while, or the least recently used beyond a size.")
        @Option(help: ArgumentHelp("Remove entries unused for this long: 30d, 12h, 90m, 2w.", valueName: "age"))
        var olderThan: String?
        @Option(help: ArgumentHelp("Keep at most this much, least recently used removed first: 5G, 500M, 1.5T.", valueName: "size"))
        var maxSize: String?
        @OptionGroup var folder: Folder

        func validate() throws {
            guard olderThan != nil || maxSize != nil else { throw ValidationError("give --older-than AGE and/or --max-size SIZE") }
            if let olderThan, olderThan.hasPrefix("-") {
                throw ValidationError("--older-than \(olderThan): an age cannot be negative; give one such as 30d")
            }
            if let maxSize, maxSize.hasPrefix("-") {
                throw ValidationError("--max-size \(maxSize): a size cannot be negative; give one such as 5G")
            }
            if let olderThan, CacheCommand.seconds(olderThan) == nil {
                throw ValidationError("--older-than \(olderThan): expected a number with s, m, h, d or w, such as 30d")
            }
            if let maxSize, CacheCommand.bytes(maxSize) == nil {
                throw ValidationError("--max-size \(maxSize): expected a number with K, M, G or T, such as 5G")
            }
        }

        func run() throws {
            let cache = folder.cache
            var removed: [ResultCache.Listing] = []
            if let age = olderThan.flatMap(CacheCommand.seconds) { removed += cache.prune(olderThan: age) }
            if let size = maxSize.flatMap(CacheCommand.bytes) { removed += cache.prune(maxSize: size) }
            CacheCommand.report(removed, left: cache)
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove every entry (not the processed-data cache).")
        @OptionGroup var folder: Folder
        func run() throws {
            let cache = folder.cache
            CacheCommand.report(cache.clear(), left: cache)
        }
    }
}

extension CacheCommand {
    static func report(_ removed: [ResultCache.Listing], left cache: ResultCache) {
        let rest = cache.entries()
        print("removed \(ResultCache.entriesText(removed.count)) (\(ResultCache.bytesText(removed.reduce(0) { $0 + $1.bytes }))); "
              + "\(rest.count) left (\(ResultCache.bytesText(rest.reduce(0) { $0 + $1.bytes })))")
    }

    /// `30d` → seconds; units s, m, h, d, w.
    static func seconds(_ text: String) -> TimeInterval? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        guard let unit = text.last.flatMap({ units[$0] }), let n = Double(text.dropLast()), n >= 0 else { return nil }
        return n * unit
    }

    /// `5G` → bytes (powers of 1024); units K, M, G, T, or none for bytes.
    static func bytes(_ text: String) -> Int? {
        let units: [Character: Double] = ["K": 1024, "M": 1_048_576, "G": 1_073_741_824, "T": 1_099_511_627_776]
        let upper = text.uppercased().replacingOccurrences(of: "B", with: "")
        if let n = Int(upper), n >= 0 { return n }
        guard let unit = upper.last.flatMap({ units[$0] }), let n = Double(upper.dropLast()), n >= 0 else { return nil }
        // `1e10T` or `infG` would trap converting to Int; anything that large means "no limit".
        let bytes = n * unit
        return bytes.isFinite && bytes < Double(Int.max) ? Int(bytes) : Int.max
    }

    /// `2026-12-01 14:05`, local time.
    static func shortDate(_ date: Date) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: date)
    }

    static func shortDate(_ iso: String) -> String {
        ISO8601DateFormatter().date(from: iso).map { shortDate($0) } ?? iso
    }

    /// Rows as left-aligned columns.
    static func columns(_ rows: [[String]]) -> String {
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
