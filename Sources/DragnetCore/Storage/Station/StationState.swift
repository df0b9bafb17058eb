import Foundation
import GRDB

/// A station's side of sync, kept in its database: which events still wait to reach the central server (the outbox
/// and the server's receipts), how far this station has pulled (a cursor per server), and the furthest position of
/// the central log it has seen (the mark). Reached as `registry.station`.
public struct StationState: Sendable {
    let registry: Registry

    /// Events recorded at this station that the central server has not yet stored (no receipt, or a rejection: a
    /// rejected event is offered again at every sync until it is accepted, or retracted here — then neither it nor
    /// its retraction is sent), in the order they were recorded, after local sequence `after`.
    public func outbox(after: Int64, limit: Int) throws -> [(sequence: Int64, event: Event)] {
        try outboxRows(after: after, limit: limit) {
            (sequence: $0[0], event: try EventCoding.event(from: $0, offset: 1))
        }
    }

    /// `outbox`, each event as it goes on the wire (`OutgoingEvent`: its JSON written from the stored columns).
    public func outgoing(after: Int64, limit: Int) throws -> [OutgoingEvent] {
        try outboxRows(after: after, limit: limit, OutgoingEvent.from)
    }

    private func outboxRows<T>(after: Int64, limit: Int, _ make: (Row) throws -> T) throws -> [T] {
        try registry.read { db in
            try Row.fetchAll(db, cached: Self.outboxSQL, arguments: [after, limit]).map(make)
        }
    }

    /// The outbox after a local sequence number (`?`), at most `?` events.
    static let outboxSQL = """
        SELECT e.\(EventTable.seq), \(EventCoding.columns(of: "e")), r.\(PushReceiptTable.status) IS NOT NULL
        FROM \(eventsWithReceipts)
        WHERE e.\(EventTable.seq) > ? AND \(waitingToBePushed)
        ORDER BY e.\(EventTable.seq) LIMIT ?
        """

    /// How many events `outbox` holds in all, for the progress of a push.
    public func outboxCount() throws -> Int {
        try registry.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM \(Self.eventsWithReceipts)
                    WHERE \(Self.waitingToBePushed)
                    """) ?? 0
        }
    }

    /// Every event `e` with its receipt `r`, if any, for `outbox`.
    private static let eventsWithReceipts = """
        \(EventTable.tableName) e LEFT JOIN \(PushReceiptTable.tableName) r \
        ON r.\(PushReceiptTable.eventID) = e.\(EventTable.id)
        """

    /// The condition on `event e` (joined with its receipt `r`) of `outbox`.
    private static var waitingToBePushed: String {
        """
        e.\(EventTable.origin) = 'local' AND (r.\(PushReceiptTable.status) IS NULL \
        OR r.\(PushReceiptTable.status) = 'rejected') AND NOT \(settledLocally)
        """
    }

    /// Writes down what the server said of pushed events, and the head of its log after them, in one transaction.
    public func recordReceipts(
        _ results: [SyncWire.PushResult], server: String, head: SyncWire.LogMark? = nil, now: Timestamp
    ) throws {
        try registry.write { db in
            try Self.keep(head, server: server, now: now, in: db)
            for result in results {
                try db.execute(
                    cached: Self.insertReceiptSQL,
                    arguments: [
                        result.id.lowercased, result.status.rawValue, result.reason, server, now.description,
                        result.status == .created ? result.sequence.flatMap { $0 >= 1 ? $0 : nil } : nil,
                    ])
            }
        }
    }

    /// Keeps one answer of the server about an event, replacing an earlier answer about it.
    private static let insertReceiptSQL = """
        INSERT INTO \(PushReceiptTable.tableName)
            (\(PushReceiptTable.list(.eventID, .status, .reason, .server, .answeredAt, .sequence)))
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (\(PushReceiptTable.eventID)) DO UPDATE SET
            \(PushReceiptTable.updatedFromExcluded(.status, .reason, .server, .answeredAt, .sequence))
        """

    /// A condition on `event e` for events that need not reach the server any more: a rejected event that was
    /// retracted here, and a retraction of a rejected event (the server never stored what it undoes). The
    /// retraction of a rejected event is found through `event_by_retraction_target` (`Schema.retractionTarget(of:)`,
    /// compared with `+e.id` so that SQLite uses the index), not by reading the log for each rejected event.
    private static let settledLocally = """
        ((EXISTS (SELECT 1 FROM \(PushReceiptTable.tableName) x
                  WHERE x.\(PushReceiptTable.eventID) = e.\(EventTable.id)
                  AND x.\(PushReceiptTable.status) = 'rejected')
          AND EXISTS (SELECT 1 FROM \(EventTable.tableName) t
                      WHERE t.\(EventTable.kind) = 'retracted' AND t.\(EventTable.origin) = 'local'
                      AND \(Schema.retractionTarget(of: "t")) = +e.\(EventTable.id)))
         OR (e.\(EventTable.kind) = 'retracted' AND EXISTS (SELECT 1 FROM \(PushReceiptTable.tableName) x
              WHERE x.\(PushReceiptTable.status) = 'rejected'
              AND x.\(PushReceiptTable.eventID) = \(Schema.retractionTarget(of: "e")))))
        """

    /// This station's events the server refused and that are still not accepted (nor retracted here).
    public func rejectedEvents() throws -> [RejectedEvent] {
        try registry.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT r.\(PushReceiptTable.reason), \(EventCoding.columns(of: "e"))
                    FROM \(PushReceiptTable.tableName) r
                    JOIN \(EventTable.tableName) e ON e.\(EventTable.id) = r.\(PushReceiptTable.eventID)
                    WHERE r.\(PushReceiptTable.status) = 'rejected' AND NOT \(Self.settledLocally)
                    ORDER BY e.\(EventTable.seq)
                    """
            ).map { RejectedEvent(event: try EventCoding.event(from: $0, offset: 1), reason: $0[0] ?? "") }
        }
    }
}
