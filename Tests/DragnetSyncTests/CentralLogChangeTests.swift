import DragnetCore
import DragnetServer
import DragnetSync
import Foundation
import Logging
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
        #expect(try a.registry.station.centralMark()?.sequence == 6)
        #expect(try b.registry.station.centralMark()?.sequence == 4)

        // 4. The central's disk is lost; the backup is restored and served at the same address.
        await first.stopAndWait()
        let restored = try await LiveServer.start(port: first.port, restoring: backup)
        defer { restored.stop() }
        #expect(restored.url == first.url)
        #expect(try restored.registry.eventCount() == 2)

        // 5. A syncs: the restored log has no event at seq 6, so A forgets its 4 receipts (TN-1's 2 and TN-2's 2)
        //    and its cursor, offers its 4 events again (TN-1's 2 are there: duplicates; TN-2's 2 are stored again,
        //    at seq 3-4, which A now holds: `held=3-4`) and reads the log from the start: seq 1-2 (its own TN-1,
        //    whose duplicate answers named no sequence number), nothing new here.
        let aAfter = try await a.sync(restored, token: tokenA)
        #expect(aAfter.centralLogChanged == ForgottenSync(receipts: 4, cursors: 1))
        #expect(aAfter.pushed == 4 && aAfter.created == 2 && aAfter.duplicates == 2)
        #expect(aAfter.pulled == 2 && aAfter.stored == 0)
        #expect(try restored.registry.eventCount() == 4)

        // 6. B syncs: the restored log's seq 4 now holds A's TN-2 opening, not B's TN-3 opening it saw there:
        //    the same sequence number with another fingerprint. B offers its 2 events again (stored at seq 5-6, held)
        //    and reads the log from the start: seq 1-4 (A's TN-1, here already; A's TN-2, new).
        let bAfter = try await b.sync(restored, token: tokenB)
        #expect(bAfter.centralLogChanged == ForgottenSync(receipts: 2, cursors: 1))
        #expect(bAfter.pushed == 2 && bAfter.created == 2)
        #expect(bAfter.pulled == 4 && bAfter.stored == 2)
        #expect(try restored.registry.eventCount() == 6)

        // 7. A syncs again: its mark (seq 4, its own TN-2 opening) is still there, so nothing is forgotten; it pushes
        //    nothing and pulls from its cursor 4 B's 2 events at seq 5-6 (A has them from step 3: nothing new).
        //    Every station and the central now hold all 6 events.
        let aLast = try await a.sync(restored, token: tokenA)
        #expect(aLast.centralLogChanged == nil)
        #expect(aLast.pushed == 0 && aLast.pulled == 2 && aLast.stored == 0 && aLast.cursor == 6)
        #expect(try a.registry.eventCount() == 6 && b.registry.eventCount() == 6)
        for ref in ["79.26734/TN-1", "79.26734/TN-2", "79.26737/TN-3"] {
            #expect(try restored.registry.records.wantedCase(ref).caseRef == String(ref.split(separator: "/")[1]))
        }
    }

    @Test func anEventPushedAgainAtItsOldPlaceStillShowsTheLogChanged() async throws {
        let first = try await LiveServer.start()
        var u = try TestStation("79.26734", in: first.directory)
        var s = try TestStation("79.26737", in: first.directory)
        var t = try TestStation("79.26740", in: first.directory)
        let (tokenU, tokenS, tokenT) = (
            try first.token("79.26734"), try first.token("79.26737"), try first.token("79.26740")
        )
        // U's case at seq 1-2, then the backup; S's case at seq 3-4, T's at 5-6; S pulls last: its mark is seq 6,
        // T's opening.
        _ = try SyncTests.openWanted(&u, ref: "U-1", name: "Nguyễn Văn Một", opened: "2020-01-01")
        _ = try await u.sync(first, token: tokenU)
        let backup = first.directory.appendingPathComponent("backup.sqlite").path
        try first.backup(to: backup)
        _ = try SyncTests.openWanted(&s, ref: "S-1", name: "Nguyễn Văn Hai", opened: "2020-02-01")
        _ = try await s.sync(first, token: tokenS)
        _ = try SyncTests.openWanted(&t, ref: "T-1", name: "Nguyễn Văn Ba", opened: "2020-03-01")
        _ = try await t.sync(first, token: tokenT)
        _ = try await s.sync(first, token: tokenS)
        #expect(try s.registry.station.centralMark()?.sequence == 6)
        let sixth = try #require(try first.registry.central.logPosition(atSequence: 6))

        // Restored: seq 1-2. U's mark (seq 2) is still there, so U forgets nothing and its new case lands at 3-4.
        // T's mark (seq 6) is gone: T pushes T-1 again, which lands at 5-6 — the same events at the same places as
        // before the restore. S's case (3-4 before) is lost unless S notices.
        await first.stopAndWait()
        let restored = try await LiveServer.start(port: first.port, restoring: backup)
        defer { restored.stop() }
        _ = try SyncTests.openWanted(&u, ref: "U-2", name: "Nguyễn Văn Bốn", opened: "2020-04-01")
        let uAfter = try await u.sync(restored, token: tokenU)
        #expect(uAfter.centralLogChanged == nil && uAfter.created == 2)
        let tAfter = try await t.sync(restored, token: tokenT)
        #expect(tAfter.centralLogChanged != nil && tAfter.created == 2)
        let sixthAgain = try #require(try restored.registry.central.logPosition(atSequence: 6))
        #expect(sixthAgain.id == sixth.id && sixthAgain.nonce != sixth.nonce)

        // S's mark names T's opening at seq 6, and the restored log has T's opening at seq 6 — stored again, so with
        // another random number drawn: another fingerprint. S offers its case again (seq 7-8) and reads from 0.
        let sAfter = try await s.sync(restored, token: tokenS)
        #expect(sAfter.centralLogChanged != nil)
        #expect(sAfter.created == 2)
        #expect(try restored.registry.eventCount() == 8)
        #expect(try s.registry.eventCount() == 8)
    }

    @Test func aLogReplacedInTheMiddleOfASyncIsNotTrusted() async throws {
        // A server that takes 500 events a push, so that the push below takes two.
        let first = try await LiveServer.start(push: PushLimitsTests.limits(events: 500))
        var a = try TestStation("79.26734", in: first.directory)
        let token = try first.token("79.26734")
        // One case synced, then the backup (seq 1-2), then 300 more cases: 600 events, two push batches (500 + 100).
        let backup = try await Self.backupThenThreeHundredCases(&a, first, token: token)
        // The first batch goes to the first server (seq 3-502, which A keeps as its mark); then, before the second
        // batch, the server is replaced by the backup at the same address.
        let swapped = SwapOnce()
        var synchronizer = Synchronizer(
            registry: a.registry, client: first.client(token), logger: Logger(label: "test.sync"))
        synchronizer.progress = { phase, _, _ in
            guard phase == "pushed", swapped.claim() else { return }
            swapped.replace(first, restoring: backup)
        }
        let sync = synchronizer
        let report = try await blocking { try sync.run(now: { Timestamp.now() }) }
        let restored = try #require(swapped.server)
        defer { restored.stop() }
        // The second batch's answer named another event at A's mark: A forgot what it believed (the 500 receipts of
        // the first batch and the 2 of TN-0; its cursor) and started again: all 602 events offered to the restored
        // server, of which TN-0's 2 were there.
        #expect(report.centralLogChanged == ForgottenSync(receipts: 502, cursors: 1))
        #expect(try restored.registry.eventCount() == 602)
        #expect(try a.registry.station.outboxCount() == 0)
    }

    /// A station stores pulled pages in groups of about 4,000 events (`Synchronizer.readPages`). When the log is
    /// replaced between two pages of one group, the second page's mark differs: nothing of the group is stored and the
    /// sync starts again against the log now served.
    @Test func aLogReplacedBetweenTwoPagesOfOneGroupStoresNoneOfIt() async throws {
        let first = try await LiveServer.start()
        var b = try TestStation("79.26734", in: first.directory)
        let tokenB = try first.token("79.26734")
        let tokenA = try first.token("79")
        // The backup holds B's TN-0 only (seq 1-2) and both tokens. Then 300 more cases: the log holds 602 events,
        // two pages of 500 and more for the province's station A.
        let backup = try await Self.backupThenThreeHundredCases(&b, first, token: tokenB)
        #expect(try await b.sync(first, token: tokenB).created == 600)
        #expect(try first.registry.eventCount() == 602)
        // A, the province, pulls for the first time. Its first page (after 0, no mark yet) comes from the full log;
        // just before the second page of the same group (after 500, naming the mark at seq 602) is asked for, the
        // server is replaced by the backup at the same address, which has no event at seq 602.
        let a = try TestStation("79", in: first.directory)
        let swapped = SwapOnce()
        let transport = BeforeRequest { url in
            guard url.contains("/v1/events?after=500"), swapped.claim() else { return }
            swapped.replace(first, restoring: backup)
        }
        let synchronizer = Synchronizer(
            registry: a.registry, client: CentralClient(baseURL: first.url, token: tokenA, transport: transport),
            logger: Logger(label: "test.sync"))
        let report = try await blocking { try synchronizer.run(now: { Timestamp.now() }) }
        let restored = try #require(swapped.server)
        defer { restored.stop() }
        // The second page named a mark the restored log does not hold: A forgot what it believed (nothing stored
        // yet: no receipts, no cursor) and read the restored log from 0. Its 2 events are all A holds: the 500 of the
        // first page, from the replaced log, were never stored (page by page, they would have been).
        #expect(report.centralLogChanged == ForgottenSync(receipts: 0, cursors: 0))
        #expect(report.pulled == 2 && report.stored == 2)
        #expect(try a.registry.eventCount() == 2)
        #expect(try a.registry.station.cursor(server: first.url) == 2)
    }

    /// Opens and syncs TN-0 (seq 1-2 of a fresh `server`), backs the server up (the path returned), then opens 300
    /// more cases at `s` (600 events, not synced).
    static func backupThenThreeHundredCases(_ s: inout TestStation, _ server: LiveServer, token: String) async throws
        -> String
    {
        _ = try SyncTests.openWanted(&s, ref: "TN-0", name: "Trần Văn Không", opened: "2019-01-01")
        _ = try await s.sync(server, token: token)
        let backup = server.directory.appendingPathComponent("backup.sqlite").path
        try server.backup(to: backup)
        for i in 1...300 {
            _ = try SyncTests.openWanted(&s, ref: "TN-\(i)", name: "Trần Văn Số \(i)", opened: "2020-01-01")
        }
        return backup
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
        let kept = try #require(try a.registry.station.centralMark())
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

/// A one-time switch and the server it made, shared with the sync's progress callback.
final class SwapOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var used = false
    private var made: LiveServer?

    var server: LiveServer? {
        get { lock.withLock { made } }
        set { lock.withLock { made = newValue } }
    }

    /// Stops `server` and starts, at its port, a server of the database restored from `backup` (kept in `server`);
    /// blocks until it listens. Called from a sync's thread, never from Swift's cooperative pool.
    func replace(_ server: LiveServer, restoring backup: String) {
        let done = DispatchSemaphore(value: 0)
        Task {
            await server.stopAndWait()
            self.server = try? await LiveServer.start(port: server.port, restoring: backup)
            done.signal()
        }
        done.wait()
    }

    /// True the first time only.
    func claim() -> Bool {
        lock.withLock {
            defer { used = true }
            return !used
        }
    }
}

/// A libcurl transport that calls `before` with each request's URL, then sends it.
struct BeforeRequest: HTTPTransport {
    let base: any HTTPTransport = CurlTransport(options: .standard)
    let before: @Sendable (String) -> Void

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        before(request.url)
        return try base.send(request)
    }
}
