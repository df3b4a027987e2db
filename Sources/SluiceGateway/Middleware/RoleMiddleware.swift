import Hummingbird
import SluiceAudit
import SluiceCore
import SluiceCrypto
import SluiceStore

/// Lets through only callers whose certificate carries one of a route group's roles, and
/// who hold only one duty (unless `allow_combined_roles`): an admin is not an auditor,
/// nor a partner. Every refusal is audited before it is answered.
struct RoleMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let roles: [AgencyRole]
    let state: GatewayState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let caller = try context.authenticatedCaller()
        let needed = roles.map(\.rawValue).joined(separator: " or ")
        let held = caller.agency.roles.map(\.rawValue).joined(separator: ", ")
        if EnrolmentPolicy.combinesDuties(caller.agency.roles), !state.configuration.allowCombinedRoles {
            // Registered before separation of duties applied, or directly in the database.
            try await state.record(
                AuditEvent(
                    actor: caller.actor, action: .accessDenied, outcome: .denied, reason: "combined-roles",
                    requestID: context.requestID, remoteAddress: context.remoteAddress,
                    details: ["roles": .names(caller.agency.roles.map(\.rawValue))]))
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
        return try await next(request, context)
    }
}
