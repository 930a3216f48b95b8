import XCTest
@testable import FacetEngine

final class KernelSelectionTests: XCTestCase {
    func testGenericKernelsOnAVX512MachineSelectSkylakeX() {
        let flags: Set<String> = ["fma", "avx", "avx2", "avx512f", "avx512bw", "avx512vl", "avx512dq"]
        XCTAssertEqual(KernelSelection.recommendedCoreType(coreName: "Prescott", cpuFlags: flags), "SkylakeX")
        XCTAssertEqual(KernelSelection.recommendedCoreType(coreName: "Prescott", cpuFlags: ["avx", "avx2", "fma"]), "Haswell")
        XCTAssertNil(KernelSelection.recommendedCoreType(coreName: "Zen", cpuFlags: flags), "recognised kernels are kept")
        XCTAssertNil(KernelSelection.recommendedCoreType(coreName: "Prescott", cpuFlags: ["sse2"]))
    }

    func testReexecEnvironmentRespectsUserChoicesAndStopsLoops() {
        let avx2: Set<String> = ["avx", "avx2", "fma"]
        let env = KernelSelection.reexecEnvironment(current: ["PATH": "/bin"], coreName: "Prescott", cpuFlags: avx2)
        XCTAssertEqual(env?["OPENBLAS_CORETYPE"], "Haswell")
        XCTAssertEqual(env?["PATH"], "/bin")
        XCTAssertNil(KernelSelection.reexecEnvironment(current: env!, coreName: "Prescott", cpuFlags: avx2), "no second re-exec")
        XCTAssertNil(KernelSelection.reexecEnvironment(current: ["OPENBLAS_CORETYPE": "Zen"], coreName: "Prescott", cpuFlags: avx2))
        XCTAssertNil(KernelSelection.reexecEnvironment(current: ["FACET_BLAS_CORETYPE": "keep"], coreName: "Prescott", cpuFlags: avx2))
        XCTAssertEqual(KernelSelection.reexecEnvironment(current: ["FACET_BLAS_CORETYPE": "Zen"], coreName: "Haswell", cpuFlags: avx2)?["OPENBLAS_CORETYPE"], "Zen")
    }

    func testCpuFlagsParsing() {
        let info = "processor : 0\nflags\t\t: fpu SSE2 avx2 fma\nbugs : none\n"
        XCTAssertEqual(KernelSelection.cpuFlags(cpuinfo: info), ["fpu", "sse2", "avx2", "fma"])
        XCTAssertEqual(KernelSelection.cpuFlags(cpuinfo: nil), [])
    }
}
