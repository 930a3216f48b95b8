import FacetFiles
import ArgumentParser
import FacetCache
import Foundation

/// `--cache DIR`, `--no-cache` and `--refresh`, shared by `run` and `repl`.
struct CacheOptions: ParsableArguments {
    @Option(name: .customLong("cache"), help: ArgumentHelp(
        "Result cache folder (default: \(CacheFolder.rule)).", valueName: "dir"))
    var directory: String?

    @Flag(help: "Compute every result and write nothing to the cache.")
    var noCache = false

    @Flag(help: "Recompute every result and overwrite its cache entry.")
    var refresh = false

    func validate() throws {
        if noCache && (refresh || directory != nil) { throw ValidationError("--no-cache cannot be combined with --refresh or --cache") }
        if directory?.isEmpty == true { throw ValidationError("--cache needs a folder") }
    }

    /// The policy these flags ask for.
    var policy: CachePolicy {
        if noCache { return .off }
        return CachePolicy(directory: directory.map { URL(fileURLWithPath: $0) } ?? ResultCache.defaultDirectory(), refresh: refresh)
    }
}
