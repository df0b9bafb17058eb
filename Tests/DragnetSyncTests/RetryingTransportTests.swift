import Foundation
import Testing

@testable import DragnetSync

/// `RetryingTransport` over a scripted transport and a fake clock: attempts are counted, sleeps recorded, not slept.
@Suite("Retrying transport")
struct RetryingTransportTests {
    let request = HTTPRequest(method: .post, url: "https://central.example/v1/events", body: Array("[]".utf8))
    let unreachable = TransportError(kind: .couldNotConnect, url: "https://central.example/v1/events", message: "no")

    @Test func retriesServerErrorsUntilSuccess() throws {
        let script = Script([.status(503), .status(502), .status(200)])
        let clock = FakeClock()
        let retries = RetryLog()
        let transport = clock.retrying(script, policy: RetryPolicy(random: { 0.5 }), retries: retries)
        let response = try transport.send(request)
        #expect(response.status == 200)
        #expect(script.attempts == 3)
        #expect(script.requests.allSatisfy { $0.body == request.body && $0.url == request.url })
        #expect(clock.sleeps == [0.25, 0.5])
        #expect(retries.all.map(\.attempt) == [1, 2])
        #expect(retries.all.map(\.reason) == ["HTTP 503", "HTTP 502"])
    }

    @Test(arguments: [400, 401, 403, 404, 409, 422])
    func clientErrorIsReturnedAfterOneAttempt(status: Int) throws {
        let script = Script([.status(status), .status(200)])
        let clock = FakeClock()
        let response = try clock.retrying(script, policy: RetryPolicy()).send(request)
        #expect(response.status == status)
        #expect(script.attempts == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func transportErrorsUntilTheLastAttemptAreThrownWithTheCount() throws {
        let script = Script(Array(repeating: .error(unreachable), count: 10))
        let clock = FakeClock()
        let transport = clock.retrying(script, policy: RetryPolicy(maxAttempts: 4, random: { 1 }))
        let error = try #require(throws: TransportError.self) { try transport.send(request) }
        #expect(error.kind == .couldNotConnect)
        #expect(error.attempts == 4)
        #expect(error.description.contains("[gave up after 4 attempts]"))
        #expect(script.attempts == 4)
        #expect(clock.sleeps == [0.5, 1, 2])
    }

    @Test func transportErrorThenSuccess() throws {
        let script = Script([.error(unreachable), .status(200)])
        let clock = FakeClock()
        let retries = RetryLog()
        let response = try clock.retrying(script, policy: RetryPolicy(random: { 0 }), retries: retries).send(request)
        #expect(response.status == 200)
        #expect(script.attempts == 2)
        #expect(retries.all.map(\.delay) == [0])
        #expect(retries.all.first?.reason.hasPrefix("could not connect to https://central.example/v1/events") == true)
        #expect(clock.sleeps.isEmpty, "a wait of zero is not slept")
    }

