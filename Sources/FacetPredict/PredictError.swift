/// A model file, photo folder or option `facet predict` cannot use, in words naming the file.
public struct PredictError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
