/// One piece of personal data found in a text: its kind and where it lies, as byte
/// offsets into the text's UTF-8.
public struct Detection: Sendable, Hashable {
    public var kind: DetectionKind
    public var range: Range<Int>

    public init(kind: DetectionKind, range: Range<Int>) {
        self.kind = kind
        self.range = range
    }
}
