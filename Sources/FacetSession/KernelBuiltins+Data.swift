import FacetFiles
import FacetEngine
import FacetLang
import FacetSynthetic
import FacetVision
import Foundation

/// Data sources (`synthetic`, `fer2013`, `manifest`, `folder`), pipeline steps (`align`,
/// `gcn`, `split`, `resize`) and sample grids (`samples`), all over FacetVision.
struct DataBuiltins: BuiltinFamily {
    /// Seeds of synthetic faces, splits and sample grids when no `seed:` is given.
    unowned let seeds: any SeedSource
    /// Where loading, rendering and alignment draw their progress bars.
    unowned let progress: any ProgressSource
    /// Where each data set made is noted with its fingerprint (the report footer).
    unowned let registry: any DataRegistry

    func register(in r: BuiltinRegistry) {
        r.register("synthetic", [
            BuiltinParameter("n", .integer, default: .number(2000)),
            BuiltinParameter("seed", .any, default: Value.none),
            BuiltinParameter("size", .integer, default: .number(48)),
            BuiltinParameter("preset", .string, default: .string("fer")),
            BuiltinParameter("scene", .bool, default: .bool(false)),
            BuiltinParameter("label_noise", .number, default: .number(0)),
        ], doc: """
        Built-in labelled synthetic faces (emotion, age band, gender, ethnicity, glasses, beard, moustache, \
        and the AAM vector + yaw + pitch as regression targets). preset: "fer" (FER2013's emotion frequencies), \
        "multi-attribute" (VV-like ages), "uniform". scene: raw scenes for `align` instead of aligned crops.
        """, check: { args, _ in try DataMemory.checkSyntheticMemory(args) }) { args, ctx in try self.builtinSynthetic(args, ctx) }

        let alignParams = [BuiltinParameter("align", .bool, default: .bool(true)),
                           BuiltinParameter("size", .integer, default: .number(48))]
        r.register("fer2013", [BuiltinParameter("path", .string)] + alignParams,
                   doc: "FER2013 CSV (emotion,pixels,Usage): Training/PublicTest/PrivateTest become train/valid/test. align: run face detection and eye alignment (cached after the first load).") { args, ctx in
            try self.builtinFileSource("fer2013", { .fer2013($0) }, args, ctx)
        }
        r.register("manifest", [BuiltinParameter("path", .string)] + alignParams,
                   doc: "A CSV with an image path column, an optional split column and one column per attribute (empty = missing).") { args, ctx in
            try self.builtinFileSource("manifest", { .manifest($0) }, args, ctx)
        }
        r.register("folder", [BuiltinParameter("path", .string)] + alignParams,
                   doc: "Image folders, one sub-folder per class.") { args, ctx in
            try self.builtinFileSource("folder", { .folder($0) }, args, ctx)
        }

        r.register("dataset", [BuiltinParameter("kind", .string), BuiltinParameter("path", .string, default: .string("")),
                               BuiltinParameter("n", .integer, default: .number(2000)), BuiltinParameter("seed", .integer, default: .number(7)),
                               BuiltinParameter("size", .integer, default: .number(48)),
                               BuiltinParameter("preset", .string, default: .string("fer")),
                               BuiltinParameter("scene", .bool, default: .bool(false)),
                               BuiltinParameter("needs", .list, default: .list([]))],
                   doc: "The notebooks' data switch: kind \"synthetic\" (n, seed, size, preset), \"fer2013\", \"manifest\" or \"folder\" (path). needs: attributes the notebook requires; data without them is an error that says so.",
                   check: { args, _ in if case .string("synthetic") = args["kind"] { try DataMemory.checkSyntheticMemory(args) } }) { args, ctx in try self.builtinDataset(args, ctx) }

        r.register("align", [BuiltinParameter("data", .foreign("dataset")), BuiltinParameter("size", .any, default: Value.none),
                             BuiltinParameter("detect", .bool, default: .bool(true)), BuiltinParameter("level", .bool, default: .bool(true)),
                             BuiltinParameter("scale", .bool, default: .bool(true))],
                   doc: "Face location normalisation (paper §3.3): Viola-Jones face detection, eye detection, rotation so the eye line is level, scaling by eye distance, crop to size×size. Each step can be switched off.") { args, ctx in try self.builtinAlign(args, ctx) }

        r.register("gcn", [BuiltinParameter("data", .foreign("dataset")), BuiltinParameter("per_image", .bool, default: .bool(true)),
                           BuiltinParameter("per_pixel", .bool, default: .bool(true))],
                   doc: "Global contrast normalisation (paper §3.3): per image subtract the mean and scale to norm 100; per pixel standardise with mean and deviation fitted on the train split (refitted when the data are split again).") { args, ctx in try self.builtinGcn(args, ctx) }

        r.register("scale", [BuiltinParameter("data", .foreign("dataset")), BuiltinParameter("factor", .number, default: .number(1.0 / 255))],
                   doc: "Pixels times a factor (default 1/255: values in [0, 1]) and nothing else: the plain scaling a pipeline without global contrast normalisation uses. Replaces an earlier gcn, as gcn replaces an earlier scale.") { args, ctx in try self.builtinScale(args, ctx) }

        r.register("split", [BuiltinParameter("data", .foreign("dataset")), BuiltinParameter("train", .number, default: .number(0.8)),
                             BuiltinParameter("valid", .number, default: .number(0.1)), BuiltinParameter("test", .number, default: .number(0.1)),
                             BuiltinParameter("stratify", .any, default: Value.none), BuiltinParameter("seed", .any, default: Value.none),
                             BuiltinParameter("source", .bool, default: .bool(false))],
                   doc: "Seeded train/valid/test split (fractions; test gets the rest), optionally stratified by an attribute; source: true keeps the source's own split (FER2013's Usage, a manifest's split column).") { args, ctx in try self.builtinSplit(args, ctx) }

        r.register("resize", [BuiltinParameter("data", .foreign("dataset")), BuiltinParameter("size", .integer)],
                   doc: "Resamples every crop to size×size (area averaging when shrinking); labels, splits and normalisation settings are kept.") { args, ctx in try self.builtinResize(args, ctx) }

        r.register("samples", [BuiltinParameter("data"), BuiltinParameter("n", .integer, default: .number(32)),
                               BuiltinParameter("by", .any, default: Value.none), BuiltinParameter("seed", .any, default: Value.none)],
                   doc: "A PNG grid of n random crops as the network sees them (after gcn, stretched to 0–255), each captioned with its labels; by: one row per class of that attribute. n beyond the data shows all of it, with a note. `.indices` lists the samples shown.") { args, ctx in try self.builtinSamples(args, ctx) }
    }

