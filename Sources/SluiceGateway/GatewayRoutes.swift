import Foundation
import Hummingbird
import NIOCore
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceStore

/// The partner API of the design: submit, inbox, fetch, acknowledge, the caller's
/// agreements, and the operations endpoints. Every access, granted or refused, is
/// audited before it is answered.
struct GatewayRoutes {
    let state: GatewayState

    func add(to router: Router<GatewayRequestContext>) {
        router.get("/healthz") { _, context in try await self.health(context) }
        router.get("/metrics") { _, context in try await self.metrics(context) }
        router.post("/v1/agreements/:agreement/packages") { request, context in try await self.submit(request, context) }
        router.get("/v1/agreements") { _, context in try await self.listAgreements(context) }
        router.get("/v1/inbox") { request, context in try await self.inbox(request, context) }
        router.get("/v1/packages/:package") { _, context in try await self.fetch(context) }
        router.post("/v1/packages/:package/ack") { _, context in try await self.acknowledge(context) }
    }

    // MARK: Submission

    func submit(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try await require(.partner, context)
        let registry = try Self.registry(context)
        let requested = context.parameters.get("agreement") ?? ""
        let known = registry.agreements[requested]
        // The path segment is the caller's text: only an id the registry knows is recorded.
        let agreementID = RecordedIdentifier.agreement(requested, known: known != nil)
        let start = ContinuousClock.now
        var bodyBytes = 0
        var records = 0
        var event = AuditEvent(
            actor: caller.actor, action: .submitRejected, outcome: .rejected, agreementID: agreementID,
            requestID: context.requestID, remoteAddress: context.remoteAddress)
        var upload: UploadSlots.Slot?
        defer { upload?.release() }
        do {
            // A partner that is not party to an agreement gets the answer for one that does
            // not exist: which agreements others have is not its business.
            guard let applied = known, applied.agreement.isParty(caller.agency.id) else {
                if known != nil {
                    event.action = .accessDenied
                    event.outcome = .denied
                    event.reason = "not-a-party"
                }
                throw GatewayProblem(.agreementNotFound, "there is no agreement of that id for \(caller.agency.id)")
            }
            let agreement = applied.agreement
            event.agreementVersion = applied.version
            guard agreement.provider == caller.agency.id else {
                event.action = .accessDenied
                event.outcome = .denied
                event.reason = "not-the-provider"
                throw GatewayProblem(.forbidden, "\(caller.agency.id) is the consumer, not the provider, of agreement \(agreement.id)")
            }
            let today = state.today.date()
            if let refusal = AgreementGate.refusal(for: agreement, on: today) { throw refusal }
            guard agreement.cryptoProfile == .jose else {
                throw GatewayProblem(
                    .cryptoProfileUnavailable,
                    "agreement \(agreement.id) asks for the \(agreement.cryptoProfile.rawValue) profile, which this gateway cannot seal yet; nothing was accepted")
            }
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
            upload = slot
            let format = try Self.format(of: request)
            let key = request.headers[.init("Idempotency-Key")!]
            if let key, key.isEmpty || key.utf8.count > 200 {
                throw GatewayProblem(.badRequest, "Idempotency-Key must be 1 to 200 characters")
            }

            var intake = SubmissionIntake(
                agreement: agreement, format: format, limits: state.configuration.limits,
                pseudonymizer: state.pseudonymizer(for: agreement), today: today)
            do {
                for try await buffer in request.body {
                    bodyBytes += buffer.readableBytes
                    try buffer.withUnsafeReadableBytes { bytes throws(GatewayProblem) in try intake.feed(bytes) }
                }
            } catch let problem as GatewayProblem {
                throw problem
            } catch {
                // A connection that broke, a chunk size that does not parse: the body ends early.
                var problem = GatewayProblem(.bodyIncomplete, "the request body could not be read to its end; nothing was accepted")
                problem.recorded = ["body_bytes": .count(bodyBytes)]
                throw problem
            }
            let result = try intake.finish()
            records = result.summary.recordsIn
            event.details = ["records": .count(result.summary.recordsIn), "body_sha256": .digest(result.bodySHA256)]

            let (accepted, repeated) = try await accept(result, agreement: applied, registry: registry, caller: caller, key: key, context: context)
            state.metrics.submission(
                agreement: agreement.id, outcome: repeated ? "repeated" : "accepted", bytes: result.bodyBytes, records: records,
                duration: ContinuousClock.now - start)
            return try Self.receiptResponse(accepted.receipt, packageID: accepted.id, status: repeated ? .ok : .created)
        } catch let problem as GatewayProblem {
            // Only known agreements get their own label, so the label set stays bounded.
            state.metrics.submission(
                agreement: known == nil ? "unknown" : agreementID,
                outcome: event.outcome == .denied ? "denied" : "rejected", bytes: bodyBytes, records: records,
                duration: ContinuousClock.now - start)
            // The kind and the problem's recorded details; never its detail, which may
            // repeat what the provider sent.
            event.reason = event.reason ?? problem.kind.rawValue
            event.details.merge(problem.recorded) { _, recorded in recorded }
            try await state.record(event)
            throw problem
        }
    }

