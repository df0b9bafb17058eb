import HTTPTypes
import Hummingbird

/// One route of the /v1 API: a path, a method and the handler that answers it.
struct APIRoute: Sendable {
    let path: String
    let method: HTTPRequest.Method
    let handler: @Sendable (Request, CentralContext) async throws -> Response
}

/// The /v1 API's routes in one table (docs/openapi.yaml documents the same). `buildApplication` registers them from
/// it, and `AllowedMethodsMiddleware` reads it to answer every other method on these paths.
struct APIRoutes: Sendable {
    let routes: [APIRoute]

    init(_ api: CentralAPI) {
        routes = [
            APIRoute(path: "/v1/health", method: .get, handler: api.health),
            APIRoute(path: "/v1/events", method: .post, handler: api.push),
            APIRoute(path: "/v1/events", method: .get, handler: api.pull),
            APIRoute(path: "/v1/log/mark", method: .get, handler: api.mark),
            APIRoute(path: "/v1/metrics", method: .get, handler: api.metrics),
            APIRoute(path: "/v1/metrics/cohort", method: .get, handler: api.cohort),
        ]
    }

    /// Registers every route on `router`.
    func register(on router: Router<CentralContext>) {
        for route in routes {
            router.on(RouterPath(route.path), method: route.method, use: route.handler)
        }
    }

    /// The methods each path answers, in the order of `Allow`: its own, then HEAD where it answers GET (the router
    /// makes a HEAD route of every GET route), then OPTIONS (answered by `AllowedMethodsMiddleware`).
    var allowedMethods: [String: [HTTPRequest.Method]] {
        var table: [String: [HTTPRequest.Method]] = [:]
        for route in routes { table[route.path, default: []].append(route.method) }
        return table.mapValues { own in
            let sorted = own.sorted { $0.rawValue < $1.rawValue }
            return sorted + (own.contains(.get) ? [.head] : []) + [.options]
        }
    }
}
