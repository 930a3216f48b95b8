import Foundation

// MARK: execute_request: the interpreter runs the cell; what it shows becomes iopub messages.

extension JupyterKernel {
    func execute(_ message: JupyterMessage) {
        let request = ExecuteRequest(content: message.content)
        if request.storeHistory { executionCount += 1 }
        let count = executionCount
        if !request.silent { publish("execute_input", ["code": request.code, "execution_count": count], parent: message) }
        let output: any JupyterOutput = request.silent ? DroppedOutput() : IOPubOutput(kernel: self, parent: message)
        running = true
        let outcome = interpreter.execute(request, count: count, output: output)
        running = false
        if outcome.ranToEnd, request.storeHistory { history.append((count, request.code)) }
        if let f = outcome.failure {
            if !request.silent { publish("error", ["ename": f.name, "evalue": f.value, "traceback": f.traceback], parent: message) }
            reply(message, on: shell, ["status": "error", "execution_count": count, "ename": f.name, "evalue": f.value,
                                       "traceback": f.traceback])
            if request.stopOnError { abortQueuedCells() }
        } else {
            reply(message, on: shell, ["status": "ok", "execution_count": count, "payload": [Any](),
                                       "user_expressions": [String: Any]()])
        }
    }

    /// After a failed (or interrupted) cell, the cells already queued behind it ("Run All") are
    /// answered `aborted` instead of running on a session that lacks what the failed cell defines.
    /// Only what is queued at that moment (as ipykernel with its default `stop_on_error_timeout` of
    /// 0): a cell sent after the error was seen runs. Other queued requests are served as usual.
    func abortQueuedCells() {
        while shell.poll(milliseconds: 0), let frames = shell.receive() {
            guard let queued = try? JupyterMessage(frames: frames, signature: signature), queued.type == "execute_request" else {
                handle(frames, on: shell)
                continue
            }
            // ipykernel's aborted reply is `{"status": "aborted"}` alone: with an execution_count
            // JupyterLab would show the failed cell's number on every skipped cell, as if it had run.
            publishStatus("busy", parent: queued)
            reply(queued, on: shell, ["status": "aborted"])
            publishStatus("idle", parent: queued)
        }
    }

    func display(_ bundle: [String: Any], parent: JupyterMessage, id: String? = nil, update: Bool = false,
                 metadata: [String: Any] = [:]) {
        var content: [String: Any] = ["data": bundle, "metadata": metadata, "transient": [String: Any]()]
        if let id { content["transient"] = ["display_id": id] }
        publish(update ? "update_display_data" : "display_data", content, parent: parent)
    }
}

/// What a cell shows, as iopub messages answering its request.
final class IOPubOutput: JupyterOutput {
    weak var kernel: JupyterKernel?
    let parent: JupyterMessage
    init(kernel: JupyterKernel, parent: JupyterMessage) { self.kernel = kernel; self.parent = parent }

    func stream(_ name: String, _ text: String) {
        kernel?.publish("stream", ["name": name, "text": text], parent: parent)
    }

    func display(_ data: [String: Any], metadata: [String: Any], id: String?, update: Bool) {
        kernel?.display(data, parent: parent, id: id, update: update, metadata: metadata)
    }

    func result(_ text: String) {
        guard let kernel else { return }
        kernel.publish("execute_result", ["execution_count": kernel.executionCount, "data": ["text/plain": text],
                                          "metadata": [String: Any]()], parent: parent)
    }
}

/// A silent request's output: nothing is shown.
final class DroppedOutput: JupyterOutput {
    func stream(_ name: String, _ text: String) {}
    func display(_ data: [String: Any], metadata: [String: Any], id: String?, update: Bool) {}
    func result(_ text: String) {}
}
