import Foundation
import NIOPosix
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceStore

/// Group commit for accepted packages. Submissions that arrive while a commit is on its
/// way to disk wait and go together in the next transaction: one fsync and one signed
/// checkpoint for the whole group, and every receipt still carries a checkpoint that
/// holds its own entry. Nobody is answered before the transaction holding their package
/// is durable; one failing package (a reused Idempotency-Key) fails alone.
actor SubmissionCommitter {
    typealias Outcome = Result<(package: StoredPackage, repeated: Bool), any Error>

    private let trail: AuditTrail
    private let keys: GatewayKeys
    private let threadPool: NIOThreadPool
    private let metrics: GatewayMetrics
    private var waiting: [(submission: SealedSubmission, continuation: CheckedContinuation<Outcome, Never>)] = []
    private var draining = false
    /// Large enough to amortise the fsync, small enough to bound one transaction.
    static let largestGroup = 64

    init(trail: AuditTrail, keys: GatewayKeys, threadPool: NIOThreadPool, metrics: GatewayMetrics) {
        self.trail = trail
        self.keys = keys
        self.threadPool = threadPool
        self.metrics = metrics
    }

    func commit(_ submission: SealedSubmission) async throws -> (package: StoredPackage, repeated: Bool) {
        let outcome = await withCheckedContinuation { continuation in
            waiting.append((submission, continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
        return try outcome.get()
    }

    private func drain() async {
        while !waiting.isEmpty {
            let group = Array(waiting.prefix(Self.largestGroup))
            waiting.removeFirst(group.count)
            let submissions = group.map(\.submission)
            let (trail, receipts) = (self.trail, ReceiptSigners(jose: keys.receipts, gm: keys.gm?.receipts))
            let outcomes: [Outcome]
            do {
                // The commit waits on fsync: it runs on the blocking pool, not a cooperative thread.
                let started = ContinuousClock.now
                outcomes = try await threadPool.runIfActive { try Self.store(submissions, trail: trail, receipts: receipts) }
                metrics.commit(submissions: group.count, duration: ContinuousClock.now - started)
            } catch {
                outcomes = Array(repeating: .failure(error), count: group.count)
            }
            for (waiter, outcome) in zip(group, outcomes) { waiter.continuation.resume(returning: outcome) }
        }
        draining = false
    }

    /// One transaction for the group: entries first (one stored bundle for the group), then
    /// one checkpoint holding them all, then a receipt per new package, signed and stored
    /// with its row.
    static func store(_ submissions: [SealedSubmission], trail: AuditTrail, receipts: ReceiptSigners) throws -> [Outcome] {
        try trail.commit { transaction -> [Outcome] in
            var outcomes: [Outcome?] = Array(repeating: nil, count: submissions.count)
            // In submission order; a nil index is a repeat, which gets no new package.
            var events: [(index: Int?, event: AuditEvent)] = []
            var claimedKeys: [String: Int] = [:]
            let packages = transaction.packages
            for (index, submission) in submissions.enumerated() {
                let agreement = submission.agreement
                // A request declined while its answer was on its way takes no answer.
                if let request = submission.answersRequest, try transaction.dataRequests.request(id: request.id)?.state == .declined {
                    outcomes[index] = .failure(GatewayProblem(.requestClosed, "request \(request.id) was declined; nothing was accepted"))
                    continue
                }
                if let key = submission.idempotencyKey {
                    // Scoped to the provider, the agreement and the key, here and in the store.
                    let claimKey = Self.claim(submission)
                    let earlier = try packages.package(provider: submission.caller.agency.id, agreement: agreement.id, idempotencyKey: key)
                    if earlier != nil || claimedKeys[claimKey] != nil {
                        let sameBody =
                            earlier.map { $0.bodySHA256 == submission.bodySHA256 }
                            ?? (submissions[claimedKeys[claimKey]!].bodySHA256 == submission.bodySHA256)
                        guard sameBody else {
                            outcomes[index] = .failure(
                                GatewayProblem(
                                    .idempotencyKeyReused,
                                    "this Idempotency-Key was used for another body under this agreement; use a new key"))
                            continue
                        }
                        if let earlier {
                            events.append((nil, repeatEvent(submission, packageID: earlier.id)))
                            outcomes[index] = .success((earlier, true))
                            continue
                        }
                        // The same key twice in this group: answered below with the first one's package.
                        events.append((nil, repeatEvent(submission, packageID: submissions[claimedKeys[claimKey]!].packageID)))
                        continue
                    }
                    claimedKeys[claimKey] = index
                }
                events.append(
                    (
                        index,
                        AuditEvent(
                            actor: submission.caller.actor, action: .submitAccepted, outcome: .success, agreementID: agreement.id,
                            agreementVersion: submission.agreementVersion, packageID: submission.packageID, requestID: submission.requestID,
                            remoteAddress: submission.remoteAddress,
                            details: Self.acceptedDetails(submission))
                    ))
            }
            let entries = try transaction.append(contentsOf: events.map(\.event))
            let fresh = zip(events, entries).compactMap { event, entry in event.index.map { (index: $0, entry: entry) } }
            if !fresh.isEmpty {
                let checkpoint = try transaction.signCheckpoint()
                for (index, entry) in fresh {
                    let submission = submissions[index]
                    let agreement = submission.agreement
                    let receipt = Receipt(
                        packageID: submission.packageID, agreementID: agreement.id, agreementVersion: submission.agreementVersion,
                        provider: agreement.provider,
                        consumer: agreement.consumer, bodySHA256: submission.bodySHA256, recordsAccepted: submission.recordsAccepted,
                        fieldsDropped: submission.fieldsDropped, auditEntryIndex: Int(entry.sequence), checkpoint: checkpoint.note,
                        issuedAt: AuditTime.format(submission.receivedAt))
                    let expires = submission.receivedAt.addingTimeInterval(Double(agreement.retentionDays) * 86_400)
                    let stored = StoredPackage(
                        id: submission.packageID, agreementID: agreement.id, agreementVersion: submission.agreementVersion,
                        provider: agreement.provider,
                        consumer: agreement.consumer, createdAt: AuditTime.format(submission.receivedAt), expiresAt: AuditTime.format(expires),
                        records: submission.recordsAccepted, envelopeBytes: submission.envelope.compactCount, bodySHA256: submission.bodySHA256,
                        idempotencyKey: submission.idempotencyKey, receipt: try receipts.issue(receipt, profile: agreement.cryptoProfile),
                        recipientSHA256: submission.recipientSHA256, answersRequest: submission.answersRequest?.id)
                    try packages.insert(stored, envelope: submission.envelope)
                    if let request = submission.answersRequest {
                        _ = try transaction.dataRequests.markAnswered(id: request.id, at: AuditTime.format(submission.receivedAt))
                    }
                    outcomes[index] = .success((stored, false))
                }
            }
            // Repeats of a key first claimed in this same group get that package.
            for (index, submission) in submissions.enumerated() where outcomes[index] == nil {
                let first = claimedKeys[Self.claim(submission)]!
                if case .success(let stored) = outcomes[first] { outcomes[index] = .success((stored.package, true)) }
            }
            return outcomes.map { $0 ?? .failure(GatewayProblem(.internalError, "the package could not be stored")) }
        }.value
    }

    /// What a `submit.accepted` entry records: counts, the body's digest, the names of
    /// dropped fields as recorded, the request answered.
    static func acceptedDetails(_ submission: SealedSubmission) -> [String: AuditDetail] {
        var details: [String: AuditDetail] = [
            "records": .count(submission.recordsAccepted), "body_sha256": .digest(submission.bodySHA256),
            "fields_dropped": .names(Array(submission.fieldsDropped.keys.sorted().prefix(AuditDetail.maximumNames))),
        ]
        if let request = submission.answersRequest {
            details["answers_request"] = .names([request.id])
            if let caseNumber = request.caseNumber { details["case_number"] = .names([caseNumber]) }
        }
        return details
    }

    /// One idempotency scope: provider, agreement and key.
    static func claim(_ submission: SealedSubmission) -> String {
        [submission.caller.agency.id, submission.agreement.id, submission.idempotencyKey ?? ""].joined(separator: "\u{0}")
    }

    static func repeatEvent(_ submission: SealedSubmission, packageID: String) -> AuditEvent {
        AuditEvent(
            actor: submission.caller.actor, action: .submitAccepted, outcome: .success, agreementID: submission.agreement.id,
            agreementVersion: submission.agreementVersion, packageID: packageID,
            reason: "repeated request: same Idempotency-Key and body; the original receipt returned",
            requestID: submission.requestID, remoteAddress: submission.remoteAddress,
            details: ["body_sha256": .digest(submission.bodySHA256), "repeated": .flag(true)])
    }
}

/// The receipt signers of both profiles: a receipt is signed in its agreement's profile.
struct ReceiptSigners: Sendable {
    let jose: ReceiptIssuer
    let gm: GMReceiptIssuer?

    func issue(_ receipt: Receipt, profile: CryptoProfile) throws -> String {
        switch profile {
        case .jose: return try jose.issue(receipt)
        case .gm:
            guard let gm else { throw GatewayProblem(.cryptoProfileUnavailable, "this gateway has no SM2 signing key for a gm receipt") }
            return try gm.issue(receipt)
        }
    }
}
