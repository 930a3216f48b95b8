import FacetFiles
import ArgumentParser
import FacetNotebook
import FacetSession
import Foundation

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run notebooks (.fnb) and write their Markdown reports.",
        discussion: """
        Runs each notebook's cells in order in one session and writes the report (prose, code, outputs, \
        figures under REPORT_files/, and a footer with seed, parameters, data fingerprints and times). \
        A failing cell still yields a report with the error in place and a non-zero exit status. The \
        report's folder is checked before the first cell runs; a report and its figures replace the \
        previous ones only once both are written in full.

        Trained networks are cached by content (docs/cache.md): a training whose net, data, settings, \
        seeds, thread count and Facet version were seen before is restored instead of run, and an \
        interrupted one resumes at its last finished epoch. --no-cache and --refresh change that.

        SIGINT (Ctrl-C), SIGTERM and SIGHUP stop the run at the next training batch or cell and write \
        the partial report; a second signal within two seconds exits at once without one.

        Exit status: 0 every cell ran cleanly; 1 a cell failed, a notebook or parameter was bad, or \
        the report could not be written; 64 bad command-line options; 130 stopped by SIGINT, 143 by \
        SIGTERM, 129 by SIGHUP (128 + the signal's number).
        """)

    @Argument(help: "Notebooks to run.")
    var notebooks: [String]

    @Option(name: [.customShort("p"), .customLong("param")], help: "Override a front-matter parameter: -p epochs=3.")
    var params: [String] = []

    @Option(name: .shortAndLong, help: "Report path (one notebook only). Default: reports/NAME.md.")
    var output: String?

    @Option(help: "Session seed.")
    var seed: UInt64 = 1

    @Flag(help: "Write even over one of the inputs, a file of another kind or one this command did not write (docs/reliability.md).")
    var force = false

    @Flag(help: "Run the cells after a failing one too.")
    var keepGoing = false

    @Flag(help: "No progress bars.")
    var quiet = false

    @OptionGroup var cache: CacheOptions

    @OptionGroup var engine: ThreadOptions

    func validate() throws {
        if output != nil && notebooks.count > 1 { throw ValidationError("-o/--output takes one notebook; omit it to write reports/NAME.md each") }
        if output?.trimmingCharacters(in: .whitespaces).isEmpty == true {
            throw ValidationError("-o/--output is empty; give a report path such as reports/NAME.md")
        }
        for p in params where !p.contains("=") { throw ValidationError("parameter `\(p)` must look like name=value") }
    }

    /// `name=value` → (name, value text).
    static func splitParameter(_ p: String) throws -> (name: String, value: String) {
        guard let i = p.firstIndex(of: "=") else { throw ValidationError("parameter `\(p)` must look like name=value") }
        return (String(p[..<i]).trimmingCharacters(in: .whitespaces), String(p[p.index(after: i)...]))
    }

    func run() throws {
        var options = NotebookRunner.Options()
        options.seed = seed
        options.keepGoing = keepGoing
        options.progress = quiet ? .quiet : ProgressBar.defaultStyle
        options.parameters = try params.map(Run.splitParameter)
        options.cache = cache.policy
        options.collective = Ranks.world
        engine.apply()
        var allOK = true
        let reports = notebooks.map { reportURL(for: $0) }
        // Two notebooks of one name in different folders would write one report over the other.
        if let clash = OutputRule.clash(zip(notebooks, reports).map { ("the report of \($0)", $1.path) }) {
            Ranks.output.printError("facet run: error: \(clash); run them one at a time with -o")
            throw ExitCode(1)
        }
        for (path, out) in zip(notebooks, reports) {
            guard let result = runOne(path, writingTo: out, options) else { allOK = false; continue }
            allOK = allOK && result.succeeded
            if let signal = result.stopSignal {
                // A signal that came while the report was written, after the last cell, left it whole.
                let report = result.interrupted ? "the partial report is in" : "after writing the whole report"
                Ranks.output.printError("stopped by \(Interrupt.describe(signal)): \(report) \(out.path); exit status \(128 + signal)")
                throw ExitCode(128 + signal)
            }
        }
        if !allOK { throw ExitCode(1) }
    }

    /// Where a notebook's report goes: -o, else reports/NAME.md.
    private func reportURL(for path: String) -> URL {
        URL(fileURLWithPath: output ?? "reports/\(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent).md")
    }

    /// Runs one notebook and prints its summary line; nil (after printing why) when it could not be
    /// read or its report could not be written.
    private func runOne(_ path: String, writingTo out: URL, _ options: NotebookRunner.Options) -> NotebookRunner.Result? {
        // The report replaces a previous report by design, never the notebook or another file.
        if let problem = OutputRule.problem(writing: out.path, produces: .report, inputs: [path], replacesOwn: true, force: force) {
            Ranks.output.printError("\(path): error: cannot write the report to \(out.path): \(problem)")
            return nil
        }
        let result: NotebookRunner.Result
        do {
            result = try NotebookRunner(notebook: Notebook(contentsOf: path), options: options).run(writingTo: out)
        } catch {
            let message = error is Notebook.ParseError ? "\(error)" : "\(path): error: \(FileFailure.describe(error))"
            // Under ranks: the same mistake on every rank (a bad -p) is said once by rank 0; one on
            // some ranks only (a file missing on one node) ends the job, as the others would wait.
            if let world = Ranks.world, world.size > 1, world.agree(false, within: 5)?.allSatisfy({ !$0 }) != true {
                world.abort("facet: rank \(world.rank) failed: \(message)")
            }
            Ranks.output.printError(message)
            return nil
        }
        var line = "\(path): \(result.cells.filter { !$0.skipped }.count)/\(result.cells.count) cells in \(ProgressBar.duration(result.seconds)) → \(out.path)"
        if result.interrupted { line += " (interrupted)" }
        if let e = result.parameterErrors.first {
            line += " — no cell ran:\n\(path): error: \(e)"
        } else if let f = result.cells.first(where: \.failed) {
            line += " — cell \(f.index) failed:\n" + (f.outputs.compactMap { if case let .error(e) = $0 { return e } else { return nil } }.first ?? "")
        }
        Ranks.output.printError(line)
        return result
    }
}
