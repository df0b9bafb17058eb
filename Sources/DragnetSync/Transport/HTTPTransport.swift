/// Something that sends one HTTP request and returns its response.
///
/// `send` blocks until the exchange ends, by design: libcurl's easy interface is blocking. Call it from a thread of
/// your own (or a dispatch queue), never from a task on Swift's shared cooperative pool, which has one thread per core.
/// A status such as 404 or 503 is a response, not an error; errors are for exchanges that did not complete.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and waits for the whole response; throws `TransportError` when no response arrived.
    func send(_ request: HTTPRequest) throws -> HTTPResponse
}
