import Foundation

/// What checking a program learnt of its nets, without running anything: the diagnostics `check`
/// gives, and each top-level net whose parameters all have defaults built with them, so an
/// editor (the language server's outline, FacetLangTools) knows its layers' shapes.
public struct CheckedDefinitions {
    public var diagnostics: [Diagnostic]
    /// By index in the program: the `net` statement there, built with its defaults (absent when a
    /// parameter has no default or the net does not check).
    public var builtNets: [Int: NetValue]
}

extension Interpreter {
    /// Checks `program`, parsed from `file`, as `check` does (in a scratch copy of the globals,
    /// following imports), and builds its nets that need no arguments. Never runs anything.
    public func checkDefinitions(_ program: [Stmt], in file: SourceFile) -> CheckedDefinitions {
        var checked = CheckedDefinitions(diagnostics: [], builtNets: [:])
        let scratch = globals.scratchCopy()
        do {
            let modules = try importedModules(of: program, in: file)
            checked.diagnostics = checkProgram(program, in: scratch, modules: modules)
        } catch let e as DiagnosticError {
            checked.diagnostics = e.diagnostics
        } catch {
            checked.diagnostics = [Diagnostic(SourceRange(file: file, start: 0, end: 0), "\(error)")]
        }
        let saved = mode
        mode = .check; steps = 0
        defer { mode = saved }
        for (i, stmt) in program.enumerated() {
            if case let .net(decl) = stmt.kind, decl.parameters.allSatisfy({ $0.defaultValue != nil }),
               case let .netDefinition(def)? = scratch.lookup(decl.name),
               case let .net(value)? = try? instantiate(def, positional: [], named: [], at: decl.nameRange) {
                checked.builtNets[i] = value
            }
        }
        // Everything is built: break the scratch scope's cycles with the nets defined in it.
        scratch.removeAllValues()
        return checked
    }

    /// The file an `import "path"` in `file` loads, as `import` resolves it (next to the file,
    /// then FACET_PATH, then stdlib/); nil when it resolves to nothing.
    public func resolveImport(_ path: String, from file: SourceFile) -> String? {
        importSearch.candidates(for: path, from: file).first { FileManager.default.fileExists(atPath: $0) }
    }

    /// A net known to the session (the stdlib's, or one defined earlier) built with its defaults;
    /// nil when there is none by that name or it needs arguments.
    public func netWithDefaults(_ name: String) -> NetValue? {
        guard case let .netDefinition(def)? = globals.lookup(name),
              def.decl.parameters.allSatisfy({ $0.defaultValue != nil }) else { return nil }
        let saved = mode
        mode = .check; steps = 0
        defer { mode = saved }
        if case let .net(value)? = try? instantiate(def, positional: [], named: [], at: def.decl.nameRange) { return value }
        return nil
    }

    /// Where a net known to the session was declared (its name in its file).
    public func netDeclaration(_ name: String) -> SourceRange? {
        if case let .netDefinition(def)? = globals.lookup(name) { return def.decl.nameRange }
        return nil
    }
}
