import SluiceCore

/// Whether a submission may start now: within its agreement's submissions a minute and
/// its agency's uploads in progress. Both answer 429 with a time to retry.
struct SubmissionAdmission {
    let state: GatewayState

    /// The upload slot the submission holds until it is answered.
    func admit(_ caller: Caller, under agreement: Agreement) throws(GatewayProblem) -> UploadSlots.Slot {
        if let wait = state.rateLimiter.admit(agency: caller.agency.id, agreement: agreement.id, perMinute: agreement.limits.ratePerMinute) {
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
