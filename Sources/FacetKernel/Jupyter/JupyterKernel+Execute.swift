import FacetFiles
import FacetLang
import Foundation

// MARK: execute_request: a cell runs in the session; its output items become iopub messages.

extension JupyterKernel {
    /// Settings of the kernel's session; its sink and progress display are set per request
    /// (`execute`), so outputs go to the request now running.
    func configure(_ session: Session) {
        session.cachePolicy = cache
        session.warningsToStderr = false
    }

    func execute(_ request: JupyterMessage) {
        let code = request.content["code"] as? String ?? ""
        let silent = request.content["silent"] as? Bool ?? false
        let storeHistory = (request.content["store_history"] as? Bool ?? true) && !silent
        if storeHistory { executionCount += 1 }
        let count = executionCount
        if !silent { publish("execute_input", ["code": code, "execution_count": count], parent: request) }

        session.sink = { [weak self] item in
            guard let self, !silent else { return }
            self.output(item, parent: request)
        }
        // `summary` as a Markdown table, its text as the plain fallback.
        session.interpreter.outputTable = { [weak self] text, markdown in
            guard let self, !silent else { return }
            self.display(JupyterDisplay.markdown(markdown, plain: text), parent: request)
        }
        session.progressDisplay = silent ? nil : { [weak self] in self?.progressWriter(parent: request) ?? { _ in } }
        session.origin = "In[\(count)]"

        var failure: (name: String, value: String, traceback: [String])?
        Interrupt.clear()
        let started = Date()
        running = true
        do {
            let value = try session.run(code, name: "In[\(count)]")
            if storeHistory { history.append((count, code)) }
            if !silent { result(value, count: count, parent: request) }
        } catch let e as DiagnosticError {
            let first = e.diagnostics.first.map { "\($0.range): \($0.message)" } ?? e.description
            failure = ("error", first, e.description.components(separatedBy: "\n"))
        } catch {
            let text = FileFailure.describe(error)
            failure = ("error", text, ["error: " + text])
        }
        running = false
        if Interrupt.requested {
            // The training stopped at the next batch; whatever was bound before (and the partial
            // run, when `train` ended the cell) stays in the session.
            // Timed over the whole cell (a training's own bar says only how long it trained).
            let note = "interrupted after \(ProgressBar.duration(Date().timeIntervalSince(started))): the cell stopped "
                + "at the next batch; every variable defined so far is kept"
            failure = ("Interrupted", note, (failure.map { $0.traceback } ?? []) + [note])
            Interrupt.clear()
        }
        session.progressDisplay = nil
        if let f = failure {
            if !silent { publish("error", ["ename": f.name, "evalue": f.value, "traceback": f.traceback], parent: request) }
            reply(request, on: shell, ["status": "error", "execution_count": count, "ename": f.name, "evalue": f.value,
                                       "traceback": f.traceback])
            if request.content["stop_on_error"] as? Bool ?? true { abortQueuedCells() }
        } else {
            reply(request, on: shell, ["status": "ok", "execution_count": count, "payload": [Any](),
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

    /// The value a cell ends with: tables and figures as displays (as `show` renders them), any
    /// other value as the cell's `execute_result` in plain text.
    func result(_ value: Value, count: Int, parent: JupyterMessage) {
        switch value {
        case .none: return
        case let .foreign(f) where f is Renderable: session.show(value)
        default:
            publish("execute_result", ["execution_count": count, "data": ["text/plain": value.description],
                                       "metadata": [String: Any]()], parent: parent)
        }
    }

    /// One output item as an iopub message.
    func output(_ item: OutputItem, parent: JupyterMessage) {
        switch item {
        case let .text(t): publish("stream", ["name": "stdout", "text": t + "\n"], parent: parent)
        case let .markdown(m): display(JupyterDisplay.markdown(m), parent: parent)
        case let .figure(name, svg, caption):
            if let (bundle, metadata) = JupyterDisplay.figureDisplay(fileName: name + ".svg", contents: Data(svg.utf8),
                                                                     caption: caption) {
                display(bundle, parent: parent, metadata: metadata)
            }
        case let .image(_, data, mimeType, caption):
            // Raster figures (sample grids, mistakes) arrive as encoded bytes with their MIME type.
            display([mimeType: data.base64EncodedString(), "text/plain": caption], parent: parent)
        case let .error(e): publish("stream", ["name": "stderr", "text": e + "\n"], parent: parent)
        case let .warning(w): publish("stream", ["name": "stderr", "text": "warning: \(w)\n"], parent: parent)
        }
    }

    func display(_ bundle: [String: Any], parent: JupyterMessage, id: String? = nil, update: Bool = false,
                 metadata: [String: Any] = [:]) {
        var content: [String: Any] = ["data": bundle, "metadata": metadata, "transient": [String: Any]()]
        if let id { content["transient"] = ["display_id": id] }
        publish(update ? "update_display_data" : "display_data", content, parent: parent)
    }

    /// A progress bar's writer: its first line opens a display, later lines update that display
    /// in place (one line in the notebook, not one per redraw). Work that ends within half a second
    /// opens no display at all, so quick cells show only their results (as tqdm's `delay` does).
    func progressWriter(parent: JupyterMessage) -> (String) -> Void {
        let id = "facet-progress-" + UUID().uuidString.lowercased()
        let start = Date()
        var opened = false
        return { [weak self] drawn in
            guard let self else { return }
            let text = JupyterDisplay.progressText(drawn)
            guard !text.isEmpty else { return }
            guard opened || Date().timeIntervalSince(start) >= JupyterDisplay.progressDelay else { return }
            self.display(["text/plain": text], parent: parent, id: id, update: opened)
            opened = true
        }
    }
}
