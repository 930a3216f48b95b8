import Foundation
import XCTest

/// Runs the built `facet` executable (it sits next to the test bundle in the build folder).
public enum FacetCLI {
    public static var executable: URL { built("facet") }

    /// The test-only `facet-rank-probe` (Tests/FacetRankProbe): a notebook over MPI with an injected fault.
    public static var rankProbe: URL { built("facet-rank-probe") }

    /// A program of this package, built beside the test bundle.
    static func built(_ name: String) -> URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/\(name)")
    }

    public struct Output {
        public var status: Int32; public var stdout: String; public var stderr: String
        /// False when a signal ended the process (an abort, whose `status` is the signal number).
        public var exited = true
    }

    /// Runs `facet args...` with extra environment; stdin is empty. Unless `environment` names
    /// one, the result cache is a fresh folder per call, so no test sees another's results (or
    /// the user's).
    /// `stdin`: a file to read as standard input (else empty).
    /// `program`: another program of this package to run instead of facet (`rankProbe`).
    /// `launcher` runs facet through a program (e.g. `["/bin/sh", "scripts/facet-mpirun", "-np", "2"]`).
    /// `timeout`: seconds after which the process is terminated (then killed), so a regression
    /// that hangs (say, ranks waiting on each other) fails its test instead of stalling the suite;
    /// stderr then ends with a line saying so.
    public static func run(_ args: [String], environment: [String: String] = [:], removing: [String] = [],
                    cwd: URL? = nil, launcher: [String] = [], stdin: URL? = nil,
                    timeout: Double = 600, program: URL = executable) throws -> Output {
        let p = Process()
        p.executableURL = launcher.first.map { URL(fileURLWithPath: $0) } ?? program
        p.arguments = launcher.isEmpty ? args : Array(launcher.dropFirst()) + [program.path] + args
        var env = ProcessInfo.processInfo.environment
        env["FACET_CACHE_DIR"] = freshCacheFolder().path
        for (k, v) in environment { env[k] = v }
        for k in removing { env[k] = nil }
        p.environment = env
        if let cwd { p.currentDirectoryURL = cwd }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        p.standardInput = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        try p.run()
        let timedOut = Watchdog()
        let pid = p.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak p] in
            guard let p, p.isRunning else { return }
            timedOut.fire()
            p.terminate()
            DispatchQueue.global().asyncAfter(deadline: .now() + 5) { if p.isRunning { kill(pid, SIGKILL) } }
        }
        // Read both pipes fully before waiting, so a chatty child cannot block on a full pipe.
        var outData = Data(), errData = Data()
        let group = DispatchGroup()
        group.enter(); DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter(); DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.wait()
        p.waitUntilExit()
        var stderr = String(decoding: errData, as: UTF8.self)
        if timedOut.fired { stderr += "\n[test support: facet \(args.joined(separator: " ")) was stopped after \(Int(timeout)) s]" }
        return Output(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: stderr, exited: p.terminationReason == .exit)
    }
}

/// Set once, from the timer's thread, read after the process has ended.
private final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func fire() { lock.lock(); value = true; lock.unlock() }
    var fired: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

/// A folder for a result cache that no other test uses.
public func freshCacheFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("facet-test-cache-\(UUID().uuidString)")
}

/// Facet source that trains the tests' tiny emotion net on synthetic faces, binding `faces` and `run`;
/// `n` and `epochs` are Facet expressions (a number or a notebook parameter's name).
public func tinyEmotionTraining(n: String, epochs: String) -> String {
    """
    let faces = synthetic(n: \(n), seed: 3, size: 24) | split(0.7, 0.15, 0.15, stratify: "emotion") | gcn
    net tiny(classes = 7) {
      input 24x24x1
      conv 4 5x5 relu
      maxpool 2x2 stride 2
      dense 16 relu
      softmax classes
    }
    let run = train(tiny(), faces.emotion, epochs: \(epochs), batch: 40, optimizer: "adam", lr: 0.001)
    """
}
