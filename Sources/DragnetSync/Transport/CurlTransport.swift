import CDragnetCurl

/// Sends HTTP requests with libcurl, following `CurlOptions`.
///
/// Each call to `send` creates a libcurl easy handle, uses it for one exchange and cleans it up. A pooled handle
/// behind a lock would save a TCP and TLS handshake per request, but it would also make concurrent calls wait on each
/// other and put mutable state in a shared value; the sync client sends few, large, batched requests, for which one
/// handshake each costs little. With no shared state the transport is a plain `Sendable` value.
///
/// Redirects are not followed (a 3xx is returned as it is), responses compressed with `gzip` or `deflate` are
/// decoded transparently, and signals are never used for timeouts (`CURLOPT_NOSIGNAL`), so any thread may call it.
public struct CurlTransport: HTTPTransport {
    /// How connections are made.
    public var options: CurlOptions

    /// A transport with `options`.
    public init(options: CurlOptions = .standard) {
        self.options = options
    }

    /// Sends `request` on a fresh libcurl handle and waits for the whole response.
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let initialization = CurlGlobal.initialization
        guard initialization == CURLE_OK else {
            throw TransportError(curlCode: initialization, url: request.url, errorBuffer: "curl_global_init failed")
        }
        let exchange = try CurlExchange(request: request, options: options)
        return try exchange.perform()
    }
}

/// libcurl's process-wide initialisation, which is not thread-safe and must happen once before any handle is made.
enum CurlGlobal {
    /// The result of `curl_global_init`. Swift initialises a static `let` exactly once, lazily and thread-safely,
    /// so the first transport to send runs it and concurrent first calls wait for it.
    static let initialization: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))
}
