import Foundation
import XCTest
@testable import FacetSession
@testable import FacetNotebook
@testable import FacetJupyter
@testable import FacetCache
import FacetTestSupport

/// Every command's `--help`, as swift-argument-parser wraps it at 80 columns: overviews and
/// option texts are written as paragraphs and left to the parser to wrap, so no line but a
/// paragraph's last ends early (a text wrapped in the source as well breaks raggedly).
final class HelpTextTests: XCTestCase {
    static let width = 80
    /// A line this short inside a paragraph means the source broke it, not the parser.
    static let shortest = 40

    func testEveryCommandsHelpWrapsAsParagraphs() throws {
        let commands = try allCommands()
        XCTAssertGreaterThan(commands.count, 15, "the walk found the subcommands: \(commands)")
        for command in commands {
            let help = try helpText(command)
            XCTAssertTrue(help.hasPrefix("OVERVIEW:"), "facet \(command.joined(separator: " ")) --help:\n\(help)")
            for block in Self.paragraphs(help) {
                for line in block.dropLast() where line.count < Self.shortest {
                    XCTFail("facet \(command.joined(separator: " ")) --help: \(line.debugDescription) is \(line.count) "
                            + "characters, inside the paragraph:\n\(block.joined(separator: "\n"))")
                }
            }
        }
    }

    /// The parser of the test itself, on a hand-made help text.
    func testParagraphsSplitAtBlankLinesSectionsAndEntries() {
        let help = """
        OVERVIEW: One line.

        A paragraph that goes on
        and ends here.

        USAGE: facet x

        OPTIONS:
          --long-name-only
                                  Text of the option that wraps over
                                  two lines.
          -h, --help              Show help information.
        """
        XCTAssertEqual(Self.paragraphs(help), [
            ["OVERVIEW: One line."],
            ["A paragraph that goes on", "and ends here."],
            ["                          Text of the option that wraps over", "                          two lines."],
            ["  -h, --help              Show help information."],
        ])
    }

    /// Paragraphs of a help text, each as its lines as printed (indentation kept, trailing spaces
    /// dropped): the overview's paragraphs (blank lines between them), then each option's,
    /// argument's or subcommand's entry (it starts at a line indented two spaces). USAGE lines and
    /// section titles are the parser's own and not checked.
    static func paragraphs(_ help: String) -> [[String]] {
        var out: [[String]] = [], current: [String] = []
        var inOverview = true
        func close() { if !current.isEmpty { out.append(current) }; current = [] }
        for raw in help.components(separatedBy: "\n") {
            let line = String(raw.reversed().drop { $0 == " " }.reversed())
            if line.hasPrefix("USAGE:") { close(); inOverview = false; continue }
            if inOverview {
                if line.isEmpty { close() } else { current.append(line) }
                continue
            }
            if line.isEmpty || line.hasSuffix(":") && !line.hasPrefix(" ") || line.hasPrefix("  See '") { close(); continue }
            guard line.hasPrefix(" ") else { continue }   // a wrapped USAGE line
            let indent = line.prefix { $0 == " " }.count
            if indent == 2 {
                // A new entry: its name, then (after two or more spaces) the start of its text. A
                // name alone on its line (a long one) is not part of the text.
                close()
                if line.dropFirst(2).contains("  ") { current.append(line) }
            } else {
                current.append(line)
            }
        }
        close()
        return out
    }

    /// `facet --help` names the subcommands; each of theirs, theirs (`facet data show`, ...).
    func allCommands() throws -> [[String]] {
        var found: [[String]] = [], queue: [[String]] = [[]]
        while let command = queue.first {
            queue.removeFirst()
            found.append(command)
            let help = try helpText(command)
            guard let section = help.range(of: "\nSUBCOMMANDS:\n") else { continue }
            for line in help[section.upperBound...].components(separatedBy: "\n") {
                guard line.hasPrefix("  "), !line.hasPrefix("   "), !line.hasPrefix("  See ") else { continue }
                let name = line.dropFirst(2).prefix { $0 != " " }
                if !name.isEmpty, name != "help" { queue.append(command + [String(name)]) }
            }
        }
        return found
    }

    func helpText(_ command: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try FacetCLI.run(command + ["--help"], environment: ["COLUMNS": "\(Self.width)"])
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return r.stdout
    }
}
