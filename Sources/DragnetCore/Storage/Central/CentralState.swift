import Foundation
import GRDB

/// A central server's access token, as stored: never the token itself, only its SHA-256 hash.
public struct AccessToken: Sendable, Equatable {
    /// What a token may do.
    public enum Role: String, Sendable, CaseIterable {
        /// Push events recorded by its unit or the units below; pull what its unit may see; read figures.
        case station
        /// Read only: pull and figures, over its scope.
        case hq
    }

    public var id: Int64
    /// The unit a station token acts for, or the scope a headquarters token reads (`*`: the whole country).
    public var unit: UnitCode
    public var role: Role
    public var label: String
    public var createdAt: Timestamp
    public var revokedAt: Timestamp?
}

extension AccessToken {
    /// Refuses a token that cannot be: a station token for the national scope `*`, which is a scope for
    /// headquarters to read, never a unit that records events (a `DragnetError` with the usage code).
    public static func check(unit: UnitCode, role: Role) throws {
        if role == .station && unit.isNational {
            throw DragnetError(
                .usage,
                "a station token needs a unit code (like 79.26734): * is the whole country's scope, "
                    + "for headquarters tokens only (--role hq)")
        }
    }
}

extension Registry {
    /// Stores a new token's hash (64 lower-case hex digits) and returns its record; refuses what
    /// `AccessToken.check(unit:role:)` refuses.
    public func addToken(hash: String, unit: UnitCode, role: AccessToken.Role, label: String, now: Timestamp) throws
        -> AccessToken
    {
        try AccessToken.check(unit: unit, role: role)
        return try write { db in
            try db.execute(
                cached: "INSERT INTO token (hash, unit, role, label, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [hash, unit.rawValue, role.rawValue, label, now.description])
            return AccessToken(
                id: db.lastInsertedRowID, unit: unit, role: role, label: label, createdAt: now,
                revokedAt: nil)
        }
    }

    /// The live (not revoked) token with this hash.
    public func token(hash: String) throws -> AccessToken? {
        try tokens(where: "hash = ? AND revoked_at IS NULL", [hash]).first
    }

    /// Every token, revoked ones included, oldest first.
    public func tokens() throws -> [AccessToken] { try tokens(where: "1", []) }

    /// Revokes a token by its id; returns whether a live token was revoked.
    public func revokeToken(id: Int64, now: Timestamp) throws -> Bool {
        try write { db in
            try db.execute(
                cached: "UPDATE token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [now.description, id])
            return db.changesCount > 0
        }
    }

    private func tokens(where condition: String, _ arguments: StatementArguments) throws -> [AccessToken] {
        try read { db in
            try Row.fetchAll(
                db,
                cached:
                    "SELECT id, unit, role, label, created_at, revoked_at FROM token WHERE \(condition) ORDER BY id",
                arguments: arguments
            ).compactMap { row in
                guard let unit = UnitCode(scope: row[1] as String), let role = AccessToken.Role(rawValue: row[2]),
                    let created = Timestamp(row[4] as String)
                else { return nil }
                return AccessToken(
                    id: row[0], unit: unit, role: role, label: row[3], createdAt: created,
                    revokedAt: (row[5] as String?).flatMap(Timestamp.init))
            }
        }
    }

    /// The number of events in the log.
    public func eventCount() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, cached: "SELECT count(*) FROM event") ?? 0 }
    }

    /// What identifies the event at one position of the log: its sequence number, its id, and the random number
    /// drawn when the central server stored it (nil for events stored before such numbers were drawn).
    public struct LogPosition: Sendable, Equatable {
        public var sequence: Int64
        public var id: UUID
        public var nonce: Int64?
    }

    /// The newest event of the log (nil while the log is empty).
    public func logHead() throws -> LogPosition? {
        try logPosition(where: "e.seq = (SELECT max(seq) FROM event)", [])
    }

    /// The event stored at sequence number `sequence` (nil when there is none).
    public func logPosition(atSequence sequence: Int64) throws -> LogPosition? {
        try logPosition(where: "e.seq = ?", [sequence])
    }

    private func logPosition(where condition: String, _ arguments: StatementArguments) throws -> LogPosition? {
        try read { db in
            try Row.fetchOne(
                db,
                cached:
                    "SELECT e.seq, e.id, n.nonce FROM event e LEFT JOIN log_nonce n ON n.seq = e.seq WHERE \(condition)",
                arguments: arguments
            ).flatMap { row in
                UUID(text: row[1] as String).map { LogPosition(sequence: row[0], id: $0, nonce: row[2]) }
            }
        }
    }

    /// A page of the event log after `cursor` for a station or headquarters whose scope is `scope`:
    /// every wanted case, the release cases that are or were the responsibility of a unit within the scope, the
    /// persons those cases concern, and the retractions of all of these.
    ///
    /// Before an event that brings an older record into view (a case opening that names a person first registered
    /// out of view, a transfer into the scope), the record's events up to the cursor are sent again: the receiver
    /// stores each event once, by id, so a repeat is harmless and nothing is missed.
    public func pull(after cursor: Int64, scope: UnitCode, limit: Int = SyncWire.maxBatch) throws
        -> SyncWire.PullResponse
    {
        try read { db in
            var visibility = Visibility(scope: scope, db: db)
            let scanLimit = max(limit, 1) * 4
            let rows = try Row.fetchAll(
                db, cached: "SELECT seq, \(EventCoding.columns) FROM event WHERE seq > ? ORDER BY seq LIMIT ?",
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

    private func backfill(before event: Event, cursor: Int64, visibility: inout Visibility, db: Database) throws
        -> [SyncWire.PulledEvent]
    {
        var records: [UUID] = []
        switch event.payload {
        case .wantedOpened(let opening): records = [opening.personID]
        case .releaseRegistered(let registration): records = [registration.personID]
        case .transferred(let unit) where visibility.scope.covers(unit):
            records = [event.recordID]
            if let person = try String.fetchOne(
                db, cached: "SELECT person_id FROM person_link WHERE case_id = ?",
                arguments: [event.recordID.lowercased]),
                let id = UUID(uuidString: person)
            {
                records.insert(id, at: 0)
            }
        default: return []
        }
        var found: [SyncWire.PulledEvent] = []
        for record in records {
            let rows = try Row.fetchAll(
                db,
                cached: "SELECT seq, \(EventCoding.columns) FROM event WHERE record_id = ? AND seq <= ? ORDER BY seq",
                arguments: [record.lowercased, cursor])
            for row in rows {
                let event = try EventCoding.event(from: row, offset: 1)
                found.append(.init(sequence: row[0], event: event))
            }
        }
        return found
    }
}

/// What one scope may see, with the answers cached for one pull.
struct Visibility {
    let scope: UnitCode
    let db: Database
    private var cache: [UUID: Bool] = [:]

    init(scope: UnitCode, db: Database) {
        self.scope = scope
        self.db = db
    }

    mutating func sees(_ record: UUID, kind: RecordKind) throws -> Bool {
        if let known = cache[record] { return known }
        let id = record.lowercased
        let coverage = ScopeCoverage(scope)
        let visible: Bool
        switch kind {
        case .wanted:
            visible = true
        case .release:
            visible =
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM release_visibility
                                       WHERE case_id = ? AND \(ScopeCoverage.condition("unit")))
                        """,
                    arguments: [id] + coverage.arguments) ?? false
        case .person:
            visible =
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM person_link l WHERE l.person_id = ? AND (l.kind = 'wanted'
                            OR EXISTS (SELECT 1 FROM release_visibility v WHERE v.case_id = l.case_id
                                       AND \(ScopeCoverage.condition("v.unit")))))
                        """,
                    arguments: [id] + coverage.arguments) ?? false
        }
        cache[record] = visible
        return visible
    }
}
