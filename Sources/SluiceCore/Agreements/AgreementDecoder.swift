import Yams

/// Turns the YAML text of one agreement into an ``Agreement``, or reports every problem
/// in it at once, each with file, line, column and a sentence a clerk understands.
///
/// With a registry it also checks that `provider` and `consumer` are known partner
/// agencies. Pure: it reads no files.
public struct AgreementDecoder: Sendable {
    public var registry: AgencyRegistry?

    public init(registry: AgencyRegistry? = nil) {
        self.registry = registry
    }

    static let topLevelKeys = [
        "id", "title", "provider", "consumer", "purpose", "legal_basis", "valid_from", "valid_until", "status",
        "on_unlisted_field", "crypto_profile", "detection", "limits", "retention_days", "fields", "requests", "push",
    ]

    public func decode(_ text: String, file: String) throws(ValidationFailure) -> Agreement {
        var reader = YAMLReader(file: file)
        guard let root = reader.root(of: text),
            let top = reader.mapping(root, context: "the agreement", allowed: Self.topLevelKeys)
        else { throw ValidationFailure(reader.diagnostics) }

        let id = reader.required("id", in: top).flatMap { reader.identifier($0, key: "id") }
        let title = reader.required("title", in: top).flatMap { reader.string($0, key: "title") }
        let provider = agency("provider", in: top, reader: &reader)
        let consumer = agency("consumer", in: top, reader: &reader)
        if let provider, let consumer, provider == consumer, let node = top["consumer"] {
            reader.report(
                .sameAgency, at: node,
                "provider and consumer are both \"\(provider)\"; an agency cannot share data with itself")
        }
        let purpose = reader.required("purpose", in: top).flatMap { reader.string($0, key: "purpose") }
        let legalBasis = reader.required("legal_basis", in: top).flatMap { reader.string($0, key: "legal_basis") }
        let validFrom = reader.required("valid_from", in: top).flatMap { reader.date($0, key: "valid_from") }
        let validUntil = reader.required("valid_until", in: top).flatMap { reader.date($0, key: "valid_until") }
        if let validFrom, let validUntil, validUntil < validFrom, let node = top["valid_until"] {
            reader.report(
                .reversedDates, at: node,
                "valid_until \(validUntil) is before valid_from \(validFrom); the agreement would never be in force")
        }
        let status = reader.required("status", in: top).flatMap {
            reader.choice($0, key: "status", as: AgreementStatus.self)
        }
        let onUnlisted = reader.required("on_unlisted_field", in: top).flatMap {
            reader.choice($0, key: "on_unlisted_field", as: UnlistedFieldPolicy.self)
        }
        let profile =
            reader.optional("crypto_profile", in: top).map {
                reader.choice($0, key: "crypto_profile", as: CryptoProfile.self)
            } ?? .jose
        let detection =
            reader.optional("detection", in: top).map {
                reader.choice($0, key: "detection", as: DetectionMode.self)
            } ?? .strict
        let limits = reader.required("limits", in: top).flatMap { decodeLimits($0, reader: &reader) }
        let retention = reader.required("retention_days", in: top).flatMap {
            reader.positiveInteger($0, key: "retention_days")
        }
        let fields = reader.required("fields", in: top).flatMap { decodeFields($0, reader: &reader) }
        let requests = reader.optional("requests", in: top).map { decodeRequests($0, fields: fields, reader: &reader) }
        let push = reader.optional("push", in: top).map { reader.boolean($0, key: "push") } ?? true
        if push == false, requests == nil, let node = top["push"] {
            reader.report(
                .invalidValue, at: node,
                "push is false and the agreement has no requests section: nothing could ever flow under it")
        }

        guard reader.problemCount == 0, let id, let title, let provider, let consumer, let purpose,
            let legalBasis, let validFrom, let validUntil, let status, let onUnlisted, let profile, let detection, let limits,
            let retention, let fields, let push
        else { throw ValidationFailure(reader.diagnostics) }
        return Agreement(
            id: id, title: title, provider: provider, consumer: consumer, purpose: purpose, legalBasis: legalBasis,
            validFrom: validFrom, validUntil: validUntil, status: status, onUnlistedField: onUnlisted,
            cryptoProfile: profile, detection: detection, limits: limits, retentionDays: retention, fields: fields,
            requests: requests ?? nil, push: push)
    }

