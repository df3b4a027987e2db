import SluiceCore
import SluiceStore

/// Whether a submission may start now: within its agreement's submissions a minute and
/// its agency's uploads in progress. Both answer 429 with a time to retry. On a store
/// several gateways share, the rate is counted in the store, across all of them.
struct SubmissionAdmission {
    let state: GatewayState

    /// The upload slot the submission holds until it is answered.
    func admit(_ caller: Caller, under agreement: Agreement) async throws -> UploadSlots.Slot {
        let perMinute = agreement.limits.ratePerMinute
        let wait: Int?
        if let shared = state.store as? any SharedRateLimits {
            // Agency and agreement ids are identifiers: a tab separates them unambiguously.
            let bucket = caller.agency.id + "\t" + agreement.id
            wait = try await state.blocking { try shared.takeToken(bucket: bucket, perMinute: perMinute) }.map { max(1, Int($0.rounded(.up))) }
        } else {
            wait = state.rateLimiter.admit(agency: caller.agency.id, agreement: agreement.id, perMinute: perMinute)
        }
        if let wait {
            throw GatewayProblem(
                .rateLimited, "agreement \(agreement.id) allows \(agreement.limits.ratePerMinute) submissions a minute; retry in \(wait) s",
                retryAfterSeconds: wait)
        }
        guard let slot = state.uploads.acquire(agency: caller.agency.id) else {
            throw GatewayProblem(
                .tooManyUploads,
                "\(caller.agency.id) already has \(state.uploads.perAgency) uploads in progress; retry when one has finished",
                retryAfterSeconds: 1)
        }
        return slot
    }
}
