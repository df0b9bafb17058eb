import Foundation

/// A transport that sends through another and retries according to a `RetryPolicy`.
///
/// Blocking like the transport it wraps: it sleeps on the calling thread between attempts. A retried request is sent
/// again as it is, so wrap only requests that are safe to repeat (every Dragnet request is: a pushed event is stored
/// once, keyed by its id). When the policy gives up on a response, that response is returned for the caller to read;
/// when it gives up on a transport error, the last error is thrown with its `attempts` count set.
public struct RetryingTransport: HTTPTransport {
    /// One retry about to happen, for logging or progress.
    public struct Retry: Sendable, Equatable {
        /// The attempt that just failed (1 for the first).
        public var attempt: Int
        /// The wait before the next attempt, in seconds.
        public var delay: TimeInterval
        /// What went wrong, for a person: `HTTP 503` or the transport error's description.
        public var reason: String

        /// A retry after `attempt`, waiting `delay` seconds, because of `reason`.
        public init(attempt: Int, delay: TimeInterval, reason: String) {
            self.attempt = attempt
            self.delay = delay
            self.reason = reason
        }
    }

    /// The transport that sends each attempt.
    public var base: any HTTPTransport
    /// When to retry.
    public var policy: RetryPolicy
    /// Blocks the calling thread for the given number of seconds.
    public var sleep: @Sendable (TimeInterval) -> Void
    /// Where elapsed time and the date come from.
    public var clock: RetryClock
    /// Told about each retry before its wait.
    public var onRetry: @Sendable (Retry) -> Void

    /// A transport retrying `base` under `policy`; `sleep` and `clock` default to the real ones.
    public init(
        base: any HTTPTransport,
        policy: RetryPolicy = RetryPolicy(),
        sleep: @escaping @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) },
        clock: RetryClock = .system,
        onRetry: @escaping @Sendable (Retry) -> Void = { _ in }
    ) {
        self.base = base
        self.policy = policy
        self.sleep = sleep
        self.clock = clock
        self.onRetry = onRetry
    }

    /// Sends `request` until the policy is done or gives up; see the type's description for what comes back.
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let start = clock.monotonic()
        var attempt = 0
        while true {
            attempt += 1
            let result: Result<HTTPResponse, TransportError>
            do {
                result = .success(try base.send(request))
            } catch var error as TransportError {
                error.attempts = attempt
                result = .failure(error)
            }
            let outcome: RetryPolicy.Outcome
            let reason: String
            switch result {
            case .success(let response):
                outcome = .status(response.status, retryAfter: response.header("Retry-After"))
                reason = "HTTP \(response.status)"
            case .failure(let error):
                outcome = .transportError(error)
                reason = error.description
            }
            let elapsed = clock.monotonic() - start
            switch policy.decision(attempt: attempt, elapsed: elapsed, outcome: outcome, now: clock.wall()) {
            case .done, .giveUp:
                return try result.get()
            case .retry(let delay):
                onRetry(Retry(attempt: attempt, delay: delay, reason: reason))
                if delay > 0 {
                    sleep(delay)
                }
            }
        }
    }
}
