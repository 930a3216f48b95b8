import Foundation

// MARK: execute_request: the interpreter runs the cell; what it shows becomes iopub messages.

extension JupyterKernel {
    func execute(_ request: ExecuteRequest, _ message: JupyterMessage) {
        if request.storeHistory { executionCount += 1 }
        let count = executionCount
        if !request.silent { publish(.executeInput(code: request.code, count: count), parent: message) }
        let output: any JupyterOutput = request.silent ? DroppedOutput() : IOPubOutput(kernel: self, parent: message)
        running = true
        let outcome = interpreter.execute(request, count: count, output: output)
        running = false
        if outcome.ranToEnd, request.storeHistory { history.append((count, request.code)) }
        if let f = outcome.failure {
            if !request.silent { publish(.error(f), parent: message) }
            reply(message, on: shell, .executeFailed(count: count, f))
            if request.stopOnError { abortQueuedCells() }
        } else {
            reply(message, on: shell, .executed(count: count))
        }
    }

    /// After a failed (or interrupted) cell, the cells already queued behind it ("Run All") are
    /// answered `aborted` instead of running on a session that lacks what the failed cell defines.
    /// Only what is queued at that moment (as ipykernel with its default `stop_on_error_timeout` of
    /// 0): a cell sent after the error was seen runs. Other queued requests are served as usual.
    func abortQueuedCells() {
        while shell.poll(milliseconds: 0), let frames = shell.receive() {
            guard let queued = try? JupyterMessage(frames: frames, signature: signature),
                  case .execute = JupyterRequest(queued) else {
                handle(frames, on: shell)
                continue
            }
            publishStatus(.busy, parent: queued)
            reply(queued, on: shell, .aborted)
            publishStatus(.idle, parent: queued)
        }
    }
}

/// What a cell shows, as iopub messages answering its request.
final class IOPubOutput: JupyterOutput {
    weak var kernel: JupyterKernel?
    let parent: JupyterMessage
    init(kernel: JupyterKernel, parent: JupyterMessage) { self.kernel = kernel; self.parent = parent }

    func stream(_ name: String, _ text: String) {
        kernel?.publish(.stream(name: name, text: text), parent: parent)
    }

    func display(_ data: [String: Any], metadata: [String: Any], id: String?, update: Bool) {
        kernel?.publish(.display(data: data, metadata: metadata, id: id, update: update), parent: parent)
    }

    func result(_ text: String) {
        guard let kernel else { return }
        kernel.publish(.executeResult(count: kernel.executionCount, text: text), parent: parent)
    }
}

/// A silent request's output: nothing is shown.
final class DroppedOutput: JupyterOutput {
    func stream(_ name: String, _ text: String) {}
    func display(_ data: [String: Any], metadata: [String: Any], id: String?, update: Bool) {}
    func result(_ text: String) {}
}
