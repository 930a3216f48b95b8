import ArgumentParser
import FacetEngine
import FacetMPI
import Foundation

/// Entry point: fixes OpenBLAS's kernel choice before anything runs, then parses the command.
@main
enum FacetMain {
    static func main() {
        BLASBootstrap.reexecIfNeeded()
        // Under mpirun/srun: MPI_Init here, on the main thread, before any command runs.
        Ranks.world = MPICommunicator.start()
        // `facet` alone on a terminal opens the REPL.
        if CommandLine.arguments.count == 1, isatty(STDIN_FILENO) != 0 {
            Facet.main(["repl"])
        }
        Facet.main(joiningNegativeValues(Array(CommandLine.arguments.dropFirst())))
    }

    /// `--older-than -5d` as `--older-than=-5d`: the parser would read a value that starts with
    /// `-` as another option and say "Missing value", where the command's own check says what is
    /// wrong with the value ("an age cannot be negative"). Only values that look like negative
    /// numbers are joined.
    static func joiningNegativeValues(_ args: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            if a == "--" { out += args[i...]; break }
            if a.hasPrefix("--"), a.count > 2, !a.contains("="), i + 1 < args.count, looksNegative(args[i + 1]) {
                out.append(a + "=" + args[i + 1]); i += 2; continue
            }
            out.append(a); i += 1
        }
        return out
    }

    private static func looksNegative(_ s: String) -> Bool {
        guard s.hasPrefix("-"), s.count > 1 else { return false }
        let c = s[s.index(after: s.startIndex)]
        return c.isNumber || c == "."
    }
}

/// The MPI world when a launcher started this process (docs/distributed.md); nil otherwise, and
/// then MPI is never touched.
enum Ranks {
    nonisolated(unsafe) static var world: MPICommunicator?
    /// Whether this process prints and writes (rank 0, or no MPI).
    static var isWriter: Bool { (world?.rank ?? 0) == 0 }
}

struct Facet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facet",
        abstract: "Recognise semantic features in faces with convolutional networks.",
        version: Engine.version,
        subcommands: [Run.self, ReplCommand.self, CheckCommand.self, FmtCommand.self, SummaryCommand.self, DataCommand.self, Predict.self, ExportCommand.self, Bench.self, CacheCommand.self, JupyterCommand.self, ConvertCommand.self])
}
