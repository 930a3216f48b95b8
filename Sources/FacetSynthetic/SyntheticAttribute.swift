// The labelled attributes of a synthetic face and their class names.

/// One categorical label of a synthetic face; raw values are the CSV column names.
public enum SyntheticAttribute: String, CaseIterable, Sendable {
    case emotion, age, gender, ethnicity, glasses, beard, moustache

    /// Class names in label order (label `k` means `classNames[k]`).
    public var classNames: [String] {
        switch self {
        case .emotion: return Emotion.allCases.map(\.name)
        case .age: return AgeBand.names
        case .gender: return ["female", "male"]
        case .ethnicity: return ["caucasian", "east-asian", "african", "south-asian", "other"]
        case .glasses: return ["none", "present"]
        case .beard, .moustache: return ["none", "light", "heavy"]
        }
    }
}

/// FER2013's seven emotions, in FER2013's label order.
public enum Emotion: Int, CaseIterable, Sendable {
    case angry, disgust, fear, happy, sad, surprise, neutral

    /// Lower-case name as in FER2013's documentation.
    public var name: String { String(describing: self) }

    /// Expression controls at full intensity (ExpressionUnit order), after the EMFACS prototypes:
    /// anger AU4+5+7+23, disgust AU9+10+15, fear AU1+2+4+5+20+26, happiness AU6+12,
    /// sadness AU1+4+15, surprise AU1+2+5+26.
    var prototype: [Float] {
        switch self {
        //                corners lipUp  jaw  browUp inner browLow eyes  nose  stretch
        case .angry:    return [-0.3, 0.1, 0.0, 0.0, 0.0, 1.0, 0.25, 0.15, -0.9]
        case .disgust:  return [-0.6, 0.9, 0.1, 0.0, 0.0, 0.5, -0.4, 1.0, 0.0]
        case .fear:     return [-0.3, 0.1, 0.45, 0.6, 0.8, 0.45, 0.9, 0.0, 0.8]
        case .happy:    return [1.0, 0.35, 0.25, 0.05, 0.0, 0.0, -0.45, 0.0, 0.3]
        case .sad:      return [-0.8, 0.0, 0.0, 0.0, 0.9, 0.35, -0.3, 0.0, -0.2]
        case .surprise: return [0.0, 0.1, 0.85, 1.0, 0.3, 0.0, 1.0, 0.0, -0.1]
        case .neutral:  return [0, 0, 0, 0, 0, 0, 0, 0, 0]
        }
    }
}

/// The paper's 17 age classes: five-year bands around multiples of five, [0-2] first.
public enum AgeBand {
    /// "0-2", "3-7", ..., "73-77", "78+".
    public static let names: [String] = (0..<17).map { k in
        k == 0 ? "0-2" : (k == 16 ? "78+" : "\(5 * k - 2)-\(5 * k + 2)")
    }

    /// The band of an age in years.
    public static func band(ofAge age: Float) -> Int {
        min(16, max(0, Int(((age + 2.5) / 5).rounded(.down))))
    }

    /// Youngest and oldest age (years) in band `k`; the last band runs to 90.
    static func range(_ k: Int) -> (Float, Float) {
        k == 0 ? (0, 2.5) : (Float(5 * k) - 2.5, k == 16 ? 90 : Float(5 * k) + 2.5)
    }
}
