import FacetFiles
import FacetVision
import Foundation

/// The plain-text output of `facet predict`, and the captions drawn by `--annotate`.
extension PredictionReport {
    /// Faces image by image, then the files without a result and why.
    public var text: String {
        var lines: [String] = []
        for image in images where !image.faces.isEmpty {
            lines.append("\(image.path): \(Self.count(image.faces.count, "face"))")
            for (i, face) in image.faces.enumerated() {
                let b = face.box
                var where_ = "  face \(i + 1): box x=\(b.x) y=\(b.y) \(b.width)×\(b.height)"
                if let e = face.eyes {
                    where_ += String(format: ", eyes (%.1f, %.1f) (%.1f, %.1f)", e.leftX, e.leftY, e.rightX, e.rightY)
                }
                if face.alignment != .aligned { where_ += " [\(Self.alignmentName(face.alignment))]" }
                lines.append(where_)
                for (name, prediction) in face.heads { lines.append("    \(name): " + Self.describe(prediction, full: true)) }
            }
        }
        let withFaces = images.filter { !$0.faces.isEmpty }.count
        var summary = "\(Self.count(images.count, "file")): \(Self.count(faceCount, "face")) in \(Self.count(withFaces, "image"))"
        let failed = failures
        if !failed.isEmpty { summary += "; \(failed.count) without a result:" }
        if !lines.isEmpty { lines.append("") }
        lines.append(summary)
        for image in failed { lines.append("  \(image.path): \(image.error ?? "")") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One head's outputs on one line: the top class, the labels present, or the values
    /// (pose angles in degrees; with `full` false only the angles of a regression head).
    static func describe(_ prediction: HeadPrediction, full: Bool) -> String {
        switch prediction {
        case let .classes(ranked):
            guard let top = ranked.first else { return "—" }
            return String(format: "%@ %.2f", top.name, top.probability)
        case let .labels(labels):
            let present = labels.filter { $0.probability >= 0.5 }
            if present.isEmpty, let top = labels.max(by: { $0.probability < $1.probability }) {
                return String(format: "none ≥ 0.5 (highest %@ %.2f)", top.name, top.probability)
            }
            return present.map { String(format: "%@ %.2f", $0.name, $0.probability) }.joined(separator: ", ")
        case let .values(values):
            let angles = values.filter { isAngle($0.name) }
            let others = values.filter { !isAngle($0.name) }
            var parts = angles.map { String(format: "%@ %.1f°", $0.name, $0.value) }
            if full, !others.isEmpty {
                parts.append("\(others.count) AAM values [" + others.map { String(format: "%.2f", $0.value) }.joined(separator: " ") + "]")
            }
            return parts.joined(separator: ", ")
        }
    }

    /// Pose targets are named "yaw" and "pitch" (possibly with a prefix such as "pose.").
    static func isAngle(_ name: String) -> Bool { name.hasSuffix("yaw") || name.hasSuffix("pitch") || name.hasSuffix("roll") }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// Writes into `outDir` a copy of every image with faces, with boxes, eyes and captions
    /// drawn (same file name; "-2", "-3"... when names repeat). A copy that cannot be written is
    /// reported in `failed`, not thrown, so one bad file does not stop the rest.
    /// `inputs`: every photo read, none of which an annotated copy may replace (`OutputRule`)
    /// unless `force`.
    public func annotate(into outDir: String, inputs: [String] = [], force: Bool = false) throws -> (written: [String], failed: [(path: String, error: String)]) {
        do { try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true) } catch {
            throw PredictError("\(outDir): cannot create the annotation folder: \(FileFailure.reason(error))")
        }
        var written: [String] = [], failed: [(path: String, error: String)] = []
        var used: Set<String> = []
        for image in images where !image.faces.isEmpty {
            let annotations = image.faces.enumerated().map { i, face in
                FaceAnnotation(box: face.box, eyes: face.eyes, label: (["#\(i + 1)"] + face.heads.map {
                    "\($0.name): " + Self.describe($0.prediction, full: false)
                }).joined(separator: "\n"))
            }
            let out = (outDir as NSString).appendingPathComponent(Self.outputName(for: image.path, avoiding: &used))
            if let problem = OutputRule.problem(writing: out, produces: .image, inputs: inputs, replacesOwn: true, force: force) {
                failed.append((image.path, "not annotated: cannot write \(out): \(problem)"))
                continue
            }
            do {
                try writeAnnotatedImage(from: image.path, to: out, annotations: annotations)
                written.append(out)
            } catch {
                failed.append((image.path, FileFailure.describe(error)))
            }
        }
        return (written, failed)
    }

    /// The input's file name, made unique among outputs (photos with the same name in different folders).
    static func outputName(for path: String, avoiding used: inout Set<String>) -> String {
        let name = (path as NSString).lastPathComponent
        let stem = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        var candidate = name, k = 2
        while used.contains(candidate) {
            candidate = "\(stem)-\(k)" + (ext.isEmpty ? "" : ".\(ext)")
            k += 1
        }
        used.insert(candidate)
        return candidate
    }
}
