import FacetRandom
import Foundation

/// Which part of a data set a sample belongs to.
public enum Split: UInt8, Codable, CaseIterable, Sendable, CustomStringConvertible {
    case train = 0, valid = 1, test = 2

    /// "train", "valid" or "test".
    public var description: String {
        switch self {
        case .train: return "train"
        case .valid: return "valid"
        case .test: return "test"
        }
    }

    /// Parses a split name as found in a column: train/training, valid/validation/val/publictest,
    /// test/privatetest (case-insensitive). FER2013's PublicTest is its validation set.
    public init?(name: String) {
        switch name.trimmingCharacters(in: .whitespaces).lowercased() {
        case "train", "training": self = .train
        case "valid", "validation", "val", "publictest": self = .valid
        case "test", "testing", "privatetest": self = .test
        default: return nil
        }
    }
}

/// How samples are assigned to train/valid/test.
public enum SplitPlan: Sendable, Equatable {
    /// The source's own split (FER2013's Usage column, a manifest's `split` column) if it has one,
    /// else `.random()` with its defaults.
    case automatic
    /// The source's own split; an error if the source has none.
    case fromSource
    /// A seeded shuffle cut into fractions (test gets the rest); optionally stratified by an
    /// attribute so each class keeps its proportions in every split.
    case random(train: Double = 0.8, valid: Double = 0.1, seed: UInt64 = 0, stratifyBy: String? = nil)
}

/// Assigns splits. `labels` is needed only for stratification.
func assignSplits(count: Int, plan: SplitPlan, given: [Split]?, labels: [String: [Int32]]) throws -> [Split] {
    switch plan {
    case .automatic:
        if let given { return given }
        return try assignSplits(count: count, plan: .random(), given: nil, labels: labels)
    case .fromSource:
        guard let given else {
            throw VisionError("split: the source has no split column (FER2013 Usage or a manifest 'split' column)")
        }
        return given
    case let .random(train, valid, seed, stratifyBy):
        guard train >= 0, valid >= 0, train + valid <= 1 + 1e-9 else {
            throw VisionError("split: fractions train \(train) and valid \(valid) must be ≥ 0 and sum to at most 1")
        }
        var groups: [[Int]]
        if let attribute = stratifyBy {
            guard let column = labels[attribute] else {
                let known = labels.keys.sorted().joined(separator: ", ")
                throw VisionError("split: cannot stratify by '\(attribute)': no such attribute (have: \(known))")
            }
            var byClass: [Int32: [Int]] = [:]
            for i in 0..<count { byClass[column[i], default: []].append(i) }
            groups = byClass.keys.sorted().map { byClass[$0]! }  // missing (−1) is its own stratum
        } else {
            groups = [Array(0..<count)]
        }
        var generator = SeededGenerator(seed: seed)
        var result = [Split](repeating: .test, count: count)
        for var group in groups {
            generator.shuffle(&group)
            let nTrain = Int((Double(group.count) * train).rounded())
            let nValid = min(group.count - nTrain, Int((Double(group.count) * valid).rounded()))
            for (position, index) in group.enumerated() {
                result[index] = position < nTrain ? .train : (position < nTrain + nValid ? .valid : .test)
            }
        }
        return result
    }
}
