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
            response = answer(problem, to: request, context)
        } catch StoreError.unavailable(let condition, let reason) {
            storage.report(condition)
            context.logger.error(
                "storage unavailable", metadata: ["request_id": "\(context.requestID)", "condition": "\(condition.rawValue)", "reason": "\(reason)"])
            response = answer(GatewayProblem.storage(condition), to: request, context)
        } catch let error as HTTPError {
            if error.status == .notFound, let allowed = routeTable.allowedMethods(for: request.uri.path) {
                response = answer(
                    GatewayProblem(.methodNotAllowed, "\(request.method) is not supported here; use \(allowed.joined(separator: ", "))"), to: request,
                    context)
                response.headers[.allow] = allowed.joined(separator: ", ")
            } else {
                let kind: GatewayProblem.Kind = error.status == .notFound ? .notFound : error.status == .contentTooLarge ? .bodyTooLarge : .badRequest
                response = answer(GatewayProblem(kind, error.body ?? kind.title), to: request, context)
            }
        } catch {
            context.logger.error("request failed", metadata: ["request_id": "\(context.requestID)", "error": "\(type(of: error))"])
            response = answer(
                GatewayProblem(.internalError, "the gateway could not complete the request; it has been logged as \(context.requestID)"), to: request,
                context)
        }
        response.headers[.init("X-Request-Id")!] = context.requestID
        return response
    }

    /// The API's problem document; under `/console/`, a page for the officer's browser.
    private func answer(_ problem: GatewayProblem, to request: Request, _ context: Context) -> Response {
        let path = request.uri.path
        if path == "/console" || path.hasPrefix("/console/") {
            var response = ConsoleProblemPage(problem: problem, requestID: context.requestID).response()
            if let retryAfterSeconds = problem.retryAfterSeconds { response.headers[.retryAfter] = String(retryAfterSeconds) }
            return response
        }
        return problem.response(requestID: context.requestID)
    }
}
