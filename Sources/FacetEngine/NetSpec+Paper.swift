extension NetSpec {
    /// The paper's best network (§4.1.1): 48×48×1 → conv 64 5×5 → ReLU → LCN 9 → max-pool 3×3/2 →
    /// conv 64 5×5 → ReLU → conv 128 4×4 → ReLU → dense 3072 → ReLU → dropout 0.2 → softmax 7.
    /// The net `facet bench` times by default (FacetBench) and the shape tests check by hand.
    public static let paper = NetSpec(
        input: FeatureShape(channels: 1, height: 48, width: 48),
        layers: [.conv(maps: 64, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0), .relu, .lcn(size: 9),
                 .maxpool(size: 3, stride: 2, ceil: true),
                 .conv(maps: 64, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0), .relu,
                 .conv(maps: 128, kernelHeight: 4, kernelWidth: 4, stride: 1, padding: 0), .relu,
                 .dense(units: 3072), .relu, .dropout(rate: 0.2)],
        heads: [HeadSpec(name: "out", kind: .softmax(classes: 7))])
}
