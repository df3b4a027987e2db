import Foundation
import SluiceCore
import Testing

@testable import SluiceGateway

@Suite("The gateway's current day") struct CurrentDayTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func instant(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    @Test func turnsAtLocalMidnightNotUTC() {
        let day = CurrentDay(timeZone: Self.shanghai)
        // 15:59:59 UTC is 23:59:59 in Shanghai; a second later it is the next day there.
        #expect(day.date(at: Self.instant("2026-11-30T15:59:59Z")) == CalendarDate(iso8601: "2026-11-30"))
        #expect(day.date(at: Self.instant("2026-11-30T16:00:00Z")) == CalendarDate(iso8601: "2026-12-01"))
        #expect(day.date(at: Self.instant("2026-12-01T15:59:59Z")) == CalendarDate(iso8601: "2026-12-01"))
    }

    @Test func aClockSetBackGetsItsOwnDay() {
        let day = CurrentDay(timeZone: Self.shanghai)
        #expect(day.date(at: Self.instant("2026-12-01T02:00:00Z")) == CalendarDate(iso8601: "2026-12-01"))
        #expect(day.date(at: Self.instant("2026-11-30T02:00:00Z")) == CalendarDate(iso8601: "2026-11-30"))
        #expect(day.date(at: Self.instant("2026-12-01T02:00:00Z")) == CalendarDate(iso8601: "2026-12-01"))
    }

    @Test func aDaylightSavingDayEndsAtItsOwnMidnight() {
        // 2026-11-01 in New York is 25 hours long: it ends at 05:00 UTC the next day.
        let day = CurrentDay(timeZone: Self.newYork)
        #expect(day.date(at: Self.instant("2026-11-01T12:00:00Z")) == CalendarDate(iso8601: "2026-11-01"))
        #expect(day.date(at: Self.instant("2026-11-02T04:59:59Z")) == CalendarDate(iso8601: "2026-11-01"))
        #expect(day.date(at: Self.instant("2026-11-02T05:00:00Z")) == CalendarDate(iso8601: "2026-11-02"))
    }

    @Test func aDayWithAnHourLessEndsAnHourEarly() {
        // 2026-03-08 in New York is 23 hours long: the next day starts at 04:00 UTC, and a
        // day taken as 24 hours would still answer the 8th half an hour later.
        let day = CurrentDay(timeZone: Self.newYork)
        #expect(day.date(at: Self.instant("2026-03-08T12:00:00Z")) == CalendarDate(iso8601: "2026-03-08"))
        #expect(day.date(at: Self.instant("2026-03-09T04:30:00Z")) == CalendarDate(iso8601: "2026-03-09"))
    }

    @Test func agreesWithTheCalendarThroughAYear() {
        let day = CurrentDay(timeZone: Self.shanghai)
        var moment = Self.instant("2026-01-01T00:00:00Z")
        for _ in 0..<(365 * 24 / 7) {
            #expect(day.date(at: moment) == CalendarDate.today(in: Self.shanghai, at: moment))
            moment += 7 * 3600
        }
    }
}
