import FacetFiles
import ArgumentParser
import Foundation
import FacetNotebook
import FacetSession
import FacetLang

/// `facet check FILE...`: syntax, names, argument types and every net's shapes, without running.
/// Notebooks (`.fnb`) are checked cell by cell as one program, with their parameters bound.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check .facet files and .fnb notebooks without running them: syntax, names, arguments, every net's shapes and whether it fits in memory.",
        discussion: "Exits 0 when every file is clean, 1 with diagnostics on standard error.")

    @Argument(help: "The .facet files and .fnb notebooks to check.")
    var files: [String]

    @Option(name: [.customShort("p"), .long], help: "A notebook parameter, as for `facet run`: -p quick=true.")
    var param: [String] = []

    @Flag(name: .long, help: "Do not load stdlib/ first.")
    var noStdlib = false

    @Flag(name: .long, help: "Print the time spent loading stdlib/ and checking, on standard error.")
    var timing = false

    func run() throws {
        let start = DispatchTime.now()
        let session = try toolSession(loadStdlib: !noStdlib)
        let loaded = DispatchTime.now()
        var failed = false
        for path in files {
            if path.hasSuffix(".fnb") {
                if !checkNotebook(path) { failed = true }
                continue
            }
            let file: SourceFile
            do { file = try SourceFile(path: path) } catch {
                printError("\(path): error: cannot read file: \(FileFailure.reason(error))")
                failed = true
                continue
            }
            let diagnostics = session.check(file)
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

extension CheckCommand {
    /// Checks one notebook; prints its diagnostics and returns whether it is clean.
    func checkNotebook(_ path: String) -> Bool {
        do {
            let notebook = try Notebook(contentsOf: path)
            var options = NotebookRunner.Options()
            options.parameters = try param.map(Run.splitParameter)
            let diagnostics = try NotebookRunner(notebook: notebook, options: options).check()
            for d in diagnostics { printError(d.rendered) }
            return !diagnostics.contains(where: { $0.severity == .error })
        } catch {
            printError("\(error)")   // a DiagnosticError prints as its rendered diagnostics
            return false
        }
    }
}

/// The session every front end evaluates through (the same builtins as `run` and `repl`), quiet,
/// with stdlib/ loaded; exits 1 with the stdlib's diagnostics when it does not load.
func toolSession(loadStdlib: Bool = true, output: ((String) -> Void)? = nil) throws -> Session {
    do {
        let session = try Session(progress: .quiet, loadStdlib: loadStdlib)
        if let output {
            session.sink = { item in if case let .text(t) = item { output(t) } }
        }
        return session
    } catch let e as DiagnosticError {
        printError(e.description)
        throw ExitCode(1)
    } catch {
        printError("facet: error: \(FileFailure.describe(error))")
        throw ExitCode(1)
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Runs `body`; a language error prints its diagnostics, any other failure prints as
/// "WHERE: error: REASON" in plain words, and both exit 1 (`summary` and `bench --net`).
func exitingOnLanguageErrors<T>(_ where_: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as DiagnosticError {
        printError(e.description)
    } catch let d as Diagnostic {
        printError(d.rendered)
    } catch let e as ExitCode {
        throw e
    } catch {
        printError("\(where_): error: \(FileFailure.reason(error))")
    }
    throw ExitCode(1)
}
