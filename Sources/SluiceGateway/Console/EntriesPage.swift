import SluiceAudit
import SluiceStore

/// The timeline: the filters the CLI has, newest first, a page at a time, each entry a
/// link to its detail, and the filtered entries' export.
struct EntriesPage: Sendable {
    /// The filter values as given, to fill the form and carry to the next page.
    var given: [(name: String, value: String)]
    var entries: [StoredAuditEntry]
    /// Where the next (older) page ends, when there is one.
    var nextBefore: UInt64?
    var isFirstPage: Bool
    var language: ConsoleLanguage
    /// What is wrong with the filters given, when something is (the words name the
    /// filter, never repeat its value).
    var problem: String? = nil

    static let filterNames = ["actor", "action", "agreement", "package", "outcome", "case_number", "reason", "since", "until"]
    static let pageSize = 50

    private var words: ConsoleWords { language.words }

    var heading: String { words.entries }

    private var base: ConsoleLink { ConsoleLink("/console/entries", given, in: language) }

    private func value(_ name: String) -> String { given.first { $0.name == name }?.value ?? "" }

    var body: HTML {
        let text: [(String, String)] = [
            ("actor", words.actor), ("agreement", words.agreement), ("package", words.package), ("case_number", words.caseNumber),
            ("reason", words.reason),
        ]
        let fields = text.map { name, label -> HTML in
            "<label>\(label) <input type=\"text\" name=\"\(name)\" value=\"\(value(name))\" maxlength=\"512\"></label>"
        }
        let actions = choice("action", words.action, AuditAction.allCases.map(\.rawValue))
        let outcomes = choice("outcome", words.outcome, AuditOutcome.allCases.map(\.rawValue))
        let times = [("since", words.since), ("until", words.until)].map { name, label -> HTML in
            "<label>\(label) <input type=\"text\" name=\"\(name)\" value=\"\(value(name))\" placeholder=\"YYYY-MM-DD\" maxlength=\"40\"></label>"
        }
        let language: HTML = self.language == .en ? "<input type=\"hidden\" name=\"lang\" value=\"en\">" : ""
        let form: HTML = """
            <form class="filters" method="get" action="/console/entries" id="filters">\(language)\(actions)\(outcomes)\(fields)\(times)\
            <button type="submit">\(words.filter)</button> <a href="\(ConsoleLink("/console/entries", in: self.language))">\(words.clear)</a></form>
            """
        let export = ConsoleLink("/v1/audit/export", given)
        let rows = entries.map(row)
        let table: HTML =
            problem != nil
            ? "<p class=\"problem\" role=\"alert\">\(problem ?? "")</p>"
            : entries.isEmpty
                ? "<p class=\"empty\" data-entries=\"0\">\(words.noEntries)</p>"
                : """
                <div class="scroll"><table class="entries" data-entries="\(entries.count)"><thead><tr><th>\(words.sequence)</th><th>\(words.time)</th><th>\(words.actor)</th>\
                <th>\(words.action)</th><th>\(words.agreement)</th><th>\(words.package)</th><th>\(words.outcome)</th><th>\(words.reason)</th></tr></thead>
                <tbody>\(rows)</tbody></table></div>
                """
        var paging: [HTML] = []
        if !isFirstPage { paging.append("<a href=\"\(base)\">\(words.firstPage)</a>") }
        if let nextBefore { paging.append("<a rel=\"next\" href=\"\(base.setting("before", String(nextBefore)))\">\(words.nextPage)</a>") }
        return """
            \(form)
            \(problem == nil ? "<p class=\"actions\"><a class=\"export\" href=\"\(export)\" download=\"audit-entries.jsonl\">\(words.exportJSONL)</a></p>" : "" as HTML)
            \(table)
            <nav class="paging">\(paging)</nav>
            """
    }

    private func choice(_ name: String, _ label: String, _ options: [String]) -> HTML {
        let chosen = value(name)
        let items = ([""] + options).map { option -> HTML in
            let shown = option.isEmpty ? words.any : option
            return option == chosen
                ? "<option value=\"\(option)\" selected>\(shown)</option>" : "<option value=\"\(option)\">\(shown)</option>"
        }
        return "<label>\(label) <select name=\"\(name)\">\(items)</select></label>"
    }

    private func row(_ entry: StoredAuditEntry) -> HTML {
        let detail = ConsoleLink("/console/entries/\(entry.sequence)", in: language)
        guard let fields = EntryFields(json: entry.json) else {
            return "<tr data-sequence=\"\(entry.sequence)\"><td><a href=\"\(detail)\">\(entry.sequence)</a></td><td colspan=\"7\">?</td></tr>"
        }
        return """
            <tr data-sequence="\(entry.sequence)" class="\(fields.outcome)"><td><a href="\(detail)">\(entry.sequence)</a></td>\
            <td>\(fields.time)</td><td>\(fields.actor.id)</td><td>\(fields.action)</td><td>\(fields.agreement?.id ?? "")</td>\
            <td class="id">\(fields.package ?? "")</td><td>\(fields.outcome)</td><td>\(fields.reason ?? "")</td></tr>
            """
    }
}
