import Foundation
import SluiceCore
import Testing

@testable import SluiceGateway

@Suite("The gateway's current day") struct CurrentDayTests {
    /// Instants asked in order of one `CurrentDay`, each with the date it must answer.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var timeZone: String
        var answers: [(instant: String, date: String)]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // 15:59:59 UTC is 23:59:59 in Shanghai; a second later it is the next day there.
        Case(
            name: "turns at local midnight, not UTC's", timeZone: "Asia/Shanghai",
            answers: [("2026-11-30T15:59:59Z", "2026-11-30"), ("2026-11-30T16:00:00Z", "2026-12-01"), ("2026-12-01T15:59:59Z", "2026-12-01")]),
        Case(
            name: "a clock set back gets its own day", timeZone: "Asia/Shanghai",
            answers: [("2026-12-01T02:00:00Z", "2026-12-01"), ("2026-11-30T02:00:00Z", "2026-11-30"), ("2026-12-01T02:00:00Z", "2026-12-01")]),
        // 2026-11-01 in New York is 25 hours long: it ends at 05:00 UTC the next day.
        Case(
            name: "a day of 25 hours", timeZone: "America/New_York",
            answers: [("2026-11-01T12:00:00Z", "2026-11-01"), ("2026-11-02T04:59:59Z", "2026-11-01"), ("2026-11-02T05:00:00Z", "2026-11-02")]),
        // 2026-03-08 in New York is 23 hours long: the next day starts at 04:00 UTC, and a
        // day taken as 24 hours would still answer the 8th half an hour later.
        Case(
            name: "a day of 23 hours", timeZone: "America/New_York",
            answers: [("2026-03-08T12:00:00Z", "2026-03-08"), ("2026-03-09T04:30:00Z", "2026-03-09")]),
    ]

    static func instant(_ text: String) throws -> Date {
        try Date(text, strategy: .iso8601)
    }

    @Test(arguments: cases) func answersEachInstant(_ scenario: Case) throws {
        let day = CurrentDay(timeZone: try #require(TimeZone(identifier: scenario.timeZone)))
        for (instant, date) in scenario.answers {
            #expect(day.date(at: try Self.instant(instant)) == CalendarDate(iso8601: date), "at \(instant)")
        }
    }

    @Test func agreesWithTheCalendarThroughAYear() throws {
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let day = CurrentDay(timeZone: shanghai)
        var moment = try Self.instant("2026-01-01T00:00:00Z")
        for _ in 0..<(365 * 24 / 7) {
            #expect(day.date(at: moment) == CalendarDate.today(in: shanghai, at: moment))
            moment += 7 * 3600
        }
    }
}
