import Hummingbird

/// The gateway's router: the middlewares every request passes (log, problems, identity,
/// storage, message framing), then every declared ``Route`` in a group per ``Route/Access`` whose
/// ``RoleMiddleware`` checks the caller's role before the handler runs.
struct GatewayRouter {
    let state: GatewayState
    /// Where a request's client identity comes from: its connection's TLS handshake,
    /// except in the in-process route tests.
    var identify: ClientIdentityMiddleware.IdentitySource

    init(state: GatewayState) {
        self.state = state
        let certificates = state.presentedCertificates
        identify = { _, context in try await certificates.identity(presentedOn: context.channel) }
    }

    init(state: GatewayState, identify: @escaping ClientIdentityMiddleware.IdentitySource) {
        self.state = state
        self.identify = identify
    }

    /// Every route of the API, in the order the 405 answers list their methods.
    var routes: [Route] {
        OperationsRoutes(state: state).routes + PartnerRoutes(state: state).routes + DataRequestRoutes(state: state).routes
            + AdminRoutes(state: state).routes
            + AuditRoutes(state: state).routes + ConsoleRoutes(state: state).routes
    }

    func build() -> Router<GatewayRequestContext> {
        let routes = self.routes
        let table = RouteTable(routes)
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: RequestLogMiddleware(metrics: state.metrics))
        router.add(middleware: ProblemMiddleware(routeTable: table, storage: state.storage))
        router.add(middleware: ClientIdentityMiddleware(state: state, routeTable: table, identify: identify))
        router.add(middleware: StorageMiddleware(state: state))
        router.add(middleware: MessageFramingMiddleware(state: state))
        var groups: [Route.Access: RouterGroup<GatewayRequestContext>] = [:]
        for route in routes {
            let group = groups[route.access] ?? makeGroup(router, route.access)
            groups[route.access] = group
            let handler = route.handler
            group.on(RouterPath(route.path), method: route.method) { request, context in try await handler(request, context) }
        }
        return router
    }

    private func makeGroup(_ router: Router<GatewayRequestContext>, _ access: Route.Access) -> RouterGroup<GatewayRequestContext> {
        let group = router.group()
        if case .roles(let roles) = access { group.add(middleware: RoleMiddleware(roles: roles, state: state)) }
        return group
    }
}
