/// Typed views of a value for Swift code (builtins, the kernel); nil when the kind differs.
extension Value {
    public var asNumber: Double? { if case let .number(v) = self { return v } else { return nil } }
    public var asString: String? { if case let .string(s) = self { return s } else { return nil } }
    public var asBool: Bool? { if case let .bool(b) = self { return b } else { return nil } }
    public var asList: [Value]? { elements.flatMap { if case .record = self { return nil } else { return $0 } } }
    public var asRecord: Record? { if case let .record(r) = self { return r } else { return nil } }
    public var asNet: NetValue? { if case let .net(n) = self { return n } else { return nil } }
    public func asForeign<T>(_ type: T.Type) -> T? { if case let .foreign(f) = self { return f as? T } else { return nil } }
    /// True for the placeholder checking uses for values only known at run time.
    public var isUnknown: Bool { if case .unknown = self { return true } else { return false } }
}
