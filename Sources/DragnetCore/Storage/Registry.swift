import Foundation
import GRDB
import Logging
import Synchronization

/// A Dragnet database: a station's (or the central server's) SQLite file holding the event log and the state
/// derived from it. Every write is one transaction: a crash at any moment leaves the data as it was before or after it.
///
/// The registry opens and creates the file, records events (`record`, `receive`; the officer's commands in
/// `Casework/`), and gives the parts that read and keep the rest: `records` (what an officer reads), `station` (a
/// station's sync state), `central` (the central server's tokens, log positions and pulls) and `figures`.
public final class Registry: Sendable {
    /// Whether the database belongs to a station or to the central endpoint.
    public enum Role: String, Sendable {
        case station
        case central
    }

    /// The file's path.
    public let path: String
    /// The unit whose database this is; events recorded here are recorded by it.
    public let unit: UnitCode
    /// Station or central.
    public let role: Role
    let database: DatabasePool
    let logger: Logger
    /// What was computed from the kept facts for their state: reports with their JSON, dashboards (`FiguresCache`).
    let figuresCache: FiguresCache
    /// The facts of every case as known now, kept up to date by every write of this process (`KeptFacts`).
    let keptFacts: KeptFacts
    /// What decides what a scope may pull, kept across pulls for the last state of the log (see `PullFacts`).
    let pullFacts = KeptPullFacts()
    /// The log's entries as a pull scans them, read once (see `PullLogIndex`).
    let pullLogIndex = KeptPullLogIndex()
    /// Whether the file changed since a moment (`PRAGMA data_version` on a connection of its own).
    let dataVersion: DataVersion
    /// What the figures route read for a version of the file: tokens, settings, the log's state.
    let keptRequests = KeptRequests()
    /// The WAL's checkpoints off the writer's thread, once `checkpointInBackground` is called (`dragnet serve`).
    let checkpoint: BackgroundCheckpoint

    /// The records as an officer reads them: cases, persons, histories, searches, anomalies, open cases.
    public var records: Records { Records(registry: self) }
    /// A station's sync state: the outbox, the server's receipts, the pull cursors and the central log's mark.
    public var station: StationState { StationState(registry: self) }
    /// The central server's state: access tokens, positions of the log, and the pages a scope pulls.
    public var central: CentralState { CentralState(registry: self) }
    /// The plan's figures, the dashboard's, the targets, and the labels of the cases behind them.
    public var figures: Figures { Figures(registry: self) }

    private init(path: String, database: DatabasePool, unit: UnitCode, role: Role, logger: Logger) {
        self.path = path
        self.database = database
        self.unit = unit
        self.role = role
        self.logger = logger
        figuresCache = FiguresCache()
        keptFacts = KeptFacts(cache: figuresCache)
        dataVersion = DataVersion(path: path)
        checkpoint = BackgroundCheckpoint(path: path, logger: logger)
    }

    deinit {
        checkpoint.stop(writer: nil)
    }

    /// From now on the WAL is copied back into the file on a thread of its own, not inside the writer's commits
    /// (`BackgroundCheckpoint`): for a long-running process whose writer is the bottleneck, the central server.
    public func checkpointInBackground() throws {
        do {
            try checkpoint.start(writer: database)
        } catch {
            throw DragnetError(.failure, "could not open \(path): \(Registry.describe(error))", underlying: error)
        }
    }

    /// Stops the thread `checkpointInBackground` started and waits for it to end; the writer checkpoints in its
    /// commits again, past SQLite's 1,000 pages (and the file's last connection checkpoints what is left when it
    /// closes).
    public func stopBackgroundCheckpoints() {
        checkpoint.stop(writer: database)
    }

