import Foundation

/// Stopping long work cleanly. The first stop signal sets a flag that long work polls (training
/// between batches, the notebook runner between cells); a second one within two seconds exits at
/// once with status 128 + its number. SIGINT (Ctrl-C) always stops; during a notebook run
/// (`stoppable`) SIGTERM and SIGHUP do too, so a job told to stop by a service manager, `kill` or a
/// closed terminal still leaves its partial report.
public enum Interrupt {
    /// The signal that asked to stop, 0 when none.
    nonisolated(unsafe) private static var flag: Int32 = 0
    nonisolated(unsafe) private static var lastSignal: Double = 0
    nonisolated(unsafe) private static var installed = false

    /// True once a stop signal arrived and was not yet cleared.
    public static var requested: Bool { flag != 0 }

    /// The signal that asked to stop (`SIGINT`, `SIGTERM`, `SIGHUP`), if one did.
    public static var stopSignal: Int32? { flag == 0 ? nil : flag }

    public static func clear() { flag = 0 }

    /// What the signal handler does; also callable from another handler (the REPL's).
    public static func raise(_ signal: Int32 = SIGINT) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let t = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        if flag != 0, t - lastSignal < 2 { _exit(128 + signal) }
        flag = signal
        lastSignal = t
    }

    /// Installs the SIGINT handler (idempotent). The REPL uses only this: there SIGTERM and SIGHUP
    /// keep ending the process at once.
    public static func install() {
        guard !installed else { return }
        installed = true
        Glibc.signal(SIGINT) { Interrupt.raise($0) }
    }

    /// Runs `body` with SIGINT, SIGTERM and SIGHUP all stopping it cleanly, then gives SIGTERM and
    /// SIGHUP back their earlier handling. A SIGHUP that was ignored (`nohup`) stays ignored.
    public static func stoppable<T>(_ body: () throws -> T) rethrows -> T {
        install()
        var previous: [(Int32, sighandler_t?)] = []
        for s in [SIGTERM, SIGHUP] {
            let old = Glibc.signal(s) { Interrupt.raise($0) }
            if s == SIGHUP, isIgnore(old) { Glibc.signal(s, old) }
            previous.append((s, old))
        }
        defer { for (s, old) in previous { Glibc.signal(s, old) } }
        return try body()
    }

    /// `SIG_IGN` is the handler value 1 in C; Swift cannot compare function pointers directly.
    private static func isIgnore(_ handler: sighandler_t?) -> Bool {
        unsafeBitCast(handler, to: Int.self) == 1
    }

    /// How a report and the terminal name the signal: "SIGINT (Ctrl-C)", "SIGTERM", "SIGHUP".
    public static func describe(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: return "SIGINT (Ctrl-C)"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(signal)"
        }
    }
}
