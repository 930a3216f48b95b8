import FacetFiles
import ArgumentParser
import Foundation
import FacetSession
import FacetLang

/// `facet summary FILE NET [name=value ...]`: the layer table of one net.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print a net's layers with output shape, parameters, FLOPs and activation memory, and the memory training needs.",
        discussion: "Example: facet summary stdlib/paper.facet ferc width=32 classes=2")

    @Argument(help: "The .facet file defining the net (stdlib/ is loaded first).")
    var file: String

    @Argument(help: "The net's name.")
    var net: String

    @Argument(help: "Arguments as name=value, the value written in Facet (e.g. drop=0.5).")
    var arguments: [String] = []

    func run() throws {
        // The session lives as long as its interpreter is used: its builtins (`print`, `help`,
        // `synthetic`) reach back into it.
        let session = try toolSession(output: { print($0) })
        let interpreter = session.interpreter
        var call = "\(net)("
        for (i, a) in arguments.enumerated() {
            guard let eq = a.firstIndex(of: "="), !a[..<eq].isEmpty else {
                printError("facet: error: argument `\(a)` is not name=value")
                throw ExitCode(1)
            }
            call += (i > 0 ? ", " : "") + "\(a[..<eq]): \(a[a.index(after: eq)...])"
        }
        call += ")"
        try exitingOnLanguageErrors(file) {
            try interpreter.declare(try SourceFile(path: file))
            let value = try interpreter.run(SourceFile(name: "<command line>", text: call))
            guard case let .net(n) = value else {
                printError("facet: error: `\(net)` is a \(value.typeName), not a net")
                throw ExitCode(1)
            }
            let range = SourceRange(file: SourceFile(name: "<command line>", text: call), start: 0, end: net.utf8.count)
            print(try summaryTable(n, at: range))
            withExtendedLifetime(session) {}
        }
    }
}
