/// One HTTP response, as a plain value.
///
/// A transport that decodes a `gzip` response body transparently leaves the `content-encoding` header as the
/// server sent it, so `body` may be decoded while the header still says `gzip`.
public struct HTTPResponse: Sendable, Equatable {
    /// The status code, for example `200`.
    public var status: Int
    /// Header fields keyed by lower-cased name; repeated fields are joined with `", "`.
    public var headers: [String: String]
    /// The body, already decoded from any `Content-Encoding` the transport asked for.
    public var body: [UInt8]

    /// A response; header names are lower-cased here.
    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }) { first, second in
            "\(first), \(second)"
        }
        self.body = body
    }

    /// The value of the header field called `name`, compared without regard to case.
    public func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }

    /// Whether the status is a success (`2xx`).
    public var isSuccess: Bool { (200..<300).contains(status) }
}
