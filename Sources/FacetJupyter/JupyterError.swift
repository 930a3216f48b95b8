/// A connection file, socket or kernelspec the Jupyter kernel cannot use, in words.
public struct JupyterError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
