import DragnetCore
import Foundation

/// The central endpoint seen from a station or from headquarters: authenticated JSON requests over a transport
/// (libcurl with retries in real use, a scripted one in tests), with failures turned into errors for people.
public struct CentralClient: Sendable {
    /// The server's base URL without a trailing slash, e.g. `https://dragnet.example:8443`.
    public let baseURL: String
    private let token: String
    private let transport: any HTTPTransport

    public init(baseURL: String, token: String, transport: any HTTPTransport) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.transport = transport
    }

    /// The real client: libcurl with TLS verification on, timeouts, and retries with backoff and jitter.
    public static func live(
        baseURL: String, token: String, options: CurlOptions = .standard, policy: RetryPolicy = RetryPolicy(),
        onRetry: @escaping @Sendable (RetryingTransport.Retry) -> Void = { _ in }
    ) -> CentralClient {
        CentralClient(
            baseURL: baseURL, token: token,
            transport: RetryingTransport(base: CurlTransport(options: options), policy: policy, onRetry: onRetry))
    }

    /// `GET path` and the body of a 2xx answer.
    public func get(_ pathAndQuery: String) throws -> [UInt8] {
        try send(HTTPRequest(method: .get, url: baseURL + pathAndQuery, headers: headers()))
    }

    /// `POST path` with a JSON body, gzip-compressed when `gzip`, and the body of a 2xx answer.
    public func post(_ path: String, json body: [UInt8], gzip: Bool = true) throws -> [UInt8] {
        var request = HTTPRequest(
            method: .post, url: baseURL + path, headers: headers() + [("Content-Type", "application/json")],
            body: body)
        if gzip { request = try request.gzippingBody() }
        return try send(request)
    }

    /// `POST path` with a JSON body gzip-compressed already (`Gzip.compress`), and the body of a 2xx answer.
    public func post(_ path: String, gzippedJSON body: [UInt8]) throws -> [UInt8] {
        try send(
            HTTPRequest(
                method: .post, url: baseURL + path,
                headers: headers() + [("Content-Type", "application/json"), ("Content-Encoding", "gzip")], body: body))
    }

    private func headers() -> [(String, String)] {
        [("Authorization", "Bearer \(token)"), ("Accept", "application/json")]
    }

    private func send(_ request: HTTPRequest) throws -> [UInt8] {
        let response: HTTPResponse
        do {
            response = try transport.send(request)
        } catch let error as TransportError {
            throw DragnetError(
                .unreachable,
                "could not reach the central server at \(baseURL) after \(error.attempts) attempt(s): \(error.message)",
                underlying: error)
        }
        if response.isSuccess { return response.body }
        let message =
            (try? JSONDecoder().decode(SyncWire.ErrorBody.self, from: Data(response.body)))?.message
            ?? String(decoding: response.body.prefix(300), as: UTF8.self)
        switch response.status {
        case 400, 422: throw DragnetError(.badInput, "the central server refused the request: \(message)")
        case 401: throw DragnetError(.failure, "the central server refused the token: \(message)")
        case 403: throw DragnetError(.failure, "the central server forbids this: \(message)")
        case 409: throw OutOfOrderPush(message: message)
        case 408, 429, 500...599:
            throw DragnetError(
                .unreachable,
                "the central server at \(baseURL) kept answering HTTP \(response.status) (\(message)); try again later")
        default: throw DragnetError(.failure, "the central server answered HTTP \(response.status): \(message)")
        }
    }
}

/// The server's 409 to a numbered push it cannot judge in its order (docs/protocol.md, "Two pushes in flight"): the
/// station sends the rest of its sync one push at a time. Only a numbered push gets it.
public struct OutOfOrderPush: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "the central server answered HTTP 409: \(message)" }
}
