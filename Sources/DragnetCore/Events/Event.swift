import Foundation

/// Which kind of record an event concerns.
public enum RecordKind: String, Sendable, Codable, CaseIterable {
    case person
    case wanted
    case release
}

/// One change to one record. Events are appended, never updated or deleted; the state of a record is the fold of its
/// events ordered by (effective date, recorded at, id). A wrong event is undone by a later `retracted` event.
public struct Event: Sendable, Equatable, Codable {
    /// The event's own id, unique everywhere; a retried sync sends the same id again.
    public var id: UUID
    /// The record (person, wanted case, release case) the event concerns.
    public var recordID: UUID
    /// The kind of that record.
    public var recordKind: RecordKind
    /// The day the change happened (a decision's date, a closing's date, a release date…).
    public var effectiveDate: LocalDate
    /// When it was written into a registry, in UTC.
    public var recordedAt: Timestamp
    /// The unit that recorded it.
    public var unit: UnitCode
    /// The person who recorded it (an officer's name or login).
    public var author: String
    /// What changed.
    public var payload: EventPayload

    /// The event kind, derived from the payload.
    public var kind: EventKind { payload.kind }

    public init(
        id: UUID, recordID: UUID, recordKind: RecordKind, effectiveDate: LocalDate, recordedAt: Timestamp,
        unit: UnitCode, author: String, payload: EventPayload
    ) {
        self.id = id
        self.recordID = recordID
        self.recordKind = recordKind
        self.effectiveDate = effectiveDate
        self.recordedAt = recordedAt
        self.unit = unit
        self.author = author
        self.payload = payload
    }

    /// Whether `self` comes before `other` in the fold order: effective date, then recorded at, then id.
    public func precedes(_ other: Event) -> Bool {
        if effectiveDate != other.effectiveDate { return effectiveDate < other.effectiveDate }
        if recordedAt != other.recordedAt { return recordedAt < other.recordedAt }
        return id.sortsBefore(other.id)
    }

    enum CodingKeys: String, CodingKey {
        case id, recordID = "record_id", recordKind = "record_kind", kind, effectiveDate = "effective_date"
        case recordedAt = "recorded_at", unit, author, data
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UUID.self, forKey: .id)
        recordID = try c.decode(UUID.self, forKey: .recordID)
        recordKind = try c.decode(RecordKind.self, forKey: .recordKind)
        effectiveDate = try c.decode(LocalDate.self, forKey: .effectiveDate)
        recordedAt = try c.decode(Timestamp.self, forKey: .recordedAt)
        unit = try c.decode(UnitCode.self, forKey: .unit)
        author = try c.decode(String.self, forKey: .author)
        let kind = try c.decode(EventKind.self, forKey: .kind)
        payload = try EventPayload(kind: kind, container: c.superDecoder(forKey: .data))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lowercased: id, forKey: .id)
        try c.encode(lowercased: recordID, forKey: .recordID)
        try c.encode(recordKind, forKey: .recordKind)
        try c.encode(kind, forKey: .kind)
        try c.encode(effectiveDate, forKey: .effectiveDate)
        try c.encode(recordedAt, forKey: .recordedAt)
        try c.encode(unit, forKey: .unit)
        try c.encode(author, forKey: .author)
        try payload.encode(to: c.superEncoder(forKey: .data))
    }
}
