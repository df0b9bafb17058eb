import Foundation
import GRDB

/// How Dragnet opens an SQLite file: foreign keys on, a busy timeout, durable commits and a large page cache.
enum DatabaseFile {
    /// A pool of connections to the file at `path` (created when missing).
    static func open(_ path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // 64 MiB of page cache: a long import spills far fewer pages to the WAL before it commits.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            // FULL: a committed transaction survives a power cut, not only a process crash (a server's receipt is
            // only for what it stored durably). Set on the pool's one writing connection once the pool is open:
            // GRDB turns WAL mode on after `prepareDatabase`, and with it `synchronous = NORMAL`, which overrode this
            // when it was set there.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            return pool
        } catch {
            throw DragnetError(.failure, "could not open \(path): \(Registry.describe(error))", underlying: error)
        }
    }
}
