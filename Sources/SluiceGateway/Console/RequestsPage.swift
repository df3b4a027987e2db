import SluiceStore

/// The requests between agencies as a security officer follows them: the open ones by
/// their deadline (or only those past it), each with its case's trail a click away.
struct RequestsPage: Sendable {
    var requests: [StoredDataRequest]
    var overdueOnly: Bool
    /// Where the next page starts, when there is one.
    var next: Int64?
    var isFirstPage: Bool
    /// The time deadlines are compared with.
    var now: String
    var language: ConsoleLanguage

    private var words: ConsoleWords { language.words }

    var heading: String { words.requests }

    private func link(_ path: String, _ query: [(name: String, value: String)]) -> ConsoleLink {
        ConsoleLink(path, query, in: language)
    }

    var body: HTML {
        let choices: HTML = """
            <p class="actions">\(overdueOnly ? "<a href=\"\(link("/console/requests", []))\">\(words.openRequests)</a>" : "<strong>\(words.openRequests)</strong>" as HTML) · \
            \(overdueOnly ? "<strong>\(words.requestsOverdue)</strong>" : "<a href=\"\(link("/console/requests", [("overdue", "true")]))\">\(words.requestsOverdue)</a>" as HTML)</p>
            """
        let rows = requests.map { request -> HTML in
            let trail: HTML =
                request.caseNumber.map { number -> HTML in
                    "<a href=\"\(link("/console/entries", [("case_number", number)]))\" data-case=\"\(number)\">\(number)</a>"
                } ?? ""
            let overdue = request.isOverdue(at: now)
            return """
                <tr class="\(overdue ? "failed" : "")" data-request="\(request.id)"><td>\(trail)</td>\
                <td><a href="\(link("/console/entries", [("agreement", request.agreementID), ("action", "request.created")]))">\(request.agreementID)</a></td>\
                <td>\(request.consumer) → \(request.provider)</td><td>\(request.purpose)</td><td>\(request.officer)</td>\
                <td>\(request.subjects)</td><td>\(request.createdAt)</td><td>\(request.deadline)\(overdue ? " ⚠" : "")</td><td>\(request.state.rawValue)</td></tr>
                """
        }
        let table: HTML =
            requests.isEmpty
            ? "<p class=\"empty\" data-requests=\"0\">\(words.noRequests)</p>"
            : """
            <div class="scroll"><table class="entries" data-requests="\(requests.count)"><thead><tr><th>\(words.caseNumber)</th>\
            <th>\(words.agreement)</th><th>\(words.parties)</th><th>\(words.purpose)</th><th>\(words.officer)</th><th>\(words.subjects)</th>\
            <th>\(words.created)</th><th>\(words.deadline)</th><th>\(words.state)</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
        var paging: [HTML] = []
        let base = link("/console/requests", overdueOnly ? [("overdue", "true")] : [])
        if !isFirstPage { paging.append("<a href=\"\(base)\">\(words.firstPage)</a>") }
        if let next { paging.append("<a rel=\"next\" href=\"\(base.setting("after", String(next)))\">\(words.nextPage)</a>") }
        return """
            \(choices)
            \(table)
            <nav class="paging">\(paging)</nav>
            """
    }
}
