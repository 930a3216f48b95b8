import ArgumentParser
import FacetEngine
import Foundation

/// Entry point: fixes OpenBLAS's kernel choice before anything runs, then parses the command.
@main
enum FacetMain {
    static func main() {
        BLASBootstrap.reexecIfNeeded()
        Facet.main()
    }
}

struct Facet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facet",
        abstract: "Recognise semantic features in faces with convolutional networks.",
        version: Engine.version,
        subcommands: [Bench.self, CheckCommand.self, SummaryCommand.self])
}