    /// A party to the agreement: a safe identifier and, with a registry, a known partner.
    private func agency(_ key: String, in top: YAMLMapping, reader: inout YAMLReader) -> String? {
        guard let node = reader.required(key, in: top), let id = reader.identifier(node, key: key) else { return nil }
        guard let registry else { return id }
        guard let agency = registry.agency(id) else {
            var message = "\(key) \"\(id)\" is not in the agency registry \(registry.file)"
            if let hint = NearestName.suggestion(for: id, among: registry.agencies.map(\.id)) {
                message += "; did you mean \"\(hint)\"?"
            }
            reader.report(.unknownAgency, at: node, message)
            return nil
        }
        guard agency.roles.contains(.partner) else {
            let roles = agency.roles.map(\.rawValue).joined(separator: ", ")
            reader.report(
                .agencyRole, at: node,
                "\(key) \"\(id)\" is not a partner agency in \(registry.file) (its roles: \(roles)); "
                    + "only partners provide or receive data")
            return nil
        }
        return id
    }

    private func decodeLimits(_ node: Node, reader: inout YAMLReader) -> AgreementLimits? {
        let keys = AgreementLimits.CodingKeys.allCases.map(\.rawValue)
        guard let map = reader.mapping(node, context: "limits", allowed: keys) else { return nil }
        let records = reader.required("max_records", in: map).flatMap {
            reader.positiveInteger($0, key: "max_records")
        }
        let bytes = reader.required("max_package_bytes", in: map).flatMap {
            reader.positiveInteger($0, key: "max_package_bytes", parse: YAMLReader.parseByteCount)
        }
        let rate = reader.required("rate_per_minute", in: map).flatMap {
            reader.positiveInteger($0, key: "rate_per_minute")
        }
        guard let records, let bytes, let rate else { return nil }
        return AgreementLimits(maxRecords: records, maxPackageBytes: bytes, ratePerMinute: rate)
    }

