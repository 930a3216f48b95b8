import CReadline
import FacetLang
import FacetLangTools
import FacetSession
import Foundation

/// Interactive line input with readline: editing, persistent history, tab completion, and Ctrl-C
/// that abandons the current line instead of the session.
public final class ReadlineReader {
    public let historyPath: String
    static let historyLimit: Int32 = 2000

    /// What Tab completes (the REPL's `complete`: the line and the cursor in Unicode scalars);
    /// read by the C callback, so global.
    nonisolated(unsafe) static var complete: ((String, Int) -> Completion)?
    /// The replacements of readline's word for the Tab being answered.
    nonisolated(unsafe) static var matches: [String] = []
    nonisolated(unsafe) static var cursor = 0
    nonisolated(unsafe) static var atPrompt = false

    public init(historyPath: String = ReadlineReader.defaultHistoryPath) {
        self.historyPath = historyPath
        rl_readline_name = UnsafePointer(strdup("facet"))
        // Words end at `.`, `/` and `:` too, so a list of matches shows members and file names, not
        // whole paths; `Completion.start` decides what is replaced either way.
        rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n\"\\'`@$><=;|&{(,[.:/+-*%!"))
        rl_attempted_completion_function = { text, start, end in
            rl_attempted_completion_over = 1   // no file-name completion fallback: the language decides
            guard let text, let buffer = rl_line_buffer, let complete = ReadlineReader.complete else { return nil }
            ReadlineReader.matches = ReadlineReader.replacements(
                line: Array(UnsafeRawBufferPointer(start: buffer, count: strlen(buffer))), word: Int(start), cursor: Int(end),
                complete: complete)
            // A folder goes on (no space after `models/`); anything else ends with a space.
            let only = ReadlineReader.matches.count == 1 ? ReadlineReader.matches[0] : nil
            rl_completion_append_character = only?.hasSuffix("/") == true ? 0 : Int32(UInt8(ascii: " "))
            guard !ReadlineReader.matches.isEmpty else { return nil }
            return rl_completion_matches(text) { _, state in
                if state == 0 { ReadlineReader.cursor = 0 }
                guard ReadlineReader.cursor < ReadlineReader.matches.count else { return nil }
                defer { ReadlineReader.cursor += 1 }
                return strdup(ReadlineReader.matches[ReadlineReader.cursor])
            }
        }
        using_history()
        // append_history only appends to an existing file.
        if !FileManager.default.fileExists(atPath: historyPath) {
            FileManager.default.createFile(atPath: historyPath, contents: nil)
        }
        _ = read_history(historyPath)
    }

    /// Readline replaces the bytes `word..<cursor` of `line` with a match; the completion replaces
    /// from its own `start`. The bytes between the two are put in front of each match (or taken off).
    static func replacements(line: [UInt8], word: Int, cursor: Int, complete: (String, Int) -> Completion) -> [String] {
        let cursor = min(max(0, cursor), line.count), word = min(max(0, word), cursor)
        let typed = String(decoding: line[..<cursor], as: UTF8.self)
        let c = complete(String(decoding: line, as: UTF8.self), typed.unicodeScalars.count)
        let start = String(String.UnicodeScalarView(typed.unicodeScalars.prefix(c.start))).utf8.count
        if start >= word {
            let lead = String(decoding: line[word..<start], as: UTF8.self)
            return c.matches.map { lead + $0 }
        }
        let extra = String(decoding: line[start..<word], as: UTF8.self)
        return c.matches.filter { $0.hasPrefix(extra) }.map { String($0.dropFirst(extra.count)) }
    }

    /// `~/.facet_history` (FACET_HISTORY overrides, for tests).
    public static var defaultHistoryPath: String {
        if let p = ProcessInfo.processInfo.environment["FACET_HISTORY"] { return p }
        return (ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()) + "/.facet_history"
    }

    /// Reads a line; nil at end of input (Ctrl-D).
    public func readLine(prompt: String, complete: @escaping (String, Int) -> Completion) -> String? {
        Self.complete = complete
        Self.atPrompt = true
        defer { Self.atPrompt = false }
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty {
            add_history(raw)
            _ = append_history(1, historyPath)
            _ = history_truncate_file(historyPath, Self.historyLimit)
        }
        return line
    }

    /// Ctrl-C at the prompt clears the line and shows a new prompt; while something runs, it
    /// asks that work to stop (see `Interrupt`).
    public static func installInterruptHandler() {
        Interrupt.install()
        rl_catch_signals = 0
        signal(SIGINT) { _ in
            if ReadlineReader.atPrompt {
                write(STDOUT_FILENO, "^C\n", 3)
                rl_on_new_line()
                rl_replace_line("", 0)
                rl_redisplay()
                ReadlineReader.cancelled = true
            } else {
                Interrupt.raise()
            }
        }
    }

    nonisolated(unsafe) public static var cancelled = false
}
