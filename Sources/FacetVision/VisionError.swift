import CVision

/// An error from the face pipeline or a data-set loader; `description` names what and where.
public struct VisionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, including the file (and line) it concerns.
    public let description: String

    /// An error with the given message.
    public init(_ description: String) { self.description = description }
}

/// Calls a CVision function that reports failures through a status code and a message buffer.
/// `what` prefixes the message when OpenCV's own text does not name the input.
@discardableResult
func checkedCall(_ what: String, _ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws -> Int32 {
    let capacity = 512
    var buffer = [CChar](repeating: 0, count: capacity)
    let status = buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!, capacity) }
    if status != Int32(CV_OK) {
        let message = String(cString: buffer)
        throw VisionError(what.isEmpty ? message : "\(what): \(message)")
    }
    return status
}

/// Caps OpenCV's worker threads (OpenCV links its own thread pool; on a small machine it
/// competes with the engine's GEMM). Returns the previous setting.
@discardableResult
public func setOpenCVThreads(_ count: Int) -> Int {
    Int(cv_set_num_threads(Int32(count)))
}

/// The OpenCV version CVision was built against, e.g. "4.6.0".
public var openCVVersion: String { String(cString: cv_version()) }
