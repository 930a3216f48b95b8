import FacetLang
import FacetVision
import Foundation
import XCTest
@testable import FacetSession
@testable import FacetNotebook
import FacetTestSupport

/// Issue 23: counts, sample grids, mistakes and most-confused pairs, checked against independent
/// computations (a manifest written here, OpenCV decoding the PNG, `predict` and the task's labels).
final class DataInspectionTests: XCTestCase {
    private func session() throws -> (Session, () -> [OutputItem]) {
        let s = try Session(progress: .quiet)
        var out: [OutputItem] = []
        s.sink = { out.append($0) }
        return (s, { out })
    }

    private func foreign<T>(_ s: Session, _ name: String, as: T.Type) throws -> T {
        guard case let .foreign(f)? = s.interpreter.globals.lookup(name), let value = f as? T else {
            throw KernelError("\(name) is not a \(T.self)")
        }
        return value
    }

    private func assertValue(_ actual: Value?, _ expected: Value, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual?.repr, expected.repr, file: file, line: line)
    }

    private func images(_ items: [OutputItem]) -> [(name: String, data: Data, mime: String)] {
        items.compactMap { if case let .image(name, data, mime, _) = $0 { return (name, data, mime) } else { return nil } }
    }

    /// A manifest of 12 image files with a split column, an emotion column with two missing labels
    /// and a gender column; the counts `show` prints and the task fields equal those of the rows.
    func testCountsEqualThoseOfAManifest() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-counts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let rows: [(split: String, emotion: String, gender: String)] = [
            ("train", "happy", "f"), ("train", "happy", "m"), ("train", "sad", "f"), ("train", "", "m"),
            ("train", "angry", "m"), ("train", "happy", "f"), ("valid", "sad", "m"), ("valid", "happy", "f"),
            ("valid", "", "f"), ("test", "angry", "f"), ("test", "angry", "m"), ("test", "sad", "m"),
        ]
        var csv = "path,split,emotion,gender\n"
        for (i, row) in rows.enumerated() {
            let pixels = (0..<(48 * 48)).map { UInt8(truncatingIfNeeded: $0 * (i + 1) + 7 * i) }
            try GrayImage(width: 48, height: 48, pixels: pixels).write(to: dir.appendingPathComponent("f\(i).png").path)
            csv += "f\(i).png,\(row.split),\(row.emotion),\(row.gender)\n"
        }
        let manifest = dir.appendingPathComponent("faces.csv").path
        try Data(csv.utf8).write(to: URL(fileURLWithPath: manifest))

        let (s, output) = try session()
        try s.run("let faces = manifest(\"\(manifest)\", align: false)\nshow faces", name: "t")
        let md = output().compactMap { if case let .markdown(m) = $0 { return m } else { return nil } }.joined()
        // Expected: per attribute, per class name, the counts in train, valid, test — from the rows.
        for attribute in ["emotion", "gender"] {
            let values = rows.map { attribute == "emotion" ? $0.emotion : $0.gender }
            var current = ""
            var found: [String: [Int]] = [:]
            for line in md.split(separator: "\n") where line.hasPrefix("| ") {
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count == 6 else { continue }
                if !cells[0].isEmpty { current = cells[0] }
                if current == attribute { found[cells[1]] = cells[2...5].compactMap { Int($0) } }
            }
            for name in Set(values) {
                let key = name.isEmpty ? "(missing)" : name
                let expected = ["train", "valid", "test"].map { split in zip(rows, values).filter { $0.0.split == split && $0.1 == name }.count }
                XCTAssertEqual(found[key], expected + [expected.reduce(0, +)], "\(attribute) \(key) in\n\(md)")
            }
            XCTAssertEqual(found.count, Set(values).count, "no other rows for \(attribute)")
        }
        // Task fields: count, classes (names), labels (one per sample, in order; none when missing).
        assertValue(try s.run("faces.emotion.count", name: "t"), .number(12))
        assertValue(try s.run("faces.emotion.classes", name: "t"), .list(["angry", "happy", "sad"].map { .string($0) }))
        assertValue(try s.run("faces.gender.labels", name: "t"), .list(rows.map { .string($0.gender) }))
        assertValue(try s.run("faces.emotion.labels", name: "t"),
                       .list(rows.map { $0.emotion.isEmpty ? Value.none : .string($0.emotion) }))
        assertValue(try s.run("faces.test.gender.count", name: "t"), .number(3))
        assertValue(try s.run("faces.attributes", name: "t"), .list([.string("emotion"), .string("gender")]))
        assertValue(try s.run("faces.count", name: "t"), .number(12))
    }

    /// The unknown-field error lists the fields that exist and suggests the closest.
    func testUnknownFieldErrorListsTheFields() throws {
        let (s, _) = try session()
        try s.run("let faces = synthetic(n: 30, seed: 3) | split(0.6, 0.2, 0.2)", name: "t")
        assertRunError(s, "faces.test.gender.size", "t:1:1: error: task has no field `size`; its fields: count, labels, classes, train, valid, test")
        assertRunError(s, "faces.test.gender.clases", "hint: did you mean `classes`?")
        assertRunError(s, "faces.labels", "dataset has no field `labels`; its fields: count, size, attributes")
    }

    /// The grid decoded back by OpenCV holds exactly the expected tiles: one row per gender with
    /// the samples `.indices` names, each of that class, and every tile's pixels equal to the
    /// sample's crop after GCN stretched to 0–255 (computed here), enlarged by whole pixels.
    func testSampleGridHoldsExactlyTheExpectedTiles() throws {
        let (s, output) = try session()
        try s.run("""
        let faces = synthetic(n: 40, seed: 3) | split(0.6, 0.2, 0.2) | gcn
        let g = samples(faces, n: 8, by: "gender", seed: 5)
        show g
        """, name: "t")
        let data = try foreign(s, "faces", as: DatasetValue.self)
        let grid = try foreign(s, "g", as: ImageValue.self)
        let shown = try XCTUnwrap(grid.fields["indices"]?.elements).map { v -> Int in
            guard case let .number(x) = v else { return -1 }
            return Int(x)
        }
        let image = try XCTUnwrap(images(output()).first)
        XCTAssertEqual(image.mime, "image/png")
        XCTAssertEqual(image.data, grid.png)
        let decoded = try GrayImage(encoded: [UInt8](image.data))
        // Layout rule (SampleGrid's documented geometry): 4 per class, 2 rows, a label band.
        let side = 48, scale = 3, gap = 8, label = 110, caption = 3 * 14
        XCTAssertEqual(shown.count, 8)
        XCTAssertEqual(decoded.width, gap + label + 4 * (side * scale + gap))
        XCTAssertEqual(decoded.height, gap + 2 * (side * scale + caption + gap))
        let gender = try XCTUnwrap(data.attribute("gender"))
        for (t, index) in shown.enumerated() {
            let row = t / 4, column = t % 4
            XCTAssertEqual(Int(gender.labels[index]), row, "tile \(t) is sample \(index) of class \(row)")
            let values = data.face.pixels([index])
            let low = values.min()!, high = values.max()!
            let expected = values.map { UInt8((($0 - low) / (high - low) * 255).rounded()) }
            let x0 = gap + label + column * (side * scale + gap), y0 = gap + row * (side * scale + caption + gap)
            var mismatches = 0
            for y in 0..<(side * scale) {
                for x in 0..<(side * scale) where decoded.pixels[(y0 + y) * decoded.width + x0 + x] != expected[(y / scale) * side + x / scale] {
                    mismatches += 1
                }
            }
            XCTAssertEqual(mismatches, 0, "tile \(t) (sample \(index))")
        }
        // Without normalisation a tile is the stored crop itself.
        try s.run("let raw = synthetic(n: 10, seed: 4)\nshow samples(raw, n: 1, seed: 2)", name: "t")
        let raw = try foreign(s, "raw", as: DatasetValue.self)
        let one = try GrayImage(encoded: [UInt8](try XCTUnwrap(images(output()).last).data))
        XCTAssertEqual(one.width, gap + side * scale + gap)
        let rawShown = try s.run("samples(raw, n: 1, seed: 2).indices", name: "t")
        guard case let .number(i)? = rawShown.elements?.first else { return XCTFail("no index") }
        let crop = Array(raw.face.crops.crop(Int(i)))
        XCTAssertEqual((0..<(side * scale)).map { one.pixels[(gap + $0) * one.width + gap + 5] }, (0..<(side * scale)).map { crop[($0 / scale) * side + 5 / scale] })
    }

    /// n beyond the data shows it all with a note; a bad `by:` is an error at the argument and
    /// shows nothing.
    func testSamplesNotesAndErrors() throws {
        let (s, output) = try session()
        try s.run("let faces = synthetic(n: 12, seed: 3)\nshow samples(faces, n: 50)", name: "t")
        XCTAssertTrue(output().contains(.text("note: n: 50 is more than the 12 samples: all are shown")), "\(output())")
        assertValue(try s.run("samples(faces, n: 50).count", name: "t"), .number(12))
        let before = output().count
        assertRunError(s, "show samples(faces, by: \"hair\")", "t:1:25: error: synthetic(n: 12, seed: 3, size: 48, preset: \"fer\") has no attribute 'hair'; it has attributes emotion, age")
        assertRunError(s, "show samples(faces, by: \"gendr\")", "did you mean 'gender'?")
        XCTAssertEqual(output().count, before, "nothing shown on error")
    }

    private let tinyNet = """
    let faces = synthetic(n: 120, seed: 3) | split(0.5, 0.2, 0.3) | gcn
    net tiny(classes = 7) {
      input 48x48x1
      conv 2 5x5 relu
      maxpool 4x4 stride 4
      softmax classes
    }
    let run = train(tiny(), faces.emotion, epochs: 1, batch: 20)
    let p = predict(run, faces.test.emotion)
    let y = faces.test.emotion.labels
    let names = faces.emotion.classes
    """

    private func numbers(_ v: Value?) -> [Double] { (v?.elements ?? []).map { if case let .number(x) = $0 { return x } else { return .nan } } }

    /// `mistakes` equals what `predict` and the task's labels give: −log p(true) per labelled
    /// sample, highest first, its true and predicted class and the predicted class's probability.
    func testMistakesEqualAnIndependentComputation() throws {
        let (s, output) = try session()
        try s.run(tinyNet + "\nlet m = mistakes(run, faces.test.emotion, n: 5)\nshow m\nprint(m)\nshow table(m)", name: "t")
        let probabilities = try XCTUnwrap(s.run("p.out", name: "t").elements).map(numbers)
        let labels = try XCTUnwrap(s.run("y", name: "t").elements)
        let names = try XCTUnwrap(s.run("names", name: "t").elements).map(\.description)
        var expected: [(index: Int, actual: String, predicted: String, probability: Double, loss: Double)] = []
        for (i, p) in probabilities.enumerated() {
            guard case let .string(label) = labels[i], let k = names.firstIndex(of: label) else { continue }
            var best = 0
            for j in p.indices where p[j] > p[best] { best = j }
            expected.append((i, label, names[best], p[best], -log(p[k])))
        }
        expected.sort { $0.loss != $1.loss ? $0.loss > $1.loss : $0.index < $1.index }
        let records = try XCTUnwrap(s.run("m.list", name: "t").elements)
        XCTAssertEqual(records.count, 5)
        for (r, e) in zip(records, expected) {
            guard case let .record(rec) = r else { return XCTFail("not a record") }
            XCTAssertEqual(rec.fields.map(\.name), ["index", "actual", "predicted", "probability", "loss"])
            assertValue(rec["index"], .number(Double(e.index)))
            assertValue(rec["actual"], .string(e.actual))
            assertValue(rec["predicted"], .string(e.predicted))
            guard case let .number(p)? = rec["probability"], case let .number(l)? = rec["loss"] else { return XCTFail() }
            XCTAssertEqual(p, e.probability, accuracy: 1e-6)
            XCTAssertEqual(l, e.loss, accuracy: 1e-4)
        }
        // shown: the grid (PNG) and the table; printed: the records; table(m) tabulates them.
        XCTAssertEqual(images(output()).count, 1)
        let text = output().compactMap { if case let .text(t) = $0 { return t } else { return nil } }.joined(separator: "\n")
        XCTAssertTrue(text.contains("index  actual"), text)
        XCTAssertEqual(output().compactMap { if case let .markdown(m) = $0, m.contains("| index |") { return m } else { return nil } }.count, 2)
    }

    /// `most_confused` is the off-diagonal of the confusion matrix of `predict` against the labels,
    /// at least `min`, sorted by count, then actual and predicted name; a model whose head does
    /// not match the data is an error at the call.
    /// Repeated runs: mistakes and most_confused look at the first seed's run and say so.
    func testMistakesAndMostConfusedOfRepeatedRunsUseTheFirstSeed() throws {
        let (s, _) = try session()
        try s.run(tinyNet + """

            let runs = train(tiny(), faces.emotion, epochs: 1, batch: 20, seeds: [5, 6])
            let first = runs.runs[0]
            let m = mistakes(runs, faces.test.emotion, n: 4)
            let m1 = mistakes(first, faces.test.emotion, n: 4)
            let c = most_confused(runs, faces.test.emotion, min: 1)
            let c1 = most_confused(first, faces.test.emotion, min: 1)
            """, name: "t")
        assertValue(try s.run("table(m).rows", name: "t"), try s.run("table(m1).rows", name: "t"))
        assertValue(try s.run("c.rows", name: "t"), try s.run("c1.rows", name: "t"))
        XCTAssertTrue(try s.run("c", name: "t").description.contains("(single run: seed 5 of 2)"))
        XCTAssertFalse(try s.run("c1", name: "t").description.contains("single run"))
    }

    func testMostConfusedIsTheSortedOffDiagonal() throws {
        let (s, _) = try session()
        try s.run(tinyNet + "\nlet c = most_confused(run, faces.test.emotion, min: 1)", name: "t")
        let probabilities = try XCTUnwrap(s.run("p.out", name: "t").elements).map(numbers)
        let labels = try XCTUnwrap(s.run("y", name: "t").elements)
        let names = try XCTUnwrap(s.run("names", name: "t").elements).map(\.description)
        var counts: [String: Int] = [:]
        for (i, p) in probabilities.enumerated() {
            guard case let .string(label) = labels[i] else { continue }
            var best = 0
            for j in p.indices where p[j] > p[best] { best = j }
            if names[best] != label { counts["\(label)|\(names[best])", default: 0] += 1 }
        }
        let pairs: [(key: [String], count: Int)] = counts.map { (key: $0.key.split(separator: "|").map(String.init), count: $0.value) }
        let expected = pairs.sorted { a, b in
            if a.count != b.count { return a.count > b.count }
            return a.key[0] != b.key[0] ? a.key[0] < b.key[0] : a.key[1] < b.key[1]
        }
        let rows = try XCTUnwrap(s.run("c.rows", name: "t").elements)
        XCTAssertFalse(expected.isEmpty, "a one-epoch net confuses something")
        XCTAssertEqual(rows.count, expected.count)
        for (r, e) in zip(rows, expected) {
            guard case let .record(rec) = r else { return XCTFail("not a record") }
            assertValue(.list([rec["actual"] ?? .none, rec["predicted"] ?? .none, rec["count"] ?? .none]),
                        .list([.string(e.key[0]), .string(e.key[1]), .number(Double(e.count))]))
        }
        let atLeast2 = try XCTUnwrap(s.run("most_confused(run, faces.test.emotion).rows", name: "t").elements)
        XCTAssertEqual(atLeast2.count, expected.filter { $0.count >= 2 }.count)
        assertRunError(s, "mistakes(run, faces.test.gender)", "t:1:1: error: mistakes: head 'out' predicts 7 classes, but")
    }

    /// Regression heads rank by the mean squared error of each sample (from `predict` and the
    /// targets), with its square root as `error`; a head that does not fit the data is an error.
    func testMistakesOfARegressionHead() throws {
        let (s, _) = try session()
        try s.run("""
        let faces = synthetic(n: 60, seed: 3) | split(0.5, 0.2, 0.3) | gcn
        net pose(k = 2) {
          input 48x48x1
          conv 2 5x5 relu
          maxpool 4x4 stride 4
          regress k
        }
        let r = train(pose(k: len(faces.targets)), faces.aam, epochs: 1, batch: 20)
        let m = mistakes(r, faces.test.aam, n: 4)
        let p = predict(r, faces.test.aam)
        let t = faces.test.aam.labels
        """, name: "t")
        let predicted = try XCTUnwrap(s.run("p.out", name: "t").elements).map(numbers)
        let actual = try XCTUnwrap(s.run("t", name: "t").elements).map(numbers)
        var expected: [(index: Int, loss: Double)] = []
        for i in predicted.indices {
            var sum = 0.0
            for j in predicted[i].indices { sum += (predicted[i][j] - actual[i][j]) * (predicted[i][j] - actual[i][j]) }
            expected.append((i, sum / Double(predicted[i].count)))
        }
        expected.sort { $0.loss != $1.loss ? $0.loss > $1.loss : $0.index < $1.index }
        let records = try XCTUnwrap(s.run("m.list", name: "t").elements)
        XCTAssertEqual(records.count, 4)
        for (r, e) in zip(records, expected) {
            guard case let .record(rec) = r, case let .number(l)? = rec["loss"], case let .number(err)? = rec["error"] else { return XCTFail() }
            assertValue(rec["index"], .number(Double(e.index)))
            XCTAssertEqual(l, e.loss, accuracy: 1e-4 * max(1, e.loss))
            XCTAssertEqual(err, e.loss.squareRoot(), accuracy: 1e-4 * max(1, err))
            XCTAssertEqual(numbers(rec["actual"]), actual[e.index])
        }
        assertRunError(s, "mistakes(instantiate(pose(k: 3)), faces.test.aam)", "t:1:1: error: mistakes: head 'out' regresses 3 values, but")
    }

    /// A report links the grid as a PNG from its `_files` folder; the file decodes.
    func testReportLinksThePNGFromItsFilesFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-grid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("g.fnb").path
        try Data("# Grid\n\n```facet\nshow samples(synthetic(n: 20, seed: 1), n: 4, seed: 2)\n```\n".utf8).write(to: URL(fileURLWithPath: path))
        let nb = try Notebook(text: try String(contentsOfFile: path, encoding: .utf8), path: path)
        var options = NotebookRunner.Options()
        options.progress = .quiet
        let out = dir.appendingPathComponent("g.md")
        _ = try NotebookRunner(notebook: nb, options: options).run(writingTo: out)
        let md = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(md.contains("](g_files/fig1-samples.png)"), md)
        let png = try Data(contentsOf: dir.appendingPathComponent("g_files/fig1-samples.png"))
        XCTAssertGreaterThan(try GrayImage(encoded: [UInt8](png)).width, 0)
    }
}

