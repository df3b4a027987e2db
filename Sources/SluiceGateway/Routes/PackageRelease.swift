import SluiceAudit
import SluiceCore
import SluiceMasking
import SluiceStore

/// What a consumer's request for a package comes to.
enum PackageRelease<Value: Sendable>: Sendable {
    /// Its package, released: the caller is its consumer and the agreement is in force.
    case released(Value)
    /// No such package for this caller (others' packages look the same as none).
    case absent
    /// The caller's package, held back because its agreement is not in force today.
    case withheld(GatewayProblem)

    /// The released value's own outcome; absent and withheld pass through as they are.
    func flatMap<Other: Sendable>(_ transform: (Value) throws -> PackageRelease<Other>) rethrows -> PackageRelease<Other> {
        switch self {
        case .released(let value): return try transform(value)
        case .absent: return .absent
        case .withheld(let problem): return .withheld(problem)
        }
    }

    func map<Other: Sendable>(_ transform: (Value) -> Other) -> PackageRelease<Other> {
        switch self {
        case .released(let value): return .released(transform(value))
        case .absent: return .absent
        case .withheld(let problem): return .withheld(problem)
        }
    }
}

extension PackageRelease where Value == StoredPackage {
    /// The package if the caller is its consumer and its agreement is in force today; every
    /// refusal is audited in the transaction. Others get the answer for a package that does
    /// not exist.
    static func releasable(
        _ packageID: String, caller: Caller, registry: RegistrySnapshot, on today: CalendarDate, context: GatewayRequestContext,
        in transaction: inout AuditTrail.Transaction
    ) throws -> PackageRelease<StoredPackage> {
        guard let package = try transaction.packages.package(id: packageID), package.consumer == caller.agency.id else {
            // Its own form only when it names a package the gateway holds: the caller chose the text.
            let held = try transaction.packages.package(id: packageID) != nil
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
}
