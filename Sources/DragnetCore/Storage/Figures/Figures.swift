import Foundation
import GRDB

/// The figures of the plan read from a registry: the facts of every case (from the projections, or folded again from
/// the log "as of" a past moment), the reports computed from them and kept for the state of the log
/// (`FiguresCache`), the dashboard's figures, the targets, and the labels of the cases behind a number.
/// Reached as `registry.figures`.
public struct Figures: Sendable {
    let registry: Registry

    /// The facts the figures need, for every wanted and release case, as known now or as known at `asOf`
    /// (events recorded after it are left out and every record is folded again from the log).
    public func facts(asOf: Timestamp?) throws -> (wanted: [WantedFacts], releases: [ReleaseFacts]) {
        guard let asOf else { return try currentFacts().facts }
        return try registry.read { db in
            var wanted: [WantedFacts] = []
            var releases: [ReleaseFacts] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT \(EventCoding.columns) FROM \(EventTable.tableName)
                    WHERE \(EventTable.recordKind) IN ('wanted', 'release') AND \(EventTable.recordedAt) <= ?
                    ORDER BY \(EventTable.recordID)
                    """, arguments: [asOf.description])
            var batch: [Event] = []
            func flush() {
                guard let first = batch.first else { return }
                switch FoldedRecord.fold(batch, kind: first.recordKind, birth: nil).state {
                case .wanted(let w): wanted.append(w.facts)
                case .release(let r): releases.append(r.facts)
                default: break
                }
                batch.removeAll(keepingCapacity: true)
            }
            while let row = try rows.next() {
                let event = try EventCoding.event(from: row)
                if let first = batch.first, first.recordID != event.recordID { flush() }
                batch.append(event)
            }
            flush()
            return (wanted, releases)
        }
    }

    /// The facts as known now, with the state of the derived tables they are the facts of: the kept facts
    /// (`KeptFacts`, brought up to date by every write), in one array each, made once per state (`FiguresCache`).
    /// They are at least as recent as the database when asked: a write acknowledged before the call is in them.
    func currentFacts() throws -> (state: FiguresCache.State, facts: (wanted: [WantedFacts], releases: [ReleaseFacts]))
    {
        let snapshot = try keptFacts()
        return (snapshot.state, try facts(of: snapshot))
    }

    /// The facts of `snapshot` in one array each: made once per state and kept (`FiguresCache`), or made here when
    /// the cache has moved on to a later state.
    func facts(of snapshot: KeptFacts.Snapshot) throws -> (wanted: [WantedFacts], releases: [ReleaseFacts]) {
        let value = try registry.figuresCache.value(.facts, at: snapshot.state) {
            .facts(wanted: FactTable.flatten(snapshot.wanted), releases: FactTable.flatten(snapshot.releases))
        }
        if case .facts(let wanted, let releases)? = value { return (wanted, releases) }
        return (FactTable.flatten(snapshot.wanted), FactTable.flatten(snapshot.releases))
    }

    /// The kept facts, at least as recent as `state` when given (the derived tables' state the caller read), else as
    /// the database now (read from the tables the first time, and again only when another process changed them).
    func keptFacts(atLeast state: FiguresCache.State? = nil) throws -> KeptFacts.Snapshot {
        try registry.keptFacts.current(atLeast: try state ?? derivedState()) { try readFacts() }
    }

    /// Reads the facts into memory now, unless they are kept already (`dragnet serve` does it when it starts, so that
    /// the first request does not wait for them), keeps the reports asked for from now on ready to follow writes, and
    /// opens the connection that tells whether the file changed (`DataVersion`: without it every figures request
    /// reads the database, as it did before it).
    public func prepare() throws {
        registry.figuresCache.followsWrites = true
        do {
            try registry.dataVersion.open()
        } catch {
            registry.logger.warning(
                "every figures request will read the database: \(Registry.describe(error))",
                metadata: ["path": "\(registry.path)"])
        }
        _ = try keptFacts()
        registry.keptFacts.makeTables()
    }

    /// The facts from the derived tables, which always hold the fold of the whole log, with the state of those
    /// tables they are the facts of. The columns are read as raw bytes (`FactRows`): building a `String` per column
    /// and parsing it was most of the time of the figures.
    func readFacts() throws -> (state: FiguresCache.State, wanted: [WantedFacts], releases: [ReleaseFacts]) {
        try registry.read { db in
            let state = try Figures.derivedState(db)
            var units = FactRows.Units()
            // Each array reserved from its table's row count (SQLite counts them from the smallest index, about 10 ms
            // for 600,000 release cases) instead of growing by doubling, each of which copies every fact so far into
            // fresh memory: with the look-up of transfers skipped when there are none, about a tenth of `dragnet
            // metrics`' time at 1M rows, and 55 of its 360 MB.
            var wanted: [WantedFacts] = []
            wanted.reserveCapacity(try Table(WantedCaseTable.tableName).fetchCount(db))
            try FactRows.each(
                """
                SELECT \(WantedCaseTable.list(.id, .ownerUnit, .openedOn, .closingKind, .closingDate, .personID))
                FROM \(WantedCaseTable.tableName)
                """, in: db
            ) { row in
                guard let id = row.uuid(0), let unit = row.unit(1, &units), let opened = row.date(2),
                    let person = row.uuid(5)
                else { throw damaged(WantedCaseTable.tableName) }
                var closing: WantedFacts.Closing?
                if !row.isNull(3) {
                    guard let kind = row.text(3).flatMap(ClosingKind.init(rawValue:)), let date = row.date(4) else {
                        throw damaged(WantedCaseTable.tableName)
                    }
                    closing = .init(kind: kind, date: date)
                }
                wanted.append(
                    WantedFacts(caseID: id, ownerUnit: unit, openedOn: opened, closing: closing, personID: person))
            }
            var transfers: [UUID: [ReleaseFacts.Responsibility]] = [:]
            try FactRows.each(
                """
                SELECT \(ReleaseTransferTable.list(.caseID, .date, .toUnit)) FROM \(ReleaseTransferTable.tableName)
                ORDER BY \(ReleaseTransferTable.list(.caseID, .position))
                """, in: db
            ) { row in
                guard let id = row.uuid(0), let date = row.date(1), let unit = row.unit(2, &units) else {
                    throw damaged(ReleaseTransferTable.tableName)
                }
                transfers[id, default: []].append(.init(from: date, unit: unit))
            }
            var releases: [ReleaseFacts] = []
            releases.reserveCapacity(try Table(ReleaseCaseTable.tableName).fetchCount(db))
            try FactRows.each(
                """
                SELECT \(ReleaseCaseTable.list(
                    .id, .unit, .releaseType, .releasedOn, .endingKind, .endingDate, .personID, .probationUntil,
                    .supervision))
                FROM \(ReleaseCaseTable.tableName)
                """, in: db
            ) { row in
                guard let id = row.uuid(0), let unit = row.unit(1, &units),
                    let type = row.text(2).flatMap(ReleaseType.init(rawValue:)), let released = row.date(3),
                    let person = row.uuid(6)
                else { throw damaged(ReleaseCaseTable.tableName) }
                var probation: LocalDate?
                if !row.isNull(7) {
                    guard let until = row.date(7) else { throw damaged(ReleaseCaseTable.tableName) }
                    probation = until
                }
                guard let marks = row.marks(8) else { throw damaged(ReleaseCaseTable.tableName) }
                var ending: ReleaseFacts.Ending?
                if !row.isNull(4) {
                    guard let kind = row.text(4).flatMap(EndingKind.init(rawValue:)), let date = row.date(5) else {
                        throw damaged(ReleaseCaseTable.tableName)
                    }
                    ending = .init(kind: kind, date: date)
                }
                releases.append(
                    ReleaseFacts(
                        caseID: id, releaseType: type, releasedOn: released, responsibleUnit: unit,
                        transfers: transfers.isEmpty ? [] : transfers[id] ?? [], ending: ending, personID: person,
                        probationUntil: probation,
                        marks: marks))
            }
            return (state, wanted, releases)
        }
    }

    /// The state of the derived tables: the sequence number of the last event stored (every change to them comes
    /// with a new event) and the number of rebuilds (which derive them again without one).
    static func derivedState(_ db: Database) throws -> FiguresCache.State {
        let row = try Row.fetchOne(
            db,
            cached: """
                SELECT (SELECT seq FROM sqlite_sequence WHERE name = '\(EventTable.tableName)'),
                    (SELECT \(DerivedGenerationTable.generation) FROM \(DerivedGenerationTable.tableName)
                     WHERE \(DerivedGenerationTable.id) = 1)
                """)
        return FiguresCache.State(sequence: row?[0] ?? 0, generation: row?[1] ?? 0)
    }

    /// The state of the derived tables now.
    func derivedState() throws -> FiguresCache.State { try registry.read { try Figures.derivedState($0) } }

    private func damaged(_ table: String) -> DragnetError {
        DragnetError(
            .failure, "\(registry.path): a row of \(table) cannot be read; run `dragnet rebuild` to derive it again")
    }
}
