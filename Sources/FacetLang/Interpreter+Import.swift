import FacetFiles
import Foundation

/// An imported file, parsed, with the `import` statements that led to it (nearest first).
struct ImportedModule {
    let file: SourceFile
    let key: String
    let program: [Stmt]
    let chain: [SourceRange]
}

/// Where a top-level name was defined, and whether by an imported file.
struct DefinitionSite {
    let range: SourceRange
    let imported: Bool
}

// MARK: Finding and ordering imported files

extension Interpreter {
    /// The files `program` imports, directly or not, that this interpreter has not loaded yet,
    /// each after the files it imports. Throws a located `DiagnosticError` for a missing or
    /// unreadable file, an import cycle, or a syntax error inside an imported file.
    func importedModules(of program: [Stmt], in file: SourceFile) throws -> [ImportedModule] {
        guard program.contains(where: { if case .importFile = $0.kind { true } else { false } }) else { return [] }
        var walk = ImportWalk(search: importSearch, done: loadedFiles)
        let rootKey = file.name.hasPrefix("<") ? nil : canonicalPath(file.name)
        try walk.visit(program, file, chain: [], stack: [(rootKey ?? "", nil, "")])
        return walk.order
    }
}

/// A depth-first walk over `import` statements; `stack` holds the files being loaded (for cycles).
struct ImportWalk {
    let search: ImportSearch
    var done: Set<String>
    var order: [ImportedModule] = []

    mutating func visit(_ program: [Stmt], _ file: SourceFile, chain: [SourceRange],
                        stack: [(key: String, at: SourceRange?, path: String)]) throws {
        for stmt in program {
            guard case let .importFile(path, pathRange) = stmt.kind else { continue }
            let candidates = search.candidates(for: path, from: file)
            guard let found = candidates.first(where: { isFile($0) }) else {
                throw located(Diagnostic(pathRange, "cannot find imported file \(quote(path)); searched \(candidates.joined(separator: ", "))"), chain)
            }
            let key = canonicalPath(found)
            if let start = stack.firstIndex(where: { $0.key == key }) {
                let edges = stack[(start + 1)...].compactMap { e in e.at.map { ($0, e.path) } } + [(stmt.range, path)]
                let steps = edges.map { "\($0.file.name):\($0.line) imports \(quote($1))" }
                throw located(Diagnostic(stmt.range, "import cycle: \(steps.joined(separator: ", "))"), chain)
            }
            if done.contains(key) { continue }
            let imported: SourceFile
            do {
                imported = SourceFile(name: found, text: try InputFile.text(found))
            } catch {
                throw located(Diagnostic(pathRange, "cannot read imported file \(found): \(FileFailure.reason(error))"), chain)
            }
            let inner = [stmt.range] + chain
            let subprogram: [Stmt]
            do { subprogram = try parse(imported) } catch let e as DiagnosticError {
                throw DiagnosticError(e.diagnostics.map { $0.imported(from: inner) })
            }
            try visit(subprogram, imported, chain: inner, stack: stack + [(key, stmt.range, path)])
            done.insert(key)
            order.append(ImportedModule(file: imported, key: key, program: subprogram, chain: inner))
        }
    }

    func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    func located(_ d: Diagnostic, _ chain: [SourceRange]) -> DiagnosticError { DiagnosticError([d.imported(from: chain)]) }
}

// MARK: Names defined in two files

extension Interpreter {
    /// Top-level `net` and `let` names of a program with where each is defined.
    func topLevelDefinitions(_ program: [Stmt]) -> [(String, SourceRange)] {
        program.compactMap { stmt in
            switch stmt.kind {
            case let .net(decl): return (decl.name, decl.nameRange)
            case let .letBinding(name, range, _): return (name, range)
            default: return nil
            }
        }
    }

    /// A name defined in two different files, at least one of them imported, is an error at the
    /// later definition naming both places. (A file may redefine a stdlib net, and a REPL or a
    /// notebook may rebind its own names, as without imports.)
    func definitionCollisions(_ modules: [ImportedModule], _ program: [Stmt]) -> [Diagnostic] {
        guard !loadingStdlib else { return [] }
        var sites = definitionSites
        var problems: [Diagnostic] = []
        func define(_ program: [Stmt], imported: Bool, chain: [SourceRange]) {
            for (name, range) in topLevelDefinitions(program) {
                if let old = sites[name], old.range.file.name != range.file.name, old.imported || imported {
                    problems.append(Diagnostic(range, "`\(name)` is defined in two files: \(old.range) and \(range)",
                                               hint: "rename one of them").imported(from: chain))
                }
                sites[name] = DefinitionSite(range: range, imported: imported)
            }
        }
        for module in modules { define(module.program, imported: true, chain: module.chain) }
        define(program, imported: false, chain: [])
        return problems
    }
}
