import Foundation
import SluiceStore

/// One entry: its members, its exact canonical bytes and leaf hash, and its inclusion
/// proof, which the page's script fetches from the audit API and checks in the browser
/// against the checkpoint key the officer trusts.
struct EntryPage: Sendable {
    var entry: StoredAuditEntry
    /// The checkpoint keys the gateway publishes, current first; the officer's pinned key,
    /// when there is one, is used instead.
    var publishedKeys: [String]
    var language: ConsoleLanguage

    private var words: ConsoleWords { language.words }

    var heading: String { "\(words.entry) #\(entry.sequence)" }

    var body: HTML {
        let fields = EntryFields(json: entry.json)
        // Each value a filter takes links to the timeline of the entries that share it.
        let rows: [(String, String?, filter: String?)] = [
            (words.time, fields?.time, nil), (words.actor, fields.map { "\($0.actor.id) (\($0.actor.kind))" }, "actor"),
            (words.action, fields?.action, "action"), (words.agreement, fields?.agreement?.id, "agreement"),
            (words.version, fields?.agreement?.version.map(String.init), nil), (words.package, fields?.package, "package"),
            (words.outcome, fields?.outcome, nil), (words.reason, fields?.reason, "reason"), (words.requestID, fields?.requestID, nil),
            (words.remoteAddress, fields?.remoteAddress, nil),
        ]
        let table = rows.compactMap { name, value, filter -> HTML? in
            guard let value else { return nil }
            guard let filter else { return "<tr><th>\(name)</th><td>\(value)</td></tr>" }
            let filtered = filter == "actor" ? fields?.actor.id ?? value : value
            let link = ConsoleLink("/console/entries", [(filter, filtered)], in: language)
            return "<tr><th>\(name)</th><td><a href=\"\(link)\" data-filter=\"\(filter)\">\(value)</a></td></tr>"
        }
        let leaf = entry.leafHash.map { String(format: "%02x", $0) }.joined()
        return """
            <table class="fields">\(table)</table>
            <h2>\(words.canonicalBytes)</h2>
            <pre class="bytes" id="entry-bytes">\(entry.json)</pre>
            <p>\(words.leafHash) (SHA-256(0x00 ‖ bytes)): <code id="leaf-hash">\(leaf)</code></p>
            <section class="proof" id="inclusion" data-index="\(entry.sequence)" data-entry="\(Data(entry.json.utf8).base64EncodedString())" \
            data-published-keys="\(publishedKeys.joined(separator: "\n"))">
            <h2>\(words.inclusionProof)</h2>
            <p class="state" data-proof-state="pending">\(words.checking)</p>
            <pre class="proof-detail" id="inclusion-detail"></pre>
            <p class="note">\(words.inBrowserNote)</p>
            </section>
            """
    }
}
