import Foundation
import GRDB

/// An event of this station that the central server refused, with its reason.
public struct RejectedEvent: Sendable, Equatable {
    public var event: Event
    public var reason: String

    public init(event: Event, reason: String) {
        self.event = event
        self.reason = reason
    }
}

extension Registry {
    /// Events recorded at this station that the central server has not yet stored (no receipt, or a rejection: a
    /// rejected event is offered again at every sync until it is accepted, or retracted here — then neither it nor
    /// its retraction is sent), in the order they were recorded, after local sequence `after`.
    public func outbox(after: Int64, limit: Int) throws -> [(sequence: Int64, event: Event)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT e.seq, \(EventCoding.columns(of: "e"))
                    FROM event e LEFT JOIN push_receipt r ON r.event_id = e.id
                    WHERE e.seq > ? AND \(Self.waitingToBePushed)
                    ORDER BY e.seq LIMIT ?
                    """, arguments: [after, limit]
            ).map { (sequence: $0[0], event: try EventCoding.event(from: $0, offset: 1)) }
        }
    }

    /// How many events `outbox` holds in all, for the progress of a push.
    public func outboxCount() throws -> Int {
        try read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM event e LEFT JOIN push_receipt r ON r.event_id = e.id
                    WHERE \(Self.waitingToBePushed)
                    """) ?? 0
        }
    }

    /// The condition on `event e` (joined with its receipt `r`) of `outbox`.
    private static var waitingToBePushed: String {
        "e.origin = 'local' AND (r.status IS NULL OR r.status = 'rejected') AND NOT \(settledLocally)"
    }

    /// Writes down what the server said of pushed events, in one transaction.
    public func recordReceipts(_ results: [SyncWire.PushResult], server: String, now: Timestamp) throws {
        try write { db in
            for result in results {
                try db.execute(
                    cached: """
                        INSERT INTO push_receipt (event_id, status, reason, server, answered_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (event_id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
                            server = excluded.server, answered_at = excluded.answered_at
                        """,
                    arguments: [result.id.lowercased, result.status.rawValue, result.reason, server, now.description])
            }
        }
    }

    /// A condition on `event e` for events that need not reach the server any more: a rejected event that was
    /// retracted here, and a retraction of a rejected event (the server never stored what it undoes).
    static let settledLocally = """
        ((EXISTS (SELECT 1 FROM push_receipt x WHERE x.event_id = e.id AND x.status = 'rejected')
          AND EXISTS (SELECT 1 FROM event t WHERE t.kind = 'retracted' AND t.origin = 'local'
                      AND lower(json_extract(t.data, '$.event_id')) = e.id))
         OR (e.kind = 'retracted' AND EXISTS (SELECT 1 FROM push_receipt x
              WHERE x.status = 'rejected' AND x.event_id = lower(json_extract(e.data, '$.event_id')))))
        """

    /// This station's events the server refused and that are still not accepted (nor retracted here).
    public func rejectedEvents() throws -> [RejectedEvent] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT r.reason, \(EventCoding.columns(of: "e"))
                    FROM push_receipt r JOIN event e ON e.id = r.event_id
                    WHERE r.status = 'rejected' AND NOT \(Self.settledLocally) ORDER BY e.seq
                    """
            ).map { RejectedEvent(event: try EventCoding.event(from: $0, offset: 1), reason: $0[0] ?? "") }
        }
    }

    /// The pull cursor for `server`: the last server sequence number this station has stored (0 before any pull).
    public func cursor(server: String) throws -> Int64 {
        try read { db in
            try Int64.fetchOne(db, cached: "SELECT cursor FROM sync_cursor WHERE server = ?", arguments: [server]) ?? 0
        }
    }

    /// Stores a pulled page and the new cursor in one transaction: a crash leaves both as they were or both as they
    /// are now, so nothing is lost and nothing is applied twice. Returns how many events were new here.
    public func storePulled(_ page: SyncWire.PullResponse, server: String, now: Timestamp) throws -> Int {
        try write { db in
            var created = 0
            let cache = RecordEvents()
            for pulled in page.events {
                if case .created = try append(pulled.event, in: db, policy: .merge, origin: "remote", cache: cache) {
                    created += 1
                }
            }
            try db.execute(
                cached: """
                    INSERT INTO sync_cursor (server, cursor, pulled_at) VALUES (?, ?, ?)
                    ON CONFLICT (server) DO UPDATE SET cursor = excluded.cursor, pulled_at = excluded.pulled_at
                    """,
                arguments: [server, page.next, now.description])
            return created
        }
    }
}
