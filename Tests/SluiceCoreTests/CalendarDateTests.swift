import SluiceCore
import Testing

@Suite struct CalendarDateTests {
    @Test(arguments: ["2024-02-29", "2000-02-29", "2025-12-31", "0001-01-01"])
    func realDays(text: String) {
        #expect(CalendarDate(iso8601: text)?.description == text)
    }

    @Test(arguments: ["2025-02-29", "1900-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-1-01", "20250101", "2025-01-01T00:00:00Z", ""])
    func notRealOrNotISO(text: String) {
        #expect(CalendarDate(iso8601: text) == nil)
    }

    @Test func ordersChronologically() throws {
        let early = try #require(CalendarDate(iso8601: "2025-01-31"))
        let late = try #require(CalendarDate(iso8601: "2025-02-01"))
        #expect(early < late)
    }
}