    @Test func unretryableTransportErrorIsThrownAtOnce() throws {
        var badCertificate = unreachable
        badCertificate.kind = .tls
        badCertificate.isRetryable = false
        let script = Script([.error(badCertificate), .status(200)])
        let clock = FakeClock()
        let error = try #require(throws: TransportError.self) {
            try clock.retrying(script, policy: RetryPolicy()).send(request)
        }
        #expect(error.kind == .tls)
        #expect(error.attempts == 1)
        #expect(script.attempts == 1)
    }

    @Test func otherErrorsPassThroughUnretried() throws {
        struct Unexpected: Error {}
        let script = Script([.other(Unexpected()), .status(200)])
        let clock = FakeClock()
        #expect(throws: Unexpected.self) { try clock.retrying(script, policy: RetryPolicy()).send(request) }
        #expect(script.attempts == 1)
    }

    @Test func retryAfterSecondsAndDateAreSlept() throws {
        let clock = FakeClock()
        let date = "Wed, 18 Nov 2026 11:06:44 GMT"  // 4 s after the fake wall clock's start
        let script = Script([.status(429, retryAfter: "2"), .status(503, retryAfter: date), .status(200)])
        let response = try clock.retrying(script, policy: RetryPolicy(random: { 0.9 })).send(request)
        #expect(response.status == 200)
        // The date is read 2 s later on the wall clock, so 2 s remain of its 4.
        #expect(clock.sleeps == [2, 2])
    }

    @Test func slowAttemptsSpendTheBudget() throws {
        // Every attempt takes 20 s and fails: 20 + 0.25 + 20 + 0.5 + 20 > 55, so the third is the last.
        let script = Script(Array(repeating: .status(503), count: 10), secondsPerAttempt: 20)
        let clock = FakeClock()
        script.clock = clock
        let response = try clock.retrying(script, policy: RetryPolicy(random: { 0.5 })).send(request)
        #expect(response.status == 503)
        #expect(script.attempts == 3)
        #expect(clock.sleeps == [0.25, 0.5])
    }

    @Test func retryAfterBeyondTheBudgetReturnsTheResponse() throws {
        let script = Script([.status(429, retryAfter: "600"), .status(200)])
        let clock = FakeClock()
        let response = try clock.retrying(script, policy: RetryPolicy()).send(request)
        #expect(response.status == 429)
        #expect(response.header("retry-after") == "600")
        #expect(script.attempts == 1)
        #expect(clock.sleeps.isEmpty)
    }
}

extension RetryingTransportTests {
    /// A transport that answers from a script and counts the requests it was sent.
    final class Script: HTTPTransport, @unchecked Sendable {  // all state is guarded by `lock`.
        enum Step {
            case status(Int, retryAfter: String? = nil)
            case error(TransportError)
            case other(any Error)
        }

        private let lock = NSLock()
        private var steps: [Step]
        private var sent: [HTTPRequest] = []
        private let secondsPerAttempt: TimeInterval
        /// Moved forward by `secondsPerAttempt` on each attempt, when set.
        var clock: FakeClock?

        init(_ steps: [Step], secondsPerAttempt: TimeInterval = 0) {
            self.steps = steps
            self.secondsPerAttempt = secondsPerAttempt
        }

        var attempts: Int { lock.withLock { sent.count } }
        var requests: [HTTPRequest] { lock.withLock { sent } }

        func send(_ request: HTTPRequest) throws -> HTTPResponse {
            let step: Step = lock.withLock {
                sent.append(request)
                return steps.isEmpty ? .status(599) : steps.removeFirst()
            }
            clock?.advance(secondsPerAttempt)
            switch step {
            case .status(let status, let retryAfter):
                return HTTPResponse(status: status, headers: retryAfter.map { ["Retry-After": $0] } ?? [:])
            case .error(let error):
                throw error
            case .other(let error):
                throw error
            }
        }
    }

    /// A clock that moves only when slept on or advanced; it records every sleep.
    final class FakeClock: @unchecked Sendable {  // all state is guarded by `lock`.
        private let lock = NSLock()
        private var seconds: TimeInterval = 1_000
        private var slept: [TimeInterval] = []
        /// The wall-clock time when `seconds` is 1000.
        private let wallStart = Date(timeIntervalSince1970: 1_795_000_000)

        var sleeps: [TimeInterval] { lock.withLock { slept } }

        func advance(_ interval: TimeInterval) {
            lock.withLock { seconds += interval }
        }

        func sleep(_ interval: TimeInterval) {
            lock.withLock {
                slept.append(interval)
                seconds += interval
            }
        }

        var retryClock: RetryClock {
            RetryClock(
                monotonic: { self.lock.withLock { self.seconds } },
                wall: { self.lock.withLock { self.wallStart.addingTimeInterval(self.seconds - 1_000) } })
        }

        func retrying(_ base: any HTTPTransport, policy: RetryPolicy, retries: RetryLog = RetryLog())
            -> RetryingTransport
        {
            RetryingTransport(
                base: base, policy: policy, sleep: { self.sleep($0) }, clock: retryClock,
                onRetry: { retries.append($0) })
        }
    }
}