    /// Loads a FER2013 file, manifest or folder through FacetVision, with a progress bar.
    func loadSource(_ source: DatasetSource, _ label: String, _ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        var options = LoadOptions()
        options.pipeline = FacePipeline(size: try args.integer("size", Self.cropSizes))
        if !args.bool("align") {
            options.pipeline.detectFaces = false; options.pipeline.levelEyes = false; options.pipeline.scaleByEyes = false
        }
        options.normalisation = .none        // `gcn` is an explicit step
        options.split = .automatic
        options.memoryProblem = { MemoryLimit.current.problem(bytes: $0, for: $1) }
        let bar = LockedProgress(progress.progressBar(label: "load \(label)", total: 1))
        let face: FaceDataset
        do {
            face = try FaceDataset.load(source, options: options, progress: { done, total in bar.update(done, total: total) })
        } catch { throw ctx.error(FileFailure.describe(error)) }
        bar.finish(note: face.summary.fromCache ? "(from cache)" : "")
        let hasSplit = face.sourceSplits != nil
        let value = DatasetValue(name: label, face: face, isSplit: hasSplit, steps: [label + (args.bool("align") ? " | align" : "")],
                                 pipeline: options.pipeline)
        registry.noteData(label, fingerprint: value.fingerprint)
        return .foreign(value)
    }

    /// Crop sides the data builtins accept (`synthetic`, loaders, `align`, `resize`): what the
    /// renderer and `FaceDataset.resized` support.
    static let cropSizes = Accepted.from(8, to: 512)

    func checkReadable(_ path: String, _ range: SourceRange) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw Diagnostic(range, "no such file or folder: \(path)",
                             hint: "paths are relative to the folder facet runs in (\(FileManager.default.currentDirectoryPath))")
        }
    }
}

/// A progress bar updated from worker threads.
final class LockedProgress: @unchecked Sendable {
    private let bar: ProgressBar
    private let lock = NSLock()
    private var total: Int?
    init(_ bar: ProgressBar) { self.bar = bar }
    func update(_ done: Int, total: Int? = nil) {
        lock.lock(); defer { lock.unlock() }
        if let total, self.total != total { self.total = total; bar.resize(total) }
        bar.update(done)
    }
    func finish(note: String = "") { lock.lock(); bar.finish(note: note); lock.unlock() }
}


// MARK: - Builtin bodies

