/// An event of this station that the central server refused, with its reason.
public struct RejectedEvent: Sendable, Equatable {
    public var event: Event
    public var reason: String

    public init(event: Event, reason: String) {
        self.event = event
        self.reason = reason
    }
}
