/// An expression with its source range.
public struct Expr: Sendable {
    public var kind: ExprKind
    public var range: SourceRange
    /// Height of the tree below this node; the parser refuses very deep trees so that later
    /// stages (which recurse) cannot run out of stack.
    public let depth: Int
    public init(_ kind: ExprKind, _ range: SourceRange) {
        self.kind = kind; self.range = range; self.depth = kind.childDepth + 1
    }
}

extension ExprKind {
    var childDepth: Int {
        switch self {
        case .number, .string, .bool, .none, .name: return 0
        case let .list(items), let .size(items): return items.map(\.depth).max() ?? 0
        case let .record(fields): return fields.map(\.value.depth).max() ?? 0
        case let .unary(_, x), let .member(x, _): return x.depth
        case let .binary(_, a, b), let .range(a, b, _), let .index(a, b), let .pipe(a, b): return max(a.depth, b.depth)
        case let .call(f, args): return max(f.depth, args.map(\.value.depth).max() ?? 0)
        }
    }
}

/// Binary operators, loosest first within each group.
public enum BinaryOp: String, Sendable {
    case or, and
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
}

/// `-x` and `not x`.
public enum UnaryOp: String, Sendable { case negate = "-", not }

/// A call argument: positional when `label` is nil.
public struct CallArgument: Sendable {
    public var label: String?
    public var labelRange: SourceRange?
    public var value: Expr
    public init(label: String? = nil, labelRange: SourceRange? = nil, value: Expr) {
        self.label = label; self.labelRange = labelRange; self.value = value
    }
}

/// A record literal field.
public struct Field: Sendable {
    public var name: String
    public var nameRange: SourceRange
    public var value: Expr
}

/// What an expression is; see docs/language.md for the grammar.
public indirect enum ExprKind: Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case none
    case name(String)
    case list([Expr])
    case record([Field])
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    /// `a..b` (inclusive) or `a..<b`.
    case range(Expr, Expr, inclusive: Bool)
    case call(Expr, [CallArgument])
    case member(Expr, String)
    case index(Expr, Expr)
    /// `a | f(b)` calls `f(a, b)`; `a | f` calls `f(a)`.
    case pipe(Expr, Expr)
    /// `5x5`, `h x w x c`: a size inside a layer statement.
    case size([Expr])
}

/// A statement with its source range.
public struct Stmt: Sendable {
    public var kind: StmtKind
    public var range: SourceRange
    public init(_ kind: StmtKind, _ range: SourceRange) { self.kind = kind; self.range = range }
}

/// A parameter of a `net` definition.
public struct Parameter: Sendable {
    public var name: String
    public var range: SourceRange
    public var defaultValue: Expr?
}

/// `net NAME(params) { body }`.
public struct NetDecl: Sendable {
    public var name: String
    public var nameRange: SourceRange
    public var parameters: [Parameter]
    public var body: [Stmt]
}

/// A word-introduced option of a layer statement: `stride 2`, `pad 1`, `relu`, `floor`.
public struct LayerOption: Sendable {
    public var name: String
    public var range: SourceRange
    public var value: Expr?
}

/// `conv 64 5x5 stride 1 relu` — the keyword, positional arguments and options.
public struct LayerStmt: Sendable {
    public var keyword: String
    public var keywordRange: SourceRange
    public var arguments: [Expr]
    public var options: [LayerOption]
}

/// `softmax 7`, or `age: softmax 17` inside `heads { }`.
public struct HeadStmt: Sendable {
    public var name: String?
    public var nameRange: SourceRange?
    public var keyword: String
    public var keywordRange: SourceRange
    public var size: Expr
    public var range: SourceRange
}

/// What a statement is; layer, head, `heads` and `use` statements occur only in net bodies.
public enum StmtKind: Sendable {
    case letBinding(name: String, nameRange: SourceRange, value: Expr)
    case net(NetDecl)
    case forLoop(variable: String, variableRange: SourceRange, sequence: Expr, body: [Stmt])
    case ifElse(condition: Expr, then: [Stmt], else: [Stmt]?)
    case expression(Expr)
    /// `import "blocks/shared.facet"` — only at the top level of a file, cell or REPL input.
    case importFile(path: String, pathRange: SourceRange)
    // Only inside `net` bodies:
    case layer(LayerStmt)
    case head(HeadStmt)
    case heads([HeadStmt])
    case use(Expr)
}

/// Words that start a head statement.
public let headKeywords = ["softmax", "sigmoid", "regress"]
