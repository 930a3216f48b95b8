import ArgumentParser
import Foundation
import FacetLang

/// `facet check FILE...`: syntax, names, argument types and every net's shapes, without running.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check .facet files without running them: syntax, names, arguments and every net's shapes.",
        discussion: "Exits 0 when every file is clean, 1 with diagnostics on standard error.")

    @Argument(help: "The .facet files to check.")
    var files: [String]

    @Flag(name: .long, help: "Do not load stdlib/ first.")
    var noStdlib = false

    @Flag(name: .long, help: "Print the time spent loading stdlib/ and checking, on standard error.")
    var timing = false

    func run() throws {
        let start = DispatchTime.now()
        let interpreter = Interpreter(output: { _ in })
        if !noStdlib { try loadStdlib(into: interpreter) }
        let loaded = DispatchTime.now()
        var failed = false
        for path in files {
            let file: SourceFile
            do { file = try SourceFile(path: path) } catch {
                printError("\(path): error: cannot read file: \(error.localizedDescription)")
                failed = true
                continue
            }
            let diagnostics = interpreter.check(file)
            for d in diagnostics { printError(d.rendered) }
            if diagnostics.contains(where: { $0.severity == .error }) { failed = true }
        }
        if timing {
            let ms = { (a: DispatchTime, b: DispatchTime) in Double(b.uptimeNanoseconds - a.uptimeNanoseconds) / 1e6 }
            let end = DispatchTime.now()
            printError(String(format: "facet check: stdlib %.1f ms, %d file(s) %.1f ms, total %.1f ms",
                              ms(start, loaded), files.count, ms(loaded, end), ms(start, end)))
        }
        if failed { throw ExitCode(1) }
    }
}

/// Loads stdlib/ or exits 1 with its diagnostics.
func loadStdlib(into interpreter: Interpreter) throws {
    do {
        try Stdlib.load(into: interpreter)
    } catch let e as DiagnosticError {
        printError(e.description)
        throw ExitCode(1)
    } catch {
        printError("facet: error: \(error)")
        throw ExitCode(1)
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
