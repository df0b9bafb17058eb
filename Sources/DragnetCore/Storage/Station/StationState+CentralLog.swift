import Foundation
import GRDB

/// What this station knows of the central log: how far it has pulled, and the furthest position it has seen.
extension StationState {
    /// The pull cursor for `server`: the last server sequence number this station has stored (0 before any pull).
    public func cursor(server: String) throws -> Int64 {
        try registry.read { db in
            try Int64.fetchOne(
                db,
                cached: """
                    SELECT \(SyncCursorTable.cursor) FROM \(SyncCursorTable.tableName)
                    WHERE \(SyncCursorTable.server) = ?
                    """,
                arguments: [server]) ?? 0
        }
    }

    /// Whether this station has never stored a pulled event (from any server): a new station, whose first pull asks
    /// the server not to send it the other units' cases that reached the central closed (`first=1`,
    /// docs/protocol.md). A station that stored pulled events may hold such a case open from another log. (The
    /// events' origin has no index: asked only while the pull cursor is 0.)
    public func isNew() throws -> Bool {
        try registry.read { db in
            try
                !(Bool.fetchOne(
                    db,
                    sql: "SELECT EXISTS (SELECT 1 FROM \(EventTable.tableName) WHERE \(EventTable.origin) = 'remote')")
                ?? false)
        }
    }

    /// The runs of server sequence numbers after `cursor` at which `server` stored this station's own events (its
    /// `created` answers), in order, at most `limit` of them: the pull names them (`held`) and is not sent those
    /// events back, which this station holds (each was recorded here: its receipt is written only for an event of
    /// this log). A receipt whose event the station does not hold cannot exist: a database restored from a backup
    /// lost the receipts with the events, and receipts are forgotten when the server's log changed.
    public func heldRuns(server: String, after cursor: Int64, limit: Int = Self.heldRunsLimit) throws
        -> [ClosedRange<Int64>]
    {
        try registry.read { db in try Self.heldRuns(server: server, after: cursor, limit: limit, in: db) }
    }

    /// The central mark kept and the runs held after `cursor` (`heldRuns`), read together: the receipts and the mark
    /// are written and forgotten in the same transactions, so the runs belong to the log the mark names — a pull
    /// naming both is judged by its answer's mark (another sync of this database may have forgotten the log since
    /// this one began, and written receipts for the new one).
    public func markAndHeldRuns(server: String, after cursor: Int64) throws
        -> (mark: SyncWire.LogMark?, held: [ClosedRange<Int64>])
    {
        try registry.read { db in
            (
                try Self.centralMark(in: db),
                try Self.heldRuns(server: server, after: cursor, limit: Self.heldRunsLimit, in: db)
            )
        }
    }

    static func heldRuns(server: String, after cursor: Int64, limit: Int, in db: Database) throws
        -> [ClosedRange<Int64>]
    {
        let sequences = try Int64.fetchCursor(
            db,
            sql: """
                SELECT \(PushReceiptTable.sequence) FROM \(PushReceiptTable.tableName)
                WHERE \(PushReceiptTable.server) = ? AND \(PushReceiptTable.sequence) > ?
                    AND \(PushReceiptTable.status) = 'created'
                ORDER BY \(PushReceiptTable.sequence)
                """,
            arguments: [server, cursor])
        var runs: [ClosedRange<Int64>] = []
        while let sequence = try sequences.next() {
            if let last = runs.last, last.upperBound + 1 == sequence {
                runs[runs.count - 1] = last.lowerBound...sequence
            } else {
                guard runs.count < limit else { break }
                runs.append(sequence...sequence)
            }
        }
        return runs
    }

    /// How many runs a pull names at most (a push stores its created events at consecutive sequence numbers: one run
    /// a push, fewer when nothing came in between).
    public static let heldRunsLimit = 32

    /// Stores a pulled page and the new cursor in one transaction: a crash leaves both as they were or both as they
    /// are now, so nothing is lost and nothing is applied twice. Returns how many events were new here.
    public func storePulled(_ page: SyncWire.PullResponse, server: String, now: Timestamp) throws -> Int {
        try storePulled([page], server: server, now: now)
    }

