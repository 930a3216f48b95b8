// swift-tools-version:5.10
import PackageDescription

// Dependencies point downward only (docs/architecture.md draws them):
//   facet (CLI, readline over CReadline) → FacetLSP, FacetJupyter, FacetNotebook, FacetPredict, FacetONNX, FacetMPI,
//                                         FacetBench, FacetSession, FacetCache, FacetLangTools, FacetLang, FacetWeights,
//                                         FacetEngine, FacetSynthetic, FacetVision, FacetRandom, FacetFiles
//   FacetLSP → FacetNotebook (checking notebooks), FacetSession (the environment it checks in),
//              FacetLangTools (outline, formatting), FacetLang, FacetEngine
//   FacetJupyter → FacetNotebook (.fnb ↔ .ipynb), FacetSession (behind its interpreter seam), FacetLangTools
//                  (completion), CZMQ (transport), CCrypto (HMAC-SHA256 signing), CSVG (figures as PNG)
//   FacetNotebook (runner, report files, REPL) → FacetSession, FacetResults (results.json), FacetLangTools
//                  (the REPL's completion)
//   FacetSession (interpreter environment, seeds, output, builtins, the trainer pipeline)
//                → FacetResults, FacetCache, FacetLang, FacetWeights, FacetSynthetic, FacetVision, FacetReport, FacetEngine,
//                  FacetRandom, FacetFiles
//   FacetResults (what a study measured and concluded: estimates, comparisons, findings, learning
//                 entries, the results log and its results.json) → FacetLang, FacetReport, FacetEngine
//   FacetCache (result cache, checkpoints on disk, training key) → FacetWeights, FacetEngine, FacetFiles,
//              CCrypto (SHA-256)
//   FacetPredict (`facet predict`, model files) → FacetVision, FacetWeights, FacetEngine, FacetFiles
//   FacetBench (`facet bench`: the engine against the machine's limits) → FacetEngine (its `Profiling` API)
//   FacetLangTools (`facet fmt`, completion, the language server's outline) → FacetLang
//   FacetLang → FacetWeights (save, load) → FacetEngine → CBLAS, CDNNL (oneDNN: its fp32 GEMM where it wins),
//                                                        CConvolution (oneDNN's convolution primitive),
//                                                        CKernels (the dense layer's streaming batch-1..8 forward, stride-2 max-pooling)
//   FacetSynthetic (the synthetic face generator, `facet data synth`) → FacetVision (the face pipeline it is
//                  measured against), CVision (its C renderer)
//   FacetVision → CVision (OpenCV)
//   FacetEngine, FacetBench, FacetVision, FacetSynthetic and FacetReport → FacetRandom (the one seeded generator)
//   FacetWeights (the engine's files on disk: safetensors, model files, checkpoints) → FacetEngine, FacetFiles
//   FacetEngine, FacetWeights, FacetVision, FacetSynthetic, FacetLang → FacetFiles (errors in plain words)
//   FacetMPI → CMPI (Open MPI) + FacetEngine (its `Collective` protocol): data-parallel training and whole runs
//             across ranks; FacetEngine and FacetSession see only the protocol, never MPI
//   FacetONNX → FacetWeights (the model file), FacetEngine + SwiftProtobuf (ONNX export; nothing else waits on it)
let package = Package(
    name: "Facet",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "facet", targets: ["facet"]),
        .library(name: "FacetEngine", targets: ["FacetEngine"]),
        .library(name: "FacetWeights", targets: ["FacetWeights"]),
        .library(name: "FacetLang", targets: ["FacetLang"]),
        .library(name: "FacetLangTools", targets: ["FacetLangTools"]),
        .library(name: "FacetVision", targets: ["FacetVision"]),
        .library(name: "FacetSynthetic", targets: ["FacetSynthetic"]),
        .library(name: "FacetBench", targets: ["FacetBench"]),
        .library(name: "FacetSession", targets: ["FacetSession"]),
        .library(name: "FacetNotebook", targets: ["FacetNotebook"]),
        .library(name: "FacetCache", targets: ["FacetCache"]),
        .library(name: "FacetPredict", targets: ["FacetPredict"]),
        .library(name: "FacetJupyter", targets: ["FacetJupyter"]),
        .library(name: "FacetONNX", targets: ["FacetONNX"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    ],
    targets: [
        // MARK: C shims
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZMQ", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
        .target(
            name: "CVision",
            cxxSettings: [.unsafeFlags(["-I/usr/include/opencv4", "-O2"])],
            linkerSettings: [
                .linkedLibrary("opencv_objdetect"), .linkedLibrary("opencv_imgcodecs"),
                .linkedLibrary("opencv_imgproc"), .linkedLibrary("opencv_core"),
            ]),

        // The dense layer's streaming forward at batch 1-8 (memory-bound GEMV): C with AVX-512 and
        // AVX2 paths chosen at run time, since Swift code here is compiled for baseline x86-64.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off"])]),

        // oneDNN's convolution primitive with reorders between the engine's NCHW and its blocked
        // layouts, in C behind a plain header (the oneDNN C API's descriptor structs are easier there).
        .target(name: "CConvolution", cSettings: [.unsafeFlags(["-O2"])],
                linkerSettings: [.linkedLibrary("dnnl"), .linkedLibrary("gomp")]),

        // SVG → PNG for Jupyter (librsvg2-dev): a C file behind a plain header, so no glib type
        // reaches Swift. The include folders are pkg-config's for librsvg-2.0 on Debian.
        .target(
            name: "CSVG",
            cSettings: [.unsafeFlags([
                "-I/usr/include/librsvg-2.0", "-I/usr/include/glib-2.0", "-I/usr/include/gdk-pixbuf-2.0",
                "-I/usr/include/cairo", "-I/usr/lib/x86_64-linux-gnu/glib-2.0/include",
                "-I/usr/lib/aarch64-linux-gnu/glib-2.0/include", "-O2",
            ])],
            linkerSettings: [
                .linkedLibrary("rsvg-2"), .linkedLibrary("cairo"), .linkedLibrary("gobject-2.0"), .linkedLibrary("glib-2.0"),
            ]),

        // MARK: Swift modules
        .target(name: "FacetRandom"),
        .target(name: "FacetFiles"),
        .target(name: "FacetEngine", dependencies: ["CBLAS", "CDNNL", "CConvolution", "CKernels", "FacetRandom", "FacetFiles"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        // `facet bench`'s measurement code, compiled like the engine it times.
        // The engine's files on disk: safetensors, model files, training checkpoints.
        .target(name: "FacetWeights", dependencies: ["FacetEngine", "FacetFiles"]),
        .target(name: "FacetBench", dependencies: ["FacetEngine", "FacetRandom"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        .target(name: "FacetVision", dependencies: ["CVision", "FacetRandom", "FacetFiles"]),
        .target(name: "FacetSynthetic", dependencies: ["FacetVision", "CVision", "FacetRandom", "FacetFiles"]),
        .target(name: "FacetReport", dependencies: ["FacetRandom"]),
        .target(name: "FacetMPI", dependencies: ["CMPI", "FacetEngine"]),
        .target(name: "FacetLang", dependencies: ["FacetWeights", "FacetEngine", "FacetFiles"]),
        .target(name: "FacetLangTools", dependencies: ["FacetLang"]),
        .target(name: "FacetCache", dependencies: ["FacetWeights", "FacetEngine", "FacetFiles", "CCrypto"]),
        .target(name: "FacetPredict", dependencies: ["FacetWeights", "FacetEngine", "FacetVision", "FacetFiles"]),
        .target(name: "FacetResults", dependencies: ["FacetLang", "FacetReport", "FacetEngine"]),
        .target(name: "FacetSession", dependencies: [
            "FacetResults", "FacetCache", "FacetLang", "FacetWeights", "FacetEngine", "FacetSynthetic", "FacetVision", "FacetReport",
            "FacetRandom", "FacetFiles",
        ]),
        .target(name: "FacetNotebook", dependencies: [
            "FacetSession", "FacetResults", "FacetCache", "FacetLangTools", "FacetLang", "FacetEngine", "FacetFiles",
        ]),
        .target(name: "FacetJupyter", dependencies: [
            "FacetNotebook", "FacetSession", "FacetCache", "FacetLangTools", "FacetLang", "FacetEngine", "FacetFiles",
            "CZMQ", "CCrypto", "CSVG",
        ]),
        // onnx.pb.swift is generated once from onnx.proto and committed (docs/onnx.md says how).
        .target(name: "FacetONNX", dependencies: [
            "FacetWeights", "FacetEngine", "FacetFiles", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        // `facet lsp`: the language server, on the checker (FacetLang), its tools (FacetLangTools)
        // and notebooks (FacetNotebook).
        .target(name: "FacetLSP", dependencies: ["FacetNotebook", "FacetSession", "FacetLangTools", "FacetLang", "FacetEngine"]),
        .executableTarget(name: "facet", dependencies: [
            "FacetLSP", "FacetJupyter", "FacetNotebook", "FacetPredict", "FacetSession", "FacetCache", "FacetBench", "FacetWeights",
            "FacetEngine",
            "FacetSynthetic", "FacetVision", "FacetLangTools", "FacetLang", "FacetRandom", "FacetFiles", "FacetONNX", "FacetMPI",
            "CReadline",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: Tests (one target per module)
        // Shared by the test targets: running the built `facet`, a tmpfs, a tiny training, the predict fixture.
        .target(name: "FacetTestSupport", dependencies: ["FacetSession", "FacetNotebook", "FacetCache"],
                path: "Tests/FacetTestSupport"),
        // Shared by the engine's, the weight files' and the bench's tests: ranks as threads of one process
        // (`ThreadRanks`), the bars task (`BarsFixture`), nets for memory checks (`MemoryFixture`).
        .target(name: "FacetEngineTestSupport", dependencies: ["FacetEngine", "FacetRandom"], path: "Tests/FacetEngineTestSupport"),
        // Shared by the language's and its tools' tests: an interpreter with the stdlib (`Harness`), seeded mutations.
        .target(name: "FacetLangTestSupport", dependencies: ["FacetLang", "FacetRandom"], path: "Tests/FacetLangTestSupport"),
        .testTarget(name: "FacetEngineTests", dependencies: ["FacetEngine", "FacetEngineTestSupport", "FacetRandom", "CKernels"]),
        .testTarget(name: "FacetWeightsTests", dependencies: ["FacetWeights", "FacetEngine", "FacetEngineTestSupport"]),
        .testTarget(name: "FacetBenchTests", dependencies: ["FacetBench", "FacetEngine", "FacetEngineTestSupport"]),
        .testTarget(name: "FacetVisionTests", dependencies: ["FacetVision", "FacetRandom"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "FacetSyntheticTests", dependencies: ["FacetSynthetic", "FacetVision", "CVision", "FacetRandom"]),
        .testTarget(name: "FacetReportTests", dependencies: ["FacetReport", "FacetRandom"],
                    resources: [.copy("Fixtures")]),
        // ParserTests reads syntax trees as text (`dump`, FacetLangTools).
        .testTarget(name: "FacetLangTests", dependencies: [
            "FacetLang", "FacetLangTools", "FacetLangTestSupport", "FacetWeights", "FacetEngine", "FacetRandom",
        ], resources: [.copy("Golden")]),
        // Format/ holds fmt's messy inputs and expected layouts, read by path (FormatTests).
        .testTarget(name: "FacetLangToolsTests", dependencies: ["FacetLangTools", "FacetLang", "FacetLangTestSupport", "FacetRandom"],
                    exclude: ["Format"]),
        .testTarget(name: "FacetLSPTests", dependencies: ["FacetLSP", "FacetSession", "FacetNotebook", "FacetLangTools", "FacetLang"]),
        .testTarget(name: "FacetRandomTests", dependencies: ["FacetRandom"]),
        .testTarget(name: "FacetFilesTests", dependencies: ["FacetFiles"]),
        // A test-only program MPITests runs under mpirun: a notebook over the real MPI world with an
        // injected fault (a rank that dies), writing each rank's trained weights afterwards.
        .executableTarget(name: "facet-rank-probe", dependencies: [
            "FacetMPI", "FacetNotebook", "FacetSession", "FacetCache", "FacetWeights", "FacetEngine", "FacetLang",
        ], path: "Tests/FacetRankProbe"),
        .testTarget(name: "FacetMPITests", dependencies: [
            "FacetMPI", "FacetWeights", "FacetEngine", "FacetSession", "FacetTestSupport", "facet", "facet-rank-probe",
        ]),
        .testTarget(name: "FacetCacheTests", dependencies: ["FacetCache", "FacetEngine", "FacetTestSupport"]),
        .testTarget(name: "FacetPredictTests", dependencies: [
            "FacetPredict", "FacetSession", "FacetWeights", "FacetEngine", "FacetVision", "FacetTestSupport", "facet",
        ]),
        .testTarget(name: "FacetResultsTests", dependencies: ["FacetResults", "FacetReport", "FacetLang"]),
        .testTarget(name: "FacetSessionTests", dependencies: [
            "FacetSession", "FacetResults", "FacetNotebook", "FacetCache", "FacetPredict", "FacetWeights", "FacetEngine", "FacetLang",
            "FacetVision", "FacetReport", "FacetFiles", "FacetTestSupport", "facet",
        ]),
        .testTarget(name: "FacetNotebookTests", dependencies: [
            "FacetNotebook", "FacetSession", "FacetCache", "FacetEngine", "FacetLangTools", "FacetLang", "FacetTestSupport", "facet",
        ]),
        .testTarget(name: "FacetJupyterTests", dependencies: [
            "FacetJupyter", "FacetNotebook", "FacetSession", "FacetTestSupport", "facet",
        ]),
        // The `facet` executable, run as a process (FacetCLI in FacetTestSupport).
        .testTarget(name: "FacetCLITests", dependencies: [
            "facet", "FacetSession", "FacetNotebook", "FacetJupyter", "FacetCache", "FacetWeights", "FacetEngine", "FacetLang",
            "FacetFiles", "FacetTestSupport",
        ]),
        .testTarget(name: "FacetONNXTests", dependencies: [
            "FacetONNX", "FacetWeights", "FacetEngine", "FacetVision", "FacetSession", "FacetRandom", "facet",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
    ],
    cxxLanguageStandard: .cxx17
)

// MARK: Fuzz targets (libFuzzer), only when FACET_FUZZ is set: they have no `main` of their own
// (libFuzzer supplies it), so an ordinary build must not see them. scripts/fuzz builds them with
// --sanitize=fuzzer --sanitize=address -enable-testing in .build-fuzz.
if Context.environment["FACET_FUZZ"] != nil {
    let fuzzTargets: [(String, [Target.Dependency])] = [
        ("fuzz-language", ["FacetLang"]),
        ("fuzz-notebook", ["FacetNotebook", "FacetLang"]),
        ("fuzz-ipynb", ["FacetJupyter", "FacetNotebook", "FacetFiles"]),
        ("fuzz-safetensors", ["FacetWeights", "FacetEngine"]),
        ("fuzz-fer2013", ["FacetVision"]),
        ("fuzz-manifest", ["FacetVision"]),
        ("fuzz-lsp", ["FacetLSP", "FacetSession", "FacetNotebook"]),
    ]
    for (name, dependencies) in fuzzTargets {
        package.targets.append(.executableTarget(name: name, dependencies: dependencies, path: "fuzz/Sources/\(name)"))
        package.products.append(.executable(name: name, targets: [name]))
    }
}
