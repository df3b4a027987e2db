import SluiceAudit

/// The overview: the period's figures, each a card and a chart, every card and bar a link
/// to the entries behind it in the timeline.
struct OverviewPage: Sendable {
    var overview: ConsoleOverview
    var language: ConsoleLanguage

    private var words: ConsoleWords { language.words }

    private func entries(_ query: [(name: String, value: String)]) -> ConsoleLink {
        ConsoleLink("/console/entries", query, in: language)
    }

    var heading: String { words.overview }

    var body: HTML {
        let period = overview.period
        let summary = overview.summary
        let whole = period.bounds
        let accepted = [("action", AuditAction.submitAccepted.rawValue), ("outcome", "success")]
        let delivered = summary.delivered
        let form: HTML = """
            <form class="period" method="get" action="/console/">\(language == .en ? "<input type=\"hidden\" name=\"lang\" value=\"en\">" : "" as HTML)\
            <label>\(words.from) <input type="date" name="from" value="\(period.first)"></label> \
            <label>\(words.to) <input type="date" name="to" value="\(period.last)"></label> \
            <button type="submit">\(words.show)</button> <span class="note">\(period.days.count) \(words.periodDays), UTC</span></form>
            """
        let standing = overview.outstanding
        let unfetched = standing.unfetched.values.reduce(0, +)
        let waiting = standing.unacknowledged.values.reduce(0, +)
        let expired = standing.pastRetention.values.reduce(0, +)
        let cards: [HTML] = [
            card("packages", words.packages, delivered.packages, entries(accepted + whole)),
            card("records", words.records, delivered.records, entries(accepted + whole)),
            card("refusals", words.refusals, summary.refusalCount, "#refusals"),
            card(
                "authentication-failures", words.authenticationFailures, summary.authenticationFailures,
                entries([("action", AuditAction.authenticationFailed.rawValue)] + whole)),
            card("access-denied", words.accessDenied, summary.accessDenied, entries([("action", AuditAction.accessDenied.rawValue)] + whole)),
            card("failures", words.failures, summary.failures, entries([("outcome", "failed")] + whole)),
            card("unfetched", words.unfetched + " (" + words.currentFigures + ")", unfetched, "#outstanding"),
            card("unacknowledged", words.unacknowledged + " (" + words.currentFigures + ")", waiting, "#outstanding"),
            card("past-retention", words.pastRetention + " (" + words.currentFigures + ")", expired, "#retention"),
            card(
                "requests-overdue", words.requestsOverdue + " (" + words.currentFigures + ")", overview.requestsOverdue,
                ConsoleLink("/console/requests", [("overdue", "true")], in: language)),
        ]
        // Stacked by agreement: the three with the most packages, then the rest together.
        let byPackages = summary.byAgreement.sorted { ($0.value.packages, $1.key) > ($1.value.packages, $0.key) }
        let ranked = byPackages.map(\.key)
        let shown = Array(ranked.prefix(ranked.count > 4 ? 3 : 4))
        let perDay = BarChart(
            title: words.packagesPerDay, series: shown + (ranked.count > shown.count ? [words.otherAgreements] : []),
            bars: period.days.map { day in
                var values = shown.map { summary.byAgreementDay[$0]?[day]?.packages ?? 0 }
                if ranked.count > shown.count { values.append((summary.byDay[day]?.packages ?? 0) - values.reduce(0, +)) }
                return BarChart.Bar(label: day, values: values, link: "\(entries(accepted + ConsolePeriod.bounds(day: day)))")
            }, layout: .columns, emptyText: words.nothingInPeriod)
        let perAgreement = BarChart(
            title: words.packagesPerAgreement,
            bars: byPackages.map { agreement, delivery in
                BarChart.Bar(
                    label: "\(agreement) (\(delivery.records))", values: [delivery.packages],
                    link: "\(entries(accepted + [("agreement", agreement)] + whole))")
            }, layout: .rows, emptyText: words.nothingInPeriod)
        let refusals = BarChart(
            title: words.refusalsByReason,
            bars: summary.refusals.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(15).map { refusal, count in
                var query = [("action", refusal.action), ("outcome", refusal.outcome)]
                if let reason = refusal.reason { query.append(("reason", reason)) }
                return BarChart.Bar(
                    label: refusal.action + " · " + (refusal.reason ?? refusal.outcome), values: [count], link: "\(entries(query + whole))")
            }, layout: .rows, emptyText: words.nothingInPeriod)
        let security = BarChart(
            title: words.securityPerDay, series: [words.authenticationFailures, words.accessDenied],
            bars: period.days.map { day in
                BarChart.Bar(
                    label: day, values: [summary.authenticationFailuresByDay[day] ?? 0, summary.accessDeniedByDay[day] ?? 0],
                    link: "\(entries([("outcome", "denied")] + ConsolePeriod.bounds(day: day)))")
            }, layout: .columns, emptyText: words.nothingInPeriod)
        // Not fetched, and fetched but not acknowledged: the two do not overlap, so they stack.
        let waitingAgreements = Set(standing.unfetched.keys).union(standing.unacknowledged.keys).sorted()
        let outstanding = BarChart(
            title: words.outstandingPerAgreement, series: [words.unfetched, words.fetchedUnacknowledged],
            bars: waitingAgreements.map { agreement in
                let notFetched = standing.unfetched[agreement] ?? 0
                return BarChart.Bar(
                    label: agreement, values: [notFetched, max(0, (standing.unacknowledged[agreement] ?? 0) - notFetched)],
                    link: "\(entries([("action", AuditAction.submitAccepted.rawValue), ("agreement", agreement)]))")
            }, layout: .rows, emptyText: words.nothingInPeriod)
        let retention = BarChart(
            title: words.pastRetentionPerAgreement,
            bars: standing.pastRetention.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { agreement, count in
                BarChart.Bar(
                    label: agreement, values: [count],
                    link: "\(entries([("action", AuditAction.packagePurged.rawValue), ("agreement", agreement)]))")
            }, layout: .rows, emptyText: words.nothingInPeriod)
        let cut: HTML =
            overview.cutShort
            ? "<p class=\"problem\" role=\"alert\" data-cut-short=\"\(overview.entriesRead)\">\(words.cutShort) \(overview.entriesRead) \(words.entriesLabel)</p>"
            : ""
        return """
            \(form)\(cut)
            <section class="cards">\(cards)</section>
            <section class="charts">\(perDay.html)\(perAgreement.html)<div id="refusals">\(refusals.html)</div>\(security.html)<div id="outstanding">\(outstanding.html)</div><div id="retention">\(retention.html)</div></section>
            """
    }

    private func card(_ name: String, _ title: String, _ value: Int, _ link: ConsoleLink) -> HTML {
        card(name, title, value, link.description)
    }

    private func card(_ name: String, _ title: String, _ value: Int, _ link: String) -> HTML {
        "<a class=\"card\" href=\"\(link)\"><span class=\"figure\" data-figure=\"\(name)\">\(value)</span><span class=\"label\">\(title)</span></a>"
    }
}
