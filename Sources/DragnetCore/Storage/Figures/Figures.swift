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
    /// tables they are the facts of, read on as many connections at once as the machine has cores (`FactReader`).
    func readFacts() throws -> (state: FiguresCache.State, wanted: [WantedFacts], releases: [ReleaseFacts]) {
        try FactReader(registry: registry).read()
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
}
