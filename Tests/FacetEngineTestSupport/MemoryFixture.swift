import FacetEngine

/// Nets for the memory checks of the engine's and the weight files' tests.
public enum MemoryFixture {
    /// The net: 44×44×64 features into a million units, 123,912,001,671 parameters.
    public static let huge = NetSpec(
        input: FeatureShape(channels: 1, height: 48, width: 48),
        layers: [.conv(maps: 64, kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0), .relu, .dense(units: 1_000_000)],
        heads: [HeadSpec(name: "out", kind: .softmax(classes: 7))])
}
