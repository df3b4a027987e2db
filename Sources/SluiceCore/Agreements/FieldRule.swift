/// One entry of an agreement's whitelist: a field the consumer may receive, what it must
/// look like, and how it is masked.
public struct FieldRule: Sendable, Hashable, Encodable {
    public var name: FieldPath
    public var type: FieldType
    /// A record without this field is a validation failure.
    public var required: Bool
    public var mask: MaskRule
    /// Free text is searched for ID numbers, phone numbers, bank cards and e-mail
    /// addresses, and each one found is masked.
    public var scan: Bool

    public init(name: FieldPath, type: FieldType, required: Bool = false, mask: MaskRule = .keep, scan: Bool = false) {
        self.name = name
        self.type = type
        self.required = required
        self.mask = mask
        self.scan = scan
    }
}
