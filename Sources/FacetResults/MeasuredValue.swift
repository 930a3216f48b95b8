import FacetEngine
import FacetLang
import FacetReport

/// A metric's value on one run, with what turning several runs into an estimate needs: the
/// per-test-item contributions (the test set's sampling error), the metric's range and the run's
/// learning check. Metric bodies return it; a single run's metric is shown as the plain number.
public final class MeasuredValue: ForeignValue {
    public let value: Double
    public let items: TestSample?
    public let range: ClosedRange<Double>?
    public let learning: [LearningEntry]

    public init(_ value: Double, items: TestSample?, range: ClosedRange<Double>?, learning: [LearningEntry]) {
        self.value = value; self.items = items; self.range = range; self.learning = learning
    }

    public var typeName: String { "number" }
    public var description: String { formatNumber(value) }
    public func member(_ name: String) -> Value? { nil }
    public var memberNames: [String] { [] }
}

/// Which test items a metric averaged over, so two estimates on the same items pair item by item:
/// the head and a hash of its labels in order (the same faces give the same key however they were
/// preprocessed; different test sets practically never share one).
public func testKey(head: String, labels: [Double]) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for v in labels {
        for b in withUnsafeBytes(of: v.bitPattern, Array.init) { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    }
    return "\(head):\(labels.count):" + String(h, radix: 16)
}
