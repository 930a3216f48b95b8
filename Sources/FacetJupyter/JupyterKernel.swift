import CZMQ
import Foundation

/// A Jupyter kernel (messaging protocol 5.3 on ZeroMQ) over a `JupyterInterpreter`: this type owns
/// the transport, signing, message shapes, busy/idle, history and the order of replies; the
/// language runs behind the interpreter seam (`FacetInterpreter` for Facet). The main thread serves
/// shell requests and runs cells; the heartbeat and control sockets have threads of their own, so
/// an `interrupt_request` or `shutdown_request` is answered while a cell runs.
public final class JupyterKernel {
    let connection: JupyterConnection
    let signature: JupyterSignature
    let context: UnsafeMutableRawPointer
    let shell: JupyterSocket, control: JupyterSocket, stdin: JupyterSocket, iopub: JupyterSocket, heartbeat: JupyterSocket
    /// This kernel's session id (the header's `session` of every message it sends).
    let sessionID = UUID().uuidString.lowercased()
    /// The language behind the seam.
    public let interpreter: any JupyterInterpreter
    var executionCount = 0
    /// Inputs that ran, for `history_request`.
    var history: [(count: Int, code: String)] = []
    /// True while a cell runs: an interrupt then stops it; at other times there is nothing to stop.
    private let runningLock = NSLock()
    private var _running = false
    var running: Bool {
        get { runningLock.lock(); defer { runningLock.unlock() }; return _running }
        set { runningLock.lock(); _running = newValue; runningLock.unlock() }
    }

    /// Binds the five sockets named in the connection file, for `interpreter`.
    public init(connection: JupyterConnection, interpreter: any JupyterInterpreter) throws {
        self.connection = connection
        self.interpreter = interpreter
        signature = JupyterSignature(key: connection.key)
        guard let ctx = zmq_ctx_new() else { throw JupyterError("cannot start ZeroMQ") }
        context = ctx
        func bind(_ type: Int32, _ port: Int, _ name: String) throws -> JupyterSocket {
            try JupyterSocket(context: ctx, type: type, endpoint: connection.endpoint(port), name: name)
        }
        shell = try bind(ZMQ_ROUTER, connection.shellPort, "shell")
        control = try bind(ZMQ_ROUTER, connection.controlPort, "control")
        stdin = try bind(ZMQ_ROUTER, connection.stdinPort, "stdin")
        iopub = try bind(ZMQ_PUB, connection.iopubPort, "iopub")
        heartbeat = try bind(ZMQ_REP, connection.heartbeatPort, "heartbeat")
    }

    /// Serves until a `shutdown_request` ends the process.
    public func run() -> Never {
        // A SIGINT (a front end in signal mode, Ctrl-C in the terminal that started the kernel)
        // stops the running cell like an interrupt_request; it never ends the kernel.
        interpreter.interruptOnSIGINT()
        Thread.detachNewThread { [heartbeat] in
            while true { if let frames = heartbeat.receive() { heartbeat.send(frames) } }
        }
        Thread.detachNewThread { [self] in
            while true { if let frames = control.receive() { handle(frames, on: control) } }
        }
        // A kernel whose front end died (killed, crashed) would serve no one forever: when the
        // parent process is gone (the kernel is re-parented), it ends, as ipykernel's does.
        let parent = getppid()
        Thread.detachNewThread {
            while true { sleep(1); if getppid() != parent { exit(0) } }
        }
        publishStatus(.starting, parent: nil)
        while true {
            if let frames = shell.receive() { handle(frames, on: shell) }
        }
    }

    // MARK: dispatch

    func handle(_ frames: [Data], on socket: JupyterSocket) {
        let request: JupyterMessage
        do {
            request = try JupyterMessage(frames: frames, signature: signature)
        } catch {
            // An unsigned or garbled message is dropped: answering it would leak to whoever sent it.
            FileHandle.standardError.write(Data("facet jupyter: ignored a message on \(socket.name): \(error)\n".utf8))
            return
        }
        publishStatus(.busy, parent: request)
        defer { publishStatus(.idle, parent: request) }
        let typed = JupyterRequest(request)
        switch typed {
        case let .execute(execute):
            self.execute(execute, request)
        case let .shutdown(restart):
            reply(request, on: socket, .shuttingDown(restart: restart))
            publishStatus(.idle, parent: request)
            usleep(100_000)   // let the reply and status leave before the process ends
            exit(0)
        default:
            if let answer = respond(to: typed) { reply(request, on: socket, answer) }
        }
    }

    /// The reply to a request that runs no code (all but execute and shutdown); nil for a request
    /// this kernel does not implement. An interrupt stops the running cell, if one runs.
    func respond(to request: JupyterRequest) -> JupyterReply? {
        switch request {
        case .kernelInfo: return .kernelInfo(kernelInfo)
        case let .complete(at):
            let completion = interpreter.complete(at.code, cursor: at.cursor)
            return .completions(matches: completion.matches, start: completion.start, end: at.cursor)
        case let .inspect(at): return .inspection(interpreter.inspect(at.code, cursor: at.cursor))
        case let .isComplete(code): return .completeness(interpreter.isComplete(code))
        case let .history(h): return .history(h.select(from: history), withOutput: h.output)
        case .commInfo: return .commInfo
        case .interrupt:
            if running { interpreter.interrupt() }
            return .interrupted
        case .execute, .shutdown, .unsupported: return nil
        }
    }

    var kernelInfo: [String: Any] {
        var info = interpreter.info
        info["protocol_version"] = JupyterMessage.protocolVersion
        info["help_links"] = [[String: String]]()
        info["debugger"] = false
        return info
    }

    // MARK: sending

    /// Sends `answer` to `request` as its `…_reply`.
    func reply(_ request: JupyterMessage, on socket: JupyterSocket, _ answer: JupyterReply) {
        let type = request.type.replacingOccurrences(of: "_request", with: "_reply")
        socket.send(JupyterMessage(type: type, content: answer.content, parent: request, session: sessionID).frames(signature: signature))
    }

    /// Publishes on iopub (to every subscriber: no routing identities).
    func publish(_ item: IOPubMessage, parent: JupyterMessage?) {
        var message = JupyterMessage(type: item.type, content: item.content, parent: parent, session: sessionID)
        message.identities = [Data(item.type.utf8)]   // the topic
        iopub.send(message.frames(signature: signature))
    }

    func publishStatus(_ state: IOPubMessage.State, parent: JupyterMessage?) {
        publish(.status(state), parent: parent)
    }
}
