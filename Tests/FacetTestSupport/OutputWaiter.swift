import Foundation

/// Waits until a child process writes `text` to `pipe` (the event); `timeout` only bounds a
/// failure. The pipe is read to its end on a thread of its own, so the child never blocks on a
/// full pipe, also after this returns. True when the text appeared.
public func waitForOutput(_ pipe: Pipe, containing text: String, timeout: Double) -> Bool {
    waitForOutput(pipe, matching: NSRegularExpression.escapedPattern(for: text), timeout: timeout)
}

/// The same for a regular expression. Progress drawn as on a terminal is redrawn every 0.1 s, so a
/// fast run can skip any one epoch's line: wait for a range of epochs (`epoch [3-5]/6`), not one.
public func waitForOutput(_ pipe: Pipe, matching pattern: String, timeout: Double) -> Bool {
    let watch = OutputWatch(pattern)
    let handle = pipe.fileHandleForReading
    Thread.detachNewThread {
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }   // end of file: the child ended or closed its end
            watch.append(chunk)
        }
        watch.finish()
    }
    _ = watch.done.wait(timeout: .now() + timeout)
    return watch.found
}

/// What a reader thread has seen, shared with the waiting test under a lock.
private final class OutputWatch: @unchecked Sendable {
    let pattern: String
    let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var buffer = Data()
    private var signalled = false
    private var _found = false

    init(_ pattern: String) { self.pattern = pattern }

    var found: Bool { lock.lock(); defer { lock.unlock() }; return _found }

    func append(_ chunk: Data) {
        lock.lock(); defer { lock.unlock() }
        guard !signalled else { return }
        buffer.append(chunk)
        if String(decoding: buffer, as: UTF8.self).range(of: pattern, options: .regularExpression) != nil { _found = true; signal() }
    }

    func finish() { lock.lock(); defer { lock.unlock() }; signal() }

    private func signal() {
        guard !signalled else { return }
        signalled = true
        done.signal()
    }
}
