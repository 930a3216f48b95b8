import FacetEngine
import FacetVision
import Foundation

/// The `facet predict --json` document. Schema (keys sorted in the output):
///
///     { "model": path, "input": "48x48", "heads": [{"name", "kind", "outputs"}],
///       "images": [{ "path", "error": null | reason,
///                    "faces": [{ "box": {"x","y","width","height"},
///                                "eyes": {"left": {"x","y"}, "right": {"x","y"}} | null,
///                                "alignment": "aligned" | "eye-fallback" | "no-face",
///                                "heads": { name: softmax | sigmoid | regress } }] }],
///       "summary": { "images", "images_with_faces", "faces", "failed", "batches" } }
///
/// softmax: {"label", "probability", "distribution": {class: p}};
/// sigmoid: {"labels": {label: p}, "present": [labels with p ≥ 0.5]};
/// regress: {"values": {target: value}} (yaw and pitch in degrees).
extension PredictionReport {
    /// The report as pretty-printed JSON with sorted keys (stable for tests and diffs).
    public func json(model: PredictionModel) throws -> String {
        let document: [String: Any] = [
            "model": model.path,
            "input": "\(model.pipeline.size)x\(model.pipeline.size)",
            "heads": model.network.heads.map { ["name": $0.spec.name, "kind": Self.kindName($0.spec.kind), "outputs": $0.spec.kind.outputs] as [String: Any] },
            "images": images.map(Self.json(image:)),
            "summary": ["images": images.count, "images_with_faces": images.filter { !$0.faces.isEmpty }.count,
                        "faces": faceCount, "failed": failures.count, "batches": batches],
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func kindName(_ kind: FacetEngine.HeadKind) -> String {
        switch kind {
        case .softmax: return "softmax"
        case .sigmoid: return "sigmoid"
        case .regress: return "regress"
        }
    }

    private static func json(image: ImagePrediction) -> [String: Any] {
        ["path": image.path, "error": image.error ?? NSNull(), "faces": image.faces.map(json(face:))]
    }

    private static func json(face: FacePrediction) -> [String: Any] {
        var heads: [String: Any] = [:]
        for (name, prediction) in face.heads { heads[name] = json(head: prediction) }
        let eyes: Any = face.eyes.map { e in
            ["left": ["x": rounded(e.leftX, 2), "y": rounded(e.leftY, 2)], "right": ["x": rounded(e.rightX, 2), "y": rounded(e.rightY, 2)]]
        } ?? NSNull()
        return ["box": ["x": face.box.x, "y": face.box.y, "width": face.box.width, "height": face.box.height],
                "eyes": eyes, "alignment": alignmentName(face.alignment), "heads": heads]
    }

    private static func json(head: HeadPrediction) -> [String: Any] {
        switch head {
        case let .classes(ranked):
            return ["label": ranked.first?.name ?? "", "probability": rounded(ranked.first?.probability ?? 0, 6),
                    "distribution": Dictionary(ranked.map { ($0.name, rounded($0.probability, 6)) }, uniquingKeysWith: { a, _ in a })]
        case let .labels(labels):
            return ["labels": Dictionary(labels.map { ($0.name, rounded($0.probability, 6)) }, uniquingKeysWith: { a, _ in a }),
                    "present": labels.filter { $0.probability >= 0.5 }.map(\.name)]
        case let .values(values):
            return ["values": Dictionary(values.map { ($0.name, rounded($0.value, 6)) }, uniquingKeysWith: { a, _ in a })]
        }
    }

    /// The alignment outcome's name in output.
    static func alignmentName(_ outcome: AlignmentOutcome) -> String {
        switch outcome {
        case .aligned: return "aligned"
        case .eyeFallback: return "eye-fallback"
        case .noFace: return "no-face"
        case .notDetected: return "not-detected"
        }
    }

    /// Short decimals in JSON (Float outputs carry no more precision than this).
    static func rounded(_ x: Double, _ places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (x * scale).rounded() / scale
    }
}
