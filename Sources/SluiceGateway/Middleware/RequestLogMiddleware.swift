import Foundation
import Hummingbird
import Logging

/// One structured log line and one metric per request: method, route pattern, status,
/// duration, request id and the calling agency. Never a query string, header value or body.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let metrics: GatewayMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let duration = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        metrics.request(method: request.method.rawValue, route: route, status: Int(response.status.code), duration: duration)
        context.logger.info(
            "request",
            metadata: [
                "request_id": "\(context.requestID)",
                "method": "\(GatewayMetrics.knownMethods.contains(request.method.rawValue) ? request.method.rawValue : "OTHER")",
                "route": "\(route)",
                "agency": "\(context.loggedAgency.id ?? "-")",
                "status": "\(response.status.code)",
                "ms": "\(duration.components.attoseconds / 1_000_000_000_000_000 + duration.components.seconds * 1000)",
            ])
        return response
    }
}
