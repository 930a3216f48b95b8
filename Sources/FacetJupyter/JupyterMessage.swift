import Foundation

/// One Jupyter message: routing identities, then header, parent header, metadata and content
/// (JSON objects), then binary buffers. On the wire:
/// `identities… "<IDS|MSG>" signature header parent metadata content buffers…`.
public struct JupyterMessage {
    public var identities: [Data] = []
    public var header: [String: Any]
    public var parentHeader: [String: Any] = [:]
    public var metadata: [String: Any] = [:]
    public var content: [String: Any]
    public var buffers: [Data] = []

    public static let delimiter = Data("<IDS|MSG>".utf8)
    /// The protocol version this kernel speaks.
    public static let protocolVersion = "5.3"

    public var type: String { header["msg_type"] as? String ?? "" }
    public var id: String { header["msg_id"] as? String ?? "" }

    /// A new message of `type` answering (or caused by) `parent`, in the parent's session.
    public init(type: String, content: [String: Any], parent: JupyterMessage?, session: String) {
        header = [
            "msg_id": UUID().uuidString.lowercased(),
            "session": session,
            "username": "facet",
            "date": Self.timestamp(Date()),
            "msg_type": type,
            "version": Self.protocolVersion,
        ]
        parentHeader = parent?.header ?? [:]
        identities = parent?.identities ?? []
        self.content = content
    }

    public enum WireError: Error, CustomStringConvertible {
        case noDelimiter, tooFewFrames, badSignature, notJSON(String)
        public var description: String {
            switch self {
            case .noDelimiter: return "no <IDS|MSG> delimiter"
            case .tooFewFrames: return "fewer than the five frames a message needs"
            case .badSignature: return "signature does not match (wrong key?)"
            case let .notJSON(part): return "the \(part) frame is not a JSON object"
            }
        }
    }

    /// Parses and verifies the frames received on a socket.
    public init(frames: [Data], signature: JupyterSignature) throws {
        guard let d = frames.firstIndex(of: Self.delimiter) else { throw WireError.noDelimiter }
        guard frames.count >= d + 6 else { throw WireError.tooFewFrames }
        identities = Array(frames[..<d])
        let parts = Array(frames[(d + 2)...(d + 5)])
        let sig = String(decoding: frames[d + 1], as: UTF8.self)
        guard signature.verify(sig, parts) else { throw WireError.badSignature }
        func object(_ data: Data, _ name: String) throws -> [String: Any] {
            guard let o = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { throw WireError.notJSON(name) }
            return o
        }
        header = try object(parts[0], "header")
        parentHeader = try object(parts[1], "parent header")
        metadata = try object(parts[2], "metadata")
        content = try object(parts[3], "content")
        buffers = Array(frames[(d + 6)...])
    }

    /// The frames to send, signed.
    public func frames(signature: JupyterSignature) -> [Data] {
        let parts = [header, parentHeader, metadata, content].map(Self.json)
        return identities + [Self.delimiter, Data(signature.sign(parts).utf8)] + parts + buffers
    }

    static func json(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    /// ISO 8601 with microseconds in UTC, as Jupyter writes dates.
    static func timestamp(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        let seconds = floor(t)
        var tmValue = tm()
        var secs = time_t(seconds)
        gmtime_r(&secs, &tmValue)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tmValue.tm_year + 1900, tmValue.tm_mon + 1, tmValue.tm_mday,
                      tmValue.tm_hour, tmValue.tm_min, tmValue.tm_sec, Int((t - seconds) * 1e6))
    }
}
