import ArgumentParser
import FacetFiles
import FacetLang
import FacetLangTools
import Foundation

/// `facet fmt [--check] [FILE...]`: the canonical layout for .facet files and notebook cells.
struct FmtCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Format .facet files and the ```facet cells of .fnb notebooks in Facet's one canonical layout.",
        discussion: """
            Rewrites each file that is not already formatted and prints its path. A folder stands for the \
            .facet and .fnb files under it. With no FILE, formats standard input (Facet source) to standard \
            output. A file that does not parse is reported with its diagnostics and left unchanged. \
            Exits 0 when every file is (now) formatted, 1 otherwise.
            """)

    @Flag(name: .long, help: "Write nothing: list the files that would change and exit 1 if there are any.")
    var check = false

    @Argument(help: "The .facet files, .fnb notebooks and folders to format.")
    var files: [String] = []

    func run() throws {
        if files.isEmpty { return try formatStandardInput() }
        var failed = false
        for path in try expand(files) {
            let text: String
            // Read as bytes so CRLF stays visible: the canonical layout has LF endings, and a file
            // with others is reformatted (or listed by --check), not passed as already formatted.
            let raw: Data
            do { raw = try InputFile.data(path); text = try InputFile.text(raw, path: path) } catch {
                printError("\(path): error: cannot read file: \(FileFailure.reason(error))")
                failed = true
                continue
            }
            let formatted: String
            do {
                formatted = path.hasSuffix(".fnb") ? try Format.notebook(text, name: path) : try Format.source(text, name: path)
            } catch let e as DiagnosticError {
                printError(e.description)
                failed = true
                continue
            }
            guard Data(formatted.utf8) != raw else { continue }
            print(path)
            if check { failed = true; continue }
            do { try Data(formatted.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                printError("\(path): error: cannot write file: \(FileFailure.reason(error))")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }

    func formatStandardInput() throws {
        let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        do {
            let formatted = try Format.source(text, name: "<stdin>")
            if check {
                if formatted != text { print("<stdin>"); throw ExitCode(1) }
            } else {
                FileHandle.standardOutput.write(Data(formatted.utf8))
            }
        } catch let e as DiagnosticError {
            printError(e.description)
            throw ExitCode(1)
        }
    }

    /// Files as given, folders replaced by their .facet and .fnb files (sorted, recursively).
    func expand(_ paths: [String]) throws -> [String] {
        var out: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                out.append(path)
                continue
            }
            let found = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".facet") || $0.hasSuffix(".fnb") }.sorted()
            out += found.map { (path as NSString).appendingPathComponent($0) }
        }
        return out
    }
}
