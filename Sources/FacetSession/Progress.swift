import Foundation

/// A progress line on stderr: redrawn in place on a terminal, printed as plain periodic lines
/// otherwise (logs, CI), silent when quiet.
public final class ProgressBar {
    public enum Style { case interactive, plain, quiet }

    public let style: Style
    private let label: String
    private var total: Int
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var lastPlain = -1
    private let write: (String) -> Void

    /// - Parameters:
    ///   - plainEvery: in plain style, print when this fraction of the work more is done.
    public init(label: String, total: Int, style: Style = ProgressBar.defaultStyle,
                write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.label = label; self.total = max(1, total); self.style = style; self.write = write
    }

    /// Interactive on a terminal, plain otherwise; FACET_PROGRESS=plain|quiet|tty overrides.
    public static var defaultStyle: Style {
        switch ProcessInfo.processInfo.environment["FACET_PROGRESS"] {
        case "plain": return .plain
        case "quiet": return .quiet
        case "tty": return .interactive
        default: return isatty(STDERR_FILENO) != 0 ? .interactive : .plain
        }
    }

    /// Changes the amount of work (when it becomes known only after starting).
    public func resize(_ total: Int) { self.total = max(1, total) }

    /// Reports `done` of `total` with a trailing note (loss, images/s, ...).
    public func update(_ done: Int, note: String = "", force: Bool = false) {
        let now = Date()
        let fraction = min(1, Double(done) / Double(total))
        switch style {
        case .quiet: return
        case .interactive:
            guard force || done >= total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
            lastDraw = now
            let width = 24, filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            write("\r\u{1B}[2K\(label) \(bar) \(done)/\(total) \(note) \(eta(fraction, now))")
        case .plain:
            let decile = Int(fraction * 10)
            guard force || decile > lastPlain else { return }
            lastPlain = decile
            write("\(label) \(done)/\(total) \(note) \(eta(fraction, now))\n")
        }
    }

    /// Ends the line (interactive) so later output starts cleanly. `interrupted`: the work was
    /// stopped, and the line says "stopped after" the bar's own time, not "done in" (the cell
    /// around it may have run longer: it says its own time).
    public func finish(note: String = "", interrupted: Bool = false) {
        let line = "\(label) \(interrupted ? "stopped after" : "done in") \(Self.duration(Date().timeIntervalSince(start))) \(note)\n"
        switch style {
        case .quiet: return
        case .interactive: write("\r\u{1B}[2K" + line)
        case .plain: write(line)
        }
    }

    private func eta(_ fraction: Double, _ now: Date) -> String {
        guard fraction > 0, fraction < 1 else { return "" }
        let elapsed = now.timeIntervalSince(start)
        return "ETA \(Self.duration(elapsed / fraction - elapsed))"
    }

    /// A line of its own among the progress lines (waiting for a lock, resuming), unless quiet.
    public static func line(_ text: String, style: Style = ProgressBar.defaultStyle) {
        guard style != .quiet else { return }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// `42 s`, `3 min 05 s`, `1 h 02 min`.
    public static func duration(_ s: Double) -> String {
        if s < 60 { return String(format: s < 10 ? "%.1f s" : "%.0f s", s) }
        if s < 3600 { return String(format: "%d min %02d s", Int(s) / 60, Int(s) % 60) }
        return String(format: "%d h %02d min", Int(s) / 3600, (Int(s) % 3600) / 60)
    }
}
