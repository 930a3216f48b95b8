import XCTest
@testable import FacetVision
final class FacetVisionSmokeTests: XCTestCase { func testModuleLoads() { XCTAssertTrue(true) } }
