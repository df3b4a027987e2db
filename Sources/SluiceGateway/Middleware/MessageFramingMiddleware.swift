import Hummingbird
import SluiceAudit

/// Refuses a request whose body comes in a coding the gateway does not apply: a transfer
/// coding other than `chunked`, or any content coding. The HTTP layer would otherwise read
/// the body as if the coding were not there, and a proxy in front that applies it would
/// see a different body from the one the gateway hashed, masked and receipted.
struct MessageFramingMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let state: GatewayState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let transfer = request.headers[values: .transferEncoding].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let content = request.headers[values: .contentEncoding].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let refusal: String?
        if transfer.contains(where: { $0 != "chunked" }) {
            refusal = "transfer-coding"
        } else if content.contains(where: { $0 != "identity" }) {
            refusal = "content-coding"
        } else {
            refusal = nil
        }
        if let refusal {
            // Refused whether or not the caller is known (the identity middleware runs
            // first, so it always is); recorded with it.
            if let caller = context.caller {
                try await state.record(
                    AuditEvent(
                        actor: caller.actor, action: .accessDenied, outcome: .rejected, reason: refusal, requestID: context.requestID,
                        remoteAddress: context.remoteAddress))
            }
            throw GatewayProblem(
                .unsupportedCoding, "send the body without transfer codings other than chunked and without a content coding; nothing was read")
        }
        return try await next(request, context)
    }
}
