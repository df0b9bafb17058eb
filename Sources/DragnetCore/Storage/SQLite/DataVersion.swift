import GRDB
import Synchronization

/// Whether the database file changed since a moment: SQLite's `PRAGMA data_version`
/// (https://sqlite.org/pragma.html#pragma_data_version), asked on a connection of its own that never writes. The
/// number changes after every commit by any other connection — this process's writer, or another process such as
/// `dragnet token revoke` — and sometimes without one (a checkpoint that truncates the WAL): what a request would
/// otherwise read at every call (a token, the figures' settings) can be kept for one number and read again when it
/// changes (`KeptRequests`), at worst once too often, never once too few.
///
/// Asking takes the connection's serial queue and starts a read transaction: it reads the WAL index in shared
/// memory and, after a change, the file's first page. It does not wait for locks: when the file is busy (another
/// connection recovering the WAL) or anything fails, the answer is nil and the caller reads the database as it would
/// without it. Opening the connection reads the schema: `open` does it where a thread may block (`dragnet serve`
/// while it starts, `Figures.prepare`); a caller that must not block asks `current(opening: false)`.
final class DataVersion: Sendable {
    private let path: String
    private let connection = Mutex<DatabaseQueue?>(nil)

    init(path: String) { self.path = path }

    /// Opens the connection, unless it is open.
    func open() throws { _ = try queue(opening: true) }

    /// The file's version now; nil when it cannot be asked, or when the connection is not open and `opening` is
    /// false.
    func current(opening: Bool = true) -> Int64? {
        guard let queue = try? queue(opening: opening) else { return nil }
        return try? queue.inDatabase { db in try Int64.fetchOne(db, cached: "PRAGMA data_version") }
    }

    private func queue(opening: Bool) throws -> DatabaseQueue? {
        try connection.withLock { queue in
            if let queue { return queue }
            guard opening else { return nil }
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .immediateError
            queue = try DatabaseQueue(path: path, configuration: configuration)
            return queue
        }
    }
}
