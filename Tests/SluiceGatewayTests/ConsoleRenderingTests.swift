import Foundation
import SluiceAudit
import SluiceStore
import Testing

@testable import SluiceGateway

/// The console's pure parts: escaping, links, charts and periods.
@Suite("Console rendering") struct ConsoleRenderingTests {
    @Test func interpolatedTextIsEscapedAndMarkupIsNot() {
        let hostile = "\"><img src=x onerror=alert(1)>'&\u{202E}\u{07}"
        let html: HTML = "<p title=\"\(hostile)\">\(hostile)</p>"
        #expect(
            html.text
                == "<p title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;\u{FFFD}\u{FFFD}\">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;\u{FFFD}\u{FFFD}</p>"
        )
        let inner: HTML = "<b>\("x")</b>"
        #expect(("<i>\(inner)</i>" as HTML).text == "<i><b>x</b></i>")
    }

    @Test func linkValuesCannotLeaveTheirParameter() {
        let link = ConsoleLink("/console/entries", [("actor", "a&b=c d+é/?#"), ("lang", "en")])
        #expect(link.description == "/console/entries?actor=a%26b%3Dc%20d%2B%C3%A9%2F%3F%23&lang=en")
        #expect(link.setting("lang", nil).description == "/console/entries?actor=a%26b%3Dc%20d%2B%C3%A9%2F%3F%23")
    }

    @Test func chartBarsAreLinksWithEscapedLabels() {
        let chart = BarChart(
            title: "t",
            bars: [.init(label: "<a>", values: [2], link: "/console/entries?agreement=%3Ca%3E"), .init(label: "b", values: [1], link: "/x")],
            layout: .rows, emptyText: "none")
        let text = chart.html.text
        #expect(text.contains(#"<a href="/console/entries?agreement=%3Ca%3E" class="bar" data-label="&lt;a&gt;" data-value="2">"#))
        #expect(!text.contains("<a>"))
        let empty = BarChart(title: "t", bars: [.init(label: "d", values: [0], link: "/")], layout: .columns, emptyText: "none")
        #expect(empty.html.text.contains("<p class=\"empty\">none</p>"))
    }

    @Test func packagesPerDayStackTheThreeLargestAgreementsAndTheRest() throws {
        var summary = AuditSummary()
        for (agreement, count) in [("a", 5), ("b", 4), ("c", 3), ("d", 2), ("e", 1)] {
            for _ in 0..<count {
                let entry = AuditEntry(
                    sequence: 0, time: "2026-12-05T08:00:00.000Z", actor: AuditActor(kind: .agency, id: "p"), action: .submitAccepted,
                    agreementID: agreement, agreementVersion: 1, outcome: .success, details: ["records": .count(2)])
                summary.add(json: String(decoding: entry.canonicalJSON, as: UTF8.self))
            }
        }
        let now = try #require(ISO8601DateFormatter().date(from: "2026-12-05T13:00:00Z"))
        let overview = ConsoleOverview(
            period: try ConsolePeriod(from: "2026-12-04", to: "2026-12-05", now: now), summary: summary, outstanding: OutstandingPackages(),
            requestsOverdue: 0)
        let page = OverviewPage(overview: overview, language: .en).body.text
        #expect(page.contains(#"data-label="2026-12-05" data-value="15""#) && page.contains(#"<title>2026-12-05: 5 + 4 + 3 + 3</title>"#))
        #expect(page.contains("</svg>other agreements</li>") && page.contains("</svg>a</li>") && !page.contains("</svg>d</li>"))
        #expect(page.contains(#"data-figure="packages">15<"#) && page.contains(#"data-figure="records">30<"#))
    }

    @Test func periodsAreWholeUTCDaysOfAtMostAYear() throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2026-12-05T13:00:00Z"))
        let week = try ConsolePeriod(from: nil, to: nil, now: now)
        #expect(week.days == ["2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05"])
        #expect(week.bounds.map(\.value) == ["2026-11-29", "2026-12-06"])
        let leap = try ConsolePeriod(from: "2028-02-28", to: "2028-03-01", now: now)
        #expect(leap.days == ["2028-02-28", "2028-02-29", "2028-03-01"])
        for (from, to) in [("2026-12-05", "2026-12-01"), ("2026-13-01", "2026-12-01"), ("2024-01-01", "2026-01-01"), ("x", nil)] {
            #expect(throws: GatewayProblem.self) { try ConsolePeriod(from: from, to: to, now: now) }
        }
    }
}