    /// Seals the package and hands it to the group committer: stored with its audit entry
    /// and a checkpoint holding that entry in one transaction, the receipt signed inside it.
    /// The Idempotency-Key is checked inside that transaction, so two concurrent requests
    /// with one key cannot both be stored: the second gets the first one's receipt (or 409).
    private func accept(
        _ result: SubmissionIntake.Result, agreement applied: AppliedAgreement, registry: RegistrySnapshot, caller: Caller, key: String?,
        context: GatewayRequestContext
    ) async throws -> (package: StoredPackage, repeated: Bool) {
        let agreement = applied.agreement
        guard let sealing = registry.sealingRecipient(of: agreement.consumer) else {
            throw GatewayProblem(.unavailable, "the consumer \(agreement.consumer) has no valid certificate with a key packages can be sealed to")
        }
        let recipient = sealing.recipient
        let now = Date()
        let packageID = TimeOrderedID.make(at: now)
        let header = PackageHeader(
            packageID: packageID, agreementID: agreement.id, agreementVersion: applied.version, provider: agreement.provider,
            consumer: agreement.consumer, createdAt: AuditTime.format(now),
            fields: agreement.deliveredFieldNames)
        // Masked records are rarely longer than the body they came in: the body's size
        // plus room for the header is the payload's size, near enough.
        let payload = PackagePayload(
            header: header, masking: result.summary.payloadObject(recordingUnlistedName: result.recordedName), records: result.records)
            .encodedData(expectedBytes: result.bodyBytes + 4096)
        // A payload that will be deflated is sealed on the blocking pool, so the
        // cooperative threads stay free for the other requests: with two clients sending
        // 900 KiB packages beside sixteen sending 43 KiB ones, sealing those inline held
        // the small ones' p99 at 48–59 ms, and on the pool at 36–40 ms. A smaller payload
        // (a few hundred microseconds) is sealed here: the hop to the pool and back woke
        // two threads per request and cost ~5 % of throughput at 16 clients.
        let sealer = state.keys.sealer
        let envelope =
            EnvelopeSealer.compresses(payloadBytes: payload.count)
            ? try await state.blocking { try sealer.sealedParts(payload, for: recipient) }
            : try sealer.sealedParts(payload, for: recipient)
        return try await state.committer.commit(
            SealedSubmission(
                packageID: packageID, agreement: agreement, agreementVersion: applied.version, caller: caller, idempotencyKey: key,
                bodySHA256: result.bodySHA256,
                recordsAccepted: result.summary.recordsOut,
                fieldsDropped: result.summary.recorded(result.summary.droppedFields, result.recordedName), envelope: envelope,
                recipientSHA256: sealing.certificateSHA256,
                requestID: context.requestID, remoteAddress: context.remoteAddress, receivedAt: now))
    }

    static func receiptResponse(_ receipt: String, packageID: String, status: HTTPResponse.Status) throws -> Response {
        var object = RecordObject([("package_id", .string(packageID)), ("receipt", .string(receipt))])
        object.appendNew("receipt_type", .string(ReceiptIssuer.type))
        return jsonResponse(.object(object), status: status)
    }

    // MARK: Consumers

