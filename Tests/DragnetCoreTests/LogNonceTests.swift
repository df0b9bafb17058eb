import Foundation
import GRDB
import Testing

@testable import DragnetCore

/// The random number of a position of the central log (docs/protocol.md, "The central log's mark"): one drawn for each
/// run of events stored together, and the one of an event is that of the `log_nonce` row at or before it.
@Suite struct LogNonceTests {
    /// The positions 1 … `count` of the central log, with their random numbers.
    func nonces(_ t: TestRegistry, count: Int64) throws -> [Int64?] {
        try (1...count).map { try #require(try t.registry.central.logPosition(atSequence: $0)).nonce }
    }

    func rows(_ t: TestRegistry) throws -> [Int64] {
        try t.registry.database.read { db in try Int64.fetchAll(db, sql: "SELECT seq FROM log_nonce ORDER BY seq") }
    }

    @Test func eventsStoredTogetherShareOneNumberAndTheNextRunDrawsAnother() throws {
        var t = try TestRegistry(role: .central)
        // One command: the person's registration and the case's opening, seq 1–2, stored in one run.
        _ = try t.wanted("TN-1", opened: "2020-01-01")
        // A second command: seq 3–4.
        _ = try t.wanted("TN-2", opened: "2020-01-02", name: "Lê Văn C")
        #expect(try t.registry.eventCount() == 4)
        // One row per run, at its first sequence number: 1 and 3 (not one per event).
        #expect(try rows(t) == [1, 3])
        let numbers = try nonces(t, count: 4)
        #expect(numbers.allSatisfy { $0 != nil })
        #expect(numbers[0] == numbers[1] && numbers[2] == numbers[3])
        // Two 64-bit draws from SQLite's random(): equal with a chance of 2^-64.
        #expect(numbers[1] != numbers[2])
        // A position past the log has none.
        #expect(try t.registry.central.logPosition(atSequence: 5) == nil)
    }

    @Test func aFileWrittenWithOneNumberPerEventKeepsEachEventsOwnNumber() throws {
        var t = try TestRegistry(role: .central)
        _ = try t.wanted("TN-1", opened: "2020-01-01")
        _ = try t.wanted("TN-2", opened: "2020-01-02", name: "Lê Văn C")
        // Rewritten as a central file of an earlier version holds them: events 1–2 stored before `log_nonce` existed
        // (no row), 3 and 4 each with its own row.
        try t.registry.database.write { db in
            try db.execute(sql: "DELETE FROM log_nonce")
            try db.execute(sql: "INSERT INTO log_nonce (seq, nonce) VALUES (3, 33), (4, 44)")
        }
        #expect(try nonces(t, count: 4) == [nil, nil, 33, 44])
        // A run stored now (seq 5–6) draws one number at 5, and 3 and 4 keep theirs.
        _ = try t.wanted("TN-3", opened: "2020-01-03", name: "Phạm Thị D")
        #expect(try rows(t) == [3, 4, 5])
        let after = try nonces(t, count: 6)
        #expect(Array(after[0..<4]) == [nil, nil, 33, 44])
        #expect(after[4] != nil && after[4] == after[5])
    }

    @Test func aWriteRefusedDrawsNone() throws {
        var t = try TestRegistry(role: .central)
        _ = try t.wanted("TN-1", opened: "2020-01-01")
        // Opened after the day it is recorded (2026-11-26): refused, nothing stored, no number drawn.
        #expect(throws: DragnetError.self) { _ = try t.wanted("TN-2", opened: "2030-01-01", name: "Lê Văn C") }
        #expect(try rows(t) == [1])
        #expect(try t.registry.eventCount() == 2)
        // The next write takes sequence numbers 3–4 and draws its own row at 3.
        _ = try t.wanted("TN-3", opened: "2020-01-03", name: "Phạm Thị D")
        #expect(try rows(t) == [1, 3])
    }

    @Test func aStationDrawsNone() throws {
        var t = try TestRegistry(role: .station)
        _ = try t.wanted("TN-1", opened: "2020-01-01")
        #expect(try rows(t).isEmpty)
    }
}