    /// The `requests:` section; nil (with its problems reported) when it is not valid.
    private func decodeRequests(_ node: Node, fields: [FieldRule]?, reader: inout YAMLReader) -> RequestTerms? {
        let keys = RequestTerms.CodingKeys.allCases.map(\.rawValue)
        guard let map = reader.mapping(node, context: "requests", allowed: keys) else { return nil }
        let before = reader.problemCount
        var subjects: [RequestTerms.SubjectField] = []
        if let list = reader.required("subject_fields", in: map).flatMap({ reader.sequence($0, key: "subject_fields") }) {
            if list.isEmpty, let listNode = map["subject_fields"] {
                reader.report(.invalidValue, at: listNode, "subject_fields lists no field; a request must name its subjects by at least one")
            }
            for item in list {
                guard let field = decodeSubjectField(item, fields: fields, reader: &reader) else { continue }
                if subjects.contains(where: { $0.name == field.name }) {
                    reader.report(.duplicateField, at: item, "subject field \"\(field.name)\" is listed twice")
                    continue
                }
                subjects.append(field)
            }
        }
        let most = reader.required("max_subjects", in: map).flatMap { reader.positiveInteger($0, key: "max_subjects") }
        if let most, most > RequestTerms.largestSubjectCount, let countNode = map["max_subjects"] {
            reader.report(.invalidLimit, at: countNode, "max_subjects may be at most \(RequestTerms.largestSubjectCount), not \(most)")
        }
        var purposes: [String] = []
        if let list = reader.required("purposes", in: map).flatMap({ reader.sequence($0, key: "purposes") }) {
            if list.isEmpty, let listNode = map["purposes"] {
                reader.report(.invalidValue, at: listNode, "purposes lists none; a request must give one of the agreement's purposes")
            }
            for item in list {
                guard let text = reader.string(item, key: "purposes") else { continue }
                guard RequestText.isPurpose(text) else {
                    reader.report(
                        .invalidValue, at: item,
                        "purpose \"\(text)\" must be 1 to \(RequestText.longestPurpose) characters of letters, digits, spaces and common punctuation")
                    continue
                }
                if purposes.contains(text) {
                    reader.report(.invalidValue, at: item, "purpose \"\(text)\" is listed twice")
                    continue
                }
                purposes.append(text)
            }
        }
        let caseNumber = reader.optional("require_case_number", in: map).map { reader.boolean($0, key: "require_case_number") } ?? true
        let days = reader.required("answer_within_days", in: map).flatMap { reader.positiveInteger($0, key: "answer_within_days") }
        if let days, days > RequestTerms.longestDeadlineDays, let daysNode = map["answer_within_days"] {
            reader.report(.invalidLimit, at: daysNode, "answer_within_days may be at most \(RequestTerms.longestDeadlineDays), not \(days)")
        }
        var match: FieldPath?
        if let matchNode = reader.optional("answer_must_match", in: map), let text = reader.string(matchNode, key: "answer_must_match") {
            if let path = FieldPath(text), subjects.contains(where: { $0.name == path }), fields?.contains(where: { $0.name == path }) != false {
                match = path
            } else {
                reader.report(
                    .invalidValue, at: matchNode,
                    "answer_must_match \"\(text)\" must be one of subject_fields and of fields: answers are matched on a field they carry and subjects are named by"
                )
            }
        }
        guard reader.problemCount == before, let most, let caseNumber, let days else { return nil }
        return RequestTerms(
            subjectFields: subjects, maxSubjects: most, purposes: purposes, requireCaseNumber: caseNumber, answerWithinDays: days,
            answerMustMatch: match)
    }

    /// A subject field: a whitelisted field's name (typed as there), or `{ name, type }`.
    private func decodeSubjectField(_ item: Node, fields: [FieldRule]?, reader: inout YAMLReader) -> RequestTerms.SubjectField? {
        if item.mapping != nil {
            guard let map = reader.mapping(item, context: "subject field", allowed: ["name", "type"]) else { return nil }
            let name = reader.required("name", in: map).flatMap { node -> FieldPath? in
                guard let text = reader.string(node, key: "name") else { return nil }
                guard let path = FieldPath(text) else {
                    reader.report(.invalidFieldName, at: node, "subject field \"\(text)\" is not a valid field name")
                    return nil
                }
                return path
            }
            let type = reader.required("type", in: map).flatMap { reader.choice($0, key: "type", as: FieldType.self) }
            guard let name, let type else { return nil }
            if let rule = fields?.first(where: { $0.name == name }), rule.type != type, let node = map["type"] {
                reader.report(
                    .invalidValue, at: node, "subject field \"\(name)\" is of type \(rule.type.rawValue) in fields, not \(type.rawValue)")
                return nil
            }
            return RequestTerms.SubjectField(name: name, type: type)
        }
        guard let text = reader.string(item, key: "subject_fields") else { return nil }
        guard let path = FieldPath(text) else {
            reader.report(.invalidFieldName, at: item, "subject field \"\(text)\" is not a valid field name")
            return nil
        }
        guard let fields else { return nil }
        guard let rule = fields.first(where: { $0.name == path }) else {
            reader.report(
                .invalidValue, at: item,
                "subject field \"\(text)\" is not in fields; name a whitelisted field, or give its type: { name: \(text), type: … }")
            return nil
        }
        return RequestTerms.SubjectField(name: path, type: rule.type)
    }
}
