import Foundation

/// Something wrong that folding a record's events found: an event that breaks a rule given the others, or two
/// events that contradict each other (typically recorded by two units that had not yet synced).
public struct Anomaly: Sendable, Equatable, Hashable {
    /// How serious the anomaly is and how it is handled.
    public enum Severity: String, Sendable, Equatable, Hashable {
        /// The event breaks a rule. A registry refuses such an event when it is recorded or pushed.
        case invalid
        /// The event contradicts an earlier one recorded by another unit (two different closings). Both are kept,
        /// the state follows the earlier, and a person must resolve it.
        case conflict
        /// Another unit recorded the same closing or ending again (same kind, same date). Harmless; kept.
        case repeated
    }

    public var severity: Severity
    /// The event at fault.
    public var eventID: UUID
    /// The other event involved, for conflicts and repeats.
    public var otherEventID: UUID?
    /// The record, as officers name it (`79.26734/TN-00012`, or a person's name).
    public var record: String
    /// The field at fault (`closing_date`, `decision_no`, …).
    public var field: String
    /// The value at fault, as written.
    public var value: String
    /// A sentence for a person: what is wrong and, where it helps, what to do.
    public var message: String

    public init(
        _ severity: Severity, event: UUID, other: UUID? = nil, record: String, field: String, value: String,
        message: String
    ) {
        self.severity = severity
        self.eventID = event
        self.otherEventID = other
        self.record = record
        self.field = field
        self.value = value
        self.message = message
    }
}

/// The result of folding one record's events: its state (nil when nothing opened it) and what was found wrong.
public struct Folded<State: Sendable & Equatable>: Sendable, Equatable {
    public var state: State?
    public var anomalies: [Anomaly]
    /// The ids of events undone by a valid retraction.
    public var retracted: Set<UUID>
}
