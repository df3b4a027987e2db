import Foundation
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
