import ArgumentParser
import FacetEngine
import Foundation

/// Entry point: fixes OpenBLAS's kernel choice before anything runs, then parses the command.
@main
enum FacetMain {
    static func main() {
        BLASBootstrap.reexecIfNeeded()
        // `facet` alone on a terminal opens the REPL.
        if CommandLine.arguments.count == 1, isatty(STDIN_FILENO) != 0 {
            Facet.main(["repl"])
        }
        Facet.main()
    }
}

struct Facet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facet",
        abstract: "Recognise semantic features in faces with convolutional networks.",
        version: Engine.version,
        subcommands: [Run.self, ReplCommand.self, CheckCommand.self, FmtCommand.self, SummaryCommand.self, DataCommand.self, Predict.self, ExportCommand.self, Bench.self, CacheCommand.self, JupyterCommand.self, ConvertCommand.self])
}
