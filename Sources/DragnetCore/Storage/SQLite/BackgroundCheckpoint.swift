import Dispatch
import Foundation
import GRDB
import Logging
import Synchronization

/// Copies the pages committed to the WAL back into the database file on a connection and a thread of their own,
/// so that the one writer never does it inside a commit (https://sqlite.org/wal.html#checkpointing).
///
/// SQLite's automatic checkpoint runs in the commit that takes the WAL past 1,000 pages, on the writing connection:
/// on the central server that is the thread every push waits for, and with pushes of thousands of events nearly
/// every commit passes it (5 % of the server's CPU late in a 1M push, docs/performance.md "Session 14"). `start`
/// raises the writer's threshold to `writerPages` and runs a PASSIVE checkpoint on another thread after each commit
/// it is told of (`committed()`), and at least once a second: it copies what no reader still needs and never waits
/// for the writer or for readers.
///
/// The writer keeps an automatic checkpoint, rarely: SQLite starts the WAL over only when a write begins with every
/// frame copied, and a busy writer begins its next write before the other thread has copied its last commit, so
/// without it the WAL would grow for as long as pushes follow each other (2 GB in the first 70 s of a 1M push). Past
/// `writerPages` the writer's commit copies what is left (mostly its own commit; the rest is done) and its next write
/// starts the WAL over: the WAL stays under about 128 MiB plus one commit — unless readers keep old snapshots open
/// all the while (a checkpoint copies only what every open reader can do without, and the WAL starts over only when
/// none reads from it), as with SQLite's own checkpoint. Readers look up only the frames not copied yet, so a long WAL
/// costs them little; the file keeps its largest size on disk until the WAL is truncated.
///
/// What a checkpoint does to durability is the same as before: the commit was made durable in the WAL by its own
/// fsync (`synchronous = FULL`), and the checkpoint syncs the WAL before it copies and the file after; only the
/// thread differs.
final class BackgroundCheckpoint: Sendable {
    /// The writer's own automatic checkpoint while the thread runs: 32,768 pages of 4 KiB, 128 MiB of WAL.
    static let writerPages = 32_768
    /// SQLite's default, given back when the thread stops.
    static let defaultPages = 1_000
    private let path: String
    /// How long the thread waits for a commit before it checkpoints anyway.
    private let interval: DispatchTimeInterval
    private let logger: Logger
    private let state = Mutex<State>(State())
    private let wake = DispatchSemaphore(value: 0)

    private struct State {
        /// Signalled by the running thread when it ends; nil while no thread runs.
        var exited: DispatchSemaphore?
        var stopRequested = false
        /// When a failure other than BUSY was last logged (at most one a minute).
        var lastLogged: DispatchTime?
    }

    init(path: String, interval: DispatchTimeInterval = .seconds(1), logger: Logger) {
        self.path = path
        self.interval = interval
        self.logger = logger
    }

    /// Raises `writer`'s automatic checkpoint to `writerPages` and starts the thread, unless it runs. When it throws,
    /// nothing changed.
    func start(writer: DatabasePool) throws {
        try state.withLock { state in
            guard state.exited == nil else { return }
            var configuration = Configuration()
            configuration.busyMode = .immediateError
            // Said, not left to the default: a checkpoint syncs the WAL before it copies and the file after only on a
            // connection whose `synchronous` is not OFF, and the WAL's frames are written over once it starts again.
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            let connection = try DatabaseQueue(path: path, configuration: configuration)
            try Self.setWriterPages(Self.writerPages, on: writer)
            let exited = DispatchSemaphore(value: 0)
            state.exited = exited
            state.stopRequested = false
            let thread = Thread { [self] in
                run(connection)
                exited.signal()
            }
            thread.name = "dragnet checkpoint"
            thread.start()
        }
    }

    /// Tells the thread a transaction was committed.
    func committed() {
        guard state.withLock({ $0.exited != nil && !$0.stopRequested }) else { return }
        wake.signal()
    }

    /// Stops the thread and waits until it has ended (after the checkpoint it may be running), then gives `writer`
    /// SQLite's default automatic checkpoint back. Nothing happens when the thread does not run.
    func stop(writer: DatabasePool?) {
        guard
            let exited = state.withLock({ state -> DispatchSemaphore? in
                guard let exited = state.exited, !state.stopRequested else { return nil }
                state.stopRequested = true
                return exited
            })
        else { return }
        wake.signal()
        exited.wait()
        state.withLock { state in
            state.exited = nil
            state.stopRequested = false
        }
        if let writer { try? Self.setWriterPages(Self.defaultPages, on: writer) }
    }

    private static func setWriterPages(_ pages: Int, on writer: DatabasePool) throws {
        try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)") }
    }

    private func run(_ connection: DatabaseQueue) {
        while true {
            _ = wake.wait(timeout: .now() + interval)
            // Several commits told while a checkpoint ran need one more, not one each.
            while wake.wait(timeout: .now()) == .success {}
            if state.withLock({ $0.stopRequested }) { return }
            do {
                try connection.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                // Another connection is checkpointing (the writer past `writerPages`, a process closing the file):
                // the next turn tries again.
            } catch {
                let now = DispatchTime.now()
                let due = state.withLock { state in
                    guard
                        state.lastLogged.map({ now.uptimeNanoseconds - $0.uptimeNanoseconds > 60_000_000_000 }) ?? true
                    else { return false }
                    state.lastLogged = now
                    return true
                }
                if due {
                    logger.error("the background checkpoint of \(path) failed (tried again each commit): \(error)")
                }
            }
        }
    }
}