    /// Creates a new database at `path` for `unit`. Refuses to touch an existing file.
    public static func create(
        at path: String, unit: UnitCode, role: Role = .station, now: Timestamp,
        logger: Logger = Logger(label: "dragnet.registry")
    ) throws -> Registry {
        if FileManager.default.fileExists(atPath: path) {
            throw DragnetError(.usage, "\(path) already exists; Dragnet does not overwrite a database")
        }
        let pool = try DatabaseFile.open(path)
        do {
            try Schema.migrator.migrate(pool)
            try pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO \(StationTable.tableName) (\(StationTable.list(.id, .unit, .role, .createdAt)))
                        VALUES (1, ?, ?, ?)
                        """,
                    arguments: [unit.rawValue, role.rawValue, now.description])
            }
        } catch {
            throw DragnetError(.failure, "could not create \(path): \(Registry.describe(error))", underlying: error)
        }
        logger.debug("created database", metadata: ["path": "\(path)", "unit": "\(unit)"])
        return Registry(path: path, database: pool, unit: unit, role: role, logger: logger)
    }

    /// Opens an existing database, bringing an older schema up to date. `onUpgrade` is told, in a sentence for a
    /// person, when the schema is about to be upgraded and when that is done: some upgrades copy whole tables, which
    /// takes a while on a big registry.
    public static func open(
        at path: String, logger: Logger = Logger(label: "dragnet.registry"),
        onUpgrade: ((String) -> Void)? = nil
    ) throws -> Registry {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DragnetError(
                .failure,
                "no Dragnet database at \(path): create one with `dragnet init --unit CODE --db \(path)`,"
                    + " or name another with --db or DRAGNET_DB")
        }
        let pool = try DatabaseFile.open(path)
        do {
            let (superseded, known) = try pool.read { db in
                (try Schema.migrator.hasBeenSuperseded(db), try db.tableExists(StationTable.tableName))
            }
            if superseded {
                throw DragnetError(
                    .failure,
                    "\(path) was written by a newer version of Dragnet; upgrade dragnet to use it (nothing was changed)"
                )
            }
            guard known else {
                throw DragnetError(.failure, "\(path) is not a Dragnet database (it has no station table)")
            }
            let applied = try pool.read { db in try Schema.migrator.appliedIdentifiers(db) }
            let waiting = Schema.migrator.migrations.filter { !applied.contains($0) }
            let started = ContinuousClock.now
            if !waiting.isEmpty {
                onUpgrade?(
                    "upgrading \(path) to this version of Dragnet (\(waiting.joined(separator: ", "))); "
                        + "on a big registry this can take minutes; each step is all or nothing, and an interrupted upgrade "
                        + "goes on from the next step at the next open")
                logger.notice(
                    "upgrading the database schema", metadata: ["path": "\(path)", "migrations": "\(waiting)"])
            }
            try Schema.migrator.migrate(pool)
            if !waiting.isEmpty {
                let elapsed = (ContinuousClock.now - started).components
                let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
                onUpgrade?("upgraded \(path) in \(String(format: "%.1f", seconds)) s")
            }
            let row = try pool.read { db in
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT \(StationTable.list(.unit, .role)) FROM \(StationTable.tableName)
                        WHERE \(StationTable.id) = 1
                        """)
            }
            guard let row, let unit = UnitCode(row[0] as String), let role = Role(rawValue: row[1]) else {
                throw DragnetError(.failure, "\(path) has no station record; the database is damaged")
            }
            return Registry(path: path, database: pool, unit: unit, role: role, logger: logger)
        } catch let error as DragnetError {
            throw error
        } catch {
            throw DragnetError(.failure, "could not open \(path): \(Registry.describe(error))", underlying: error)
        }
    }

    /// Opens the central server's database, creating it when missing.
    public static func openOrCreateCentral(at path: String, unit: UnitCode, now: Timestamp, logger: Logger) throws
        -> Registry
    {
        if FileManager.default.fileExists(atPath: path) { return try open(at: path, logger: logger) }
        return try create(at: path, unit: unit, role: .central, now: now, logger: logger)
    }

    /// A database error in words, without SQL.
    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "SQLite error \(error.resultCode)" }
        return "\(error)"
    }
}

extension Registry {
    /// The number of events in the log, counted (a pass over the log: for tests and checks).
    public func eventCount() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, cached: "SELECT count(*) FROM \(EventTable.tableName)") ?? 0 }
    }

    /// The number of events in the log, read as its last sequence number: no event is ever removed and a
    /// transaction that rolls back takes its numbers back with it, so the two are the same, and this costs one look-up
    /// where `eventCount` reads the whole log (the health answer, asked at every sync).
    public func logLength() throws -> Int64 {
        try read { db in try Figures.derivedState(db).sequence }
    }

    /// The version of the SQLite library in use.
    public static var sqliteVersion: String {
        (try? DatabaseQueue().read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") }) ?? "unknown"
    }
}
