import FacetEngine
import FacetSession
import FacetRandom
import FacetVision
import FacetWeights
import Foundation

/// Small models of each head kind, trained here in a few seconds, that the ONNX tests export.
///
/// The data: 16×16 byte images with a horizontal bar, a vertical bar, both or neither, at random
/// places over noise, prepared with Facet's contrast normalisation (per image, then per pixel with
/// statistics fitted on the training images) exactly as `FacePreprocessing.normalise` does for
/// `predict`. Heads: the bar kind (softmax 4), which bars are present (sigmoid 2), where they are
/// (regress 2), and all three on one trunk (joint).
enum ExportFixtures {
    static let size = 16

    /// Every layer kind, in the paper's order: conv, LCN over 4 maps, ceil-mode pooling (16 → 8;
    /// floor mode would give 7), conv, LCN over 8 maps, dense, dropout.
    static let trunk: [LayerSpec] = [
        .conv(maps: 4, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1), .relu, .lcn(size: 5),
        .maxpool(size: 3, stride: 2, ceil: true),
        .conv(maps: 8, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 0), .relu, .lcn(size: 3),
        .dense(units: 32), .relu, .dropout(rate: 0.3),
    ]

    static let kindHead = HeadSpec(name: "bars", kind: .softmax(classes: 4))
    static let presentHead = HeadSpec(name: "present", kind: .sigmoid(labels: 2))
    static let placeHead = HeadSpec(name: "place", kind: .regress(outputs: 2))

    /// The four test models: file stem → heads.
    static let models: [(name: String, heads: [HeadSpec])] = [
        ("softmax", [HeadSpec(name: "out", kind: kindHead.kind)]),
        ("sigmoid", [HeadSpec(name: "out", kind: presentHead.kind)]),
        ("linear", [HeadSpec(name: "out", kind: placeHead.kind)]),
        ("joint", [kindHead, presentHead, placeHead]),
    ]

    /// Output names per head kind (what `save(run, path)` records as `facet.labels`).
    static func labelNames(_ kind: HeadKind) -> [String] {
        switch kind {
        case .softmax: return ["none", "horizontal", "vertical", "both"]
        case .sigmoid: return ["horizontal", "vertical"]
        case .regress: return ["row", "column"]
        }
    }

    /// A model saved by `save(run, path)` after a notebook-style training on synthetic faces (24×24,
    /// one epoch): the real metadata of a run — face pipeline, fitted statistics, emotion names.
    static let emotionModel: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("facet-onnx-emotion-\(UUID().uuidString).safetensors")
        let source = """
        let faces = synthetic(n: 160, seed: 3, size: 24) | split(0.7, 0.15, 0.15, stratify: "emotion") | gcn
        net small(classes = 7) {
          input 24x24x1
          conv 4 5x5 relu
          lcn 7
          maxpool 3x3 stride 2
          dense 16 relu
          dropout 0.2
          softmax classes
        }
        let run = train(small(), faces.emotion, epochs: 1, batch: 40, optimizer: "adam", lr: 0.001)
        save(run, "\(url.path)")
        """
        do { _ = try Session(seed: 5, progress: .quiet).run(source, name: "emotion.facet") } catch {
            fatalError("training the emotion test model failed: \(error)")
        }
        return url
    }()

    /// Byte images and their labels.
    struct Images {
        var bytes: [[UInt8]]
        var kind: [Int32]
        var present: [Float]
        var place: [Float]
    }

    static func images(_ n: Int, seed: UInt64) -> Images {
        var rng = SeededGenerator(seed: seed)
        var out = Images(bytes: [], kind: [], present: [], place: [])
        for _ in 0..<n {
            let k = Int(rng.next() % 4), row = Int(rng.next() % 12) + 2, col = Int(rng.next() % 12) + 2
            var image = (0..<(size * size)).map { _ in UInt8(clamping: Int(60 + rng.normal() * 20)) }
            if k & 1 != 0 { for t in 0..<size { image[row * size + t] = 220 } }
            if k & 2 != 0 { for t in 0..<size { image[t * size + col] = 200 } }
            out.bytes.append(image)
            out.kind.append(Int32(k))
            out.present += [Float(k & 1), Float(k >> 1)]
            out.place += [k & 1 != 0 ? Float(row) / 16 : 0, k & 2 != 0 ? Float(col) / 16 : 0]
        }
        return out
    }

    /// Contrast normalisation with per-pixel statistics fitted on `training` after step 1.
    static func preprocessing(fittedOn training: [[UInt8]]) throws -> FacePreprocessing {
        let step1 = FacePreprocessing(pipeline: FacePipeline(size: size), normalisation: ContrastNormalisation(), statistics: nil)
        let n = size * size
        var sum = [Double](repeating: 0, count: n), squares = sum
        var x = [Float](repeating: 0, count: n)
        for image in training {
            x.withUnsafeMutableBufferPointer { step1.normalise(image, into: $0) }
            for j in 0..<n { sum[j] += Double(x[j]); squares[j] += Double(x[j]) * Double(x[j]) }
        }
        let count = Double(training.count)
        let mean = sum.map { $0 / count }
        let std = (0..<n).map { max(0, squares[$0] / count - mean[$0] * mean[$0]).squareRoot() }
        let json = try JSONSerialization.data(withJSONObject: ["mean": mean.map { Float($0) }, "std": std.map { Float($0) }, "samples": training.count])
        let statistics = try JSONDecoder().decode(PixelStatistics.self, from: json)
        return FacePreprocessing(pipeline: FacePipeline(size: size), normalisation: ContrastNormalisation(), statistics: statistics)
    }

    /// Network inputs [N, 1, 16, 16] for byte images, as `predict` prepares them.
    static func inputs(_ bytes: [[UInt8]], _ pre: FacePreprocessing) -> Tensor {
        let n = size * size
        var t = Tensor(shape: [bytes.count, 1, size, size])
        t.data.withUnsafeMutableBufferPointer { all in
            for (i, image) in bytes.enumerated() {
                pre.normalise(image, into: UnsafeMutableBufferPointer(rebasing: all[(i * n)..<((i + 1) * n)]))
            }
        }
        return t
    }

    static func targets(_ images: Images, heads: [HeadSpec]) -> [String: HeadTargets] {
        var t: [String: HeadTargets] = [:]
        for head in heads {
            switch head.kind {
            case .softmax: t[head.name] = .classes(images.kind)
            case .sigmoid: t[head.name] = .multiLabel(images.present)
            case .regress: t[head.name] = .values(images.place)
            }
        }
        return t
    }

    /// Trains model `name` for a few epochs and saves it as `save(run, path)` would: weights, the
    /// net, its preprocessing and its label names.
    static func trainAndSave(_ name: String, heads: [HeadSpec], pre: FacePreprocessing, train: Images, to url: URL) throws -> Network {
        let spec = NetSpec(input: FeatureShape(channels: 1, height: size, width: size), layers: trunk, heads: heads)
        let net = try Network(spec: spec, seed: 11)
        var options = TrainingOptions()
        options.epochs = 8; options.batchSize = 20; options.seed = 5
        options.optimizer = .defaultAdam; options.learningRate = .constant(0.003)
        _ = try Trainer.train(net, on: LabeledData(inputs: inputs(train.bytes, pre), targets: targets(train, heads: heads)), options: options)
        let names = Dictionary(uniqueKeysWithValues: heads.map { ($0.name, labelNames($0.kind)) })
        let labelJSON = String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
        try net.save(to: url, metadata: ["facet.preprocessing": try pre.json(), "facet.labels": labelJSON])
        return net
    }
}
