import Foundation
import GRDB

/// The event log in the database: every event ever stored, in the order stored (`seq`), never changed.
extension Registry {
    /// Made once: the import runs it millions of times.
    private static let insertEventSQL =
        "INSERT INTO \(EventTable.tableName) (\(EventCoding.columns), \(EventTable.origin)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

    private static let insertNonceSQL =
        "INSERT INTO \(LogNonceTable.tableName) (\(LogNonceTable.list(.seq, .nonce))) VALUES (?, random())"

    /// Writes a run of events into the log, unjudged (the checker judged them), in order; returns their sequence
    /// numbers, in the same order (an array: a dictionary by event id cost a hash and an insert an event, 0.4 % of an
    /// import's instructions, for the one caller that needs them, `receive`). On the central server it draws the
    /// run's random number (`log_nonce`): one row at the run's first sequence number, and an event's number is that
    /// of the row at or before it (`CentralState.logPosition`). SQLite's random(): 64 bits from its generator, seeded
    /// from the system's.
    func insert(_ events: [Event], origin: String, in db: Database) throws -> [Int64] {
        var sequences: [Int64] = []
        sequences.reserveCapacity(events.count)
        for event in events {
            try db.execute(
                bound: Self.insertEventSQL,
                event.id.lowercased, event.recordID.lowercased, event.recordKind.rawValue, event.kind.rawValue,
                event.effectiveDate.description, event.recordedAt.description, event.unit.rawValue, event.author,
                try EventCoding.encode(event.payload), origin)
            sequences.append(db.lastInsertedRowID)
        }
        if role == .central, let first = sequences.first {
            try db.execute(bound: Self.insertNonceSQL, first)
        }
        return sequences
    }

    /// The events of one record, in no particular order.
    func events(ofRecord id: UUID, in db: Database) throws -> [Event] {
        try EventLog.events(ofRecord: id, in: db)
    }
}

/// Reading the log.
enum EventLog {
    private static let ofRecordSQL =
        "SELECT \(EventCoding.columns) FROM \(EventTable.tableName) WHERE \(EventTable.recordID) = ?"
    private static let withIDSQL =
        "SELECT \(EventCoding.columns) FROM \(EventTable.tableName) WHERE \(EventTable.id) = ?"

    /// The events of one record, in no particular order.
    static func events(ofRecord id: UUID, in db: Database) throws -> [Event] {
        try Row.fetchAll(
            db, cached: ofRecordSQL, arguments: [id.lowercased]
        ).map { try EventCoding.event(from: $0) }
    }

    /// The event with this id.
    static func event(withID id: UUID, in db: Database) throws -> Event? {
        try Row.fetchOne(
            db, cached: withIDSQL, arguments: [id.lowercased]
        ).map { try EventCoding.event(from: $0) }
    }
}
