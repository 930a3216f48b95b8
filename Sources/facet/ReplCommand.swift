import ArgumentParser
import FacetEngine
import FacetNotebook
import FacetSession
import Foundation

struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Explore interactively: define nets, see shapes, train, evaluate.",
        discussion: """
        Line editing and history (~/.facet_history) on a terminal. Standard input that is not a terminal \
        runs as a script (facet repl < script.facet): errors name the script's lines, the first error \
        stops the script (--keep-going runs the rest), and the exit status is 1 when a statement failed.
        """)

    @Option(help: "Session seed.")
    var seed: UInt64 = 1

    @Flag(help: "Script mode: run the rest of the script after a statement fails (default: stop at the first error).")
    var keepGoing = false

    @OptionGroup var cache: CacheOptions

    @OptionGroup var engine: ThreadOptions

    func run() throws {
        engine.apply()
        let interactive = isatty(STDIN_FILENO) != 0
        // Under mpirun every rank runs the script; the output policy says who prints, caches and shows progress.
        let output = Ranks.output
        let repl = try Repl(seed: seed, cache: output.cache(cache.policy), write: output.writer { print($0) })
        repl.session.collective = Ranks.world
        repl.session.progressStyle = output.progress(repl.session.progressStyle)
        if interactive {
            print("Facet \(FacetVersion.string) — :help for commands, Ctrl-D to leave")
            let reader = ReadlineReader()
            ReadlineReader.installInterruptHandler()
            while !repl.finished {
                ReadlineReader.cancelled = false
                guard let line = reader.readLine(prompt: repl.prompt, complete: repl.complete) else {
                    print(""); repl.end(); break
                }
                if ReadlineReader.cancelled { repl.cancelPending(); continue }
                repl.feed(line)
            }
        } else {
            Interrupt.install()
            var next: () -> String? = { readLine(strippingNewline: true) }
            if let world = Ranks.world {
                // mpirun gives standard input to one rank: every rank gets the script from it.
                let lines = world.standardInputLines()
                var i = 0
                next = { defer { i += 1 }; return i < lines.count ? lines[i] : nil }
            }
            if !repl.runScript(keepGoing: keepGoing, next: next) { throw ExitCode(1) }
        }
    }
}

enum FacetVersion {
    static var string: String { Engine.version }
}
