import Foundation

/// Makes the events one officer (or one import) records at one station: fills in the recording unit, the author,
/// the recording time and a fresh time-ordered id.
public struct EventFactory: Sendable {
    /// The recording unit.
    public let unit: UnitCode
    /// Who records.
    public let author: String
    /// The recording time; events made by one factory share it and keep their order through their ids.
    public let now: Timestamp
    private var ids = EventIDGenerator()

    public init(unit: UnitCode, author: String, now: Timestamp) {
        self.unit = unit
        self.author = author
        self.now = now
    }

    /// A fresh id for a new record.
    public mutating func newRecordID() -> UUID { ids.next(now: now) }

    /// A new event about `record`.
    public mutating func make(_ payload: EventPayload, record: UUID, kind: RecordKind, on date: LocalDate) -> Event {
        Event(
            id: ids.next(now: now), recordID: record, recordKind: kind, effectiveDate: date, recordedAt: now,
            unit: unit, author: author, payload: payload)
    }
}