extension DataBuiltins {
    /// `synthetic(...)`.
    func builtinSynthetic(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let n = try args.positiveInt("n"), size = try args.integer("size", Self.cropSizes)
        let preset = SyntheticPreset(rawValue: try args.choice("preset", SyntheticPreset.allCases.map(\.rawValue)))!
        let labelNoise = try args.fraction("label_noise")
        let seed = try seeds.seedArgument(args)
        let scene = args.bool("scene")
        let side = SyntheticFaces.side(size: size, scenes: scene)
        try DataMemory.checkImageMemory(count: n, side: side, "\(n) synthetic \(scene ? "scenes" : "faces") of \(side)×\(side)",
                                  at: args.range("n"), hint: "lower `n:` or `size:`")
        let call = "synthetic(n: \(n), seed: \(seed), size: \(size), preset: \"\(preset.rawValue)\"\(scene ? ", scene: true" : ""))"
        let bar = LockedProgress(progress.progressBar(label: "render faces", total: n))
        let batch: SyntheticBatch
        do {
            batch = try SyntheticFaces.generate(count: n, seed: seed, size: size, preset: preset, scenes: scene,
                                                labelNoise: labelNoise, progress: { bar.update($0) })
        } catch { throw ctx.error(FileFailure.describe(error)) }
        bar.finish()
        let attrs = SyntheticAttribute.allCases
        let face = try FaceDataset(
            size: batch.width, pixels: batch.pixels.map { UInt8(max(0, min(255, $0.rounded()))) },
            attributes: attrs.map(\.rawValue),
            labels: Dictionary(uniqueKeysWithValues: attrs.map { ($0.rawValue, batch.labels[$0]!) }),
            classes: Dictionary(uniqueKeysWithValues: attrs.map { ($0.rawValue, $0.classNames) }),
            targetNames: batch.targetNames, targets: batch.targets,
            sources: (0..<n).map { "synthetic face \($0)" }, pipeline: scene ? "synthetic scenes" : "synthetic aligned crops")
        // Rendered crops are framed exactly as the default pipeline frames detected faces.
        let value = DatasetValue(name: call, face: face, isSplit: false, isScene: scene, steps: [call],
                                 pipeline: scene ? nil : FacePipeline(size: size))
        registry.noteData(call, fingerprint: value.fingerprint)
        return .foreign(value)
    }

    /// `fer2013(...)`, `manifest(...)`, `folder(...)`: a readable path, loaded through FacetVision
    /// and named by its call.
    func builtinFileSource(_ name: String, _ source: (String) -> DatasetSource, _ args: BoundArguments,
                           _ ctx: CallContext) throws -> Value {
        let path = args.string("path")
        try checkReadable(path, args.range("path"))
        return try loadSource(source(path), "\(name)(\"\(path)\")", args, ctx)
    }

    /// `dataset(...)`.
    func builtinDataset(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        let kind = args.string("kind")
        let value: Value
        var bound = args
        switch kind {
        case "synthetic":
            bound.values = ["n": args["n"], "seed": args["seed"], "size": args["size"], "preset": args["preset"],
                            "scene": args["scene"], "label_noise": .number(0)]
            value = try builtinSynthetic(bound, ctx)
        case "fer2013", "manifest", "folder":
            guard !args.string("path").isEmpty else {
                throw Diagnostic(args.range("path"), "data \"\(kind)\" needs a path", hint: "run with -p path=FILE")
            }
            bound.values = ["path": args["path"], "align": .bool(true), "size": args["size"]]
            value = try ctx.interpreter.registry[kind]!.body(bound, ctx)
        default:
            throw Diagnostic(args.range("kind"), "unknown data kind \"\(kind)\"",
                             hint: "use \"synthetic\", \"fer2013\", \"manifest\" or \"folder\"")
        }
        guard case let .foreign(f) = value, let data = f as? DatasetValue else { return value }
        let missing = args.list("needs").map(\.description).filter { data.attribute($0) == nil }
        if !missing.isEmpty {
            throw Diagnostic(args.range("kind"), "this notebook needs \(missing.joined(separator: ", ")) labels, but \(data.name) has "
                             + (data.face.attributes.isEmpty ? "no labels" : data.face.attributes.joined(separator: ", ")))
        }
        return value
    }

