import Foundation

/// Where `import "path"` looks for a file: next to the importing file, then along `FACET_PATH`
/// (directories separated by `:`), then the stdlib directory. An absolute path is used as is.
public struct ImportSearch: Sendable {
    /// `FACET_PATH`'s directories, in order.
    public var facetPath: [String]
    /// The stdlib directory; nil means `Stdlib.directory()` when first needed.
    public var stdlib: URL?

    public init(facetPath: [String] = [], stdlib: URL? = nil) {
        self.facetPath = facetPath; self.stdlib = stdlib
    }

    /// `FACET_PATH` from the environment, the stdlib found as `Stdlib.directory()` does.
    public static func environment() -> ImportSearch {
        let value = ProcessInfo.processInfo.environment["FACET_PATH"] ?? ""
        return ImportSearch(facetPath: value.split(separator: ":").map(String.init))
    }

    /// The paths tried for `path` imported from `importer`, in order, as they are shown in messages.
    public func candidates(for path: String, from importer: SourceFile) -> [String] {
        if path.hasPrefix("/") { return [displayPath(URL(fileURLWithPath: path))] }
        var dirs = [importingDirectory(importer)]
        dirs += facetPath.map { URL(fileURLWithPath: $0, isDirectory: true) }
        if let stdlib = stdlib ?? Stdlib.directory() { dirs.append(stdlib) }
        var seen: Set<String> = []
        return dirs.map { displayPath($0.appendingPathComponent(path)) }.filter { seen.insert($0).inserted }
    }

    /// The directory of a file named by a path; the current directory for `<repl>`-style names.
    func importingDirectory(_ importer: SourceFile) -> URL {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        guard !importer.name.hasPrefix("<") else { return cwd }
        return URL(fileURLWithPath: importer.name, relativeTo: cwd).deletingLastPathComponent()
    }
}

/// A file's path as diagnostics show it: relative to the current directory when under it.
func displayPath(_ url: URL) -> String {
    let cwd = FileManager.default.currentDirectoryPath
    let path = url.standardizedFileURL.path
    let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
}

/// One identity per file however it is reached (relative path, symlink): loaded once.
func canonicalPath(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
}
