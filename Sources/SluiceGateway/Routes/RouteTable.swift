import Hummingbird

/// The API's paths and the methods each takes, made from the declared ``Route``s: a
/// request for a known path with another method gets 405 and an `Allow` header, any
/// other path 404.
struct RouteTable: Sendable {
    private let entries: [(segments: [Segment], method: String)]

    private enum Segment: Sendable {
        case literal(Substring)
        case parameter
    }

    init(_ routes: [(method: HTTPRequest.Method, path: String)]) {
        entries = routes.map { route in
            let segments = route.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { part -> Segment in
                part.hasPrefix(":") ? .parameter : .literal(part)
            }
            return (segments, route.method.rawValue)
        }
    }

    init(_ routes: [Route]) {
        self.init(routes.map { ($0.method, $0.path) })
    }

    /// The methods a path takes, in the order declared; nil for paths the API does not have.
    func allowedMethods(for path: String) -> [String]? {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        // A trailing slash names the same path, as the router reads it (`/console/`).
        if parts.count > 1, parts.last == "" { parts = parts.dropLast() }
        var methods: [String] = []
        for entry in entries where entry.segments.count == parts.count && !methods.contains(entry.method) {
            let matches = zip(entry.segments, parts).allSatisfy { segment, part in
                switch segment {
                case .literal(let literal): return literal == part
                case .parameter: return !part.isEmpty
                }
            }
            if matches { methods.append(entry.method) }
        }
        return methods.isEmpty ? nil : methods
    }
}