    func inbox(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try await require(.partner, context)
        let limit = try Self.pageLimit(request.uri.queryParameters.get("limit"))
        let cursorText = request.uri.queryParameters.get("cursor")
        let cursors = state.inboxCursor
        let cursor = cursorText.flatMap { cursors.open($0, consumer: caller.agency.id) }
        if cursorText != nil, cursor == nil {
            throw GatewayProblem(.badRequest, "cursor must be the next_cursor of an earlier page")
        }
        // Packages are released only under agreements in force today; the others wait
        // (and are purged at the end of their retention) and are counted as withheld.
        let today = state.today.date()
        let releasable = try Self.registry(context).agreements.values
            .filter { $0.agreement.consumer == caller.agency.id && AgreementGate.refusal(for: $0.agreement, on: today) == nil }
            .map(\.agreement.id)
        let state = self.state
        let page = try await state.blocking {
            try state.trail.commit { transaction in
                let page = try PackageStore(transaction.db).inbox(consumer: caller.agency.id, agreements: releasable, after: cursor, limit: limit)
                try transaction.append(
                    AuditEvent(
                        actor: caller.actor, action: .inboxListed, outcome: .success, requestID: context.requestID,
                        remoteAddress: context.remoteAddress,
                        details: ["limit": .count(limit), "listed": .count(page.packages.count), "withheld": .count(page.withheld)]))
                return page
            }.value
        }
        let items: [RecordValue] = page.packages.map { package in
            .object(
                RecordObject([
                    ("package_id", .string(package.id)), ("agreement_id", .string(package.agreementID)),
                    ("provider", .string(package.provider)), ("created_at", .string(package.createdAt)),
                    ("expires_at", .string(package.expiresAt)), ("records", .number(String(package.records))),
                    ("envelope_bytes", .number(String(package.envelopeBytes))),
                    ("recipient_certificate_sha256", package.recipientSHA256.map { .string($0) } ?? .null),
                ]))
        }
        let next = try page.next.map { try state.inboxCursor.seal(position: $0, consumer: caller.agency.id) }
        let body = RecordObject([
            ("packages", .array(items)), ("next_cursor", next.map { .string($0) } ?? .null),
            ("withheld", .number(String(page.withheld))),
        ])
        return Self.jsonResponse(.object(body), status: .ok)
    }

    func fetch(_ context: GatewayRequestContext) async throws -> Response {
        let caller = try await require(.partner, context)
        let packageID = context.parameters.get("package") ?? ""
        let registry = try Self.registry(context)
        let today = state.today.date()
        let state = self.state
        // The stored parts are read (and checked) inside the transaction: a damaged one
        // is recorded as a failed fetch instead of a fetch. Their text is written after
        // the transaction, on the pool.
        let served: Release<Result<String, DamagedEnvelope>> = try await state.blocking {
            let found = try state.trail.commit { transaction -> Release<Result<StoredEnvelope, DamagedEnvelope>> in
                let package: StoredPackage
                switch try Self.releasable(packageID, caller: caller, registry: registry, on: today, context: context, in: &transaction) {
                case .released(let releasable): package = releasable
                case .absent: return .absent
                case .withheld(let problem): return .withheld(problem)
                }
                var event = AuditEvent(
                    actor: caller.actor, action: .packageFetched, outcome: .success, agreementID: package.agreementID,
                    agreementVersion: package.agreementVersion,
                    packageID: packageID, requestID: context.requestID, remoteAddress: context.remoteAddress,
                    details: ["envelope_bytes": .count(package.envelopeBytes)])
                let found: Result<StoredEnvelope, DamagedEnvelope>
                do {
                    guard let envelope = try PackageStore(transaction.db).envelope(id: packageID) else {
                        throw StoreError.damagedEnvelope(packageID: packageID, reason: "the row is gone")
                    }
                    found = .success(envelope)
                } catch StoreError.damagedEnvelope(_, let reason) {
                    event.outcome = .failed
                    event.reason = "damaged-envelope"
                    found = .failure(DamagedEnvelope(reason: reason))
                }
                try transaction.append(event)
                return .released(found)
            }.value
            return found.map { $0.map { $0.compact } }
        }
        switch served {
        case .absent:
            throw GatewayProblem(.packageNotFound, "there is no package of that id for \(caller.agency.id)")
        case .withheld(let problem):
            throw problem
        case .released(.failure(let damage)):
            context.logger.error(
                "stored envelope damaged", metadata: ["request_id": "\(context.requestID)", "package": "\(packageID)", "reason": "\(damage.reason)"])
            throw GatewayProblem(
                .internalError,
                "the stored envelope of package \(packageID) is damaged and cannot be served; the failed fetch is in the audit trail as \(context.requestID)")
        case .released(.success(let compact)):
            return Response(
                status: .ok, headers: [.contentType: "application/jose"],
                body: .init(byteBuffer: ByteBuffer(string: compact)))
        }
    }

