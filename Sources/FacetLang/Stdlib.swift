import Foundation

/// The `.facet` files loaded at start (`stdlib/`: the paper's nets and reusable blocks).
public enum Stdlib {
    /// `$FACET_STDLIB`, else the first `stdlib/` with `.facet` files found walking up from the
    /// current directory and then from the executable.
    public static func directory() -> URL? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["FACET_STDLIB"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        let starts = [URL(fileURLWithPath: fm.currentDirectoryPath),
                      URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()]
        for start in starts {
            var dir = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent("stdlib")
                if fm.fileExists(atPath: candidate.appendingPathComponent("paper.facet").path) { return candidate }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }

    /// The stdlib's `.facet` files in name order.
    public static func files(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".facet") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// Runs every stdlib file in the interpreter. Throws `DiagnosticError` (with the files'
    /// diagnostics) or a plain error when the directory cannot be found.
    public static func load(into interpreter: Interpreter, from directory: URL? = nil) throws {
        guard let dir = directory ?? Self.directory() else { throw StdlibNotFound() }
        interpreter.checksMemory = false
        interpreter.loadingStdlib = true
        defer { interpreter.checksMemory = true; interpreter.loadingStdlib = false }
        interpreter.importSearch.stdlib = dir
        for url in files(in: dir) {
            // Diagnostics name stdlib files relative to the current directory when they are under it.
            let file = try SourceFile(path: displayPath(url))
            try interpreter.run(file)
            // `import "paper.facet"` finds it already loaded.
            interpreter.loadedFiles.insert(canonicalPath(url.path))
        }
    }
}

/// The stdlib directory was not found.
public struct StdlibNotFound: Error, CustomStringConvertible {
    public var description: String {
        "cannot find the stdlib directory (stdlib/paper.facet); set FACET_STDLIB to its path"
    }
}
