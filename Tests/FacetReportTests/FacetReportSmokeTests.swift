import XCTest
@testable import FacetReport
final class FacetReportSmokeTests: XCTestCase { func testModuleLoads() { XCTAssertTrue(true) } }
