/// Detections per kind, counted in place by the kind's position: scanning adds to these
/// for every text, and hashing a dictionary key each time cost more than the scan.
public struct DetectionCounts: Sendable {
    private var byPosition = InlineArray<16, Int>(repeating: 0)

    public init() {}

    public subscript(kind: DetectionKind) -> Int { byPosition[kind.position] }

    /// All kinds' detections together.
    public private(set) var total = 0

    @inline(__always) mutating func add(_ kind: DetectionKind) {
        byPosition[kind.position] += 1
        total += 1
    }

    /// The counts added to a summary's dictionary, leaving out kinds not seen.
    public func add(to counts: inout [DetectionKind: Int]) {
        for kind in DetectionKind.allCases where byPosition[kind.position] > 0 {
            counts[kind, default: 0] += byPosition[kind.position]
        }
    }
}
