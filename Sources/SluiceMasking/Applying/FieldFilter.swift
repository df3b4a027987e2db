import SluiceCore

/// The filter step: which of a record's fields the agreement lists (and under which rule),
/// which hold listed fields nested inside, and which are unlisted, counted by name as the
/// agreement's `on_unlisted_field` says. A field name is the caller's text: one that
/// itself looks like personal data is reported as a placeholder.
struct FieldFilter {
    let tree: FieldTree
    let policy: UnlistedFieldPolicy
    /// The last record's top-level keys and the rule each named (-1: none, or a parent
    /// of nested fields). Records of one file share their keys and order, so a key equal
    /// to last time's at its position skips the hash lookup.
    private var lastKeys: [String] = []
    private var lastRules: [Int] = []
    /// Unlisted field names seen, and how they may be reported.
    private var reportableNames: [String: String] = [:]

    init(fields: [FieldRule], policy: UnlistedFieldPolicy) {
        tree = FieldTree(fields: fields)
        self.policy = policy
    }

    /// What a record's member is to the agreement.
    enum Decision {
        /// A listed field: the index of its rule.
        case field(Int)
        /// An object holding listed fields: the part of the whitelist below it.
        case nested(FieldTree)
        case unlisted
    }

    /// Called before a record's top-level members are decided.
    mutating func start(topLevelKeys count: Int) {
        guard lastKeys.count != count else { return }
        lastKeys = Array(repeating: "", count: count)
        lastRules = Array(repeating: -1, count: count)
    }

    /// What member `key`, at `position` among its object's members, is under `node`
    /// (``tree`` for a record's top level, `top`).
    mutating func decide(_ key: String, at position: Int, under node: FieldTree, top: Bool) -> Decision {
        if top, lastRules[position] >= 0, lastKeys[position] == key { return .field(lastRules[position]) }
        guard let child = node.children[key] else { return .unlisted }
        guard let rule = child.rule else { return .nested(child) }
        if top {
            lastKeys[position] = key
            lastRules[position] = rule
        }
        return .field(rule)
    }

    /// Counts the unlisted field at `path` in `tally`; true when the agreement rejects a
    /// record that carries it.
    mutating func countUnlisted(_ path: String, in tally: inout MaskingSummary) -> Bool {
        let name = reportableName(path)
        let limit = MaskingSummary.nameListLimit
        switch policy {
        case .drop:
            if tally.droppedFields[name] != nil || tally.droppedFields.count < limit {
                tally.droppedFields[name, default: 0] += 1
            } else {
                tally.otherUnlistedFields += 1
            }
            return false
        case .reject:
            if tally.rejectedFields.count < limit {
                tally.rejectedFields.insert(name)
            } else if !tally.rejectedFields.contains(name) {
                tally.otherUnlistedFields += 1
            }
            return true
        }
    }

    /// Unlisted field names go into summaries, receipts, problems and the audit trail. A
    /// name that itself looks like personal data (a CSV file without its header row makes
    /// the first record's values the field names) is reported as a placeholder instead.
    private mutating func reportableName(_ path: String) -> String {
        if let known = reportableNames[path] { return known }
        let safe = Self.namesScanner.detections(in: path).isEmpty ? path : RecordMasker.withheldName
        if reportableNames.count < 10_000 { reportableNames[path] = safe }
        return safe
    }

    private static let namesScanner = TextScanner(cautious: true)
}
