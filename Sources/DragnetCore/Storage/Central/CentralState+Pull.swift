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
    /// `horizon` (a station's, from `pullHorizon`): other units' wanted cases closed at or before it, or closed in
    /// the write that brought them to the central, are not sent (SPEC §7, `Visibility`); nil for headquarters.
    /// `held`: the runs of sequence numbers at which the station's own events are stored (it holds them), not sent.
    public func pull(
        after cursor: Int64, scope: UnitCode, horizon: PullHorizon? = nil, limit: Int = SyncWire.maxPullPage,
        held: HeldRuns = .none
    ) throws -> SyncWire.PullResponse {
        // What the server sends, read back as a station reads it.
        let page = try pullJSON(after: cursor, scope: scope, horizon: horizon, limit: limit, held: held)
        return try JSONDecoder().decode(SyncWire.PullResponse.self, from: Data(page.body(head: nil, mark: nil)))
    }

    /// The same page as `pull`, its events written as JSON straight from the stored columns (`PulledPageJSON`):
    /// nothing decoded, nothing encoded again; each event's JSON kept once written (`PullLogIndex`).
    public func pullJSON(
        after cursor: Int64, scope: UnitCode, horizon: PullHorizon? = nil, limit: Int = SyncWire.maxPullPage,
        held: HeldRuns = .none
    ) throws -> PulledPageJSON {
        try pullJSON(after: cursor, scope: scope, horizon: horizon, limit: limit, held: held, chunk: Self.scanChunk)
    }

    /// `pullJSON`, taking `chunk` entries of the index at a time (the tests take fewer, to cross chunks).
    func pullJSON(
        after cursor: Int64, scope: UnitCode, horizon: PullHorizon?, limit: Int, held: HeldRuns = .none,
        chunk chunkSize: Int
    ) throws -> PulledPageJSON {
        try registry.read { db in
            let head = try PullFacts.head(db)
            var visibility = Visibility(
                scope: scope, horizon: horizon, db: db, shared: try sharedFacts(head: head, db: db))
            let index = registry.pullLogIndex
            let scanLimit = Self.scanLimit(limit)
            var elements: [[UInt8]] = []
            // Where each event of the page comes from: a position of the index (its JSON kept or to be written from
            // `row`) or a backfilled row.
            var sources: [(position: Int?, sequence: Int64, row: Row?)] = []
            var sent = Set<Int64>()
            var next = cursor
            var scanned = 0
            var available = 0
            // The window of `scanLimit` entries after the cursor, looked at in chunks until the page is full.
            scan: while scanned < scanLimit, sources.count < limit {
                let chunk = try index.entries(
                    after: next, head: head, count: min(max(chunkSize, 1), scanLimit - scanned), db: db)
                if scanned == 0 { available = chunk.available }
                guard !chunk.entries.isEmpty else { break }
                scanned += chunk.entries.count
                // The persons of the openings in the chunk, and the first sequence number of each: a backfill is
                // read only when one of their events is at or before the cursor.
                let persons = chunk.entries.compactMap { $0.person >= 0 ? $0.person : nil }
                let firsts = Dictionary(
                    zip(persons, index.firstSequences(of: persons)), uniquingKeysWith: { first, _ in first })
                for entry in chunk.entries {
                    guard sources.count < limit else { break scan }
                    next = entry.sequence
                    guard try visibility.sees(entry, recordCount: chunk.recordCount) else { continue }
                    let mayBringIntoView: Bool
                    switch entry.kind {
                    case .wantedOpened, .releaseRegistered:
                        mayBringIntoView = entry.person < 0 || (firsts[entry.person] ?? 0) <= cursor
                    case .transferred, .retracted: mayBringIntoView = true
                    default: mayBringIntoView = false
                    }
                    var row: Row?
                    if mayBringIntoView {
                        guard let read = try Self.row(at: entry.sequence, db: db) else { continue }
                        row = read
                        for backfilled in try backfill(before: read, cursor: cursor, visibility: &visibility, db: db)
                        where sent.insert(backfilled[0]).inserted {
                            sources.append((nil, backfilled[0], backfilled))
                        }
                    }
                    // The station's own event, which it holds (`held`): not sent; what it brings into view is, above.
                    if held.contains(entry.sequence) { continue }
                    guard sent.insert(entry.sequence).inserted else { continue }
                    sources.append((entry.position, entry.sequence, row))
                }
            }
            // The events' JSON: kept, or written now (and kept) from their rows.
            let kept = index.encoded(at: sources.compactMap(\.position))
            var keptAt = kept.makeIterator()
            var written: [(position: Int, bytes: [UInt8])] = []
            for source in sources {
                if let position = source.position {
                    if let encoded = keptAt.next() ?? nil {
                        elements.append(encoded)
                        continue
                    }
                    guard let row = try source.row ?? Self.row(at: source.sequence, db: db) else { continue }
                    let encoded = try PulledPageJSON.element(row)
                    elements.append(encoded)
                    written.append((position, encoded))
                } else if let row = source.row {
                    elements.append(try PulledPageJSON.element(row))
                }
            }
            index.keep(encoded: written)
            // As the whole window was looked at before (`pullRows`): more when the window was full, or when it
            // held entries after the last one looked at.
            let more = available >= scanLimit || next < head
            return PulledPageJSON(elements: elements, next: next, more: more)
        }
    }

    /// How many entries of the log a page looks at for `limit` events: 40 × `limit` (it was 4 × `limit`; a ward sees
    /// about one entry in twenty of the bench's log, so most of its pages were short or empty with `more` true, each
    /// a request and a transaction at the station). Clients follow `next` and `more` whatever the window is
    /// (docs/protocol.md).
    static func scanLimit(_ limit: Int) -> Int { max(limit, 1) * 40 }

    /// How many entries `pullJSON` takes from the index at a time (a page that fills up early copies no more).
    static let scanChunk = 2_000

    /// The row (`seq`, then `EventCoding.columns`) of the event at `sequence`.
    private static func row(at sequence: Int64, db: Database) throws -> Row? {
        try Row.fetchOne(
            db,
            cached: """
                SELECT \(EventTable.seq), \(EventCoding.columns) FROM \(EventTable.tableName)
                WHERE \(EventTable.seq) = ?
                """,
            arguments: [sequence])
    }

    /// The rows (`seq`, then `EventCoding.columns`) of the page `pull` answers, the cursor after it and whether more
    /// may follow, found as a pull did before its events' JSON was kept (`pullJSON`). `kept` false reads the log's
    /// entries and every fact of visibility from the database, as a pull did before `PullLogIndex` and `PullFacts`
    /// (the tests compare the pages of `pullJSON` with these).
    func pullRows(
        after cursor: Int64, scope: UnitCode, horizon: PullHorizon?, limit: Int, held: HeldRuns = .none,
        kept: Bool = true
    ) throws
        -> (rows: [Row], next: Int64, more: Bool)
    {
        try registry.read { db in
            let head = try PullFacts.head(db)
            var visibility = Visibility(
                scope: scope, horizon: horizon, db: db, shared: kept ? try sharedFacts(head: head, db: db) : nil)
            let scanLimit = Self.scanLimit(limit)
            // The entries the page looks at, and the rows already read with them (all of them when not `kept`).
            let window: [PullLogIndex.Entry]
            var read: [Int64: Row] = [:]
            if kept {
                window = try registry.pullLogIndex.entries(after: cursor, head: head, count: scanLimit, db: db).entries
            } else {
                let rows = try Row.fetchAll(
                    db,
                    cached: """
                        SELECT \(EventTable.seq), \(EventCoding.columns) FROM \(EventTable.tableName)
                        WHERE \(EventTable.seq) > ? ORDER BY \(EventTable.seq) LIMIT ?
                        """,
                    arguments: [cursor, scanLimit])
                window = try rows.map { row in
                    guard let record = UUID(text: row[2] as String), let recordKind = RecordKind(rawValue: row[3]),
                        let kind = EventKind(rawValue: row[4])
                    else {
                        throw DragnetError(.failure, "the event log holds an unreadable event; the database is damaged")
                    }
                    read[row[0]] = row
                    return PullLogIndex.Entry(
                        position: 0, sequence: row[0], record: record, number: 0, recordKind: recordKind, kind: kind,
                        person: -1)
                }
            }
            var page: [Row] = []
            var sent = Set<Int64>()
            var next = cursor
            for entry in window {
                guard page.count < limit else { break }
                next = entry.sequence
                guard try visibility.sees(entry.record, kind: entry.recordKind) else { continue }
                guard
                    let row = try read[entry.sequence]
                        ?? Row.fetchOne(
                            db,
                            cached: """
                                SELECT \(EventTable.seq), \(EventCoding.columns) FROM \(EventTable.tableName)
                                WHERE \(EventTable.seq) = ?
                                """,
                            arguments: [entry.sequence])
                else { continue }
                for backfilled in try backfill(before: row, cursor: cursor, visibility: &visibility, db: db)
                where sent.insert(backfilled[0]).inserted {
                    page.append(backfilled)
                }
                if !held.contains(entry.sequence), sent.insert(entry.sequence).inserted { page.append(row) }
            }
            let more = window.count == scanLimit || (window.last.map { $0.sequence > next } ?? false)
            return (page, next, more)
        }
    }

    /// The kept facts, brought to the state of the log `db` reads (its last sequence number `head`), with that
    /// state; nil when they are kept for a later state (this pull reads an older snapshot: it reads its facts itself).
    private func sharedFacts(head: Int64, db: Database) throws -> PullFacts? {
        try registry.pullFacts.facts(at: head, db: db, index: registry.pullLogIndex)
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

    /// What a station of `unit` is not sent (SPEC §7), set at the unit's first pull and kept: the head of the log
    /// then (`after` 0; other units' wanted cases closed at or before it are not sent) and, when that first pull
    /// came from a new station (`first`: it has never stored a pulled event), the cases that reached the central
    /// closed too (`PullHorizon.arrivals`). A station that pulled before this rule existed (its first request seen
    /// here asks after a cursor) gets 0: it already holds that history, and keeps receiving what it did. A station
    /// of a unit whose horizon withholds arrivals that reads the log from its start again, having pulled before
    /// (its central log changed: docs/protocol.md), turns `arrivals` off for good: it may hold open a case the log
    /// it reads now brought closed in one write, and must be sent its closing.
    public func pullHorizon(for unit: UnitCode, after cursor: Int64, first: Bool, now: Timestamp) throws
        -> PullHorizon
    {
        let select = """
            SELECT \(PullHorizonTable.list(.sequence, .arrivals)) FROM \(PullHorizonTable.tableName)
            WHERE \(PullHorizonTable.unit) = ?
            """
        func kept(_ db: Database) throws -> PullHorizon? {
            try Row.fetchOne(db, cached: select, arguments: [unit.rawValue]).map {
                PullHorizon(sequence: $0[0], arrivals: $0[1])
            }
        }
        let rereads = cursor == 0 && !first
        if let kept = try registry.read({ db in try kept(db) }), !(rereads && kept.arrivals) { return kept }
        return try registry.write { db in
            if var kept = try kept(db) {
                guard rereads && kept.arrivals else { return kept }
                kept.arrivals = false
                try db.execute(
                    cached: """
                        UPDATE \(PullHorizonTable.tableName) SET \(PullHorizonTable.arrivals) = 0
                        WHERE \(PullHorizonTable.unit) = ?
                        """,
                    arguments: [unit.rawValue])
                return kept
            }
            let head =
                cursor == 0
                ? try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = '\(EventTable.tableName)'")
                    ?? 0 : 0
            let horizon = PullHorizon(sequence: head, arrivals: cursor == 0 && first)
            try db.execute(
                cached: """
                    INSERT INTO \(PullHorizonTable.tableName)
                        (\(PullHorizonTable.list(.unit, .sequence, .setAt, .arrivals)))
                    VALUES (?, ?, ?, ?)
                    """,
                arguments: [unit.rawValue, head, now.description, horizon.arrivals])
            return horizon
        }
    }

    /// The events (rows as `pullRows` selects them) to send again before `row`: those of the records it brings into
    /// view, up to the cursor.
    private func backfill(before row: Row, cursor: Int64, visibility: inout Visibility, db: Database) throws -> [Row] {
        guard let kind = EventKind(rawValue: row[4]),
            [.wantedOpened, .releaseRegistered, .transferred, .retracted].contains(kind),
            let recordID = UUID(text: row[2] as String)
        else { return [] }
        let payload = try EventCoding.decode(kind: kind, data: row[9])
        var records: [UUID] = []
        switch payload {
        case .wantedOpened(let opening): records = [opening.personID]
        case .releaseRegistered(let registration): records = [registration.personID]
        case .transferred(let unit) where visibility.scope.covers(unit):
            records = try withPerson(recordID, db: db)
        case .retracted(let target, _) where row[3] as String == RecordKind.wanted.rawValue:
            // A retracted closing reopens a case a station may not have been sent (closed before its first pull, or
            // closed when it reached the central: `PullHorizon.mayHaveWithheld`).
            guard let horizon = visibility.horizon,
                let stored = try Row.fetchOne(
                    db,
                    cached: """
                        SELECT e.\(EventTable.seq),
                            \(Visibility.arrivedClosedSQL(case: "e.\(EventTable.recordID)", closing: "e.\(EventTable.seq)"))
                        FROM \(EventTable.tableName) e WHERE e.\(EventTable.id) = ?
                        """,
                    arguments: [target.lowercased]),
                horizon.mayHaveWithheld(closing: stored[0], arrivedClosed: stored[1])
            else { return [] }
            records = try withPerson(recordID, db: db)
        default: return []
        }
        var found: [Row] = []
        for record in records {
            found += try Row.fetchAll(
                db,
                cached: """
                    SELECT \(EventTable.seq), \(EventCoding.columns) FROM \(EventTable.tableName)
                    WHERE \(EventTable.recordID) = ? AND \(EventTable.seq) <= ? ORDER BY \(EventTable.seq)
                    """,
                arguments: [record.lowercased, cursor])
        }
        return found
    }
}
