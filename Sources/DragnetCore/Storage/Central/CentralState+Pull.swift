import Foundation
import GRDB

extension CentralState {
    /// A page of the event log after `cursor` for a station or headquarters whose scope is `scope`:
    /// every wanted case, the release cases that are or were the responsibility of a unit within the scope, the
    /// persons those cases concern, and the retractions of all of these.
    ///
    /// Before an event that brings an older record into view (a case opening that names a person first registered
    /// out of view, a transfer into the scope), the record's events up to the cursor are sent again: the receiver
    /// stores each event once, by id, so a repeat is harmless and nothing is missed.
    ///
    /// `horizon` (a station's, from `pullHorizon`): other units' wanted cases closed at or before it are not sent
    /// (SPEC §7); nil for headquarters.
    public func pull(
        after cursor: Int64, scope: UnitCode, horizon: Int64? = nil, limit: Int = SyncWire.maxPullPage
    ) throws -> SyncWire.PullResponse {
        try registry.read { db in
            var visibility = Visibility(scope: scope, horizon: horizon, db: db)
            let scanLimit = max(limit, 1) * 4
            let rows = try Row.fetchAll(
                db,
                cached: """
                    SELECT \(EventTable.seq), \(EventCoding.columns) FROM \(EventTable.tableName)
                    WHERE \(EventTable.seq) > ? ORDER BY \(EventTable.seq) LIMIT ?
                    """,
                arguments: [cursor, scanLimit])
            var page: [SyncWire.PulledEvent] = []
            var sent = Set<Int64>()
            var next = cursor
            for row in rows {
                let sequence: Int64 = row[0]
                guard page.count < limit else { break }
                next = sequence
                guard let recordID = UUID(uuidString: row[2]), let kind = RecordKind(rawValue: row[3]),
                    try visibility.sees(recordID, kind: kind)
                else { continue }
                let event = try EventCoding.event(from: row, offset: 1)
                for backfilled in try backfill(before: event, cursor: cursor, visibility: &visibility, db: db)
                where sent.insert(backfilled.sequence).inserted {
                    page.append(backfilled)
                }
                if sent.insert(sequence).inserted { page.append(.init(sequence: sequence, event: event)) }
            }
            let more = rows.count == scanLimit || (rows.last.map { ($0[0] as Int64) > next } ?? false)
            return SyncWire.PullResponse(events: page, next: next, more: more)
        }
    }

    /// The person a case concerns (when linked), then the case.
    private func withPerson(_ caseID: UUID, db: Database) throws -> [UUID] {
        let person = try String.fetchOne(
            db,
            cached: """
                SELECT \(PersonLinkTable.personID) FROM \(PersonLinkTable.tableName)
                WHERE \(PersonLinkTable.caseID) = ?
                """,
            arguments: [caseID.lowercased]
        ).flatMap { UUID(uuidString: $0) }
        return (person.map { [$0] } ?? []) + [caseID]
    }

    /// The head of the log when a station of `unit` first pulled, recorded at that first pull (`after` 0) and kept: the
    /// horizon before which other units' closed wanted cases are not sent to it (SPEC §7). A station that pulled
    /// before this rule existed (its first request seen here asks after a cursor) gets 0: it already holds that
    /// history, and keeps receiving what it did.
    public func pullHorizon(for unit: UnitCode, after cursor: Int64, now: Timestamp) throws -> Int64 {
        let select = """
            SELECT \(PullHorizonTable.sequence) FROM \(PullHorizonTable.tableName) WHERE \(PullHorizonTable.unit) = ?
            """
        if let kept = try registry.read({ db in try Int64.fetchOne(db, cached: select, arguments: [unit.rawValue]) }) {
            return kept
        }
        return try registry.write { db in
            if let kept = try Int64.fetchOne(db, cached: select, arguments: [unit.rawValue]) { return kept }
            let head =
                cursor == 0
                ? try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = '\(EventTable.tableName)'")
                    ?? 0 : 0
            try db.execute(
                cached: """
                    INSERT INTO \(PullHorizonTable.tableName) (\(PullHorizonTable.list(.unit, .sequence, .setAt)))
                    VALUES (?, ?, ?)
                    """,
                arguments: [unit.rawValue, head, now.description])
            return head
        }
    }

    private func backfill(before event: Event, cursor: Int64, visibility: inout Visibility, db: Database) throws
        -> [SyncWire.PulledEvent]
    {
        var records: [UUID] = []
        switch event.payload {
        case .wantedOpened(let opening): records = [opening.personID]
        case .releaseRegistered(let registration): records = [registration.personID]
        case .transferred(let unit) where visibility.scope.covers(unit):
            records = try withPerson(event.recordID, db: db)
        case .retracted(let target, _) where event.recordKind == .wanted:
            // A retracted closing reopens a case a station may not have been sent (closed before its first pull).
            guard let horizon = visibility.horizon,
                let stored = try Int64.fetchOne(
                    db,
                    cached: "SELECT \(EventTable.seq) FROM \(EventTable.tableName) WHERE \(EventTable.id) = ?",
                    arguments: [target.lowercased]),
                stored <= horizon
            else { return [] }
            records = try withPerson(event.recordID, db: db)
        default: return []
        }
        var found: [SyncWire.PulledEvent] = []
        for record in records {
            let rows = try Row.fetchAll(
                db,
                cached: """
                    SELECT \(EventTable.seq), \(EventCoding.columns) FROM \(EventTable.tableName)
                    WHERE \(EventTable.recordID) = ? AND \(EventTable.seq) <= ? ORDER BY \(EventTable.seq)
                    """,
                arguments: [record.lowercased, cursor])
            for row in rows {
                let event = try EventCoding.event(from: row, offset: 1)
                found.append(.init(sequence: row[0], event: event))
            }
        }
        return found
    }
}
