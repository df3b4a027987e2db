import Hummingbird
import SluiceCore

/// One endpoint of the API: its method and path, who may call it, and its handler.
/// Every route is declared once, as a value; the router and the 405 answers
/// (``RouteTable``) are both made from these.
struct Route: Sendable {
    typealias Handler = @Sendable (Request, GatewayRequestContext) async throws -> Response

    var method: HTTPRequest.Method
    /// The path, with `:name` for a parameter segment.
    var path: String
    var access: Access
    var handler: Handler

    /// Who may call a route once the caller is identified.
    enum Access: Hashable, Sendable {
        /// Any registered agency, whatever its role (liveness).
        case anyAgency
        /// An agency whose certificate carries one of these roles.
        case roles([AgencyRole])
    }

    static func get(_ path: String, _ access: Access, _ handler: @escaping Handler) -> Route {
        Route(method: .get, path: path, access: access, handler: handler)
    }

    static func post(_ path: String, _ access: Access, _ handler: @escaping Handler) -> Route {
        Route(method: .post, path: path, access: access, handler: handler)
    }
}
