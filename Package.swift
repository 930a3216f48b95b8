// swift-tools-version:5.10
import PackageDescription

// Dependencies point downward only:
//   facet → FacetKernel → FacetLang → FacetEngine → CBLAS
//                       ↘ FacetVision → CVision (OpenCV)
//                       ↘ FacetReport (no dependencies)
let package = Package(
    name: "Facet",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "facet", targets: ["facet"]),
        .library(name: "FacetEngine", targets: ["FacetEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: C shims
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        .target(
            name: "CVision",
            cxxSettings: [.unsafeFlags(["-I/usr/include/opencv4", "-O2"])],
            linkerSettings: [
                .linkedLibrary("opencv_objdetect"), .linkedLibrary("opencv_imgcodecs"),
                .linkedLibrary("opencv_imgproc"), .linkedLibrary("opencv_core"),
            ]),

        // MARK: Swift modules
        .target(name: "FacetEngine", dependencies: ["CBLAS"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        .target(name: "FacetVision", dependencies: ["CVision"]),
        .target(name: "FacetReport"),
        .target(name: "FacetLang", dependencies: ["FacetEngine"]),
        .target(name: "FacetKernel", dependencies: [
            "FacetLang", "FacetEngine", "FacetVision", "FacetReport", "CReadline",
        ]),
        .executableTarget(name: "facet", dependencies: [
            "FacetKernel", "FacetEngine", "FacetVision", "FacetReport", "FacetLang",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: Tests (one target per module)
        .testTarget(name: "FacetEngineTests", dependencies: ["FacetEngine"]),
        .testTarget(name: "FacetVisionTests", dependencies: ["FacetVision"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "FacetReportTests", dependencies: ["FacetReport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "FacetLangTests", dependencies: ["FacetLang", "FacetEngine"],
                    resources: [.copy("Golden")]),
        .testTarget(name: "FacetKernelTests", dependencies: ["FacetKernel", "facet"]),
    ],
    cxxLanguageStandard: .cxx17
)
