// Label distributions for synthetic data sets.

/// Which label frequencies to draw from.
public enum SyntheticPreset: String, CaseIterable, Sendable {
    /// Emotion frequencies of FER2013's training set (disgust rare, happy common); broad ages.
    case fer
    /// Ages skewed like the paper's VV set (heavy around 23-27, few over 50), Caucasian and
    /// East Asian faces most common, mostly neutral or happy expressions.
    case multiAttribute = "multi-attribute"
    /// Every class of every attribute equally likely.
    case uniform

    /// Emotion class weights in Emotion order.
    var emotionWeights: [Float] {
        switch self {
        case .fer: return [3995, 436, 4097, 7215, 4830, 3171, 4965]   // FER2013 Training counts
        case .multiAttribute: return [4, 2, 3, 30, 6, 5, 50]
        case .uniform: return Array(repeating: 1, count: 7)
        }
    }

    /// Age band weights (17 bands).
    var ageWeights: [Float] {
        switch self {
        case .fer: return [1, 3, 4, 6, 10, 14, 13, 11, 9, 8, 6, 5, 4, 3, 2, 1.5, 1]
        case .multiAttribute: return [0.3, 0.8, 1.2, 3, 14, 26, 16, 10, 7, 5, 2.5, 1.2, 0.8, 0.5, 0.3, 0.2, 0.1]
        case .uniform: return Array(repeating: 1, count: 17)
        }
    }

    /// Ethnicity weights (caucasian, east-asian, african, south-asian, other).
    var ethnicityWeights: [Float] {
        switch self {
        case .fer: return [50, 15, 15, 10, 10]
        case .multiAttribute: return [55, 25, 8, 7, 5]
        case .uniform: return [1, 1, 1, 1, 1]
        }
    }

    /// Whether beard, moustache and glasses follow demographic correlations (otherwise uniform).
    var correlated: Bool { self != .uniform }
}
