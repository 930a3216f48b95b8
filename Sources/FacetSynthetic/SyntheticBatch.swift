// The output of the synthetic face generator: pixels, labels, targets and ground truth.

/// A batch of synthetic faces in contiguous arrays.
public struct SyntheticBatch: Sendable {
    /// Number of faces.
    public let count: Int
    /// Image side lengths in pixels (crops are size×size; scenes are sceneSize×sceneSize).
    public let width: Int, height: Int
    /// True if `pixels` holds whole scenes rather than aligned crops.
    public let scenes: Bool
    /// Grey pixels 0...255 as [count, height, width], row-major.
    public var pixels: [Float]
    /// Class labels per attribute (count each), after label noise.
    public var labels: [SyntheticAttribute: [Int32]]
    /// Labels before label noise (equal to `labels` when the noise rate is 0).
    public let cleanLabels: [SyntheticAttribute: [Int32]]
    /// Expression intensity 0...1 per face (0 for neutral).
    public let intensity: [Float]
    /// Age in years per face (its band is `labels[.age]`).
    public let ageYears: [Float]
    /// Regression targets as [count, targetNames.count]: shape, expression and appearance
    /// coefficients (the "AAM parameters"), then yaw and pitch in degrees.
    public let targets: [Float]
    /// Column names of `targets`.
    public let targetNames: [String]
    /// Pupil centres as [count, 4]: image-left eye x, y, image-right eye x, y (output pixels,
    /// pixel centres at integer coordinates).
    public let eyes: [Float]
    /// Face boxes as [count, 4]: x, y, width, height in output pixels (jaw, brows and hairline).
    public let faceBoxes: [Float]

    /// Pixels of face `i` (height*width values).
    public func image(_ i: Int) -> ArraySlice<Float> {
        let n = width * height
        return pixels[(i * n)..<((i + 1) * n)]
    }

    /// A caption for face `i`, one fact per line: emotion (with intensity), age band and gender,
    /// pose, ethnicity and glasses, facial hair.
    public func caption(_ i: Int) -> String {
        func name(_ a: SyntheticAttribute) -> String { a.classNames[Int(labels[a]![i])] }
        let t = i * targetNames.count + targetNames.count - 2
        let emo = labels[.emotion]![i] == Int32(Emotion.neutral.rawValue)
            ? name(.emotion) : "\(name(.emotion)) \(Int((intensity[i] * 100).rounded()))%"
        var lines = [emo, "\(name(.age)) \(name(.gender))",
                     "yaw \(Int(targets[t].rounded())) pitch \(Int(targets[t + 1].rounded()))",
                     name(.ethnicity) + (labels[.glasses]![i] == 1 ? ", glasses" : "")]
        var hair: [String] = []
        if labels[.beard]![i] > 0 { hair.append("beard \(name(.beard))") }
        if labels[.moustache]![i] > 0 { hair.append("must. \(name(.moustache))") }
        if !hair.isEmpty { lines.append(hair.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }
}
