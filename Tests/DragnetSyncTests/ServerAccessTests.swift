import DragnetCore
import DragnetGzip
import DragnetServer
import DragnetSync
import Foundation
import Testing

/// Status codes and error bodies of the central endpoint, over real HTTP.
@Suite struct ServerAccessTests {
    func errorCode(_ response: DragnetSync.HTTPResponse) -> String? {
        (try? JSONDecoder().decode(SyncWire.ErrorBody.self, from: Data(response.body)))?.error
    }

    @Test func tokensAreCheckedAndScoped() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let events = "\(server.url)/v1/events"
        let noToken = try await raw(.get, events, token: nil)
        #expect(noToken.status == 401 && errorCode(noToken) == "unauthorized")
        let wrong = try await raw(.get, events, token: "dn_not-a-token")
        #expect(wrong.status == 401)
        let hq = try server.token("79", role: .hq)
        #expect(try await raw(.get, events, token: hq).status == 200, "headquarters may read")
        let hqPush = try await raw(.post, events, token: hq, body: Array(#"{"events":[]}"#.utf8))
        #expect(hqPush.status == 403 && errorCode(hqPush) == "forbidden")
        let outside = try await raw(.get, "\(server.url)/v1/metrics?year=2020&unit=80", token: hq)
        #expect(outside.status == 403)
        let inside = try await raw(.get, "\(server.url)/v1/metrics?year=2020&unit=79.26734", token: hq)
        #expect(inside.status == 200)
        // A revoked token stops working.
        let station = try server.token("79.26734")
        #expect(try await raw(.get, events, token: station).status == 200)
        let id = try #require(try server.registry.central.tokens().last?.id)
        #expect(try server.registry.central.revokeToken(id: id, now: Timestamp.now()))
        #expect(try await raw(.get, events, token: station).status == 401)
    }

    /// The figures route reads the token with the figures' settings in one read: it still answers a missing, wrong
    /// or revoked token with 401 before looking at the query, then a scope outside the token's with 403, then a bad
    /// query with 400.
    @Test func theFiguresRouteChecksTheTokenBeforeTheQuery() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let metrics = "\(server.url)/v1/metrics"
        let noToken = try await raw(.get, metrics + "?quarter=2020Q5&unit=nowhere", token: nil)
        #expect(noToken.status == 401 && errorCode(noToken) == "unauthorized")
        let wrong = try await raw(.get, metrics + "?quarter=2020Q5", token: "dn_not-a-token")
        #expect(wrong.status == 401 && errorCode(wrong) == "unauthorized")
        let hq = try server.token("79", role: .hq)
        let outside = try await raw(.get, metrics + "?year=2020&unit=80", token: hq)
        #expect(outside.status == 403 && errorCode(outside) == "forbidden")
        let badPeriod = try await raw(.get, metrics + "?quarter=2020Q5", token: hq)
        #expect(badPeriod.status == 400 && errorCode(badPeriod) == "bad_request")
        #expect(try await raw(.get, metrics + "?year=2020", token: hq).status == 200)
        let id = try #require(try server.registry.central.tokens().last?.id)
        #expect(try server.registry.central.revokeToken(id: id, now: Timestamp.now()))
        let revoked = try await raw(.get, metrics + "?year=2020", token: hq)
        #expect(revoked.status == 401 && errorCode(revoked) == "unauthorized")
    }

