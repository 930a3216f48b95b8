import FacetFiles
import Foundation

/// The connection file a front end writes before starting the kernel: where to bind the five
/// sockets and how to sign messages.
public struct JupyterConnection: Equatable, Sendable {
    public var transport: String
    public var ip: String
    public var shellPort: Int, iopubPort: Int, stdinPort: Int, controlPort: Int, heartbeatPort: Int
    public var key: String
    public var signatureScheme: String

    /// Reads a connection file; the error names the file and what is wrong with it.
    public init(contentsOf path: String) throws {
        let data: Data
        do { data = try InputFile.data(path) } catch {
            throw JupyterError("\(path): cannot read the connection file: \(FileFailure.reason(error))")
        }
        try self.init(json: data, path: path)
    }

    public init(json data: Data, path: String = "<connection>") throws {
        guard let o = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw JupyterError("\(path): the connection file is not a JSON object")
        }
        func port(_ name: String) throws -> Int {
            guard let p = o[name] as? Int, (0...65535).contains(p) else {
                throw JupyterError("\(path): `\(name)` must be a port number (0–65535)")
            }
            return p
        }
        transport = o["transport"] as? String ?? "tcp"
        ip = o["ip"] as? String ?? "127.0.0.1"
        shellPort = try port("shell_port"); iopubPort = try port("iopub_port"); stdinPort = try port("stdin_port")
        controlPort = try port("control_port"); heartbeatPort = try port("hb_port")
        key = o["key"] as? String ?? ""
        signatureScheme = o["signature_scheme"] as? String ?? "hmac-sha256"
        guard ["tcp", "ipc"].contains(transport) else {
            throw JupyterError("\(path): transport `\(transport)` is not supported (tcp or ipc)")
        }
        guard key.isEmpty || signatureScheme == "hmac-sha256" else {
            throw JupyterError("\(path): signature scheme `\(signatureScheme)` is not supported (hmac-sha256)")
        }
    }

    /// The ZeroMQ endpoint for a port: `tcp://127.0.0.1:5555` or `ipc://NAME-5555`.
    public func endpoint(_ port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }
}
