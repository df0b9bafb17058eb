import DragnetCore
import Foundation

/// How a `CurlTransport` connects: TLS, timeouts and limits.
///
/// The defaults suit a station on a poor network: a connection must open within 5 s, and an exchange is abandoned
/// when fewer than 1 byte per second flowed for 20 s. There is no overall limit unless `totalTimeout` is set, so a
/// large pull on a slow but live link still completes.
public struct CurlOptions: Sendable, Equatable {
    /// A PEM file of CA certificates to trust instead of the system's (libcurl's `CURLOPT_CAINFO`).
    public var caFile: String?
    /// Whether the server's certificate and host name are verified. Turn off only for a test server, knowingly.
    public var verifyTLS: Bool
    /// The longest wait for a connection to open, in seconds.
    public var connectTimeout: TimeInterval
    /// The speed, in bytes per second, below which an exchange counts as stalled.
    public var lowSpeedLimit: Int
    /// How long, in seconds, an exchange may stay below `lowSpeedLimit` before it is abandoned (rounded up).
    public var lowSpeedTime: TimeInterval
    /// The longest a whole exchange may take, in seconds; nil for no limit.
    public var totalTimeout: TimeInterval?
    /// The `User-Agent` sent with each request.
    public var userAgent: String
    /// The largest response body accepted, in bytes after decoding; a larger one fails the request.
    public var maxResponseBytes: Int

    /// Options with the defaults described above; certificate verification is on.
    public init(
        caFile: String? = nil,
        verifyTLS: Bool = true,
        connectTimeout: TimeInterval = 5,
        lowSpeedLimit: Int = 1,
        lowSpeedTime: TimeInterval = 20,
        totalTimeout: TimeInterval? = nil,
        userAgent: String = "dragnet/" + DragnetVersion.string,
        maxResponseBytes: Int = 256 * 1024 * 1024
    ) {
        self.caFile = caFile
        self.verifyTLS = verifyTLS
        self.connectTimeout = connectTimeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.totalTimeout = totalTimeout
        self.userAgent = userAgent
        self.maxResponseBytes = maxResponseBytes
    }

    /// The defaults: verified TLS against the system's CAs, 5 s to connect, 1 byte/s over 20 s.
    public static let standard = CurlOptions()
}
