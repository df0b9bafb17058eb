import GRDB
import Synchronization

/// Whether the database file changed since a moment: SQLite's `PRAGMA data_version`
/// (https://sqlite.org/pragma.html#pragma_data_version), asked on a connection of its own that never writes, so that
/// every commit by any other connection — this process's writer, or another process such as `dragnet token revoke`
/// — gives a different number. What a request would otherwise read at every call (a token, the figures' settings)
/// can be kept for one version and read again only after a commit (`KeptRequests`).
///
/// The connection is opened at the first question. It never waits: when the file is busy (another connection
/// recovering the WAL) or anything fails, the answer is nil and the caller reads the database as it would without it.
final class DataVersion: Sendable {
    private let path: String
    private let connection = Mutex<DatabaseQueue?>(nil)

    init(path: String) { self.path = path }

    /// The file's version now: unchanged as long as no other connection committed since it was last asked.
    func current() -> Int64? {
        guard let queue = self.queue() else { return nil }
        return try? queue.inDatabase { db in try Int64.fetchOne(db, cached: "PRAGMA data_version") }
    }

    private func queue() -> DatabaseQueue? {
        connection.withLock { queue in
            if let queue { return queue }
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .immediateError
            queue = try? DatabaseQueue(path: path, configuration: configuration)
            return queue
        }
    }
}