    /// Why a package's stored envelope could not be read back (its layout, never its bytes).
    private struct DamagedEnvelope: Error, Sendable {
        var reason: String
    }

    func acknowledge(_ context: GatewayRequestContext) async throws -> Response {
        let caller = try await require(.partner, context)
        let packageID = context.parameters.get("package") ?? ""
        let registry = try Self.registry(context)
        let today = state.today.date()
        let state = self.state
        let outcome: Release<Bool> = try await state.blocking {
            try state.trail.commit { transaction -> Release<Bool> in
                let package: StoredPackage
                switch try Self.releasable(packageID, caller: caller, registry: registry, on: today, context: context, in: &transaction) {
                case .released(let releasable): package = releasable
                case .absent: return .absent
                case .withheld(let problem): return .withheld(problem)
                }
                let first = try PackageStore(transaction.db).acknowledge(id: packageID, at: AuditTime.format(Date()))
                try transaction.append(
                    AuditEvent(
                        actor: caller.actor, action: .packageAcknowledged, outcome: .success, agreementID: package.agreementID,
                        agreementVersion: package.agreementVersion,
                        packageID: packageID, requestID: context.requestID, remoteAddress: context.remoteAddress,
                        details: ["first_time": .flag(first)]))
                return .released(first)
            }.value
        }
        switch outcome {
        case .absent:
            throw GatewayProblem(.packageNotFound, "there is no package of that id for \(caller.agency.id)")
        case .withheld(let problem):
            throw problem
        case .released(let first):
            return Self.jsonResponse(
                .object(RecordObject([("package_id", .string(packageID)), ("acknowledged", .bool(true)), ("first_time", .bool(first))])),
                status: .ok)
        }
    }

    func listAgreements(_ context: GatewayRequestContext) async throws -> Response {
        let caller = try await require(.partner, context)
        let mine = try Self.registry(context).agreements.values
            .filter { $0.agreement.isParty(caller.agency.id) }
            .sorted { $0.agreement.id < $1.agreement.id }
        try await state.record(
            AuditEvent(
                actor: caller.actor, action: .agreementsListed, outcome: .success, requestID: context.requestID,
                remoteAddress: context.remoteAddress, details: ["listed": .count(mine.count)]))
        let items: [RecordValue] = mine.map { applied in
            let agreement = applied.agreement
            return .object(
                RecordObject([
                    ("id", .string(agreement.id)), ("version", .number(String(applied.version))), ("title", .string(agreement.title)),
                    ("provider", .string(agreement.provider)),
                    ("consumer", .string(agreement.consumer)), ("status", .string(agreement.status.rawValue)),
                    ("valid_from", .string(agreement.validFrom.description)), ("valid_until", .string(agreement.validUntil.description)),
                    ("fields", .array(agreement.fields.map { .string($0.name.description) })),
                ]))
        }
        return Self.jsonResponse(.object(RecordObject([("agreements", .array(items))])), status: .ok)
    }

    // MARK: Operations

    /// Liveness, for any registered identity; the audit trail's size (which counts every
    /// agency's traffic) only for admins and auditors.
    func health(_ context: GatewayRequestContext) async throws -> Response {
        let caller = try Self.caller(context)
        var body = RecordObject([("status", .string("ok"))])
        if caller.has(.admin) || caller.has(.auditor) {
            let state = self.state
            let (size, checkpoint) = try await state.blocking {
                try state.database.read { db in (try AuditLog(db).size(), try AuditLog(db).latestCheckpoint()) }
            }
            body.appendNew("audit_entries", .number(String(size)))
            body.appendNew("latest_checkpoint_size", checkpoint.map { .number(String($0.size)) } ?? .null)
        }
        return Self.jsonResponse(.object(body), status: .ok)
    }

