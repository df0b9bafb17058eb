/// An HTTP exchange that did not complete: no response came back.
///
/// The description is written for a person and names the URL without any user name or password in it; request
/// headers (the `Authorization` token among them) never appear in it.
public struct TransportError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is.
    public enum Kind: Sendable, Equatable, CaseIterable {
        /// Nothing listens at the address, or the connection was refused or could not be made in time.
        case couldNotConnect
        /// The connection was made but the exchange was too slow or took longer than allowed.
        case timedOut
        /// The TLS handshake or the server's certificate failed.
        case tls
        /// The host name could not be resolved.
        case dns
        /// Any other failure (a malformed URL, a broken connection, an oversized response…).
        case other
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// The URL of the request, with any user name and password removed.
    public var url: String
    /// A short explanation, for example libcurl's `Couldn't connect to server`.
    public var message: String
    /// A longer explanation when one is known (libcurl's error buffer), else empty.
    public var detail: String
    /// The libcurl result code (`CURLcode`), when libcurl reported the failure.
    public var curlCode: Int?
    /// Whether trying again may succeed; false for a malformed URL or a certificate that does not verify.
    public var isRetryable: Bool
    /// How many attempts were made before this error was given up on (1 unless a `RetryingTransport` retried).
    public var attempts: Int

    /// An error for `url`; any user name and password in `url` are removed.
    public init(
        kind: Kind, url: String, message: String, detail: String = "", curlCode: Int? = nil,
        isRetryable: Bool = true, attempts: Int = 1
    ) {
        self.kind = kind
        self.url = TransportError.redacting(url)
        self.message = message
        self.detail = detail
        self.curlCode = curlCode
        self.isRetryable = isRetryable
        self.attempts = attempts
    }

    /// One line for a person, for example
    /// `could not connect to http://127.0.0.1:9/v1/health: Couldn't connect to server`.
    public var description: String {
        var text = "\(lead) \(url): \(message)"
        if !detail.isEmpty && detail != message {
            text += " (\(detail))"
        }
        if attempts > 1 {
            text += " [gave up after \(attempts) attempts]"
        }
        if let hint {
            text += ". \(hint)"
        }
        return text
    }

    private var lead: String {
        switch kind {
        case .couldNotConnect: return "could not connect to"
        case .timedOut: return "timed out waiting for"
        case .tls: return "TLS failed for"
        case .dns: return "could not resolve the host of"
        case .other: return "request failed for"
        }
    }

    private var hint: String? {
        switch kind {
        case .couldNotConnect: return "Check the server address and that the server is running"
        case .timedOut: return "The server or the network is slow; try again later"
        case .tls: return "Check the server's certificate or pass the CA file that signed it"
        case .dns: return "Check the host name and the network connection"
        case .other: return nil
        }
    }

    /// `url` without the `user:password@` part of its authority, if any.
    static func redacting(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }
}
