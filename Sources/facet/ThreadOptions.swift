import ArgumentParser
import FacetEngine

/// `--threads N` for commands that train: the engine's thread count. Results repeat bit for bit for
/// a given seed and thread count (the count changes the order of floating-point sums), so it is
/// worth fixing explicitly; the cache's key and every report's footer record it.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Engine threads (default: OPENBLAS_NUM_THREADS, else every core). Results repeat bit for bit for a given seed and thread count.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    /// Sets the engine's threads when the option was given.
    func apply() { if let threads { Engine.threads = threads } }
}
