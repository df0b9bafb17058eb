import Foundation
import Testing

@testable import DragnetSync

/// `RetryPolicy` as a pure value: every status class, `Retry-After` forms, the budget and the jitter.
@Suite("Retry policy")
struct RetryPolicyTests {
    /// The jitter draw is fixed at one half, so a first retry waits half of the 0.5 s ceiling.
    let policy = RetryPolicy(random: { 0.5 })
    /// The wall-clock time of every decision: 2026-11-18 11:06:40 UTC.
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    enum Expected: Sendable {
        case done, retry, giveUp
    }

    @Test(arguments: [
        (200, Expected.done), (201, .done), (204, .done), (301, .done), (304, .done),
        (400, .giveUp), (401, .giveUp), (403, .giveUp), (404, .giveUp), (409, .giveUp), (413, .giveUp), (422, .giveUp),
        (408, .retry), (429, .retry), (500, .retry), (502, .retry), (503, .retry), (504, .retry), (599, .retry),
        (600, .giveUp), (0, .giveUp),
    ])
    func statusClasses(status: Int, expected: Expected) {
        let decision = policy.after(status)
        switch expected {
        case .done: #expect(decision == .done)
        case .retry: #expect(decision == .retry(after: 0.25))
        case .giveUp: #expect(decision == .giveUp(reason: "HTTP \(status) is not retried"))
        }
    }

    @Test(arguments: TransportError.Kind.allCases)
    func retryableTransportErrorsAreRetried(kind: TransportError.Kind) {
        let error = TransportError(kind: kind, url: "http://h/", message: "m")
        let decision = policy.decision(attempt: 2, elapsed: 1, outcome: .transportError(error), now: Self.now)
        #expect(decision == .retry(after: 0.5))
    }

    @Test func unretryableTransportErrorGivesUpAtOnce() {
        let error = TransportError(kind: .tls, url: "https://h/", message: "SSL peer certificate", isRetryable: false)
        let decision = policy.decision(attempt: 1, elapsed: 0, outcome: .transportError(error), now: Self.now)
        #expect(decision == .giveUp(reason: "SSL peer certificate cannot be fixed by retrying"))
    }

    @Test(arguments: [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (6, 8.0), (20, 8.0)])
    func backoffGrowsToTheCeiling(attempt: Int, ceiling: TimeInterval) {
        let highest = RetryPolicy(maxAttempts: 100, budget: 1_000, random: { 1 })
        #expect(highest.backoffCeiling(after: attempt) == ceiling)
        #expect(highest.after(503, attempt: attempt) == .retry(after: ceiling))
        let lowest = RetryPolicy(maxAttempts: 100, budget: 1_000, random: { 0 })
        #expect(lowest.after(503, attempt: attempt) == .retry(after: 0))
    }

    @Test func lastAttemptGivesUp() {
        let three = RetryPolicy(maxAttempts: 3, random: { 0.5 })
        #expect(three.after(503, attempt: 2) == .retry(after: 0.5))
        #expect(three.after(503, attempt: 3) == .giveUp(reason: "gave up after 3 attempts"))
    }

    @Test(arguments: [
        ("3", 3.0), (" 7 ", 7.0), ("0", 0.0), ("120", 120.0),
        ("Wed, 18 Nov 2026 11:06:50 GMT", 10.0),  // IMF-fixdate, 10 s after `now`
        ("Wednesday, 18-Nov-26 11:06:50 GMT", 10.0),  // RFC 850
        ("Wed Nov 18 11:06:50 2026", 10.0),  // asctime
        ("Wed, 18 Nov 2026 11:00:00 GMT", 0.0),  // in the past
    ])
    func retryAfterForms(header: String, seconds: TimeInterval) {
        #expect(RetryPolicy.retryAfterSeconds(header, now: Self.now) == seconds)
    }

    @Test(arguments: ["", "soon", "-5", "1.5", "3 s", "Wed, 32 Nov 2026 11:06:50 GMT"])
    func malformedRetryAfterIsIgnored(header: String) {
        #expect(RetryPolicy.retryAfterSeconds(header, now: Self.now) == nil)
        #expect(policy.after(429, retryAfter: header) == .retry(after: 0.25), "the backoff is used instead")
    }

