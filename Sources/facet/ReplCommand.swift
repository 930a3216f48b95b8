import ArgumentParser
import FacetEngine
import FacetKernel
import Foundation

struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Explore interactively: define nets, see shapes, train, evaluate.",
        discussion: "Line editing and history (~/.facet_history) on a terminal; standard input that is not a terminal runs as a script.")

    @Option(help: "Session seed.")
    var seed: UInt64 = 1

    func run() throws {
        let interactive = isatty(STDIN_FILENO) != 0
        let repl = try Repl(seed: seed)
        if interactive {
            print("Facet \(FacetVersion.string) — :help for commands, Ctrl-D to leave")
            let reader = ReadlineReader()
            ReadlineReader.installInterruptHandler()
            while !repl.finished {
                ReadlineReader.cancelled = false
                guard let line = reader.readLine(prompt: repl.prompt, completions: repl.completionWords) else {
                    print(""); repl.end(); break
                }
                if ReadlineReader.cancelled { repl.cancelPending(); continue }
                repl.feed(line)
            }
        } else {
            Interrupt.install()
            while !repl.finished, let line = readLine(strippingNewline: true) { repl.feed(line) }
            repl.end()
        }
    }
}

enum FacetVersion {
    static var string: String { Engine.version }
}
