import Foundation
import SluiceStore

/// Audit entries as people read them: a table of the columns that matter, or, with
/// `--json`, the stored canonical JSON one entry per line (what `export` writes).
struct AuditEntryTable {
    private var table = TextTable("SEQ", "TIME", "ACTOR", "ACTION", "OUTCOME", "AGREEMENT", "PACKAGE", "REASON")
    private(set) var count = 0

    mutating func append(_ entry: StoredAuditEntry) {
        count += 1
        let object = (try? JSONSerialization.jsonObject(with: Data(entry.json.utf8))) as? [String: Any] ?? [:]
        let actor = object["actor"] as? [String: Any]
        let agreement = object["agreement"] as? [String: Any]
        func text(_ value: Any?) -> String { (value as? String) ?? (value as? NSNumber)?.stringValue ?? "-" }
        let agreementText = agreement.map { text($0["id"]) + (($0["version"] as? NSNumber).map { " v\($0)" } ?? "") } ?? "-"
        table.append(
            String(entry.sequence), text(object["time"]), text(actor?["id"]), text(object["action"]), text(object["outcome"]),
            agreementText, text(object["package_id"]), text(object["reason"]))
    }

    func render() -> String { table.render() }

    /// The entry's JSON, byte for byte into a file or a pipe; on a terminal with what
    /// could act on it escaped (the same JSON value).
    static func printJSONLine(_ entry: StoredAuditEntry) {
        Swift.print(TerminalText.standardOutputIsTerminal ? TerminalText.jsonSafe(entry.json) : entry.json)
    }
}
