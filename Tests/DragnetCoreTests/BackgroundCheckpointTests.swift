import Foundation
import GRDB
import Logging
import Testing

@testable import DragnetCore

/// The WAL copied back into the file on a thread of its own (`BackgroundCheckpoint`, `dragnet serve`).
@Suite struct BackgroundCheckpointTests {
    func fileSize(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }

    /// 2,000 rows of 4,000 bytes: 2,000 pages of 4 KiB or more, twice SQLite's automatic checkpoint's 1,000 and far
    /// under the writer's own threshold once the thread runs (32,768).
    func writeEightMegabytes(_ registry: Registry) throws {
        try registry.write { db in
            try db.execute(sql: "CREATE TABLE filler (b BLOB NOT NULL)")
            for _ in 0..<2_000 { try db.execute(sql: "INSERT INTO filler (b) VALUES (zeroblob(4000))") }
        }
    }

    @Test func theThreadCopiesTheWALIntoTheFileAndTheWriterCheckpointsOnlyPast128MiB() throws {
        let t = try TestRegistry(unit: "central", role: .central)
        let path = t.registry.path
        try t.registry.checkpointInBackground()
        let automatic = try t.registry.database.writeWithoutTransaction { db in
            try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint")
        }
        #expect(automatic == BackgroundCheckpoint.writerPages)
        let before = try fileSize(path)
        try writeEightMegabytes(t.registry)
        // The commit is told to the thread, which copies the 8 MB into the file: wait for it (at most 10 s).
        let deadline = Date().addingTimeInterval(10)
        while try fileSize(path) < before + 8_000_000, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(try fileSize(path) >= before + 8_000_000)
        // What was written reads back whole.
        let count = try t.registry.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM filler") }
        #expect(count == 2_000)
    }

    func writerPages(_ registry: Registry) throws -> Int? {
        try registry.database.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
    }

    @Test func theThreadCheckpointsWhenToldOfACommitNotOnlyOnItsTimer() throws {
        let t = try TestRegistry(unit: "central", role: .central)
        let path = t.registry.path
        // A thread of its own whose timer does not ring during the test: only `committed()` wakes it.
        let checkpoint = BackgroundCheckpoint(
            path: path, interval: .seconds(3_600), logger: Logger(label: "test"))
        try checkpoint.start(writer: t.registry.database)
        defer { checkpoint.stop(writer: t.registry.database) }
        let before = try fileSize(path)
        // Written past the registry's `write`, so that nothing tells the thread.
        try t.registry.database.write { db in
            try db.execute(sql: "CREATE TABLE filler (b BLOB NOT NULL)")
            for _ in 0..<2_000 { try db.execute(sql: "INSERT INTO filler (b) VALUES (zeroblob(4000))") }
        }
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try fileSize(path) < before + 8_000_000)
        checkpoint.committed()
        let deadline = Date().addingTimeInterval(10)
        while try fileSize(path) < before + 8_000_000, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(try fileSize(path) >= before + 8_000_000)
    }

    @Test func stoppingEndsTheThreadAndGivesTheWriterSQLitesDefaultBack() throws {
        let t = try TestRegistry(unit: "central", role: .central)
        #expect(try writerPages(t.registry) == 1_000)
        try t.registry.checkpointInBackground()
        #expect(try writerPages(t.registry) == BackgroundCheckpoint.writerPages)
        // Waits for the thread to end (a thread that did not would hang the test here).
        t.registry.stopBackgroundCheckpoints()
        #expect(try writerPages(t.registry) == 1_000)
        // Told of a commit after it stopped, or stopped twice: nothing happens.
        try writeEightMegabytes(t.registry)
        t.registry.stopBackgroundCheckpoints()
        // And it starts again.
        try t.registry.checkpointInBackground()
        #expect(try writerPages(t.registry) == BackgroundCheckpoint.writerPages)
        t.registry.stopBackgroundCheckpoints()
    }
}