    @Test(arguments: [429, 503, 408])
    func retryAfterReplacesTheBackoff(status: Int) {
        #expect(policy.after(status, retryAfter: "3") == .retry(after: 3))
        #expect(policy.after(status, retryAfter: "Wed, 18 Nov 2026 11:06:50 GMT") == .retry(after: 10))
    }

    @Test func retryAfterOnANonRetryableStatusIsIgnored() {
        #expect(policy.after(403, retryAfter: "1") == .giveUp(reason: "HTTP 403 is not retried"))
    }

    @Test func retryAfterBeyondTheBudgetGivesUp() {
        #expect(policy.after(429, retryAfter: "5", elapsed: 50) == .retry(after: 5))
        #expect(
            policy.after(429, retryAfter: "6", elapsed: 50)
                == .giveUp(reason: "the server asked to wait 6 s, beyond the 5 s left"))
        #expect(
            policy.after(503, retryAfter: "3600")
                == .giveUp(reason: "the server asked to wait 3600 s, beyond the 55 s left"))
        let huge = String(repeating: "9", count: 400)  // beyond even a Double's range
        #expect(
            policy.after(429, retryAfter: huge)
                == .giveUp(reason: "the server asked to wait more than a day, beyond the 55 s left"))
    }

    @Test func backoffBeyondTheBudgetGivesUp() {
        let highest = RetryPolicy(random: { 1 })
        #expect(highest.after(503, elapsed: 54.5) == .retry(after: 0.5))
        #expect(highest.after(503, elapsed: 54.6) == .giveUp(reason: "the retry budget of 55 s is spent"))
        #expect(highest.after(503, elapsed: 70) == .giveUp(reason: "the retry budget of 55 s is spent"))
    }

    @Test func seededJitterStaysWithinItsBoundsAndSpreads() {
        let policy = RetryPolicy(maxAttempts: 100, budget: 10_000, random: SeededRandom(seed: 42).next)
        for attempt in 1...8 {
            let ceiling = policy.backoffCeiling(after: attempt)
            let delays = (0..<500).map { _ in policy.after(503, attempt: attempt).delay ?? -1 }
            #expect(delays.allSatisfy { $0 >= 0 && $0 <= ceiling }, "attempt \(attempt)")
            #expect((delays.min() ?? ceiling) < ceiling * 0.05, "full jitter reaches near zero")
            #expect((delays.max() ?? 0) > ceiling * 0.95, "full jitter reaches near the ceiling")
        }
    }

    @Test func sameSeedSameDelays() {
        func delays(seed: UInt64) -> [TimeInterval] {
            let policy = RetryPolicy(random: SeededRandom(seed: seed).next)
            return (1...6).map { policy.after(500, attempt: $0).delay ?? -1 }
        }
        #expect(delays(seed: 7) == delays(seed: 7))
        #expect(delays(seed: 7) != delays(seed: 8))
        #expect(delays(seed: 7).allSatisfy { $0 >= 0 })
    }
}

extension RetryPolicy {
    /// The decision after a response with `status`, at the tests' fixed wall-clock time.
    func after(_ status: Int, retryAfter: String? = nil, attempt: Int = 1, elapsed: TimeInterval = 0) -> Decision {
        decision(
            attempt: attempt, elapsed: elapsed, outcome: .status(status, retryAfter: retryAfter),
            now: RetryPolicyTests.now)
    }
}

extension RetryPolicy.Decision {
    /// The wait of a `.retry`, else nil.
    var delay: TimeInterval? {
        if case .retry(let delay) = self { return delay }
        return nil
    }
}

extension RetryPolicyTests {
    /// A seeded SplitMix64 generator of numbers in `0..<1`, shareable across threads behind a lock.
    final class SeededRandom: @unchecked Sendable {  // `state` is only touched under `lock`.
        private let lock = NSLock()
        private var state: UInt64

        init(seed: UInt64) {
            state = seed
        }

        @Sendable func next() -> Double {
            lock.withLock {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                return Double(z >> 11) / Double(UInt64(1) << 53)
            }
        }
    }
}
