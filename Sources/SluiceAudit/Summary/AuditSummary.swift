/// What a period of the audit trail adds up to, for the officers' overview: packages and
/// records delivered per agreement and per day, refusals by what was refused and why, and
/// failed and denied authentications per day. Fed one entry at a time, so a long period
/// costs one pass and memory bounded by the number of days, agreements and reasons.
public struct AuditSummary: Sendable, Hashable {
    /// Packages accepted (repeats of an Idempotency-Key not counted again) and their records.
    public struct Delivery: Sendable, Hashable {
        public var packages = 0
        public var records = 0

        public init(packages: Int = 0, records: Int = 0) {
            self.packages = packages
            self.records = records
        }
    }

    /// One kind of refusal: the action refused, how, and the reason the gateway wrote.
    public struct Refusal: Sendable, Hashable, Comparable {
        public var action: String
        public var outcome: String
        public var reason: String?

        public init(action: String, outcome: String, reason: String?) {
            self.action = action
            self.outcome = outcome
            self.reason = reason
        }

        public static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.action, lhs.outcome, lhs.reason ?? "") < (rhs.action, rhs.outcome, rhs.reason ?? "")
        }
    }

    public private(set) var entries = 0
    /// Entries that could not be read as entries (`verify` names them); counted, not summed.
    public private(set) var unreadable = 0
    public private(set) var byAgreement: [String: Delivery] = [:]
    /// Keyed by the UTC day, `YYYY-MM-DD`, of the entry's time.
    public private(set) var byDay: [String: Delivery] = [:]
    /// Per agreement, per UTC day.
    public private(set) var byAgreementDay: [String: [String: Delivery]] = [:]
    public private(set) var refusals: [Refusal: Int] = [:]
    /// Failed TLS authentications (attempts, not entries: the gateway records them a window at a time).
    public private(set) var authenticationFailuresByDay: [String: Int] = [:]
    public private(set) var accessDeniedByDay: [String: Int] = [:]
    /// Entries whose outcome is `failed`: the gateway could not complete what was asked.
    public private(set) var failures = 0

    public init() {}

    public var delivered: Delivery {
        byAgreement.values.reduce(into: Delivery()) { total, one in
            total.packages += one.packages
            total.records += one.records
        }
    }

    public var refusalCount: Int { refusals.values.reduce(0, +) }
    public var authenticationFailures: Int { authenticationFailuresByDay.values.reduce(0, +) }
    public var accessDenied: Int { accessDeniedByDay.values.reduce(0, +) }

    /// Adds one entry, given as its canonical JSON.
    public mutating func add(json: String) {
        entries += 1
        var json = json
        guard let tally = json.withUTF8({ AuditEntryIndex.tally(json: UnsafeRawBufferPointer($0)) }), tally.time.utf8.count >= 10 else {
            unreadable += 1
            return
        }
        let day = String(tally.time.prefix(10))
        switch (tally.action, tally.outcome) {
        case (AuditAction.submitAccepted.rawValue, AuditOutcome.success.rawValue):
            guard !tally.repeated, let agreement = tally.agreement else { return }
            let records = tally.records ?? 0
            byAgreement[agreement, default: Delivery()].packages += 1
            byAgreement[agreement, default: Delivery()].records += records
            byDay[day, default: Delivery()].packages += 1
            byDay[day, default: Delivery()].records += records
            byAgreementDay[agreement, default: [:]][day, default: Delivery()].packages += 1
            byAgreementDay[agreement, default: [:]][day, default: Delivery()].records += records
        case (AuditAction.authenticationFailed.rawValue, _):
            authenticationFailuresByDay[day, default: 0] += max(1, tally.attempts ?? 1)
        case (_, AuditOutcome.rejected.rawValue), (_, AuditOutcome.denied.rawValue):
            if tally.action == AuditAction.accessDenied.rawValue { accessDeniedByDay[day, default: 0] += 1 }
            refusals[Refusal(action: tally.action, outcome: tally.outcome, reason: tally.reason), default: 0] += 1
        case (_, AuditOutcome.failed.rawValue):
            failures += 1
        default:
            break
        }
    }
}
