import Hummingbird
import SluiceStore

/// Turns thrown problems into RFC 9457 responses; anything else becomes a 500 whose
/// detail says nothing about the input, logged with the request id.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let routeTable: RouteTable
    let storage: StorageHealth

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let problem as GatewayProblem {
            response = problem.response(requestID: context.requestID)
        } catch StoreError.unavailable(let condition, let reason) {
            storage.report(condition)
            context.logger.error(
                "storage unavailable", metadata: ["request_id": "\(context.requestID)", "condition": "\(condition.rawValue)", "reason": "\(reason)"])
            response = GatewayProblem.storage(condition).response(requestID: context.requestID)
        } catch let error as HTTPError {
            if error.status == .notFound, let allowed = routeTable.allowedMethods(for: request.uri.path) {
                response = GatewayProblem(.methodNotAllowed, "\(request.method) is not supported here; use \(allowed.joined(separator: ", "))")
                    .response(requestID: context.requestID)
                response.headers[.allow] = allowed.joined(separator: ", ")
            } else {
                let kind: GatewayProblem.Kind = error.status == .notFound ? .notFound : error.status == .contentTooLarge ? .bodyTooLarge : .badRequest
                response = GatewayProblem(kind, error.body ?? kind.title).response(requestID: context.requestID)
            }
        } catch {
            context.logger.error("request failed", metadata: ["request_id": "\(context.requestID)", "error": "\(type(of: error))"])
            response = GatewayProblem(.internalError, "the gateway could not complete the request; it has been logged as \(context.requestID)")
                .response(requestID: context.requestID)
        }
        response.headers[.init("X-Request-Id")!] = context.requestID
        return response
    }
}
