import FacetEngine

/// Where a compiled layer or head came from: its statement, and the `use` statements that
/// brought it into the net being built (innermost first).
public struct Site: Sendable {
    public var range: SourceRange
    public var usedAt: [SourceRange]
    public init(range: SourceRange, usedAt: [SourceRange] = []) { self.range = range; self.usedAt = usedAt }

    func through(_ use: SourceRange) -> Site { Site(range: range, usedAt: usedAt + [use]) }

    /// `paper.facet:12:3`, plus `(used at x:4:3)` when it came through `use`.
    var described: String {
        usedAt.isEmpty ? range.description : "\(range) (used at \(usedAt.map(\.description).joined(separator: ", ")))"
    }
}

/// A net given its arguments: layers and heads with the source site of each.
/// A net without `input` is a block: it can only be `use`d inside another net.
public struct NetValue: @unchecked Sendable {
    public var name: String
    /// The arguments it was made with, defaults included (for summaries and model metadata).
    public var arguments: [(name: String, value: Value)]
    public var definedAt: SourceRange
    public var input: FeatureShape?
    public var inputSite: Site?
    public var layers: [LayerSpec] = []
    public var layerSites: [Site] = []
    public var heads: [HeadSpec] = []
    public var headSites: [Site] = []

    /// The engine's description, or nil for a block without `input`.
    public var spec: NetSpec? { input.map { NetSpec(input: $0, layers: layers, heads: heads) } }

    /// `ferc(classes: 7, width: 64)`
    public var call: String {
        "\(name)(" + arguments.map { "\($0.name): \($0.value.short)" }.joined(separator: ", ") + ")"
    }

    /// Canonical text: a `net` definition that parses back to the same spec.
    public var text: String {
        let body = spec.map { $0.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
            ?? NetSpec.bodyLines(layers: layers, heads: heads)
        return "net \(name) {\n" + body.map { "  " + $0 }.joined(separator: "\n") + "\n}"
    }
}

/// A `net` definition: its declaration and the scope it was defined in.
public final class NetDefinition {
    public let decl: NetDecl
    let closure: Environment

    init(decl: NetDecl, closure: Environment) { self.decl = decl; self.closure = closure }

    public var name: String { decl.name }
    public var parameterNames: [String] { decl.parameters.map(\.name) }

    /// `net ferc(classes = 7, width = 64)`
    public var signature: String {
        let ps = decl.parameters.map { p in p.defaultValue.map { "\(p.name) = \($0.range.text)" } ?? p.name }
        return "net \(decl.name)(" + ps.joined(separator: ", ") + ")"
    }
}
