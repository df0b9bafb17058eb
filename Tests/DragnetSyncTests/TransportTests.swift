import CDragnetCurl
import Foundation
import Testing

@testable import DragnetSync

/// `CurlTransport` against a real HTTP server on loopback, and `RetryingTransport` over it.
@Suite("libcurl transport")
struct TransportTests {
    let transport = CurlTransport()

    @Test func getSendsHeadersAndCollectsResponseHeaders() async throws {
        try await LocalHTTPServer.with { server in
            let request = HTTPRequest(
                method: .get, url: server.baseURL + "/headers",
                headers: [("Authorization", "Bearer s3cret"), ("X-Station", "79.26734")])
            let response = try await Blocking.run { [transport] in try transport.send(request) }
            #expect(response.status == 200)
            let echoed = String(decoding: response.body, as: UTF8.self)
            #expect(echoed.contains("authorization: Bearer s3cret\n"))
            #expect(echoed.contains("x-station: 79.26734\n"))
            #expect(echoed.contains("user-agent: dragnet/0.1.0\n"))
            #expect(response.headers["x-test"] == "one, two")
            #expect(response.header("Content-Type") == "text/plain")
            #expect(response.headers.keys.allSatisfy { $0 == $0.lowercased() })
        }
    }

    @Test(arguments: [HTTPMethod.post, .put, .patch])
    func bodyIsSentWholeAndEchoed(method: HTTPMethod) async throws {
        try await LocalHTTPServer.with { server in
            // Every byte value, zero included, and over 1 MB: where libcurl would add `Expect: 100-continue`.
            let body = (0..<1_500_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let request = HTTPRequest(
                method: method, url: server.baseURL + "/echo", headers: [("Content-Type", "application/octet-stream")],
                body: body)
            let response = try await Blocking.run { [transport] in try transport.send(request) }
            #expect(response.status == 200)
            #expect(response.header("X-Method") == method.rawValue)
            #expect(response.header("X-Received-Encoding") == "identity")
            #expect(response.header("X-Received-Content-Type") == "application/octet-stream")
            #expect(response.header("X-Received-Expect") == "none", "no 100-continue round trip")
            #expect(response.body == body)
        }
    }

    @Test func emptyPostIsSent() async throws {
        try await LocalHTTPServer.with { server in
            let request = HTTPRequest(method: .post, url: server.baseURL + "/echo")
            let response = try await Blocking.run { [transport] in try transport.send(request) }
            #expect(response.status == 200)
            #expect(response.header("X-Method") == "POST")
            #expect(response.header("X-Received-Content-Type") == "none", "libcurl's form content type is removed")
            #expect(response.body.isEmpty)
        }
    }

    @Test func gzippedRequestBodyArrivesWhole() async throws {
        try await LocalHTTPServer.with { server in
            let text = Array(String(repeating: "{\"event\":\"wanted.opened\"}\n", count: 5_000).utf8)
            let request = try HTTPRequest(method: .post, url: server.baseURL + "/echo", body: text).gzippingBody()
            #expect(request.body.count < text.count / 10)
            #expect(request.header("content-encoding") == "gzip")
            let response = try await Blocking.run { [transport] in try transport.send(request) }
            #expect(response.header("X-Received-Encoding") == "gzip")
            #expect(response.body == text)
        }
    }

    @Test func gzipResponseIsDecodedTransparently() async throws {
        try await LocalHTTPServer.with { server in
            let request = HTTPRequest(method: .get, url: server.baseURL + "/gzip")
            let response = try await Blocking.run { [transport] in try transport.send(request) }
            #expect(response.status == 200)
            #expect(response.header("Content-Encoding") == "gzip")
            #expect(response.body == Array(String(repeating: "dragnet ", count: 1000).utf8))
        }
    }

    @Test func headHasNoBody() async throws {
        try await LocalHTTPServer.with { server in
            let request = HTTPRequest(method: .head, url: server.baseURL + "/gzip")
            let response = try await Blocking.run { [transport] in try transport.send(request) }
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
        }
    }

    @Test func oversizedResponseFailsWithoutRetry() async throws {
        try await LocalHTTPServer.with { server in
            let small = CurlTransport(options: CurlOptions(maxResponseBytes: 1000))
            let request = HTTPRequest(method: .get, url: server.baseURL + "/gzip")
            let (error, _) = try await failure(of: small, request)
            #expect(error.kind == .other)
            #expect(!error.isRetryable)
            #expect(error.description.contains("larger than the limit of 1000 bytes"))
        }
    }

    @Test func serviceUnavailableThenSuccessThroughRetries() async throws {
        try await LocalHTTPServer.with { server in
            let retries = RetryLog()
            let retrying = RetryingTransport(
                base: transport, policy: RetryPolicy(baseDelay: 0.05, random: { 0.5 }),
                onRetry: { retries.append($0) })
            let request = HTTPRequest(method: .post, url: server.baseURL + "/flaky?key=a&fail=2&status=503")
            let response = try await Blocking.run { try retrying.send(request) }
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "ok after 3")
            #expect(retries.all.map(\.reason) == ["HTTP 503", "HTTP 503"])
            #expect(retries.all.map(\.delay) == [0.025, 0.05])
        }
    }

