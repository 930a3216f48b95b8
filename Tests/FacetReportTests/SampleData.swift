import FacetRandom
import Foundation
@testable import FacetReport

/// Seeded, made-up results shaped like the paper's experiments, for renderer golden files.
enum SampleData {
    static let emotions = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]

    /// Softmax scores and labels for 7 emotion classes; classes get different amounts of signal,
    /// so their ROC curves separate (happy and surprise easy, fear hard, as in the paper).
    static func emotionScores(n: Int = 350, seed: UInt64 = 2015) -> (scores: [[Double]], labels: [Int]) {
        var rng = SeededGenerator(seed: seed)
        let frequency = [0.14, 0.03, 0.14, 0.25, 0.17, 0.11, 0.16]
        let signal = [1.4, 2.2, 0.8, 2.8, 1.2, 2.6, 1.5]
        var scores: [[Double]] = [], labels: [Int] = []
        for _ in 0..<n {
            var u = rng.unitDouble(), label = 0
            while label < 6 && u > frequency[label] { u -= frequency[label]; label += 1 }
            var logits = (0..<7).map { _ in Double(rng.normal()) }
            logits[label] += signal[label] * (0.5 + rng.unitDouble())
            let e = logits.map { exp($0) }, sum = e.reduce(0, +)
            // Three decimals, like a printed probability, so ties occur as in real outputs.
            scores.append(e.map { ($0 / sum * 1000).rounded() / 1000 })
            labels.append(label)
        }
        return (scores, labels)
    }

    /// The paper's Figure 16 (cosine similarity of first-layer weights) as a symmetric matrix.
    static func paperFigure16() throws -> SimilarityMatrix {
        let names = ["Emotion (VV)", "Age", "Ethnicity", "Gender", "Joint", "AAM", "Glasses", "Moustache", "Beard", "Random"]
        let lower: [[Double]] = [
            [0.83], [0.75, 0.86], [0.73, 0.82, 0.87], [0.73, 0.83, 0.89, 0.82], [0.78, 0.88, 0.93, 0.86, 0.90],
            [0.73, 0.80, 0.81, 0.76, 0.84, 0.86], [0.69, 0.77, 0.84, 0.76, 0.82, 0.85, 0.84],
            [0.74, 0.84, 0.95, 0.85, 0.90, 0.94, 0.84, 0.85], [0.71, 0.81, 0.90, 0.79, 0.90, 0.92, 0.89, 0.91, 0.93],
            [0.03, 0.02, 0.04, 0.04, 0.03, 0.05, 0.03, 0.01, 0.03, 0.03],
        ]
        // The paper's first column is "Emotion (FERC)"; the row list starts one later.
        let all = ["Emotion (FERC)"] + names
        var values = Array(repeating: Array(repeating: 1.0, count: all.count), count: all.count)
        for (i, row) in lower.enumerated() {
            for (j, v) in row.enumerated() {
                values[i + 1][j] = v
                values[j][i + 1] = v
            }
        }
        return try SimilarityMatrix(names: all, values: values)
    }

    /// Test accuracy by depth (rows) and width (columns), a made-up sweep.
    static let depthLabels = ["1 conv", "2 conv", "3 conv"]
    static let widthLabels = ["16", "32", "64"]
    static let depthWidthAccuracy: [[Double?]] = [[0.5412, 0.5633, 0.5702], [0.6011, 0.6384, 0.6498], [0.6120, 0.6560, 0.6712]]

    /// Fifteen epochs of falling training loss and validation error with some noise.
    static func learningCurves() -> (loss: [Double], error: [Double]) {
        var rng = SeededGenerator(seed: 3)
        let loss = (0..<15).map { e in 1.9 * exp(-Double(e) / 5) + 0.35 + 0.03 * Double(rng.normal()) }
        let error = (0..<15).map { e in 0.62 * exp(-Double(e) / 4) + 0.33 + 0.01 * Double(rng.normal()) }
        return (loss, error)
    }

    /// Sixteen 5×5 oriented-edge filters with noise, like a trained first layer.
    static func filters() throws -> FilterBank {
        var rng = SeededGenerator(seed: 5)
        var weights: [Float] = []
        for f in 0..<16 {
            let angle = Double(f) * Double.pi / 8, frequency = f < 8 ? 0.9 : 1.6
            for i in 0..<5 {
                for j in 0..<5 {
                    let x = Double(j) - 2, y = Double(i) - 2
                    let wave = cos(frequency * (x * cos(angle) + y * sin(angle)))
                    let envelope = exp(-(x * x + y * y) / 6)
                    weights.append(Float(wave * envelope + 0.08 * Double(rng.normal())))
                }
            }
        }
        return try FilterBank(weights: weights, filters: 16, channels: 1, height: 5, width: 5)
    }
}
