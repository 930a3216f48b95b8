import ArgumentParser
import FacetFiles
import FacetJupyter
import Foundation

/// `facet convert X.fnb --to ipynb` and `facet convert X.ipynb --to fnb`.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a notebook between Facet's .fnb and Jupyter's .ipynb.",
        discussion: """
        Prose ↔ Markdown cells, facet cells ↔ code cells, front-matter params ↔ notebook metadata and a \
        papermill-style `parameters` cell. .fnb → .ipynb → .fnb gives the same file byte for byte.
        """)

    @Argument(help: "The notebook to convert (.fnb or .ipynb).")
    var input: String

    @Option(help: "The format to write: ipynb or fnb.")
    var to: String

    @Option(name: .shortAndLong, help: "Output file (default: the input's name with the new extension).")
    var output: String?

    @Option(name: .shortAndLong, parsing: .singleValue,
            help: ArgumentHelp("Set a parameter's value in the parameters cell (to ipynb only).", valueName: "name=value"))
    var parameter: [String] = []

    @Flag(help: "Write even over one of the inputs, a file of another kind or one this command did not write (docs/reliability.md).")
    var force = false

    func validate() throws {
        guard ["ipynb", "fnb"].contains(to) else { throw ValidationError("--to takes ipynb or fnb, got `\(to)`") }
        if to == "fnb", !parameter.isEmpty { throw ValidationError("-p applies to --to ipynb only") }
        if input.hasSuffix("." + to) { throw ValidationError("\(input) is already a .\(to) notebook") }
    }

    func run() throws {
        let target = output ?? ((input as NSString).deletingPathExtension + "." + to)
        let overrides = try parameter.map { p -> (String, String) in
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else { throw ValidationError("-p wants name=value, got `\(p)`") }
            return (String(p[..<eq]), String(p[p.index(after: eq)...]))
        }
        // Never over an existing notebook: it may hold edits (or Jupyter's outputs) the conversion lacks.
        if let problem = OutputRule.problem(writing: target, produces: to == "fnb" ? .fnb : .ipynb, inputs: [input],
                                            replacesOwn: false, force: force) {
            FileHandle.standardError.write(Data("error: cannot write \(target): \(problem)\n".utf8))
            throw ExitCode(1)
        }
        let data: Data
        do {
            data = try JupyterConversion.convert(path: input, to: to, parameters: overrides)
        } catch let e as JupyterConversion.Failure {
            FileHandle.standardError.write(Data("\(e)\n".utf8))
            throw ExitCode(1)
        }
        do { try data.write(to: URL(fileURLWithPath: target), options: .atomic) } catch {
            FileHandle.standardError.write(Data("error: cannot write \(target): \(FileFailure.reason(error))\n".utf8))
            throw ExitCode(1)
        }
        print("wrote \(target)")
    }
}
