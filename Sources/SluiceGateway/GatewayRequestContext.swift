import Foundation
import Hummingbird
import NIOCore
import SluiceAudit
import SluiceCore
import SluiceStore
import Synchronization

/// The request context of every gateway route: the connection it came on (for the
/// client certificate, which is the only source of identity) and, once the identity
/// middleware has run, the calling agency.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel
    /// Set by ``ClientIdentityMiddleware`` from the TLS layer, never from a header.
    public var caller: Caller?
    /// The registry as it stood when the request was authenticated; the whole request
    /// uses it, so a change applied meanwhile never mixes into it.
    public var registry: RegistrySnapshot?
    public let requestID: String
    /// The caller's agency id for the request log line, which is written by a middleware
    /// outside the identity middleware and so never sees the copy of the context it set.
    let loggedAgency = LoggedAgency()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        requestID = TimeOrderedID.make()
    }

    public var remoteAddress: String? {
        channel.remoteAddress.flatMap { $0.ipAddress }
    }

    /// The caller ``ClientIdentityMiddleware`` identified; every route runs behind it.
    func authenticatedCaller() throws(GatewayProblem) -> Caller {
        guard let caller else { throw GatewayProblem(.unknownCertificate, "no client identity on this request") }
        return caller
    }

    /// The registry snapshot the caller was identified with.
    func authenticatedRegistry() throws(GatewayProblem) -> RegistrySnapshot {
        guard let registry else { throw GatewayProblem(.unknownCertificate, "no client identity on this request") }
        return registry
    }

    /// Entries for a change made over this request by `caller`.
    func attribution(_ caller: Caller) -> Attribution {
        Attribution(actor: caller.actor, requestID: requestID, remoteAddress: remoteAddress)
    }
}

/// An authenticated agency: who it is and the certificate it presented.
public struct Caller: Sendable, Hashable {
    public var agency: Agency
    public var fingerprint: String

    public var actor: AuditActor { AuditActor(kind: .agency, id: agency.id, certificateFingerprint: fingerprint) }

    public func has(_ role: AgencyRole) -> Bool { agency.roles.contains(role) }
}

/// One request's caller, shared by every copy of its context (a reference in a value).
final class LoggedAgency: Sendable {
    private let agency = Mutex<String?>(nil)

    func set(_ id: String) { agency.withLock { $0 = id } }
    var id: String? { agency.withLock { $0 } }
}
