import Foundation

/// Where a report and its figures go (`reports/x.md` and `reports/x_files/`), and the two promises
/// about them: the location is checked before any cell runs, and an earlier report with its
/// figures is replaced only by a complete new pair — a failure at any point leaves it as it was.
public struct ReportFiles {
    /// The Markdown report.
    public let report: URL

    public init(report: URL) { self.report = report }

    /// `reports/x.md` → `reports/x_files`, linked relatively from the report.
    public var figuresFolder: URL {
        folder.appendingPathComponent(report.deletingPathExtension().lastPathComponent + "_files")
    }

    var folder: URL { report.deletingLastPathComponent() }

    /// Checks that the report can be written here — the path names a file, its folder exists (or is
    /// created now) and accepts new files — so that a bad `-o` is found before hours of training.
    public func checkWritable() throws {
        let path = report.path
        if path.isEmpty || report.hasDirectoryPath || FileOps.isFolder(path) {
            throw OutputError("cannot write the report \(path)", "it is a folder, not a file; give a file such as \(URL(fileURLWithPath: path).appendingPathComponent("report.md").path)")
        }
        try FileOps.makeFolders(folder.path)
        recoverInterruptedSwap()
        // Permission bits alone do not tell (root ignores them; a file system may be read-only or an
        // inode immutable), so create and remove a file as the report write will.
        let probe = folder.appendingPathComponent(".facet-probe-\(UUID().uuidString)").path
        try FileOps.create(probe, Data(), what: "cannot write in the folder \(folder.path)")
        FileOps.remove(probe)
    }

    /// Writes the report and its figures (name without `.svg`, SVG text) so that either both are
    /// new or both are as before: each is written in full to a hidden sibling first, then swapped
    /// in by renames (atomic on one file system), undoing the renames done so far if one fails.
    public func replace(markdown: String, figures: [(name: String, svg: String)]) throws {
        try replace(markdown: markdown, files: figures.map { ($0.name + ".svg", Data($0.svg.utf8)) })
    }

    /// As `replace(markdown:figures:)` with figure files of any kind (file name with extension, bytes).
    public func replace(markdown: String, files figures: [(file: String, data: Data)]) throws {
        let tag = UUID().uuidString.prefix(8)
        let stem = report.lastPathComponent, figures0 = figuresFolder.lastPathComponent
        let newReport = folder.appendingPathComponent(".\(stem).facet-new-\(tag)").path
        let newFigures = folder.appendingPathComponent(".\(figures0).facet-new-\(tag)").path
        let oldFigures = folder.appendingPathComponent(".\(figures0).facet-old-\(tag)").path
        do {
            try stage(figures, in: newFigures)
            try FileOps.create(newReport, Data(markdown.utf8), what: "cannot write the report \(report.path)")
            try swap(newReport: newReport, newFigures: figures.isEmpty ? nil : newFigures, oldFigures: oldFigures)
        } catch {
            FileOps.remove(newReport)
            FileOps.remove(newFigures)
            guard let error = error as? OutputError, FileOps.exists(report.path) else { throw error }
            throw OutputError(error.what, error.why + "; the previous report and its figures are unchanged")
        }
        // The old figures are no longer linked from anything; a failure to remove them loses nothing.
        FileOps.remove(oldFigures)
    }

    /// Repairs what a hard kill (SIGKILL, power loss) during `replace` can leave, so a report never
    /// links figures of another run. `replace` swaps in three renames — old figures aside (1), new
    /// figures in (2), new report in (3) — and each hidden name carries the run's tag:
    /// - killed between 1 and 2: the old figures go back (the old report is whole);
    /// - killed between 2 and 3: the new report, already written in full, goes in (roll forward);
    /// - otherwise only temporaries are left, and they go.
    public func recoverInterruptedSwap() {
        let stem = report.lastPathComponent, figures0 = figuresFolder.lastPathComponent
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        let oldPrefix = ".\(figures0).facet-old-"
        for aside in names.filter({ $0.hasPrefix(oldPrefix) }).sorted() {
            let tag = aside.dropFirst(oldPrefix.count)
            let newReport = ".\(stem).facet-new-\(tag)", newFigures = ".\(figures0).facet-new-\(tag)"
            if !FileOps.exists(figuresFolder.path) {
                _ = Glibc.rename(folder.appendingPathComponent(aside).path, figuresFolder.path)
            } else if names.contains(newReport), !names.contains(newFigures) {
                _ = Glibc.rename(folder.appendingPathComponent(newReport).path, report.path)
            }
        }
        let left = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in left where name.hasPrefix(".\(stem).facet-new-") || name.hasPrefix(".\(figures0).facet-new-")
            || name.hasPrefix(oldPrefix) {
            FileOps.remove(folder.appendingPathComponent(name).path)
        }
    }

    /// Writes every figure into a new hidden folder.
    private func stage(_ figures: [(file: String, data: Data)], in folder: String) throws {
        guard !figures.isEmpty else { return }
        let what = "cannot write the figures in \(figuresFolder.path)"
        if mkdir(folder, 0o777) != 0 { throw OutputError(what, errno: errno) }
        for f in figures {
            try FileOps.create(folder + "/" + f.file, f.data, what: what)
        }
    }

    /// Old figures aside, new figures in, new report over the old one; undone in reverse on failure.
    private func swap(newReport: String, newFigures: String?, oldFigures: String) throws {
        let figures = figuresFolder.path
        let what = "cannot replace the report \(report.path)"
        var undo: [() -> Void] = []
        do {
            if FileOps.exists(figures) {
                try FileOps.rename(figures, oldFigures, what: what)
                undo.append { _ = Glibc.rename(oldFigures, figures) }
            }
            if let newFigures {
                try FileOps.rename(newFigures, figures, what: what)
                undo.append { _ = Glibc.rename(figures, newFigures) }
            }
            try FileOps.rename(newReport, report.path, what: what)
        } catch {
            for step in undo.reversed() { step() }
            throw error
        }
    }
}