    /// The figures route answers from memory while the file has not changed; a token revoked by another process
    /// on the same file (`dragnet token revoke --db` while the server runs) is refused at the very next request.
    @Test func aTokenRevokedByAnotherProcessIsRefusedAtTheNextRequest() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let hq = try server.token("79", role: .hq)
        let metrics = "\(server.url)/v1/metrics?year=2020"
        let first = try await raw(.get, metrics, token: hq)
        let second = try await raw(.get, metrics, token: hq)
        #expect(first.status == 200 && second.status == 200 && second.body == first.body)
        let other = try Registry.open(at: server.registry.path)
        let id = try #require(try other.central.tokens().last?.id)
        #expect(try other.central.revokeToken(id: id, now: Timestamp.now()))
        let revoked = try await raw(.get, metrics, token: hq)
        #expect(revoked.status == 401 && errorCode(revoked) == "unauthorized")
    }

    @Test func badBodiesGetClearErrorsAndChangeNothing() async throws {
        var limits = SyncWire.PushLimits.standard
        limits.maxSentBytes = 64 * 1024
        let server = try await LiveServer.start(push: limits)
        defer { server.stop() }
        let token = try server.token("79.26734")
        let events = "\(server.url)/v1/events"
        let malformed = try await raw(.post, events, token: token, body: Array("{not json".utf8))
        #expect(malformed.status == 400 && errorCode(malformed) == "bad_request")
        let wrongShape = try await raw(.post, events, token: token, body: Array(#"{"events":[{"id":"x"}]}"#.utf8))
        #expect(wrongShape.status == 400)
        let message = try JSONDecoder().decode(SyncWire.ErrorBody.self, from: Data(wrongShape.body)).message
        #expect(message.contains("events[0]") || message.contains("[0]"), "names where: \(message)")
        #expect(!message.lowercased().contains("select") && !message.contains("sqlite"))
        let huge = try await raw(.post, events, token: token, body: [UInt8](repeating: 32, count: 100 * 1024))
        #expect(huge.status == 413 && errorCode(huge) == "too_large")
        let notGzip = try await raw(
            .post, events, token: token, body: Array("plain".utf8),
            headers: [("Content-Encoding", "gzip")])
        #expect(notGzip.status == 400)
        let badCursor = try await raw(.get, events + "?after=-1", token: token)
        #expect(badCursor.status == 400)
        let badPeriod = try await raw(.get, "\(server.url)/v1/metrics?quarter=2020Q5", token: token)
        #expect(badPeriod.status == 400)
        #expect(try server.registry.eventCount() == 0)
    }

    @Test func aBatchThatRepeatsAnIdGetsOneResultPerPosition() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        var a = try TestStation("79.26734", in: server.directory)
        _ = try SyncTests.openWanted(&a, ref: "TN-1", name: "Lý Văn Một", opened: "2020-02-02")
        let events = try a.registry.station.outbox(after: 0, limit: 10).map(\.event)
        var altered = events[0]
        altered.author = "someone else"
        let body = Array(try SyncWire.encoder().encode(SyncWire.PushRequest(events: [events[0], altered, events[1]])))
        let response = try await raw(.post, "\(server.url)/v1/events", token: try server.token("79.26734"), body: body)
        let results = try JSONDecoder().decode(SyncWire.PushResponse.self, from: Data(response.body)).results
        #expect(results.map(\.status) == [.created, .rejected, .created])
    }

    @Test func aGzipBombIsRefused() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let bomb = try Gzip.compress([UInt8](repeating: 0x20, count: SyncWire.PushLimits.standard.maxInflatedBytes + 1))
        let response = try await raw(
            .post, "\(server.url)/v1/events", token: try server.token("79.26734"),
            body: bomb, headers: [("Content-Encoding", "gzip")])
        #expect(response.status == 413)
    }

    @Test func theFiguresRouteServesTheSameJSONAsTheLibrary() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        var a = try TestStation("79.26734", in: server.directory)
        _ = try SyncTests.openWanted(&a, ref: "TN-1", name: "Lý Văn Một", opened: "2020-02-02")
        _ = try await a.sync(server, token: try server.token("79.26734"))
        let hq = try server.token("79", role: .hq)
        let response = try await raw(.get, "\(server.url)/v1/metrics?unit=79&from=2020-01-01&to=2020-12-31", token: hq)
        #expect(response.status == 200)
        let expected = try server.registry.figures.planReport(
            scope: UnitCode("79")!, period: try Period.year(2020), asOf: nil)
        #expect(response.body == Array(try expected.jsonData()))
        // Opened 2020-02-02, still open: one new case, none captured, rate 0.
        #expect(
            String(decoding: response.body, as: UTF8.self).contains(
                #""new":{"count":1,"captured":0,"arrested":0,"surrendered":0,"died":0,"struck_off":0,"open":1,"rate":0.0,"#
            ))
    }

    @Test func anUnreachableServerGivesUpWithinTheBudget() async throws {
        var policy = RetryPolicy()
        policy.budget = 3
        let client = CentralClient.live(baseURL: "http://127.0.0.1:9", token: "dn_x", policy: policy)
        // Timed on the thread that makes the requests: the time the client takes to give up, not the time the
        // test's task waits to be resumed while the other tests hold the few threads Swift's tasks run on.
        let (outcome, seconds) = try await blocking {
            let start = Date()
            let outcome = Result { try client.get("/v1/health") }
            return (outcome, Date().timeIntervalSince(start))
        }
        do {
            _ = try outcome.get()
            Issue.record("expected the server to be unreachable")
        } catch let error as DragnetError {
            #expect(error.code == .unreachable && error.exitStatus == 69)
            #expect(error.message.contains("could not reach the central server at http://127.0.0.1:9"))
        }
        // The budget is 3 s; the bound is generous because the test machine may be busy with other tests.
        #expect(seconds < 30)
    }
}
