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
        Facet.main()
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
        subcommands: [Run.self, ReplCommand.self, CheckCommand.self, FmtCommand.self, SummaryCommand.self, DataCommand.self, Predict.self, ExportCommand.self, Bench.self, CacheCommand.self, JupyterCommand.self, ConvertCommand.self, LspCommand.self])
}