    /// The Prometheus metrics: volumes by agreement, so for admins and auditors only, and
    /// each read is audited.
    func metrics(_ context: GatewayRequestContext) async throws -> Response {
        let caller = try await require(anyOf: [.admin, .auditor], context)
        try await state.record(
            AuditEvent(
                actor: caller.actor, action: .metricsRead, outcome: .success, requestID: context.requestID,
                remoteAddress: context.remoteAddress))
        let state = self.state
        let text = try await state.blocking { state.metrics.exposition(database: state.database) }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: text)))
    }

    // MARK: Helpers

    /// What a consumer's request for a package comes to.
    enum Release<Value: Sendable>: Sendable {
        /// Its package, released: the caller is its consumer and the agreement is in force.
        case released(Value)
        /// No such package for this caller (others' packages look the same as none).
        case absent
        /// The caller's package, held back because its agreement is not in force today.
        case withheld(GatewayProblem)

        func map<Other: Sendable>(_ transform: (Value) -> Other) -> Release<Other> {
            switch self {
            case .released(let value): return .released(transform(value))
            case .absent: return .absent
            case .withheld(let problem): return .withheld(problem)
            }
        }
    }

    /// The package if the caller is its consumer and its agreement is in force today; every
    /// refusal is audited in the transaction. Others get the answer for a package that does
    /// not exist.
    static func releasable(
        _ packageID: String, caller: Caller, registry: RegistrySnapshot, on today: CalendarDate, context: GatewayRequestContext,
        in transaction: inout AuditTrail.Transaction
    ) throws -> Release<StoredPackage> {
        guard let package = try PackageStore(transaction.db).package(id: packageID), package.consumer == caller.agency.id else {
            // Its own form only when it names a package the gateway holds: the caller chose the text.
            let held = try PackageStore(transaction.db).package(id: packageID) != nil
            try transaction.append(
                AuditEvent(
                    actor: caller.actor, action: .accessDenied, outcome: .denied, packageID: RecordedIdentifier.package(packageID, known: held),
                    reason: "no-such-package-for-consumer", requestID: context.requestID, remoteAddress: context.remoteAddress))
            return .absent
        }
        let refusal =
            registry.agreements[package.agreementID].map { AgreementGate.refusal(for: $0.agreement, on: today) }
            ?? GatewayProblem(.agreementRevoked, "agreement \(package.agreementID) is no longer in the registry")
        if let refusal {
            try transaction.append(
                AuditEvent(
                    actor: caller.actor, action: .accessDenied, outcome: .denied, agreementID: package.agreementID,
                    agreementVersion: package.agreementVersion, packageID: packageID, reason: refusal.kind.rawValue,
                    requestID: context.requestID, remoteAddress: context.remoteAddress))
            return .withheld(refusal)
        }
        return .released(package)
    }

    /// The methods a known path takes, for 405 answers; nil for paths the API does not have.
    static func allowedMethods(for path: String) -> [String]? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        switch (parts.count, Array(parts)) {
        case (1, let p) where p[0] == "healthz" || p[0] == "metrics": return ["GET"]
        case (2, let p) where p[0] == "v1" && (p[1] == "inbox" || p[1] == "agreements"): return ["GET"]
        case (3, let p) where p[0] == "v1" && p[1] == "packages" && !p[2].isEmpty: return ["GET"]
        case (4, let p) where p[0] == "v1" && p[1] == "packages" && !p[2].isEmpty && p[3] == "ack": return ["POST"]
        case (4, let p) where p[0] == "v1" && p[1] == "agreements" && !p[2].isEmpty && p[3] == "packages": return ["POST"]
        case (3, let p) where p[0] == "v1" && p[1] == "admin" && (p[2] == "agreements" || p[2] == "agencies"): return ["GET", "POST"]
        case (5, let p) where p[0] == "v1" && p[1] == "admin" && p[2] == "agreements" && p[4] == "history": return ["GET"]
        case (6, let p) where p[0] == "v1" && p[1] == "admin" && p[2] == "agreements" && p[4] == "versions": return ["GET"]
        case (5, let p) where p[0] == "v1" && p[1] == "admin" && p[2] == "agreements" && ["suspend", "activate", "revoke"].contains(p[4]):
            return ["POST"]
        case (5, let p) where p[0] == "v1" && p[1] == "admin" && p[2] == "agencies" && p[4] == "revoke": return ["POST"]
        case (4, let p) where p[0] == "v1" && p[1] == "admin" && p[2] == "keys" && p[3] == "rotate": return ["POST"]
        case (3, let p) where p[0] == "v1" && p[1] == "audit" && ["entries", "checkpoint", "export"].contains(p[2]): return ["GET"]
        case (4, let p) where p[0] == "v1" && p[1] == "audit" && p[2] == "proof" && ["inclusion", "consistency"].contains(p[3]): return ["GET"]
        default: return nil
        }
    }

    /// A true/false query parameter; absent is false.
    static func flag(_ text: String?, name: String) throws -> Bool {
        switch text {
        case nil, "false": return false
        case "true": return true
        default: throw GatewayProblem(.badRequest, "\(name) must be true or false")
        }
    }

    /// `limit` of a paged list: 1 to 1000, 100 when absent.
    static func pageLimit(_ text: String?) throws -> Int {
        guard let text else { return 100 }
        guard let number = Int(text), (1...1000).contains(number) else {
            throw GatewayProblem(.badRequest, "limit must be a whole number from 1 to 1000")
        }
        return number
    }

    static func caller(_ context: GatewayRequestContext) throws -> Caller {
        guard let caller = context.caller else { throw GatewayProblem(.unknownCertificate, "no client identity on this request") }
        return caller
    }

    static func registry(_ context: GatewayRequestContext) throws -> RegistrySnapshot {
        guard let registry = context.registry else { throw GatewayProblem(.unknownCertificate, "no client identity on this request") }
        return registry
    }

    /// The caller, if its certificate carries `role`; otherwise the refusal is audited and
    /// thrown. Roles are kept apart: an admin is not an auditor, nor a partner.
    func require(_ role: AgencyRole, _ context: GatewayRequestContext) async throws -> Caller {
        try await require(anyOf: [role], context)
    }

    /// The caller, if its certificate carries one of `roles` and it holds only one duty
    /// (unless `allow_combined_roles`); otherwise the refusal is audited and thrown.
    func require(anyOf roles: [AgencyRole], _ context: GatewayRequestContext) async throws -> Caller {
        let caller = try Self.caller(context)
        let needed = roles.map(\.rawValue).joined(separator: " or ")
        let held = caller.agency.roles.map(\.rawValue).joined(separator: ", ")
        if EnrolmentPolicy.combinesDuties(caller.agency.roles), !state.configuration.allowCombinedRoles {
            // Registered before separation of duties applied, or directly in the database.
            try await state.record(
                AuditEvent(
                    actor: caller.actor, action: .accessDenied, outcome: .denied, reason: "combined-roles",
                    requestID: context.requestID, remoteAddress: context.remoteAddress, details: ["roles": .names(caller.agency.roles.map(\.rawValue))]))
            throw GatewayProblem(
                .roleRequired, "\(caller.agency.id) holds \(held): one identity may hold only one of partner, admin and auditor")
        }
        guard roles.contains(where: caller.has) else {
            try await state.record(
                AuditEvent(
                    actor: caller.actor, action: .accessDenied, outcome: .denied,
                    reason: "needs the \(needed) role; the certificate has \(held)",
                    requestID: context.requestID, remoteAddress: context.remoteAddress))
            throw GatewayProblem(.roleRequired, "this needs a certificate with the \(needed) role; \(caller.agency.id) has \(held)")
        }
        return caller
    }

    static func format(of request: Request) throws -> RecordFormat {
        try format(contentType: request.headers[.contentType] ?? "")
    }

    /// The record format a `Content-Type` names; its parameters (`charset=utf-8`) and
    /// the case of its media type do not matter.
    static func format(contentType: String) throws -> RecordFormat {
        // Trimmed and lower-cased by hand: Foundation's trimming and case mapping showed
        // in every submission's profile.
        let header = contentType.utf8
        var mediaType = header[..<(header.firstIndex(of: UInt8(ascii: ";")) ?? header.endIndex)]
        while let first = mediaType.first, first == 0x20 || first == 0x09 { mediaType = mediaType.dropFirst() }
        while let last = mediaType.last, last == 0x20 || last == 0x09 { mediaType = mediaType.dropLast() }
        switch String(decoding: mediaType.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }, as: UTF8.self) {
        case "application/json": return .json
        case "application/x-ndjson", "application/ndjson", "application/jsonl": return .ndjson
        case "text/csv": return .csv
        default:
            throw GatewayProblem(.unsupportedMediaType, "send records as application/json, application/x-ndjson or text/csv")
        }
    }

    static func jsonResponse(_ value: RecordValue, status: HTTPResponse.Status) -> Response {
        var bytes: [UInt8] = []
        JSONWriter.append(value, to: &bytes)
        bytes.append(0x0A)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
