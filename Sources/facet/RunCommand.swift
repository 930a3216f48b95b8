import ArgumentParser
import FacetKernel
import Foundation

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run notebooks (.fnb) and write their Markdown reports.",
        discussion: """
        Runs each notebook's cells in order in one session and writes the report (prose, code, outputs,
        figures under REPORT_files/, and a footer with seed, parameters, data fingerprints and times).
        A failing cell still yields a report with the error in place and a non-zero exit status.
        """)

    @Argument(help: "Notebooks to run.")
    var notebooks: [String]

    @Option(name: [.customShort("p"), .customLong("param")], help: "Override a front-matter parameter: -p epochs=3.")
    var params: [String] = []

    @Option(name: .shortAndLong, help: "Report path (one notebook only). Default: reports/NAME.md.")
    var output: String?

    @Option(help: "Session seed.")
    var seed: UInt64 = 1

    @Flag(help: "Run the cells after a failing one too.")
    var keepGoing = false

    @Flag(help: "No progress bars.")
    var quiet = false

    func validate() throws {
        if output != nil && notebooks.count > 1 { throw ValidationError("-o/--output takes one notebook; omit it to write reports/NAME.md each") }
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
        var allOK = true
        for path in notebooks {
            let notebook: Notebook
            do { notebook = try Notebook(contentsOf: path) } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                allOK = false
                continue
            }
            let out = URL(fileURLWithPath: output ?? "reports/\(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent).md")
            let result = try NotebookRunner(notebook: notebook, options: options).run(writingTo: out)
            let failed = result.cells.filter(\.failed)
            var line = "\(path): \(result.cells.filter { !$0.skipped }.count)/\(result.cells.count) cells in \(ProgressBar.duration(result.seconds)) → \(out.path)"
            if result.interrupted { line += " (interrupted)" }
            if let f = failed.first { line += " — cell \(f.index) failed:\n" + (f.outputs.compactMap { if case let .error(e) = $0 { return e } else { return nil } }.first ?? "") }
            FileHandle.standardError.write(Data((line + "\n").utf8))
            allOK = allOK && result.succeeded
            if result.interrupted { throw ExitCode(130) }
        }
        if !allOK { throw ExitCode(1) }
    }
}