    /// Stores pulled pages, one after the other in the log (each page asked after the cursor the one before it left),
    /// and the cursor the last one leaves, in one transaction: as storing each page in turn would, with one commit.
    /// An event sent again in a later page (a backfill) is a duplicate there, as it would be in the log.
    public func storePulled(_ pages: [SyncWire.PullResponse], server: String, now: Timestamp) throws -> Int {
        guard let last = pages.last else { return 0 }
        return try registry.write { db in
            let events = pages.flatMap { $0.events.map(\.event) }
            let created = try registry.receive(events, policy: .merge, in: db).filter {
                if case .created = $0 { return true }
                return false
            }.count
            try db.execute(
                cached: """
                    INSERT INTO \(SyncCursorTable.tableName) (\(SyncCursorTable.list(.server, .cursor, .pulledAt)))
                    VALUES (?, ?, ?)
                    ON CONFLICT (\(SyncCursorTable.server)) DO UPDATE SET
                        \(SyncCursorTable.updatedFromExcluded(.cursor, .pulledAt))
                    """,
                arguments: [server, last.next, now.description])
            for page in pages { try Self.keep(page.head, server: server, now: now, in: db) }
            return created
        }
    }

    /// The newest position of the central log this station has seen, kept at its last sync (nil before any).
    public func centralMark() throws -> SyncWire.LogMark? {
        try registry.read { db in try Self.centralMark(in: db) }
    }

    static func centralMark(in db: Database) throws -> SyncWire.LogMark? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT \(CentralMarkTable.sequence), \(CentralMarkTable.fingerprint)
                FROM \(CentralMarkTable.tableName) WHERE \(CentralMarkTable.id) = 1
                """
        ).map { SyncWire.LogMark(sequence: $0[0], fingerprint: $0[1]) }
    }

    /// Forgets what this station believed the central log holds — the receipts of stored events, the pull cursors
    /// and the mark — in one transaction, for when the server's log turned out not to be the one they were written
    /// against (`centralMark`). Every local event is then offered again (the server answers `duplicate` for those it
    /// has) and the log is read again from its start (events already here are skipped by id). Receipts of rejected
    /// events are kept: those events are offered again anyway.
    public func forgetCentralLog() throws -> ForgottenSync {
        try registry.write { db in
            try db.execute(
                sql: """
                    DELETE FROM \(PushReceiptTable.tableName)
                    WHERE \(PushReceiptTable.status) IN ('created', 'duplicate')
                    """)
            let receipts = db.changesCount
            try db.execute(sql: "DELETE FROM \(SyncCursorTable.tableName)")
            let cursors = db.changesCount
            try db.execute(sql: "DELETE FROM \(CentralMarkTable.tableName)")
            return ForgottenSync(receipts: receipts, cursors: cursors)
        }
    }

    /// Keeps `head` as the central mark when it is further on than the one kept (a head only moves forward on one
    /// log). The answer it came with was checked against the kept mark first (`Synchronizer`).
    /// The mark `keep` leaves when `kept` is the one kept and `head` is answered: the furthest of the two, when `head`
    /// names a stored event.
    public static func furthest(_ kept: SyncWire.LogMark?, _ head: SyncWire.LogMark?) -> SyncWire.LogMark? {
        guard let head, isKeepable(head) else { return kept }
        guard let kept else { return head }
        return head.sequence >= kept.sequence ? head : kept
    }

    /// Whether a head names a stored event (a log's first request answers sequence 0, no fingerprint).
    private static func isKeepable(_ head: SyncWire.LogMark) -> Bool {
        head.sequence > 0 && !(head.fingerprint ?? "").isEmpty
    }

    static func keep(_ head: SyncWire.LogMark?, server: String, now: Timestamp, in db: Database) throws {
        guard let head, isKeepable(head), let fingerprint = head.fingerprint else { return }
        try db.execute(
            cached: """
                INSERT INTO \(CentralMarkTable.tableName)
                    (\(CentralMarkTable.list(.id, .sequence, .fingerprint, .server, .seenAt)))
                VALUES (1, ?, ?, ?, ?)
                ON CONFLICT (\(CentralMarkTable.id)) DO UPDATE SET
                    \(CentralMarkTable.updatedFromExcluded(.sequence, .fingerprint, .server, .seenAt))
                WHERE excluded.\(CentralMarkTable.sequence)
                    >= \(CentralMarkTable.tableName).\(CentralMarkTable.sequence)
                """,
            arguments: [head.sequence, fingerprint, server, now.description])
    }
}