    @Test func retryAfterIsHonoured() async throws {
        try await LocalHTTPServer.with { server in
            let retries = RetryLog()
            let retrying = RetryingTransport(
                base: transport, policy: RetryPolicy(random: { 0 }), onRetry: { retries.append($0) })
            let request = HTTPRequest(method: .get, url: server.baseURL + "/flaky?key=b&status=429&retry_after=1")
            let (response, seconds) = try await Blocking.timed { try retrying.send(request) }
            #expect(response.status == 200)
            #expect(retries.all.map(\.delay) == [1])
            #expect(seconds >= 0.95)
        }
    }

    @Test func notFoundIsNotRetried() async throws {
        try await LocalHTTPServer.with { server in
            let retries = RetryLog()
            let retrying = RetryingTransport(base: transport, onRetry: { retries.append($0) })
            let request = HTTPRequest(method: .get, url: server.baseURL + "/status?code=404&key=c")
            let response = try await Blocking.run { try retrying.send(request) }
            #expect(response.status == 404)
            #expect(retries.all.isEmpty)
            let count = HTTPRequest(method: .get, url: server.baseURL + "/count?path=/status&key=c")
            let counted = try await Blocking.run { [transport] in try transport.send(count) }
            #expect(String(decoding: counted.body, as: UTF8.self) == "1")
        }
    }

    @Test func refusedConnectionIsCouldNotConnectAndQuick() async throws {
        try await LocalHTTPServer.with { server in
            let url = "http://127.0.0.1:\(server.closedPort)/v1/health"
            let request = HTTPRequest(method: .get, url: url, headers: [("Authorization", "Bearer s3cret")])
            let (error, seconds) = try await failure(of: transport, request)
            #expect(error.kind == .couldNotConnect)
            #expect(error.isRetryable)
            #expect(error.curlCode == Int(CURLE_COULDNT_CONNECT.rawValue))
            #expect(error.description.hasPrefix("could not connect to \(url): Couldn't connect to server"))
            #expect(!error.description.contains("s3cret"))
            #expect(seconds < 2)
        }
    }

    @Test func silentServerTimesOutOnLowSpeed() async throws {
        try await LocalHTTPServer.with { server in
            let impatient = CurlTransport(options: CurlOptions(lowSpeedTime: 1))
            let request = HTTPRequest(method: .get, url: server.baseURL + "/hang")
            let (error, seconds) = try await failure(of: impatient, request)
            #expect(error.kind == .timedOut)
            #expect(error.isRetryable)
            #expect(error.description.hasPrefix("timed out waiting for \(server.baseURL)/hang"))
            #expect(seconds >= 0.9 && seconds < 5)
        }
    }

    @Test func silentServerTimesOutOnTotalTimeout() async throws {
        try await LocalHTTPServer.with { server in
            let bounded = CurlTransport(options: CurlOptions(lowSpeedTime: 30, totalTimeout: 0.5))
            let request = HTTPRequest(method: .get, url: server.baseURL + "/hang")
            let (error, seconds) = try await failure(of: bounded, request)
            #expect(error.kind == .timedOut)
            #expect(seconds >= 0.4 && seconds < 4)
        }
    }

    @Test(.enabled(if: LocalHTTPServer.canServeTLS))
    func tlsWithTheServersCAFileSucceeds() async throws {
        try await LocalHTTPServer.with(tls: true) { server in
            let trusting = CurlTransport(options: CurlOptions(caFile: server.certificatePath))
            let request = HTTPRequest(method: .get, url: server.baseURL + "/gzip")
            let response = try await Blocking.run { try trusting.send(request) }
            #expect(server.baseURL.hasPrefix("https://"))
            #expect(response.status == 200)
            #expect(response.body.count == 8000)
        }
    }

