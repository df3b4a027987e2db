import Foundation
import SluiceAudit
import SluiceCore
import SluiceStore

/// The filters of the audit timeline (`/v1/audit/entries`, `/v1/audit/export`, the
/// console's entries page), read from a query string. Each value is checked before it
/// reaches the store, and a refusal names the parameter (also in the problem's `fields`),
/// never the value sent.
struct AuditFilterQuery: Sendable {
    var filter: AuditFilter
    /// The names of the filters given, as the read's audit entry records them.
    var used: [String]

    /// The longest actor, agreement, package or reason a filter takes: longer ones match nothing
    /// the gateway writes.
    static let longestValue = 512

    init(_ parameter: (String) -> String?) throws(GatewayProblem) {
        func text(_ name: String, longest: Int = Self.longestValue) throws(GatewayProblem) -> String? {
            guard let value = parameter(name) else { return nil }
            guard !value.isEmpty, value.unicodeScalars.count <= longest else {
                throw GatewayProblem(.badRequest, "\(name) must be 1 to \(longest) characters", fields: [name])
            }
            return value
        }
        func time(_ name: String) throws(GatewayProblem) -> Date? {
            guard let text = parameter(name) else { return nil }
            guard let date = AuditTime.parse(text) else {
                throw GatewayProblem(.badRequest, "\(name) must be an RFC 3339 time or a YYYY-MM-DD date", fields: [name])
            }
            return date
        }
        var action: AuditAction?
        if let text = parameter("action") {
            guard let known = AuditAction(rawValue: text) else {
                throw GatewayProblem(.badRequest, "action is not one the audit trail uses", fields: ["action"])
            }
            action = known
        }
        var outcome: AuditOutcome?
        if let text = parameter("outcome") {
            guard let known = AuditOutcome(rawValue: text) else {
                throw GatewayProblem(.badRequest, "outcome must be success, rejected, denied or failed", fields: ["outcome"])
            }
            outcome = known
        }
        filter = AuditFilter(
            actor: try text("actor"), action: action, agreement: try text("agreement"), package: try text("package"), outcome: outcome,
            since: try time("since"), until: try time("until"), caseNumber: try text("case_number", longest: RequestText.longestCaseNumber),
            reason: try text("reason"))
        used = ["actor", "action", "agreement", "package", "outcome", "case_number", "reason"].filter { parameter($0) != nil }
        if filter.since != nil || filter.until != nil { used.append("time") }
    }
}
