import Foundation
import SluiceAPI
import SluiceStore

/// The trail's integrity: the latest signed checkpoint (its signature checked in the
/// browser), the checkpoint key and the officer's pinned one, the last full verification
/// and a button to run one, and the box where a partner's kept checkpoint is proved to be
/// contained in the log now.
struct IntegrityPage: Sendable {
    var checkpoint: StoredCheckpoint?
    /// The verifier keys the gateway publishes, the current one first.
    var verifierKeys: [String]
    /// The latest `audit.verified` entry, if any.
    var lastVerification: StoredAuditEntry?
    var run: APIDocument.AuditVerificationStatus
    var language: ConsoleLanguage

    private var words: ConsoleWords { language.words }

    var heading: String { words.integrity }

    var body: HTML {
        let latest: HTML
        if let checkpoint {
            latest = """
                <dl><dt>\(words.treeSize)</dt><dd data-tree-size="\(checkpoint.size)">\(checkpoint.size)</dd>\
                <dt>\(words.signedAt)</dt><dd>\(checkpoint.signedAt)</dd></dl>
                <pre class="note-text" id="latest-checkpoint" data-note="\(Data(checkpoint.note.utf8).base64EncodedString())">\(checkpoint.note)</pre>
                <p class="state" data-checkpoint-state="pending">\(words.checking)</p>
                """
        } else {
            latest = "<p class=\"empty\">\(words.noCheckpoint)</p>"
        }
        let verification: HTML
        if let lastVerification, let fields = EntryFields(json: lastVerification.json) {
            let link = ConsoleLink("/console/entries/\(lastVerification.sequence)", in: language)
            let result = fields.outcome == "success" ? words.passed : words.failed
            verification = """
                <p data-last-verification="\(fields.outcome)"><a href="\(link)">#\(lastVerification.sequence)</a> \(fields.time) · \
                \(fields.actor.id) · <strong class="\(fields.outcome)">\(result)</strong>\(fields.reason.map { " · " + $0 } ?? "")</p>
                """
        } else {
            verification = "<p class=\"empty\" data-last-verification=\"none\">\(words.noVerification)</p>"
        }
        let keys = verifierKeys.map { key -> HTML in "<li><code>\(key)</code></li>" }
        return """
            <section><h2>\(words.latestCheckpoint)</h2>\(latest)</section>
            <section><h2>\(words.checkpointKey)</h2><ul class="keys" id="published-keys">\(keys)</ul>
            <p class="note">\(words.checkpointKeyHelp)</p>
            <p><input type="text" id="verifier-key" size="80" value="\(verifierKeys.first ?? "")" spellcheck="false" autocomplete="off"> \
            <button type="button" id="pin-key">\(words.pinKey)</button> <span id="pin-state"></span></p></section>
            <section><h2>\(words.lastVerification)</h2>\(verification)
            <p><button type="button" id="run-verification">\(words.runVerification)</button> \
            <progress id="verification-progress" max="1" value="0" hidden></progress> \
            <span id="verification-state" data-run-state="\(run.state)"></span></p></section>
            <section><h2>\(words.keptCheckpoint)</h2><p class="note">\(words.keptCheckpointHelp)</p>
            <textarea id="kept-checkpoint" rows="7" cols="80" spellcheck="false"></textarea>
            <p><button type="button" id="check-consistency">\(words.checkConsistency)</button></p>
            <p class="state" data-consistency-state="idle"></p><pre class="proof-detail" id="consistency-detail"></pre>
            <p class="note">\(words.inBrowserNote)</p></section>
            """
    }
}
