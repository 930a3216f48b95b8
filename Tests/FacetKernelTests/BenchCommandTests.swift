import XCTest

/// `facet bench --check-kernels`, including the re-exec that selects OpenBLAS kernels.
final class BenchCommandTests: XCTestCase {
    func testLoadedKernelsAgreeWithNaiveProduct() throws {
        let r = try FacetCLI.run(["bench", "--check-kernels"], environment: ["FACET_BLAS_CORETYPE": "keep"])
        XCTAssertEqual(r.status, 0, r.stderr + r.stdout)
        XCTAssertTrue(r.stdout.contains("agree"), r.stdout)
    }

    func testForcedCoreTypeReexecutesWithItAndStillAgrees() throws {
        // FACET_BLAS_CORETYPE forces the same path the automatic fallback fix takes: the process
        // re-executes itself with OPENBLAS_CORETYPE set before OpenBLAS loads.
        let r = try FacetCLI.run(["bench", "--check-kernels"], environment: ["FACET_BLAS_CORETYPE": "Haswell"],
                                 removing: ["OPENBLAS_CORETYPE", "FACET_BLAS_REEXEC"])
        XCTAssertEqual(r.status, 0, r.stderr + r.stdout)
        XCTAssertTrue(r.stdout.contains("kernels: Haswell (OpenBLAS chose"), r.stdout)
        XCTAssertTrue(r.stdout.contains("agree"), r.stdout)
    }
}
