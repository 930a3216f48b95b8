import XCTest
@testable import FacetKernel
final class FacetKernelSmokeTests: XCTestCase { func testModuleLoads() { XCTAssertTrue(true) } }
