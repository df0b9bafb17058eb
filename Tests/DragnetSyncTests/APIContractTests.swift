import DragnetCore
import DragnetServer
import DragnetSync
import Foundation
import Testing

/// What docs/openapi.yaml says of the central endpoint beyond each route's own answers, over real HTTP: the methods
/// of each path (405 with `Allow`, OPTIONS, HEAD).
@Suite struct APIContractTests {
    /// Each /v1 path with its `Allow`, from docs/openapi.yaml: the methods documented for it, HEAD where it has GET,
    /// then OPTIONS.
    static let paths = [
        ("/v1/health", "GET, HEAD, OPTIONS"),
        ("/v1/events", "GET, POST, HEAD, OPTIONS"),
        ("/v1/log/mark", "GET, HEAD, OPTIONS"),
        ("/v1/metrics", "GET, HEAD, OPTIONS"),
        ("/v1/metrics/cohort", "GET, HEAD, OPTIONS"),
    ]

    func errorBody(_ response: RawResponse) throws -> SyncWire.ErrorBody {
        try JSONDecoder().decode(SyncWire.ErrorBody.self, from: Data(response.body))
    }

    @Test(arguments: paths)
    func anUndeclaredMethodGets405WithAllowAndOptionsListsTheMethods(path: String, allow: String) async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let token = try server.token("79.26734")
        let undeclared = ["TRACE", "PUT", "DELETE", "PATCH", "QUERY"] + (allow.contains("POST") ? [] : ["POST"])
        for method in undeclared {
            // With a token and without: the method is judged before the token.
            for headers in [[("Authorization", "Bearer \(token)")], []] {
                let response = try await rawHTTP(port: server.port, method, path, headers: headers)
                #expect(response.status == 405, "\(method) \(path)")
                #expect(response.header("Allow") == allow, "\(method) \(path)")
                let body = try errorBody(response)
                #expect(body.error == "method_not_allowed")
                #expect(body.message == "\(path) does not answer \(method); it answers \(allow)")
            }
        }
        // The router reads `/v1//x/` as `/v1/x`, and so does the check.
        let slashes = path.replacingOccurrences(of: "/v1/", with: "/v1//") + "/"
        let odd = try await rawHTTP(port: server.port, "TRACE", slashes)
        #expect(odd.status == 405 && odd.header("Allow") == allow, "TRACE \(slashes)")
        let options = try await rawHTTP(port: server.port, "OPTIONS", path)
        #expect(options.status == 204, "OPTIONS \(path)")
        #expect(options.header("Allow") == allow)
        #expect(options.body.isEmpty)
    }

    @Test func anUnknownPathIsStill404() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        for method in ["GET", "TRACE", "OPTIONS"] {
            let response = try await rawHTTP(port: server.port, method, "/v1/nothing")
            #expect(response.status == 404, "\(method)")
            #expect(response.header("Allow") == nil)
            #expect(try errorBody(response).error == "http_404")
        }
    }

    @Test func headAnswersLikeGetWithoutABody() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let get = try await rawHTTP(port: server.port, "GET", "/v1/health")
        let head = try await rawHTTP(port: server.port, "HEAD", "/v1/health")
        #expect(get.status == 200 && head.status == 200)
        #expect(head.body.isEmpty && !get.body.isEmpty)
        #expect(head.header("Content-Type") == "application/json; charset=utf-8")
        #expect(head.header("Content-Length") == String(get.body.count))
        // An error too: its status and fields, no body.
        let unauthorized = try await rawHTTP(port: server.port, "HEAD", "/v1/metrics?year=2020")
        #expect(unauthorized.status == 401 && unauthorized.header("WWW-Authenticate") == "Bearer")
        #expect(unauthorized.body.isEmpty)
        let token = try server.token("79.26734", role: .hq)
        let figures = try await rawHTTP(
            port: server.port, "HEAD", "/v1/metrics?year=2020", headers: [("Authorization", "Bearer \(token)")])
        #expect(figures.status == 200 && figures.body.isEmpty)
    }
}
