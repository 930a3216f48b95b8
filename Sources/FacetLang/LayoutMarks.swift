/// What the parser learns about token roles that spacing alone cannot tell, kept for `facet fmt`:
/// which `-` are unary, which `x` separate the parts of a size, where blocks open and close.
/// Keys are byte offsets of tokens in the parsed file.
public struct LayoutMarks: Sendable {
    /// A `{ }` block (net, `for`, `if`, `else`, `heads`): where it closes and how many
    /// statements (or heads) it holds.
    public struct Block: Sendable {
        public var close: Int
        public var statements: Int
    }

    public var unaryMinus: Set<Int> = []
    public var sizeSeparators: Set<Int> = []
    /// Block-opening `{` → its block; record braces are not here.
    public var blocks: [Int: Block] = [:]
    /// Block-closing `}` → its opening `{`.
    public var blockCloses: [Int: Int] = [:]
    /// First token of each entry in a `heads { }` block.
    public var headEntries: Set<Int> = []
    /// Commas between `heads { }` entries (optional separators).
    public var headCommas: Set<Int> = []
}