    @Test(.enabled(if: LocalHTTPServer.canServeTLS))
    func tlsWithAnUnknownCertificateIsRefusedAndNotRetryable() async throws {
        try await LocalHTTPServer.with(tls: true) { server in
            let request = HTTPRequest(method: .get, url: server.baseURL + "/gzip")
            let (error, _) = try await failure(of: transport, request)
            #expect(error.kind == .tls)
            #expect(!error.isRetryable)
            #expect(error.description.hasPrefix("TLS failed for \(server.baseURL)/gzip"))
        }
    }

    @Test(.enabled(if: LocalHTTPServer.canServeTLS))
    func tlsVerificationTurnedOffAcceptsAnyCertificate() async throws {
        try await LocalHTTPServer.with(tls: true) { server in
            let careless = CurlTransport(options: CurlOptions(verifyTLS: false))
            let request = HTTPRequest(method: .get, url: server.baseURL + "/status?code=204")
            let response = try await Blocking.run { try careless.send(request) }
            #expect(response.status == 204)
        }
    }

    @Test func missingCAFileIsATLSError() async throws {
        try await LocalHTTPServer.with(tls: LocalHTTPServer.canServeTLS) { server in
            let lost = CurlTransport(options: CurlOptions(caFile: "/nonexistent/dragnet-ca.pem"))
            let (error, _) = try await failure(
                of: lost, HTTPRequest(method: .get, url: "https://127.0.0.1:\(server.port)/"))
            #expect(error.kind == .tls)
            #expect(!error.isRetryable)
        }
    }

    @Test func headerWithLineBreakIsRefusedWithoutShowingItsValue() async throws {
        let request = HTTPRequest(
            method: .get, url: "http://127.0.0.1:9/", headers: [("Authorization", "Bearer s3cret\r\nX-Evil: 1")])
        let (error, _) = try await failure(of: transport, request)
        #expect(error.kind == .other)
        #expect(!error.isRetryable)
        #expect(error.description.contains("Authorization"))
        #expect(!error.description.contains("s3cret"))
    }

    @Test func malformedURLIsNotRetryable() async throws {
        let (error, _) = try await failure(of: transport, HTTPRequest(method: .get, url: "http://[::1/x"))
        #expect(error.kind == .other)
        #expect(!error.isRetryable)
    }

    @Test func credentialsInTheURLAreNotShown() {
        let error = TransportError(kind: .dns, url: "https://station:pa55word@central.example/v1?x=1", message: "m")
        #expect(error.url == "https://central.example/v1?x=1")
        #expect(!error.description.contains("pa55word"))
        #expect(TransportError.redacting("http://127.0.0.1:8080/a@b") == "http://127.0.0.1:8080/a@b")
    }

    @Test(arguments: [
        (CURLE_COULDNT_CONNECT, TransportError.Kind.couldNotConnect, true),
        (CURLE_OPERATION_TIMEDOUT, .timedOut, true),
        (CURLE_COULDNT_RESOLVE_HOST, .dns, true),
        (CURLE_SSL_CONNECT_ERROR, .tls, true),
        (CURLE_PEER_FAILED_VERIFICATION, .tls, false),
        (CURLE_SSL_CACERT_BADFILE, .tls, false),
        (CURLE_GOT_NOTHING, .other, true),
        (CURLE_RECV_ERROR, .other, true),
        (CURLE_URL_MALFORMAT, .other, false),
        (CURLE_UNSUPPORTED_PROTOCOL, .other, false),
    ])
    func curlCodesMapToKinds(code: CURLcode, kind: TransportError.Kind, retryable: Bool) {
        let error = TransportError(curlCode: code, url: "https://central.example/v1/events", errorBuffer: "")
        #expect(error.kind == kind)
        #expect(error.isRetryable == retryable)
        #expect(!error.message.isEmpty)
        #expect(error.description.contains("https://central.example/v1/events: \(error.message)"))
    }

    /// The transport error `request` fails with, and how long that took; fails the test if it succeeds.
    private func failure(of transport: some HTTPTransport, _ request: HTTPRequest) async throws
        -> (TransportError, TimeInterval)
    {
        let (error, seconds) = try await Blocking.timed { () -> TransportError? in
            do {
                _ = try transport.send(request)
                return nil
            } catch let error as TransportError {
                return error
            }
        }
        return (try #require(error, "the request was expected to fail"), seconds)
    }
}

/// The retries a `RetryingTransport` announced; a lock guards the list because the transport runs on another thread.
final class RetryLog: @unchecked Sendable {
    private let lock = NSLock()
    private var retries: [RetryingTransport.Retry] = []

    func append(_ retry: RetryingTransport.Retry) {
        lock.withLock { retries.append(retry) }
    }

    var all: [RetryingTransport.Retry] { lock.withLock { retries } }
}
