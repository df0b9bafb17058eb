import Foundation

/// When to try a request again: exponential backoff with full jitter, within a number of attempts and a time budget.
///
/// A pure value: it reads no clock and keeps no state. The caller says which attempt just ended, how long the
/// request has taken so far and what happened, and gets a decision back. Transport errors that may go away,
/// `408`, `429` and `5xx` are retried; any other `4xx` never is. A `Retry-After` header (seconds or an HTTP date) is
/// honoured, and when it asks for a wait beyond the time budget the policy gives up at once.
public struct RetryPolicy: Sendable {
    /// What happened on one attempt.
    public enum Outcome: Sendable, Equatable {
        /// No response came back.
        case transportError(TransportError)
        /// A response came back with this status and, if present, its `Retry-After` header.
        case status(Int, retryAfter: String?)
    }

    /// What to do after an attempt.
    public enum Decision: Sendable, Equatable {
        /// The attempt succeeded, or its response is final (`2xx`, `3xx`): return it.
        case done
        /// Try again after this many seconds.
        case retry(after: TimeInterval)
        /// Stop trying; the reason is a sentence for a person.
        case giveUp(reason: String)
    }

    /// The most attempts made in all, the first included.
    public var maxAttempts: Int
    /// The backoff ceiling after the first attempt, in seconds.
    public var baseDelay: TimeInterval
    /// How much the backoff ceiling grows after each attempt.
    public var multiplier: Double
    /// The largest backoff ceiling, in seconds.
    public var maxDelay: TimeInterval
    /// The time, in seconds from the first attempt, after which no attempt starts.
    public var budget: TimeInterval
    /// A number in `0..<1`, drawn for each backoff; inject a seeded source to make delays repeatable.
    public var random: @Sendable () -> Double

    /// A policy; the defaults retry for up to 55 s, so that a sync gives up within about a minute.
    public init(
        maxAttempts: Int = 8,
        baseDelay: TimeInterval = 0.5,
        multiplier: Double = 2,
        maxDelay: TimeInterval = 8,
        budget: TimeInterval = 55,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.budget = budget
        self.random = random
    }

    /// The decision after attempt number `attempt` (1 for the first) ended with `outcome`, `elapsed` seconds after
    /// the first attempt started; `now` is the wall-clock time, needed only to read a `Retry-After` date.
    public func decision(attempt: Int, elapsed: TimeInterval, outcome: Outcome, now: Date) -> Decision {
        let retryAfter: String?
        switch outcome {
        case .transportError(let error):
            guard error.isRetryable else { return .giveUp(reason: "\(error.message) cannot be fixed by retrying") }
            retryAfter = nil
        case .status(let status, let header):
            switch status {
            case 100..<400:
                return .done
            case 408, 429, 500..<600:
                retryAfter = header
            default:
                return .giveUp(reason: "HTTP \(status) is not retried")
            }
        }
        guard attempt < maxAttempts else {
            return .giveUp(reason: "gave up after \(attempt) attempts")
        }
        let remaining = budget - elapsed
        if let header = retryAfter, let wait = RetryPolicy.retryAfterSeconds(header, now: now) {
            guard wait <= remaining else {
                return .giveUp(
                    reason: "the server asked to wait \(seconds(wait)), beyond the \(seconds(max(remaining, 0))) left")
            }
            return .retry(after: wait)
        }
        let delay = backoffCeiling(after: attempt) * min(max(random(), 0), 1)
        guard delay <= remaining else {
            return .giveUp(reason: "the retry budget of \(seconds(budget)) is spent")
        }
        return .retry(after: delay)
    }

    /// The largest backoff after attempt number `attempt`: `baseDelay × multiplier^(attempt − 1)`, at most `maxDelay`.
    /// The delay itself is drawn uniformly between zero and this ("full jitter").
    public func backoffCeiling(after attempt: Int) -> TimeInterval {
        let exponent = Double(max(attempt - 1, 0))
        return min(baseDelay * pow(multiplier, exponent), maxDelay)
    }

    /// `3 s`, `2.5 s`; a wait of more than a day (a `Retry-After` may ask for any number) is not spelled out.
    private func seconds(_ value: TimeInterval) -> String {
        guard value <= 86_400 else { return "more than a day" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded)) s" : "\(rounded) s"
    }
}
