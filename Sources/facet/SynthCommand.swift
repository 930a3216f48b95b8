// `facet data synth`: write a labelled synthetic face data set to a directory.
import ArgumentParser
import FacetEngine
import FacetFiles
import FacetSynthetic
import FacetVision
import Foundation

/// Renders synthetic faces with labels and writes them as images, CSVs and a sample sheet.
struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write labelled synthetic faces: images/, labels.csv (manifest), truth.csv, sheet.png.")

    @Option(help: "Number of faces.") var n: Int = 1000
    @Option(help: "Random seed; the same seed gives the same bytes.") var seed: UInt64 = 1
    @Option(help: "Output directory (created if missing).") var out: String?
    @Option(help: "Crop side in pixels.") var size: Int = 48
    @Option(help: "Label frequencies: fer, multi-attribute or uniform.") var preset: String = "fer"
    @Option(name: .customLong("label-noise"), help: "Share of labels replaced by another class (0...1).")
    var labelNoise: Double = 0
    @Flag(help: "Write whole scenes (face placed, rolled and scaled in a larger image) instead of aligned crops.")
    var scenes = false
    @Option(name: .customLong("scene-size"), help: "Scene side in pixels (default: 4 × size, at least 160).")
    var sceneSize: Int = 0
    @Option(name: .customLong("sheet"), help: "Faces on the sample sheet (0: none).") var sheet: Int = 40
    @Option(name: .customLong("sheet-cell"), help: "Pixels per face on the sample sheet.") var sheetCell: Int = 120
    @Option(name: .customLong("sheet-columns"), help: "Faces per row on the sample sheet.") var sheetColumns: Int = 8
    @Option(help: "Worker threads (0: all cores); the output does not depend on it.") var threads: Int = 0
    @Flag(help: .hidden) var bench = false     // render only, report faces/s (bench/synth/speed.sh)
    @Flag(help: .hidden) var realism = false
    @Flag(help: "Write even over files in --out that an earlier `data synth` did not write (docs/reliability.md).")
    var force = false   // Haar detection and alignment on scenes (bench/synth/realism.sh)

    func validate() throws {
        if out == nil && !bench && !realism {
            throw ValidationError("missing --out DIR (the directory to write the data set to)")
        }
        if n < 0 { throw ValidationError("--n must be ≥ 0, got \(n)") }
        if SyntheticPreset(rawValue: preset) == nil {
            throw ValidationError("unknown preset '\(preset)'; expected one of: "
                                  + SyntheticPreset.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    /// `OutputRule` for a folder of outputs: each file synth writes may replace only an earlier
    /// synth's file (its CSVs start with synth's headers; images are images).
    func checkOutputs(_ out: String) throws {
        let folder = URL(fileURLWithPath: out)
        let own: [(String, OutputRule.Kind, String?)] = [("labels.csv", .csv, "path,emotion,"), ("truth.csv", .csv, "path,intensity,"),
                                                         ("sheet.png", .png, nil)]
        for (name, kind, header) in own {
            let path = folder.appendingPathComponent(name).path
            if let problem = OutputRule.problem(writing: path, produces: kind, replacesOwn: true, force: force) {
                printError("error: cannot write \(path): \(problem)"); throw ExitCode(1)
            }
            if !force, let header, InputFile.kind(path) == .regular,
               let head = try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: header.utf8.count),
               head != Data(header.utf8) {
                printError("error: cannot write \(path): it exists and was not written by `facet data synth`; give another --out, or --force to replace it")
                throw ExitCode(1)
            }
        }
    }

    func run() throws {
        let p = SyntheticPreset(rawValue: preset)!   // checked in validate()
        if realism {
            let report = try SyntheticRealism.measure(count: n, seed: seed, sceneSize: sceneSize > 0 ? sceneSize : 192)
            print(report.summary)
            return
        }
        var options = SyntheticOptions()
        options.sceneSize = sceneSize
        options.threads = threads
        // Memory before allocation, as the `synthetic` builtin checks it.
        let side = SyntheticFaces.side(size: size, scenes: scenes, options: options)
        if let problem = MemoryLimit.current.problem(bytes: SyntheticFaces.bytesNeeded(count: n, size: size, scenes: scenes, options: options),
                                                     for: "\(n) synthetic \(scenes ? "scenes" : "faces") of \(side)×\(side)") {
            throw ValidationError("--n \(n): \(problem); lower --n or --size (\(MemoryLimit.variable) sets the limit)")
        }
        let start = Date(), cpuStart = clock()
        let batch = try SyntheticFaces.generate(count: n, seed: seed, size: size, preset: p, scenes: scenes,
                                                labelNoise: labelNoise, options: options)
        let rendered = Date().timeIntervalSince(start)
        let speed = "rendered in \(String(format: "%.2f", rendered)) s, \(Int(Double(n) / max(rendered, 1e-9))) faces/s"
        if bench {
            // CPU seconds too: on a shared machine the wall clock also counts other jobs' turns.
            let cpu = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC)
            print("\(n) \(scenes ? "scenes" : "faces") of \(batch.width)×\(batch.height), "
                  + "\(threads == 0 ? "all cores" : "\(threads) thread(s)"): \(speed); "
                  + "\(String(format: "%.2f", cpu)) CPU s, \(Int(Double(n) / max(cpu, 1e-9))) faces per CPU second")
            return
        }
        guard let out else { return }   // validate() requires --out unless benchmarking
        try checkOutputs(out)
        try batch.write(to: URL(fileURLWithPath: out), sheetCount: sheet, sheetCell: sheetCell,
                        sheetColumns: sheetColumns)
        print("wrote \(n) \(scenes ? "scenes" : "faces") of \(batch.width)×\(batch.height) to \(out) (\(speed))")
    }
}
