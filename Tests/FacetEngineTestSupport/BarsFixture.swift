import FacetEngine
import FacetRandom

/// A tiny task the engine's and the weight files' tests train on: 12×12 images of a horizontal or
/// a vertical bar, a small conv net for it, and options that learn it in a few epochs.
public enum BarsFixture {
    /// Two classes of 12×12 images: a horizontal or a vertical bar at a random place, plus noise.
    public static func bars(_ n: Int, seed: UInt64) -> LabeledData {
        var rng = SeededGenerator(seed: seed)
        var x = Tensor(shape: [n, 1, 12, 12])
        var labels: [Int32] = []
        for i in 0..<n {
            let cls = Int32(rng.next() % 2), pos = Int(rng.next() % 10) + 1
            for p in 0..<144 { x.data[i * 144 + p] = rng.normal() * 0.3 }
            for t in 0..<12 { x.data[i * 144 + (cls == 0 ? pos * 12 + t : t * 12 + pos)] += 1 }
            labels.append(cls)
        }
        return LabeledData(inputs: x, targets: ["out": .classes(labels)])
    }

    public static let smallNet = NetSpec(
        input: FeatureShape(channels: 1, height: 12, width: 12),
        layers: [.conv(maps: 4, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1), .relu, .lcn(size: 3),
                 .maxpool(size: 2, stride: 2, ceil: true), .dense(units: 16), .relu, .dropout(rate: 0.2)],
        heads: [HeadSpec(name: "out", kind: .softmax(classes: 2))])

    public static func options(epochs: Int = 6, seed: UInt64 = 1) -> TrainingOptions {
        var o = TrainingOptions()
        o.epochs = epochs; o.batchSize = 20; o.seed = seed
        o.optimizer = .defaultAdam; o.learningRate = .constant(0.01)
        return o
    }
}
