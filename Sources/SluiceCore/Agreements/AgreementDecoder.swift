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
        "on_unlisted_field", "crypto_profile", "detection", "limits", "retention_days", "fields",
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

        guard reader.problemCount == 0, let id, let title, let provider, let consumer, let purpose,
            let legalBasis, let validFrom, let validUntil, let status, let onUnlisted, let profile, let detection, let limits,
            let retention, let fields
        else { throw ValidationFailure(reader.diagnostics) }
        return Agreement(
            id: id, title: title, provider: provider, consumer: consumer, purpose: purpose, legalBasis: legalBasis,
            validFrom: validFrom, validUntil: validUntil, status: status, onUnlistedField: onUnlisted,
            cryptoProfile: profile, detection: detection, limits: limits, retentionDays: retention, fields: fields)
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
}
