import FacetNotebook
import FacetSession
import FacetLang
import FacetLangTools

extension Analysis {
    /// A notebook checked as `facet check NOTEBOOK.fnb` checks it (NotebookRunner.check): the
    /// parameters bound, then the cells as one program on the notebook's lines. The outline's
    /// diagnostics are that check's (Interpreter.check and outline share parse, imports and
    /// checkProgram); a front matter that does not parse, or `params` that is not a record, is
    /// reported at its line.
    static func notebook(_ doc: TextDocument, name: String, sessions: NotebookSessions)
        -> (diagnostics: [Diagnostic], cells: (file: SourceFile, outline: Outline)?) {
        let whole = SourceFile(name: name, text: doc.text)
        func atLine(_ line: Int) -> SourceRange {
            let l = max(0, line - 1)
            return SourceRange(file: whole, start: doc.offset(of: Position(line: l, character: 0)), end: doc.offset(of: doc.endOfLine(l)))
        }
        do {
            let notebook = try Notebook(text: doc.text, path: name)
            let session = try sessions.session(for: notebook)
            guard let file = cellsFile(of: notebook) else { return ([], nil) }
            let outline = session.interpreter.outline(file)
            return (outline.diagnostics, (file, outline))
        } catch let e as Notebook.ParseError {
            return ([Diagnostic(atLine(e.line), e.message)], nil)
        } catch let e as ParamsNotARecord {
            return ([Diagnostic(atLine(e.line), e.message)], nil)
        } catch let e as DiagnosticError {
            return (e.diagnostics, nil)
        } catch let d as Diagnostic {
            return ([d], nil)
        } catch {
            return ([Diagnostic(SourceRange(file: whole, start: 0, end: 0), "\(error)")], nil)
        }
    }

    /// A notebook's code cells as one source on the notebook's own lines: blank lines stand in for
    /// prose and fences, as `NotebookRunner.check` joins them. Nil when it has no cells.
    static func cellsFile(of notebook: Notebook) -> SourceFile? {
        let cells = notebook.cells
        guard let first = cells.first else { return nil }
        var text = ""
        var line = first.firstLine
        for cell in cells {
            text += String(repeating: "\n", count: max(0, cell.firstLine - line)) + cell.source + "\n"
            line = cell.firstLine + cell.source.filter { $0 == "\n" }.count + 1
        }
        return SourceFile(name: notebook.path, text: text, firstLine: first.firstLine)
    }
}
