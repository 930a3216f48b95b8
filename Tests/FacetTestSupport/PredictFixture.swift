import FacetSession
import Foundation

/// The sample photo and a tiny trained emotion model, shared by the predict, session and CLI tests.
public enum PredictFixture {
    /// The committed sample photo (one face; FacetVision's fixture).
    public static let photo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FacetVisionTests/Fixtures/messi5.jpg").path

    public static let emotions = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]

    /// A tiny emotion model trained for one epoch in a kernel session and saved as a notebook does.
    public static let modelPath: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("facet-predict-\(UUID().uuidString).safetensors").path
        do {
            let session = try Session(seed: 5, progress: .quiet)
            _ = try session.run(tinyEmotionTraining(n: "160", epochs: "1") + "\nsave(run, \"\(path)\")", name: "train.facet")
        } catch {
            fatalError("training the test model failed: \(error)")
        }
        return path
    }()
}
