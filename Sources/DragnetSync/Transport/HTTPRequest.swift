import DragnetGzip

/// One HTTP request, as a plain value: what the sync protocol builds and a transport sends.
public struct HTTPRequest: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The absolute URL, for example `https://central.example/v1/events?after=42`.
    public var url: String
    /// Header fields in the order they are sent; a name may repeat.
    public var headers: [(String, String)]
    /// The body; empty for none.
    public var body: [UInt8]

    /// A request; `headers` and `body` default to none.
    public init(method: HTTPMethod, url: String, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The value of the first header field called `name`, compared without regard to case.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.0.lowercased() == wanted }?.1
    }

    /// The same request with its body gzip-compressed and `Content-Encoding: gzip` set.
    public func gzippingBody() throws -> HTTPRequest {
        var copy = self
        copy.body = try Gzip.compress(body)
        copy.headers.removeAll { $0.0.lowercased() == "content-encoding" }
        copy.headers.append(("Content-Encoding", "gzip"))
        return copy
    }
}
