import DragnetCore
import DragnetServer
import DragnetSync
import Foundation
import Testing

/// A central server whose database goes back to an older backup: the events stored after the backup are gone from
/// it, though the stations hold receipts for them and pull cursors past them. Without the log mark, those events
/// would never be offered again (the receipts say they were stored) and the server's new events at the reused
/// sequence numbers would never be pulled (the cursors are past them): lost status changes and wrong figures at
/// headquarters, without any error.
@Suite struct CentralLogChangeTests {
    @Test func aCentralRestoredFromAnOlderBackupGetsEveryLostEventBackAndIsReadAgain() async throws {
        let first = try await LiveServer.start()
        var a = try TestStation("79.26734", in: first.directory)
        var b = try TestStation("79.26737", in: first.directory)
        let tokenA = try first.token("79.26734")
        let tokenB = try first.token("79.26737")

        // 1. A opens TN-1: a person and an opening, 2 events; the central holds seq 1-2.
        _ = try SyncTests.openWanted(&a, ref: "TN-1", name: "Nguyễn Văn An", opened: "2020-03-01")
        let synced = try await a.sync(first, token: tokenA)
        #expect(synced.created == 2 && synced.centralLogChanged == nil)

        // 2. The operator backs the central up: seq 1-2 (A's TN-1), with both tokens.
        let backup = first.directory.appendingPathComponent("backup.sqlite").path
        try first.backup(to: backup)

        // 3. After the backup: B opens TN-3 and syncs (seq 3-4, and B pulls A's 2 events: B's mark is seq 4);
        //    A opens TN-2 and syncs (seq 5-6, and A pulls B's 2 events: A's mark is seq 6).
        _ = try SyncTests.openWanted(&b, ref: "TN-3", name: "Lê Thị Bình", opened: "2020-04-01")
        let bBefore = try await b.sync(first, token: tokenB)
        #expect(bBefore.created == 2 && bBefore.stored == 2)
        _ = try SyncTests.openWanted(&a, ref: "TN-2", name: "Trần Văn Cường", opened: "2020-05-01")
        let aBefore = try await a.sync(first, token: tokenA)
        #expect(aBefore.created == 2 && aBefore.stored == 2)
        #expect(try first.registry.eventCount() == 6)
        #expect(try a.registry.centralMark()?.sequence == 6)
        #expect(try b.registry.centralMark()?.sequence == 4)

        // 4. The central's disk is lost; the backup is restored and served at the same address.
        await first.stopAndWait()
        let restored = try await LiveServer.start(port: first.port, restoring: backup)
        defer { restored.stop() }
        #expect(restored.url == first.url)
        #expect(try restored.registry.eventCount() == 2)

        // 5. A syncs: the restored log has no event at seq 6, so A forgets its 4 receipts (TN-1's 2 and TN-2's 2)
        //    and its cursor, offers its 4 events again (TN-1's 2 are there: duplicates; TN-2's 2 are stored again,
        //    at seq 3-4) and reads the log from the start (4 events, all A's own: nothing new here).
        let aAfter = try await a.sync(restored, token: tokenA)
        #expect(aAfter.centralLogChanged == Registry.ForgottenSync(receipts: 4, cursors: 1))
        #expect(aAfter.pushed == 4 && aAfter.created == 2 && aAfter.duplicates == 2)
        #expect(aAfter.pulled == 4 && aAfter.stored == 0)
        #expect(try restored.registry.eventCount() == 4)

        // 6. B syncs: the restored log's seq 4 now holds A's TN-2 opening, not B's TN-3 opening it saw there:
        //    the same sequence number with another fingerprint. B offers its 2 events again (stored at seq 5-6) and
        //    reads the log from the start (6 events: A's TN-1 and B's own were here already, A's TN-2 is new).
        let bAfter = try await b.sync(restored, token: tokenB)
        #expect(bAfter.centralLogChanged == Registry.ForgottenSync(receipts: 2, cursors: 1))
        #expect(bAfter.pushed == 2 && bAfter.created == 2)
        #expect(bAfter.pulled == 6 && bAfter.stored == 2)
        #expect(try restored.registry.eventCount() == 6)

        // 7. A syncs again: its mark (seq 4, its own TN-2 opening) is still there, so nothing is forgotten; it pushes
        //    nothing and pulls from its cursor 4 B's 2 events at seq 5-6 (A has them from step 3: nothing new).
        //    Every station and the central now hold all 6 events.
        let aLast = try await a.sync(restored, token: tokenA)
        #expect(aLast.centralLogChanged == nil)
        #expect(aLast.pushed == 0 && aLast.pulled == 2 && aLast.stored == 0 && aLast.cursor == 6)
        #expect(try a.registry.eventCount() == 6 && b.registry.eventCount() == 6)
        for ref in ["79.26734/TN-1", "79.26734/TN-2", "79.26737/TN-3"] {
            #expect(try restored.registry.wantedCase(ref).caseRef == String(ref.split(separator: "/")[1]))
        }
    }

    @Test func theMarkRouteAnswersTheFingerprintOfAPositionAndNoneForAMissingOne() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        var a = try TestStation("79.26734", in: server.directory)
        let token = try server.token("79.26734")
        _ = try SyncTests.openWanted(&a, ref: "TN-1", name: "Phạm Văn Dũng", opened: "2020-03-01")
        _ = try await a.sync(server, token: token)
        let client = server.client(token)
        func mark(_ query: String) async throws -> SyncWire.LogMark {
            try JSONDecoder().decode(
                SyncWire.LogMark.self, from: Data(try await blocking { try client.get("/v1/log/mark?\(query)") }))
        }
        let kept = try #require(try a.registry.centralMark())
        // The station kept the head after its push and pull: seq 2, the opening.
        #expect(kept.sequence == 2)
        #expect(try await mark("sequence=2") == kept)
        let one = try await mark("sequence=1")
        #expect(one.fingerprint != nil && one.fingerprint != kept.fingerprint)
        #expect(try await mark("sequence=3") == SyncWire.LogMark(sequence: 3, fingerprint: nil))
        let bad = try await raw(.get, server.url + "/v1/log/mark?sequence=x", token: token)
        #expect(bad.status == 400)
        let anonymous = try await raw(.get, server.url + "/v1/log/mark?sequence=1", token: nil)
        #expect(anonymous.status == 401)
    }
}
