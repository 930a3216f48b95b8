import Foundation

/// Ctrl-C handling: the first SIGINT sets a flag that long work polls (training between batches,
/// the notebook runner between cells); a second one within two seconds exits at once.
public enum Interrupt {
    nonisolated(unsafe) private static var flag: Int32 = 0
    nonisolated(unsafe) private static var lastSignal: Double = 0
    nonisolated(unsafe) private static var installed = false

    /// True once Ctrl-C was pressed and not yet cleared.
    public static var requested: Bool { flag != 0 }

    public static func clear() { flag = 0 }

    /// What the SIGINT handler does; also callable from another handler (the REPL's).
    public static func raise() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let t = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        if flag != 0, t - lastSignal < 2 { _exit(130) }
        flag = 1
        lastSignal = t
    }

    /// Installs the handler (idempotent).
    public static func install() {
        guard !installed else { return }
        installed = true
        signal(SIGINT) { _ in Interrupt.raise() }
    }
}
