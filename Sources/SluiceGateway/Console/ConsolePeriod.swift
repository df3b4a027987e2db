import Foundation
import SluiceAudit
import SluiceCore

/// The days an overview covers, in UTC as the trail's times are: `from` and `to`
/// (`YYYY-MM-DD`, both included), the last seven days to today when absent, at most
/// a year and a day.
struct ConsolePeriod: Sendable, Hashable {
    let days: [String]
    let since: Date
    let until: Date

    static let longest = 366

    init(from fromText: String?, to toText: String?, now: Date) throws(GatewayProblem) {
        let today = String(AuditTime.format(now).prefix(10))
        func date(_ text: String?, _ name: String, default fallback: String) throws(GatewayProblem) -> Date {
            let text = text ?? fallback
            guard CalendarDate(iso8601: text) != nil, text.utf8.count == 10, let date = AuditTime.parse(text) else {
                throw GatewayProblem(.badRequest, "\(name) must be a date, YYYY-MM-DD")
            }
            return date
        }
        let last = try date(toText, "to", default: today)
        let first = try date(fromText, "from", default: String(AuditTime.format(last.addingTimeInterval(-6 * 86_400)).prefix(10)))
        guard first <= last else { throw GatewayProblem(.badRequest, "from must not be after to") }
        let count = Int((last.timeIntervalSince(first) / 86_400).rounded()) + 1
        guard count <= Self.longest else { throw GatewayProblem(.badRequest, "a period is at most \(Self.longest) days") }
        days = (0..<count).map { String(AuditTime.format(first.addingTimeInterval(Double($0) * 86_400)).prefix(10)) }
        since = first
        until = last.addingTimeInterval(86_400)
    }

    var first: String { days[0] }
    var last: String { days[days.count - 1] }

    /// The `since` and `until` of the entries of one day, or of the whole period.
    static func bounds(day: String) -> [(name: String, value: String)] {
        let start = AuditTime.parse(day) ?? Date(timeIntervalSince1970: 0)
        return [("since", day), ("until", String(AuditTime.format(start.addingTimeInterval(86_400)).prefix(10)))]
    }

    var bounds: [(name: String, value: String)] {
        [("since", first), ("until", String(AuditTime.format(until).prefix(10)))]
    }
}
