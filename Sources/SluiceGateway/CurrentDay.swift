import Foundation
import SluiceCore
import Synchronization

/// Today's date in the gateway's time zone, which agreements' validity windows and
/// age bands are checked against. The calendar works it out once a day rather than on
/// every request: in a profile of small submissions it cost as much as routing them.
final class CurrentDay: Sendable {
    private let timeZone: TimeZone
    /// The day last worked out, and the instants where it starts and the next one starts.
    private let cached = Mutex<(day: CalendarDate, start: Date, end: Date)?>(nil)

    init(timeZone: TimeZone = .current) {
        self.timeZone = timeZone
    }

    /// The date at `now`; a clock set back is answered for its own moment too.
    func date(at now: Date = Date()) -> CalendarDate {
        if let known = cached.withLock({ $0 }), known.start <= now, now < known.end { return known.day }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let day = CalendarDate.today(in: timeZone, at: now)
        let start = calendar.startOfDay(for: now)
        // Adding a day fails only outside the calendar's range; then nothing is kept.
        let end = calendar.date(byAdding: .day, value: 1, to: start) ?? now
        cached.withLock { $0 = (day, start, end) }
        return day
    }
}
