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

    /// Writes down what the server said of pushed events, and the head of its log after them, in one transaction.
    public func recordReceipts(
        _ results: [SyncWire.PushResult], server: String, head: SyncWire.LogMark? = nil, now: Timestamp
    ) throws {
        try write { db in
            try Self.keep(head, server: server, now: now, in: db)
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
            try Self.keep(page.head, server: server, now: now, in: db)
            return created
        }
    }

    /// The newest position of the central log this station has seen, kept at its last sync (nil before any).
    public func centralMark() throws -> SyncWire.LogMark? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT sequence, fingerprint FROM central_mark WHERE id = 1").map {
                SyncWire.LogMark(sequence: $0[0], fingerprint: $0[1])
            }
        }
    }

    /// What `forgetCentralLog` undid.
    public struct ForgottenSync: Sendable, Equatable {
        /// Receipts of events the server had said it stored (`created` or `duplicate`); those events are offered again.
        public var receipts: Int
        /// Pull cursors reset to the start of the log.
        public var cursors: Int
        public init(receipts: Int, cursors: Int) {
            self.receipts = receipts
            self.cursors = cursors
        }
    }

    /// Forgets what this station believed the central log holds — the receipts of stored events, the pull cursors
    /// and the mark — in one transaction, for when the server's log turned out not to be the one they were written
    /// against (`centralMark`). Every local event is then offered again (the server answers `duplicate` for those it
    /// has) and the log is read again from its start (events already here are skipped by id). Receipts of rejected
    /// events are kept: those events are offered again anyway.
    public func forgetCentralLog() throws -> ForgottenSync {
        try write { db in
            try db.execute(sql: "DELETE FROM push_receipt WHERE status IN ('created', 'duplicate')")
            let receipts = db.changesCount
            try db.execute(sql: "DELETE FROM sync_cursor")
            let cursors = db.changesCount
            try db.execute(sql: "DELETE FROM central_mark")
            return ForgottenSync(receipts: receipts, cursors: cursors)
        }
    }

    /// Keeps `head` as the central mark when it is further on than the one kept (a head only moves forward on one
    /// log). The answer it came with was checked against the kept mark first (`Synchronizer`).
    private static func keep(_ head: SyncWire.LogMark?, server: String, now: Timestamp, in db: Database) throws {
        guard let head, head.sequence > 0, let fingerprint = head.fingerprint, !fingerprint.isEmpty else { return }
        try db.execute(
            cached: """
                INSERT INTO central_mark (id, sequence, fingerprint, server, seen_at) VALUES (1, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, fingerprint = excluded.fingerprint,
                    server = excluded.server, seen_at = excluded.seen_at
                WHERE excluded.sequence >= central_mark.sequence
                """,
            arguments: [head.sequence, fingerprint, server, now.description])
    }
}
