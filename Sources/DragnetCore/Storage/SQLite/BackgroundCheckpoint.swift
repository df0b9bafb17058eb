import Dispatch
import Foundation
import GRDB
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
/// starts the WAL over: the WAL stays under about 128 MiB plus one commit.
///
/// What a checkpoint does to durability is the same as before: the commit was made durable in the WAL by its own
/// fsync (`synchronous = FULL`), and the checkpoint syncs the WAL before it copies and the file after; only the
/// thread differs.
final class BackgroundCheckpoint: Sendable {
    /// The writer's own automatic checkpoint: 32,768 pages of 4 KiB, 128 MiB of WAL.
    static let writerPages = 32_768
    private let path: String
    private let state = Mutex<State>(State())
    private let wake = DispatchSemaphore(value: 0)

    private struct State {
        var running = false
        var stopping = false
    }

    init(path: String) { self.path = path }

    /// Raises `writer`'s automatic checkpoint to `writerPages` and starts the thread (once). When it throws, nothing
    /// changed.
    func start(writer: DatabasePool) throws {
        try state.withLock { state in
            guard !state.running else { return }
            var configuration = Configuration()
            configuration.busyMode = .immediateError
            // Said, not left to the default: a checkpoint syncs the WAL before it copies and the file after only on a
            // connection whose `synchronous` is not OFF, and the WAL's frames are written over once it starts again.
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            let connection = try DatabaseQueue(path: path, configuration: configuration)
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.writerPages)")
            }
            state.running = true
            let thread = Thread { [self] in run(connection) }
            thread.name = "dragnet checkpoint"
            thread.start()
        }
    }

    /// Tells the thread a transaction was committed.
    func committed() {
        guard state.withLock({ $0.running }) else { return }
        wake.signal()
    }

    /// Stops the thread after the checkpoint it may be running (the last connection's close checkpoints the rest).
    func stop() {
        guard
            state.withLock({ state in
                defer { state.stopping = true }
                return state.running && !state.stopping
            })
        else { return }
        wake.signal()
    }

    private func run(_ connection: DatabaseQueue) {
        while true {
            _ = wake.wait(timeout: .now() + .seconds(1))
            // Several commits told while a checkpoint ran need one more, not one each.
            while wake.wait(timeout: .now()) == .success {}
            if state.withLock({ $0.stopping }) { return }
            // BUSY: another connection is checkpointing (a process closing the file); the next turn tries again.
            _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        }
    }
}
