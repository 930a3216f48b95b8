// The realism bar: does the face pipeline find and level synthetic faces as it would real ones?
import FacetVision
import Foundation

/// How the Haar face pipeline fares on near-frontal synthetic scenes.
public struct SyntheticRealismReport: Sendable {
    /// Near-frontal scenes examined.
    public let scenes: Int
    /// Scenes where the detector's face box contains both true pupils.
    public let facesFound: Int
    /// Of those, faces whose eye pair was found (alignment by the eyes, not the box fallback).
    public let eyesFound: Int
    /// |pipeline eye-line angle − true eye-line angle| in degrees, one per found face.
    public let angleErrors: [Double]
    /// The same, only for faces whose eye pair was found.
    public let angleErrorsWithEyes: [Double]
    /// Pupil position error over the true eye distance, one per face with eyes found.
    public let eyeErrors: [Double]

    /// Share of scenes with the face found, 0...1.
    public var detectionRate: Double { scenes == 0 ? 0 : Double(facesFound) / Double(scenes) }

    /// A few lines for a terminal or a report.
    public var summary: String {
        func stats(_ v: [Double]) -> String {
            guard !v.isEmpty else { return "n/a" }
            let s = v.sorted(), p95 = s[min(s.count - 1, Int((Double(s.count) * 0.95).rounded(.up)) - 1)]
            return String(format: "mean %.2f, 95th percentile %.2f", s.reduce(0, +) / Double(s.count), p95)
        }
        return """
        near-frontal scenes: \(scenes); face found (box holds both true pupils): \(facesFound) \
        (\(String(format: "%.1f", 100 * detectionRate)) %); eye pair found: \(eyesFound)
        eye-line angle error after alignment, degrees: all found faces \(stats(angleErrors)); \
        faces with eyes found \(stats(angleErrorsWithEyes))
        pupil error / eye distance (faces with eyes found): \(stats(eyeErrors))
        """
    }
}

/// Measures the realism bar of docs/synthetic.md.
public enum SyntheticRealism {
    /// Renders `count` scenes from `seed`, keeps those with |yaw| and |pitch| ≤ `maxAngle` degrees,
    /// and runs `pipeline`'s detector and aligner on each.
    public static func measure(count: Int, seed: UInt64, maxAngle: Float = 15, sceneSize: Int = 192,
                               pipeline: FacePipeline = FacePipeline()) throws -> SyntheticRealismReport {
        var options = SyntheticOptions()
        options.sceneSize = sceneSize
        let batch = try SyntheticFaces.generate(count: count, seed: seed, scenes: true, options: options)
        let aligner = try FaceAligner(pipeline)
        let nT = batch.targetNames.count
        var scenes = 0, found = 0, eyesFound = 0, angleErrors: [Double] = [], withEyes: [Double] = [], eyeErrors: [Double] = []
        for i in 0..<batch.count {
            let yaw = batch.targets[i * nT + nT - 2], pitch = batch.targets[i * nT + nT - 1]
            guard abs(yaw) <= maxAngle, abs(pitch) <= maxAngle else { continue }
            scenes += 1
            let pixels = batch.image(i).map { UInt8(max(0, min(255, $0.rounded(.toNearestOrEven)))) }
            let result = try aligner.align(GrayImage(width: batch.width, height: batch.height, pixels: pixels))
            let e = batch.eyes[(i * 4)..<(i * 4 + 4)].map(Double.init)
            guard let box = result.faceBox, contains(box, e[0], e[1]), contains(box, e[2], e[3]) else { continue }
            found += 1
            let truth = atan2(e[3] - e[1], e[2] - e[0]) * 180 / .pi
            angleErrors.append(abs(result.angle - truth))
            if result.outcome == .aligned, let eyes = result.eyes {
                eyesFound += 1
                withEyes.append(abs(result.angle - truth))
                let iod = hypot(e[2] - e[0], e[3] - e[1])
                let err = (hypot(eyes.leftX - e[0], eyes.leftY - e[1]) + hypot(eyes.rightX - e[2], eyes.rightY - e[3])) / 2
                eyeErrors.append(err / iod)
            }
        }
        return SyntheticRealismReport(scenes: scenes, facesFound: found, eyesFound: eyesFound,
                                      angleErrors: angleErrors, angleErrorsWithEyes: withEyes, eyeErrors: eyeErrors)
    }

    private static func contains(_ b: FaceBox, _ x: Double, _ y: Double) -> Bool {
        x >= Double(b.x) && y >= Double(b.y) && x < Double(b.x + b.width) && y < Double(b.y + b.height)
    }
}