/// `facet data show`: the same grid from the command line, before any training.
final class DataShowCommandTests: XCTestCase {
    func testDataShowWritesTheGridAndRefusesABadAttribute() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-show-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        for (k, label) in ["cat", "dog"].enumerated() {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("faces/\(label)"), withIntermediateDirectories: true)
            for i in 0..<3 {
                let pixels = (0..<(40 * 40)).map { UInt8(truncatingIfNeeded: $0 + 40 * i + 90 * k) }
                try GrayImage(width: 40, height: 40, pixels: pixels).write(to: dir.appendingPathComponent("faces/\(label)/\(i).png").path)
            }
        }
        let out = dir.appendingPathComponent("grid.png").path
        let ok = try FacetCLI.run(["data", "show", dir.appendingPathComponent("faces").path, "--n", "10", "--by", "class",
                                   "--out", out, "--no-detect", "--size", "40", "--no-cache"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("wrote \(out): 6 crops of 40×40 from 6 samples, one row per class"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains("note: n: 10 is more than the 6 samples with a class label: all are shown"), ok.stdout)
        let grid = try GrayImage(contentsOf: out)
        XCTAssertEqual(grid.width, 8 + 110 + 3 * (120 + 8))
        XCTAssertEqual(grid.height, 8 + 2 * (120 + 3 * 14 + 8))

        let bad = dir.appendingPathComponent("bad.png").path
        let refused = try FacetCLI.run(["data", "show", dir.appendingPathComponent("faces").path, "--by", "mood",
                                        "--out", bad, "--no-detect", "--size", "40", "--no-cache"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("--by mood:") && refused.stderr.contains("has no attribute 'mood'; it has attributes class"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: bad), "nothing written on error")
    }
}
