import DragnetCore

/// How the central endpoint listens and what it accepts.
public struct ServerConfiguration: Sendable {
    /// The address to listen on; 127.0.0.1 by default (put a TLS-terminating proxy in front for other hosts).
    public var host: String
    /// The port; 0 picks a free one (the tests and the demo do this).
    public var port: Int
    /// What one push may carry: announced in `GET /v1/health`, a larger push gets 413.
    public var push: SyncWire.PushLimits
    /// How long a numbered push waits for the push before it in its sync to be stored before it gets 409
    /// (`PushOrder`).
    public var pushOrderPatience: Duration = .seconds(15)

    /// Whether the server listens on a loopback address only (then plain HTTP never leaves the machine, and the
    /// dashboard's cookie can do without `Secure`; anywhere else a TLS proxy is in front and the cookie is `Secure`).
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    public init(host: String = "127.0.0.1", port: Int = 8080, push: SyncWire.PushLimits = .standard) {
        self.host = host
        self.port = port
        self.push = push
    }
}
