import Foundation
import Testing

@testable import DragnetCore

/// The sync keeps the mark in memory while the receipts that store it are written on another thread
/// (`StationState.furthest`): it must be the mark the database then holds, for every order of answers.
@Suite struct KeptMarkTests {
    @Test func theMarkKeptInMemoryIsTheMarkStored() throws {
        let answers: [SyncWire.LogMark?] = [
            nil, .init(sequence: 0, fingerprint: nil), .init(sequence: 5, fingerprint: "a5"),
            .init(sequence: 3, fingerprint: "a3"), .init(sequence: 5, fingerprint: "b5"),
            .init(sequence: 9, fingerprint: nil), .init(sequence: 9, fingerprint: ""),
            .init(sequence: 12, fingerprint: "c"),
        ]
        let t = try TestRegistry()
        var kept = try t.registry.station.centralMark()
        #expect(kept == nil)
        for answer in answers {
            try t.registry.station.recordReceipts([], server: "http://central", head: answer, now: TestRegistry.now)
            kept = StationState.furthest(kept, answer)
            #expect(kept == (try t.registry.station.centralMark()), "after \(String(describing: answer))")
        }
        // Worked out: 5/a5 is kept, 3 is behind it, 5/b5 is as far (the later answer wins), 9 names no event,
        // 12/c is furthest.
        #expect(kept == .init(sequence: 12, fingerprint: "c"))
    }
}
