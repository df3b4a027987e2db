import SluiceCore

/// An agreement's whitelist as a tree of name segments, so a record is checked in one
/// walk: `legal_rep.name` is the child `name` of the node `legal_rep`.
struct FieldTree {
    /// The index into the agreement's fields when this node is a listed field.
    var rule: Int?
    var children: [String: FieldTree] = [:]

    init(fields: [FieldRule]) {
        for (index, field) in fields.enumerated() { insert(field.name.segments[...], rule: index) }
    }

    private init() {}

    private mutating func insert(_ path: ArraySlice<String>, rule index: Int) {
        guard let first = path.first else {
            rule = index
            return
        }
        var child = children[first] ?? FieldTree()
        child.insert(path.dropFirst(), rule: index)
        children[first] = child
    }
}
