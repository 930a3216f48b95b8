/// Variables visible at a point: a chain of scopes ending at the session's globals.
public final class Environment {
    var values: [String: Value]
    let parent: Environment?

    public init(parent: Environment? = nil, values: [String: Value] = [:]) {
        self.parent = parent; self.values = values
    }

    public func lookup(_ name: String) -> Value? {
        if let v = values[name] { return v }
        return parent?.lookup(name)
    }

    public func define(_ name: String, _ value: Value) { values[name] = value }

    /// Every name visible from this scope (for suggestions and completion).
    public var allNames: Set<String> {
        var names = parent?.allNames ?? []
        names.formUnion(values.keys)
        return names
    }

    /// A copy of this scope's own values with the same parent, so checking can define names
    /// without touching the session.
    func scratchCopy() -> Environment { Environment(parent: parent, values: values) }

    /// Forgets this scope's values. A net defined in a scope holds the scope (its closure), so a
    /// scratch scope that is done with must let go of its nets, or both live as long as the
    /// process: a language server outlines a file on every edit.
    func removeAllValues() { values.removeAll() }
}
