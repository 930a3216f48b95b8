/// What a head predicts and which loss trains it.
public enum HeadKind: Equatable, Hashable, Codable, Sendable {
    /// Mutually exclusive classes: linear → softmax, negative log-likelihood. Label −1 = missing.
    case softmax(classes: Int)
    /// Independent binary labels: linear → sigmoid, binary cross-entropy. Label NaN or −1 = missing.
    case sigmoid(labels: Int)
    /// Real-valued outputs: linear, mean squared error. Target NaN = missing.
    case regress(outputs: Int)

    public var outputs: Int {
        switch self {
        case let .softmax(n), let .sigmoid(n), let .regress(n): return n
        }
    }

    public var keyword: String {
        switch self {
        case .softmax: return "softmax"
        case .sigmoid: return "sigmoid"
        case .regress: return "regress"
        }
    }

    public var text: String { "\(keyword) \(outputs)" }
}

/// One named output of a network.
public struct HeadSpec: Equatable, Hashable, Codable, Sendable {
    public var name: String
    public var kind: HeadKind
    public init(name: String, kind: HeadKind) { self.name = name; self.kind = kind }
}

/// A whole network's description: input shape, trunk layers in order, and one or more heads
/// that all read the trunk's output. Total loss is the sum of the heads' losses.
public struct NetSpec: Equatable, Hashable, Codable, Sendable {
    public var input: FeatureShape
    public var layers: [LayerSpec]
    public var heads: [HeadSpec]

    public init(input: FeatureShape, layers: [LayerSpec], heads: [HeadSpec]) {
        self.input = input; self.layers = layers; self.heads = heads
    }

    /// Canonical text of the net body, one statement per line.
    public var text: String {
        (["input \(input)"] + Self.bodyLines(layers: layers, heads: heads)).joined(separator: "\n")
    }

    /// Canonical lines of trunk layers and heads: a single `out` head is written bare, several in a
    /// `heads { }` block. Also used for nets whose input is not known yet.
    public static func bodyLines(layers: [LayerSpec], heads: [HeadSpec]) -> [String] {
        var lines = layers.map(\.text)
        if heads.count == 1, heads[0].name == "out" {
            lines.append(heads[0].kind.text)
        } else if !heads.isEmpty {
            lines.append("heads {")
            lines += heads.map { "  \($0.name): \($0.kind.text)" }
            lines.append("}")
        }
        return lines
    }
}

/// A shape error located at a layer of a `NetSpec`.
public struct LayerShapeError: Error, Equatable, Sendable {
    /// The index into `NetSpec.layers` (0-based); printed as `layerIndex + 1`, the summary table's row.
    public var layerIndex: Int
    public var error: ShapeError
}
