import ArgumentParser
import FacetSession
import FacetLSP
import Foundation

/// `facet lsp`: the language server over standard input and output (docs/editors.md).
struct LspCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Run the Facet language server on standard input and output, for editors.",
        discussion: """
        Speaks the Language Server Protocol (JSON-RPC with Content-Length framing) for .facet files and the code cells of .fnb notebooks: diagnostics as you type (the same as facet check), hover with a layer's output shape, parameters, FLOPs and memory, inlay hints with every layer's output shape and each net's totals, go to definition, references, document symbols, completion, formatting (facet fmt's layout) and rename. An editor starts it; docs/editors.md says how for VS Code, Neovim and Helix.
        """)

    @Flag(name: .long, help: "Do not load stdlib/ first.")
    var noStdlib = false

    func run() throws {
        // Diagnostics, progress and warnings must never reach stdout: it carries the protocol.
        let session = try Session(progress: .quiet, loadStdlib: !noStdlib)
        session.sink = { _ in }
        let out = FileHandle.standardOutput
        let server = LanguageServer(session: session) { data in out.write(data) }
        let status = server.serve(input: FileHandle.standardInput)
        if status != 0 { throw ExitCode(status) }
    }
}
