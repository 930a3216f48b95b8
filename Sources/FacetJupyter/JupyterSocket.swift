import CZMQ
import Foundation

/// A ZeroMQ socket bound to one of the kernel's ports. ZeroMQ sockets are not thread-safe; each
/// is used by one thread, except iopub, which the lock lets the shell and control threads share.
final class JupyterSocket {
    let pointer: UnsafeMutableRawPointer
    let name: String
    private let lock = NSLock()

    init(context: UnsafeMutableRawPointer, type: Int32, endpoint: String, name: String) throws {
        guard let p = zmq_socket(context, type) else { throw JupyterSocket.failure("create the \(name) socket") }
        var linger: Int32 = 1000   // let replies already queued leave at shutdown, but never hang
        zmq_setsockopt(p, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
        guard zmq_bind(p, endpoint) == 0 else {
            let error = JupyterSocket.failure("bind the \(name) socket to \(endpoint)")
            zmq_close(p)
            throw error
        }
        pointer = p
        self.name = name
    }

    static func failure(_ what: String) -> JupyterError {
        JupyterError("cannot \(what): \(String(cString: zmq_strerror(zmq_errno())))")
    }

    /// Receives one multipart message (blocking); nil when interrupted by a signal.
    func receive() -> [Data]? {
        var frames: [Data] = []
        repeat {
            var msg = zmq_msg_t()
            zmq_msg_init(&msg)
            defer { zmq_msg_close(&msg) }
            let n = zmq_msg_recv(&msg, pointer, 0)
            if n < 0 { return frames.isEmpty ? nil : frames }
            frames.append(Data(bytes: zmq_msg_data(&msg), count: zmq_msg_size(&msg)))
            if zmq_msg_more(&msg) == 0 { break }
        } while true
        return frames
    }

    /// Waits up to `milliseconds` for a message to arrive.
    func poll(milliseconds: Int) -> Bool {
        var item = zmq_pollitem_t(socket: pointer, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        return zmq_poll(&item, 1, milliseconds) > 0 && item.revents & Int16(ZMQ_POLLIN) != 0
    }

    /// Sends frames as one multipart message.
    func send(_ frames: [Data]) {
        lock.lock()
        defer { lock.unlock() }
        for (i, frame) in frames.enumerated() {
            let flags = i == frames.count - 1 ? 0 : ZMQ_SNDMORE
            frame.withUnsafeBytes { _ = zmq_send(pointer, $0.baseAddress, frame.count, flags) }
        }
    }

    deinit { zmq_close(pointer) }
}
