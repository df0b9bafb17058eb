import Foundation

/// The two clocks a `RetryingTransport` reads; tests inject fakes.
public struct RetryClock: Sendable {
    /// Seconds on a clock that only moves forward (not the wall clock, which may jump), from any origin.
    public var monotonic: @Sendable () -> TimeInterval
    /// The wall-clock time, used only to read a `Retry-After` date.
    public var wall: @Sendable () -> Date

    /// A clock made of the two readings.
    public init(monotonic: @escaping @Sendable () -> TimeInterval, wall: @escaping @Sendable () -> Date) {
        self.monotonic = monotonic
        self.wall = wall
    }

    /// The system's clocks: the time since boot and the current date.
    public static let system = RetryClock(
        monotonic: { ProcessInfo.processInfo.systemUptime },
        wall: { Date() })
}
