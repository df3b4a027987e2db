import Hummingbird

/// While the storage cannot take writes, refuses every request at once, before its body
/// is read: every other request writes the audit trail at least, and nothing may be
/// served unrecorded. `/healthz` and `/metrics` still answer, and say why, and the public
/// signing certificates are still served (their reads are not audited). The refusals
/// cannot be audited now; they are counted, and the outage's entry records how many.
struct StorageMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let state: GatewayState
    static let stillAnswered: Set<String> = ["/healthz", "/metrics", "/v1/signing-certificates"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if !Self.stillAnswered.contains(request.uri.path), let condition = state.storage.refuse() {
            state.metrics.storageRefusal(condition: condition)
            throw GatewayProblem.storage(condition)
        }
        return try await next(request, context)
    }
}
