import HTTPTypes
import Hummingbird

/// Answers, on a path of the /v1 API, the methods the API does not route there: `OPTIONS` with 204 and `Allow`, any
/// other with 405 `method_not_allowed` and `Allow` (RFC 9110 §15.5.6). Other paths, and the methods routed, go on.
/// It runs before the handlers, so no token is needed to learn a path's methods.
struct AllowedMethodsMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Each path's methods, as `APIRoutes.allowedMethods` gives them.
    let methods: [String: [HTTPRequest.Method]]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        // The router skips empty segments (`/v1//health/` is `/v1/health`); so does this look-up.
        let path = "/" + request.uri.path.split(separator: "/").joined(separator: "/")
        guard let allowed = methods[path] else { return try await next(request, context) }
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        if request.method == .options {
            var headers = HTTPFields()
            headers[.allow] = allow
            return Response(status: .noContent, headers: headers)
        }
        guard allowed.contains(request.method) else {
            throw APIError.methodNotAllowed(request.method, path: path, allow: allow)
        }
        return try await next(request, context)
    }
}
