import CReadline
import Foundation

/// Interactive line input with readline: editing, persistent history, tab completion, and Ctrl-C
/// that abandons the current line instead of the session.
public final class ReadlineReader {
    public let historyPath: String
    static let historyLimit: Int32 = 2000

    /// Words offered by tab completion; read by the C callback, so global.
    nonisolated(unsafe) static var words: [String] = []
    nonisolated(unsafe) static var atPrompt = false

    public init(historyPath: String = ReadlineReader.defaultHistoryPath) {
        self.historyPath = historyPath
        rl_readline_name = UnsafePointer(strdup("facet"))
        rl_attempted_completion_function = { text, _, _ in
            rl_attempted_completion_over = 1   // no file-name completion fallback
            guard let text else { return nil }
            ReadlineReader.prefix = String(cString: text)
            ReadlineReader.cursor = 0
            return rl_completion_matches(text) { _, state in
                if state == 0 { ReadlineReader.cursor = 0 }
                let matches = ReadlineReader.words.filter { $0.hasPrefix(ReadlineReader.prefix) }
                guard ReadlineReader.cursor < matches.count else { return nil }
                defer { ReadlineReader.cursor += 1 }
                return strdup(matches[ReadlineReader.cursor])
            }
        }
        using_history()
        _ = read_history(historyPath)
    }

    nonisolated(unsafe) static var prefix = ""
    nonisolated(unsafe) static var cursor = 0

    /// `~/.facet_history` (FACET_HISTORY overrides, for tests).
    public static var defaultHistoryPath: String {
        if let p = ProcessInfo.processInfo.environment["FACET_HISTORY"] { return p }
        return (ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()) + "/.facet_history"
    }

    /// Reads a line; nil at end of input (Ctrl-D).
    public func readLine(prompt: String, completions: [String]) -> String? {
        Self.words = completions
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
