import DragnetCore
import DragnetServer
import DragnetSync
import Foundation
import Testing

/// What docs/openapi.yaml says of the central endpoint beyond each route's own answers, over real HTTP: the methods
/// of each path (405 with `Allow`, OPTIONS, HEAD), one period form at a time, the gzip error, and UUIDs in lower case.
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

    @Test func aPeriodIsGivenInOneFormOnly() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let token = try server.token("79.26734")
        let usage =
            "give the period as from and to (YYYY-MM-DD), or as one of year (2020), quarter (2020Q3), month (2020-07)"
        let cases = [
            ("from=2020-01-01&to=2020-12-31&year=2020", "from and to leave no room for another period: " + usage),
            ("year=2020&month=2020-07", "more than one period is given: " + usage),
            ("from=2020-01-01", "from is given without to: " + usage),
            ("unit=79.26734", "no period is given: " + usage),
            (
                "from=2020-12-31&to=2020-01-01",
                "the period ends before it starts: from 2020-12-31 is after to 2020-01-01"
            ),
        ]
        for route in ["/v1/metrics", "/v1/metrics/cohort"] {
            for (query, message) in cases {
                let response = try await raw(.get, "\(server.url)\(route)?\(query)", token: token)
                #expect(response.status == 400, "\(route)?\(query)")
                let body = try JSONDecoder().decode(SyncWire.ErrorBody.self, from: Data(response.body))
                #expect(body.error == "bad_request" && body.message == message, "\(route)?\(query)")
            }
            for query in ["from=2020-01-01&to=2020-12-31", "year=2020", "quarter=2020Q3", "month=2020-07"] {
                let response = try await raw(.get, "\(server.url)\(route)?\(query)", token: token)
                #expect(response.status == 200, "\(route)?\(query)")
            }
        }
    }

    @Test func aPlainBodyDeclaredGzipGetsTheDocumented400() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let response = try await raw(
            .post, "\(server.url)/v1/events", token: try server.token("79.26734"), body: Array(#"{"events":[]}"#.utf8),
            headers: [("Content-Encoding", "gzip")])
        #expect(response.status == 400)
        let body = try JSONDecoder().decode(SyncWire.ErrorBody.self, from: Data(response.body))
        #expect(body == SyncWire.ErrorBody(error: "bad_request", message: "the body is not valid gzip"))
        let other = try await raw(
            .post, "\(server.url)/v1/events", token: try server.token("79.26734"), body: Array(#"{"events":[]}"#.utf8),
            headers: [("Content-Encoding", "br")])
        #expect(other.status == 415)
    }

    /// Every UUID-shaped string in `text`.
    func uuids(in text: String) throws -> [String] {
        let pattern = try NSRegularExpression(pattern: "[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}")
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range, in: text)!])
        }
    }

    @Test func idsSentInUpperCaseByAnOlderStationComeBackInLowerCase() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        var station = try TestStation("79.26734", in: server.directory)
        let opened = try SyncTests.openWanted(&station, ref: "TN-1", name: "Lý Văn Một", opened: "2020-02-02")
        let events = try station.registry.station.outbox(after: 0, limit: 10).map(\.event)
        #expect(events.count == 2, "the person and the opening")
        // The batch as the previous version wrote it: Foundation's uuidString, upper case.
        var body = String(decoding: try SyncWire.encoder().encode(SyncWire.PushRequest(events: events)), as: UTF8.self)
        for id in events.map(\.id) + [opened.id, opened.personID] {
            body = body.replacingOccurrences(of: id.uuidString.lowercased(), with: id.uuidString)
        }
        let sent = try uuids(in: body)
        #expect(sent.count == 5 && sent.allSatisfy { $0 == $0.uppercased() })
        let token = try server.token("79.26734")
        let pushed = try await raw(.post, "\(server.url)/v1/events", token: token, body: Array(body.utf8))
        #expect(pushed.status == 200)
        let answer = String(decoding: pushed.body, as: UTF8.self)
        #expect(
            try JSONDecoder().decode(SyncWire.PushResponse.self, from: Data(pushed.body)).results.map(\.status)
                == [.created, .created])
        #expect(try uuids(in: answer) == events.map { $0.id.uuidString.lowercased() })
        let pulled = try await raw(.get, "\(server.url)/v1/events?after=0", token: token)
        let page = String(decoding: pulled.body, as: UTF8.self)
        // Each event's id and record id, and the opening's person id: five, all lower case.
        let served = try uuids(in: page)
        #expect(served.count == 5 && served.allSatisfy { $0 == $0.lowercased() })
        let decoded = try JSONDecoder().decode(SyncWire.PullResponse.self, from: Data(pulled.body))
        #expect(decoded.events.map(\.event) == events)
    }
}
