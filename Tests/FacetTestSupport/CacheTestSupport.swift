import Foundation
import XCTest
import FacetCache
import FacetNotebook

/// A tiny notebook for cache tests (12×12 faces, a net with dropout, a few epochs, a second cell
/// that draws an unseeded data set after training so the session's seed stream shows in the
/// footer) and helpers to run it and compare reports.
public enum CacheNotebook {
    public static func text(epochs: Int = 3, dataSeed: Int = 3, width: Int = 16, prose: String = "Some prose.") -> String {
        """
        ---
        title: Cache
        params: { epochs: \(epochs), dseed: \(dataSeed), width: \(width) }
        ---
        \(prose)

        ```facet
        let faces = synthetic(n: 200, seed: dseed, size: 12) | split(0.7, 0.15, 0.15) | gcn
        net tiny(w = 16) {
          input 12x12x1
          conv 4 3x3 relu
          dropout 0.2
          dense w relu
          softmax 7
        }
        let run = train(tiny(w: width), faces.emotion, epochs: epochs, batch: 20)
        show run
        ```

        More prose.

        ```facet
        let later = synthetic(n: 20, size: 12)
        print(later)
        print("accuracy", accuracy(run, faces.test.emotion))
        ```
        """
    }

    /// Runs the notebook in this process with a cache folder and returns its report.
    public static func run(_ text: String, cache: CachePolicy, in dir: URL, name: String = UUID().uuidString) throws -> String {
        let nb = try Notebook(text: text, path: "cache.fnb")
        var options = NotebookRunner.Options()
        options.progress = .quiet
        options.cache = cache
        let out = dir.appendingPathComponent("\(name).md")
        let result = try NotebookRunner(notebook: nb, options: options).run(writingTo: out)
        let md = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(result.succeeded, md)
        return md
    }

    /// The footer's training counts: "1 from cache, 0 trained".
    public static func counts(_ report: String) -> String {
        report.split(separator: "\n").first { $0.hasPrefix("| Training |") }
            .map { $0.replacingOccurrences(of: "| Training | ", with: "").replacingOccurrences(of: " |", with: "")
                .replacingOccurrences(of: #"; the (run's|\d+ runs') training took .*$"#, with: "", options: .regularExpression) } ?? "none"
    }

    /// The footer's "the run's training took 2 s in all, …" clause, nil when absent.
    public static func trainingTime(_ report: String) -> String? {
        guard let row = report.split(separator: "\n").first(where: { $0.hasPrefix("| Training |") }),
              let r = row.range(of: #"the (run's|\d+ runs') training took .*(?= \|$)"#, options: .regularExpression) else { return nil }
        return String(row[r])
    }

    /// The report without what may differ between runs with the same numbers: times, cache
    /// notes and warnings, and the training-counts row.
    public static func numbers(_ report: String) -> String {
        var lines = report.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeAll { $0.hasPrefix("_from cache") || $0.hasPrefix("_resumed at") || $0.hasPrefix("| Training |")
            || $0.hasPrefix("| Wall time |") || $0.hasPrefix("| Results |") || $0.hasPrefix("> **Warning:**") }
        let durations = try! NSRegularExpression(pattern: #"\d+(\.\d+)? s\b|\d+ min \d+ s|\d+ h \d+ min"#)
        var text = lines.map { line in
            durations.stringByReplacingMatches(in: line, range: NSRange(line.startIndex..., in: line), withTemplate: "T")
        }.joined(separator: "\n")
        while text.contains("\n\n\n") { text = text.replacingOccurrences(of: "\n\n\n", with: "\n\n") }
        return text
    }

    public static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-cachetest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
