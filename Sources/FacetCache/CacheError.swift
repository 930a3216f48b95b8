/// A cache folder or entry that cannot be used, in words (the message names the path).
public struct CacheError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