    /// `align(...)`.
    func builtinAlign(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        guard let data = args.foreign("data", as: DatasetValue.self) else { return .none }
        let defaultSize = data.isScene ? 48 : data.size
        var pipeline = FacePipeline(size: try args.optionalInteger("size", Self.cropSizes) ?? defaultSize)
        pipeline.detectFaces = args.bool("detect"); pipeline.levelEyes = args.bool("level"); pipeline.scaleByEyes = args.bool("scale")
        do { try pipeline.validate() } catch { throw ctx.error(FileFailure.describe(error)) }
        try DataMemory.checkImageMemory(count: data.count, side: max(pipeline.size, data.size), "\(data.count) aligned crops of \(pipeline.size)×\(pipeline.size)",
                                  at: args.range("size"), hint: "a smaller `size:` or fewer samples")
        let bar = LockedProgress(progress.progressBar(label: "align faces", total: data.count))
        let face: FaceDataset
        do { face = try data.face.aligned(pipeline, progress: { done, total in bar.update(done, total: total) }) }
        catch { throw ctx.error(FileFailure.describe(error)) }
        bar.finish(note: "\(face.summary.facesFound) faces, \(face.summary.eyeFallbacks) eye fallbacks, \(face.summary.noFace.count) without a face")
        let flags = [args.bool("detect") ? nil : "detect: false", args.bool("level") ? nil : "level: false",
                     args.bool("scale") ? nil : "scale: false"].compactMap { $0 }
        return .foreign(data.derived(face, step: "align" + (flags.isEmpty ? "" : "(\(flags.joined(separator: ", ")))"), isScene: false,
                                     pipeline: pipeline))
    }

    /// `gcn(...)`.
    func builtinGcn(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        guard let data = args.foreign("data", as: DatasetValue.self) else { return .none }
        try DataMemory.checkImageMemory(count: data.count, side: data.size, "\(data.count) normalised crops of \(data.size)×\(data.size)",
                                  at: args.range("data"), hint: "fewer samples or a smaller crop size")
        let settings = ContrastNormalisation(perImage: args.bool("per_image"), norm: 100, perPixel: args.bool("per_pixel"))
        do { return .foreign(data.derived(try data.face.normalised(settings), step: "gcn")) }
        catch { throw ctx.error(FileFailure.describe(error)) }
    }

    /// `scale(...)`.
    func builtinScale(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        guard let data = args.foreign("data", as: DatasetValue.self) else { return .none }
        let factor = args.number("factor")
        guard factor.isFinite, factor > 0, factor <= 1e6 else {
            throw Diagnostic(args.range("factor"), "the factor must be a positive finite number (at most 1e6), got \(formatNumber(factor))")
        }
        let settings = ContrastNormalisation(perImage: false, perPixel: false, scale: Float(factor))
        let step = factor == 1.0 / 255 ? "scale" : "scale(\(formatNumber(factor)))"
        do { return .foreign(data.derived(try data.face.normalised(settings), step: step)) }
        catch { throw ctx.error(FileFailure.describe(error)) }
    }

    /// `split(...)`.
    func builtinSplit(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        guard let data = args.foreign("data", as: DatasetValue.self) else { return .none }
        let plan: SplitPlan
        if args.bool("source") {
            plan = .fromSource
        } else {
            let (t, v, s) = (try args.fraction("train"), try args.fraction("valid"), try args.fraction("test"))
            guard t > 0, abs(t + v + s - 1) < 1e-6 else {
                throw Diagnostic(args.callRange, "split fractions must be ≥ 0 with train > 0 and add up to 1, got \(formatNumber(t)) + \(formatNumber(v)) + \(formatNumber(s))")
            }
            var stratify: String?
            if case let .string(a) = args["stratify"] {
                guard data.attribute(a) != nil else {
                    throw Diagnostic(args.range("stratify"), "\(data.name) has no attribute '\(a)'",
                                     hint: didYouMeanText(a, data.face.attributes) ?? "it has: \(data.face.attributes.joined(separator: ", "))")
                }
                stratify = a
            }
            plan = .random(train: t, valid: v, seed: try seeds.seedArgument(args), stratifyBy: stratify)
        }
        do { return .foreign(data.derived(try data.face.resplit(plan), step: args.bool("source") ? "split(source)" : "split", isSplit: true)) }
        catch { throw ctx.error(FileFailure.describe(error)) }
    }

    /// `resize(...)`.
    func builtinResize(_ args: BoundArguments, _ ctx: CallContext) throws -> Value {
        guard let data = args.foreign("data", as: DatasetValue.self) else { return .none }
        let size = try args.integer("size", Self.cropSizes)
        try DataMemory.checkImageMemory(count: data.count, side: size, "\(data.count) crops of \(size)×\(size)",
                                  at: args.range("size"), hint: "a smaller `size:`")
        do { return .foreign(data.derived(try data.face.resized(size), step: "resize(\(size))")) }
        catch { throw ctx.error(FileFailure.describe(error)) }

    }
}
