import DragnetCore
import DragnetServer
import DragnetSync
import Foundation
import GRDB
import Logging
import Testing

/// Stations and the central endpoint over real HTTP on loopback, with the real libcurl client.
@Suite struct SyncTests {
    static func openWanted(_ s: inout TestStation, ref: String, name: String, opened: String) throws -> WantedCase {
        try s.registry.openWanted(
            person: .new(PersonDetails(fullName: name, birthDate: .year(1985), sex: .male, nationalID: nil)),
            caseRef: ref, ownerUnit: s.registry.unit, danger: .dangerous, abroad: false,
            decision: Decision(number: "QĐ-\(ref)", issuedBy: "PC02", offense: "Điều 168"),
            decisionDate: day(opened), factory: &s.factory)
    }

    static func registerRelease(_ s: inout TestStation, ref: String, name: String) throws -> ReleaseCase {
        try s.registry.registerRelease(
            person: .new(PersonDetails(fullName: name, birthDate: .year(1970), sex: .female, nationalID: nil)),
            caseRef: ref, unit: s.registry.unit, type: .amnesty, releasedOn: day("2020-02-01"), facility: "Trại A",
            offense: "Điều 173", probationUntil: nil, factory: &s.factory)
    }

    @Test func pushThenPullSharesWantedCasesButNotAnotherWardsReleases() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        var a = try TestStation("79.26734", in: server.directory)
        let b = try TestStation("79.26737", in: server.directory)
        let wanted = try Self.openWanted(&a, ref: "TN-1", name: "Nguyễn Văn Đức", opened: "2020-03-01")
        _ = try Self.registerRelease(&a, ref: "DX-1", name: "Trần Thị Ánh")
        // 2 persons + 1 case opening + 1 release registration.
        let pushed = try await a.sync(server, token: try server.token("79.26734"))
        #expect(pushed.pushed == 4 && pushed.created == 4 && pushed.rejected.isEmpty)
        #expect(try server.registry.eventCount() == 4)

        let pulled = try await b.sync(server, token: try server.token("79.26737"))
        // B may see the wanted case and its person, not A's release case nor the released person.
        #expect(pulled.stored == 2)
        #expect(try b.registry.records.wantedCase("79.26734/TN-1").id == wanted.id)
        #expect(throws: DragnetError.self) { _ = try b.registry.records.releaseCase("79.26734/DX-1") }
        #expect(try b.registry.records.findPersons("tran thi anh").isEmpty)
        #expect(try b.registry.records.findPersons("nguyen van duc").count == 1)
        // Syncing again moves nothing.
        let again = try await b.sync(server, token: try server.token("79.26737"))
        #expect(again.pushed == 0 && again.stored == 0)
    }

    /// A new station's first sync says so (`first=1`): its unit's horizon then withholds the other units' cases that
    /// reach the central already closed. Worked by hand: B syncs first (a new station, the log empty); A then records
    /// TN-1 opened and arrested and TN-2 opened, and pushes them in one push; B syncs again: TN-2 and its person
    /// (2 events), not TN-1 (it was closed when B could first have pulled it).
    @Test func aNewStationIsNotSentCasesThatReachedTheCentralClosed() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        var a = try TestStation("79.26734", in: server.directory)
        let b = try TestStation("79.26737", in: server.directory)
        let bToken = try server.token("79.26737")
        let first = try await b.sync(server, token: bToken)
        #expect(first.pulled == 0)
        #expect(
            try server.registry.central.pullHorizon(
                for: UnitCode("79.26737")!, after: 1, first: false, now: Timestamp.now())
                == PullHorizon(sequence: 0, arrivals: true),
            "set by B's first pull, as a new station's")
        _ = try Self.openWanted(&a, ref: "TN-1", name: "Nguyễn Văn Bắt", opened: "2020-03-01")
        _ = try a.registry.closeWanted(
            "79.26734/TN-1", as: .arrested, on: day("2020-04-01"), actingUnit: nil, factory: &a.factory)
        let open = try Self.openWanted(&a, ref: "TN-2", name: "Trần Văn Trốn", opened: "2020-03-02")
        let pushed = try await a.sync(server, token: try server.token("79.26734"))
        #expect(pushed.created == 5, "2 persons, 2 openings, 1 closing")
        let second = try await b.sync(server, token: bToken)
        #expect(second.stored == 2)
        #expect(try b.registry.records.wantedCase("79.26734/TN-2").id == open.id)
        #expect(throws: DragnetError.self) { _ = try b.registry.records.wantedCase("79.26734/TN-1") }
        // A station that stored pulled events (its cursors forgotten, as after its central log changed) is not new.
        _ = try b.registry.station.forgetCentralLog()
        #expect(try !b.registry.station.isNew())
        #expect(try a.registry.station.isNew(), "A stored none: the central sent it only its own events")
    }

    /// A station's pull names where the server stored its own events (`held`): they are not sent back. Restored from
    /// a backup made before its second push, it lost those events and their receipts: they are sent back.
    /// Worked by hand: A records TN-1 (person, opening: seq 1-2) and syncs: pushed 2, pulled 0 (`held=1-2`),
    /// cursor 2. B records TN-3 (seq 3-4) and syncs: it pulls A's 2, not its own. A's database is backed up (cursor
    /// 2). A records TN-2 (seq 5-6) and syncs: pulled 2 (B's 3-4), not its own 5-6; cursor 6. A is restored from the
    /// backup (TN-2 and its receipts gone, cursor 2; its mark, seq 2, is still the log's) and syncs: nothing to
    /// push, and it holds nothing after its cursor: pulled 4 (B's 3-4 and its own 5-6), all 4 new here; cursor 6.
    @Test func aStationIsNotSentItsOwnEventsBackUnlessItLostThem() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        var a = try TestStation("79.26734", in: server.directory)
        var b = try TestStation("79.26737", in: server.directory)
        let aToken = try server.token("79.26734")
        _ = try Self.openWanted(&a, ref: "TN-1", name: "Nguyễn Văn Một", opened: "2020-03-01")
        let first = try await a.sync(server, token: aToken)
        #expect(first.created == 2 && first.pulled == 0 && first.cursor == 2)
        #expect(try a.registry.station.heldRuns(server: server.url, after: 0) == [1...2])
        _ = try Self.openWanted(&b, ref: "TN-3", name: "Lê Thị Ba", opened: "2020-03-03")
        let bSynced = try await b.sync(server, token: try server.token("79.26737"))
        #expect(bSynced.created == 2 && bSynced.pulled == 2 && bSynced.stored == 2, "A's 2, none of its own")
        let backup = server.directory.appendingPathComponent("a-backup.sqlite").path
        try DatabaseQueue(path: a.registry.path).backup(to: try DatabaseQueue(path: backup))
        let tn2 = try Self.openWanted(&a, ref: "TN-2", name: "Trần Văn Hai", opened: "2020-03-02")
        let second = try await a.sync(server, token: aToken)
        #expect(second.created == 2 && second.pulled == 2 && second.stored == 2 && second.cursor == 6, "B's 2")
        // Restored: TN-2 and its receipts are gone; the cursor is 2 again.
        let restored = try Registry.open(at: backup)
        #expect(throws: DragnetError.self) { _ = try restored.records.wantedCase("79.26734/TN-2") }
        let again = try await blocking {
            try Synchronizer(registry: restored, client: server.client(aToken), logger: Logger(label: "test.sync"))
                .run(now: { Timestamp.now() })
        }
        #expect(again.pushed == 0 && again.pulled == 4 && again.stored == 4 && again.cursor == 6)
        #expect(try restored.records.wantedCase("79.26734/TN-2").id == tn2.id, "its own TN-2, sent back")
    }

    @Test func aRepeatedPushCreatesNothingTwice() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        var a = try TestStation("79.26734", in: server.directory)
        _ = try Self.openWanted(&a, ref: "TN-1", name: "Lê Văn Tám", opened: "2020-03-01")
        let events = try a.registry.station.outbox(after: 0, limit: 100).map(\.event)
        let body = Array(try SyncWire.encoder().encode(SyncWire.PushRequest(events: events)))
        let client = server.client(try server.token("79.26734"))
        for expected in [SyncWire.PushResult.Status.created, .duplicate] {
            let answer = try JSONDecoder().decode(
                SyncWire.PushResponse.self, from: Data(try await blocking { try client.post("/v1/events", json: body) })
            )
            #expect(answer.results.map(\.status) == [expected, expected])
        }
        #expect(try server.registry.eventCount() == 2)
        // The same id with other content is refused, and the stored event is unchanged.
        var altered = events
        altered[0].author = "someone else"
        let alteredBody = Array(try SyncWire.encoder().encode(SyncWire.PushRequest(events: altered)))
        let answer = try JSONDecoder().decode(
            SyncWire.PushResponse.self,
            from: Data(try await blocking { try client.post("/v1/events", json: alteredBody) }))
        #expect(answer.results.map(\.status) == [.rejected, .duplicate])
        #expect(answer.results[0].reason?.contains("already used for an event with other content") == true)
    }

    @Test func aFugitiveCaughtByAnotherStationCountsForTheOwner() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let tokenA = try server.token("79.26734"), tokenB = try server.token("79.26737")
        var a = try TestStation("79.26734", in: server.directory)
        var b = try TestStation("79.26737", in: server.directory)
        _ = try Self.openWanted(&a, ref: "TN-7", name: "Phạm Văn Mười", opened: "2019-06-01")
        _ = try await a.sync(server, token: tokenA)
        _ = try await b.sync(server, token: tokenB)
        _ = try b.registry.closeWanted(
            "79.26734/TN-7", as: .arrested, on: day("2020-05-05"), actingUnit: nil,
            factory: &b.factory)
        let pushed = try await b.sync(server, token: tokenB)
        #expect(pushed.created == 1)
        _ = try await a.sync(server, token: tokenA)
        let seenByOwner = try a.registry.records.wantedCase("79.26734/TN-7")
        #expect(seenByOwner.closing?.kind == .arrested)
        #expect(seenByOwner.closing?.actingUnit == UnitCode("79.26737"))
        // 2020: TN-7 was opened before 2020 and captured in 2020, so it is 1 existing case captured, for 79.26734,
        // the owner; 79.26737 has no case of its own.
        let period = try Period.year(2020)
        for registry in [server.registry, a.registry, b.registry] {
            let owner = try registry.figures.planReport(scope: UnitCode("79.26734")!, period: period, asOf: nil)
            #expect(owner.wanted.existing.count == 1 && owner.wanted.existing.captured == 1)
            let catcher = try registry.figures.planReport(scope: UnitCode("79.26737")!, period: period, asOf: nil)
            #expect(catcher.wanted.existing.count == 0 && catcher.wanted.existing.captured == 0)
        }
    }

    @Test func contradictoryClosingsAreKeptAndListedOnBothSides() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let tokenA = try server.token("79.26734"), tokenB = try server.token("79.26737")
        var a = try TestStation("79.26734", in: server.directory)
        var b = try TestStation("79.26737", in: server.directory)
        _ = try Self.openWanted(&a, ref: "TN-9", name: "Võ Thị Sáu", opened: "2019-06-01")
        _ = try await a.sync(server, token: tokenA)
        _ = try await b.sync(server, token: tokenB)
        // Both close it before either syncs: A says died on 2020-04-10, B says arrested on 2020-04-02.
        _ = try a.registry.closeWanted(
            "79.26734/TN-9", as: .died, on: day("2020-04-10"), actingUnit: nil,
            factory: &a.factory)
        _ = try b.registry.closeWanted(
            "79.26734/TN-9", as: .arrested, on: day("2020-04-02"), actingUnit: nil,
            factory: &b.factory)
        let first = try await a.sync(server, token: tokenA)
        let second = try await b.sync(server, token: tokenB)
        #expect(first.created == 1 && second.created == 1, "a conflict is stored, not rejected")
        _ = try await a.sync(server, token: tokenA)
        for registry in [server.registry, a.registry, b.registry] {
            let state = try registry.records.wantedCase("79.26734/TN-9")
            #expect(state.closing?.kind == .arrested && state.closing?.date == day("2020-04-02"), "earliest wins")
            let conflicts = try registry.records.anomalies().filter { $0.severity == .conflict }
            #expect(conflicts.count == 1)
            #expect(conflicts.first?.sentence.contains("79.26734/TN-9 was already closed on 2020-04-02") == true)
        }
    }

    @Test func aRejectedEventStaysOnTheStationAndDoesNotBlockTheOthers() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let token = try server.token("79.26734")
        var a = try TestStation("79.26734", in: server.directory)
        _ = try Self.openWanted(&a, ref: "TN-3", name: "Đỗ Văn Ba", opened: "2019-06-01")
        // The station's clock was wrong for one entry: recorded "in 2099", which the server's clock refuses.
        var skewed = EventFactory(unit: a.registry.unit, author: "officer", now: Timestamp("2099-01-01T00:00:00Z")!)
        _ = try a.registry.openWanted(
            person: .new(PersonDetails(fullName: "Hồ Văn Tư", birthDate: nil, sex: nil, nationalID: nil)),
            caseRef: "TN-4", ownerUnit: a.registry.unit, danger: .ordinary, abroad: false,
            decision: Decision(number: "QĐ-4", issuedBy: "", offense: ""), decisionDate: day("2020-01-01"),
            factory: &skewed)
        _ = try Self.openWanted(&a, ref: "TN-5", name: "Lê Văn Năm", opened: "2020-02-01")
        let report = try await a.sync(server, token: token)
        // 6 events: person + opening for TN-3, TN-4 (both skewed) and TN-5.
        #expect(report.pushed == 6 && report.created == 4 && report.rejected.count == 2)
        #expect(report.rejected.allSatisfy { $0.reason.contains("later than the server's time") })
        #expect(try a.registry.station.rejectedEvents().count == 2, "kept and shown")
        #expect(try server.registry.records.wantedCase("79.26734/TN-5").caseRef == "TN-5", "the others went through")
        let retry = try await a.sync(server, token: token)
        #expect(retry.pushed == 2 && retry.rejected.count == 2, "offered again, never silently dropped")
        // Retracting the wrong entry here settles it: neither it nor its retraction is sent any more.
        var fixer = a.factory
        let opening = try a.registry.records.wantedCase("79.26734/TN-4").decisions[0].eventID
        _ = try a.registry.retract(opening, reason: "recorded with a wrong clock", factory: &fixer)
        let settled = try await a.sync(server, token: token)
        #expect(settled.pushed == 1 && settled.rejected.count == 1, "only the person's registration is left")
        #expect(try a.registry.station.rejectedEvents().count == 1)
    }

    @Test func aDecisionAfterAnotherStationsClosingIsKeptAndListedWhoeverSyncsFirst() async throws {
        for closingFirst in [true, false] {
            let server = try await LiveServer.start()
            defer { server.stop() }
            let tokenA = try server.token("79.26734"), tokenB = try server.token("79.26737")
            var a = try TestStation("79.26734", in: server.directory)
            var b = try TestStation("79.26737", in: server.directory)
            _ = try Self.openWanted(&a, ref: "TN-3", name: "Đỗ Văn Ba", opened: "2019-06-01")
            _ = try await a.sync(server, token: tokenA)
            _ = try await b.sync(server, token: tokenB)
            // A attaches a decision dated 2024-04-05; B, not knowing, records an arrest on 2024-04-02.
            _ = try a.registry.attachDecision(
                "79.26734/TN-3",
                decision: Decision(number: "QĐ-2", issuedBy: "", offense: ""), date: day("2024-04-05"),
                factory: &a.factory)
            _ = try b.registry.closeWanted(
                "79.26734/TN-3", as: .arrested, on: day("2024-04-02"), actingUnit: nil,
                factory: &b.factory)
            let first = try await (closingFirst ? b : a).sync(server, token: closingFirst ? tokenB : tokenA)
            let second = try await (closingFirst ? a : b).sync(server, token: closingFirst ? tokenA : tokenB)
            #expect(first.rejected.isEmpty && second.rejected.isEmpty, "neither could have known of the other")
            let state = try server.registry.records.wantedCase("79.26734/TN-3")
            #expect(state.closing?.kind == .arrested && state.closing?.date == day("2024-04-02"))
            let listed = try server.registry.records.anomalies()
            #expect(listed.count == 1 && listed.first?.field == "decision_date", "the late decision is listed")
        }
    }

    @Test func aRetractedTransferDoesNotShowTheCaseToTheWardItNamed() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let tokenA = try server.token("79.26734"), tokenB = try server.token("79.26737")
        var a = try TestStation("79.26734", in: server.directory)
        let b = try TestStation("79.26737", in: server.directory)
        let release = try Self.registerRelease(&a, ref: "DX-6", name: "Trương Thị Sáu")
        let moved = try a.registry.transferRelease(
            release.label, to: UnitCode("79.26737")!, on: day("2021-01-01"),
            factory: &a.factory)
        _ = try a.registry.retract(
            try #require(moved.transfers.first?.eventID), reason: "wrong ward",
            factory: &a.factory)
        _ = try await a.sync(server, token: tokenA)
        let pulled = try await b.sync(server, token: tokenB)
        #expect(pulled.stored == 0)
        #expect(throws: DragnetError.self) { _ = try b.registry.records.releaseCase("79.26734/DX-6") }
        #expect(try b.registry.records.findPersons("truong thi sau").isEmpty)
    }

    @Test func aTransferBringsTheWholeReleaseCaseToTheNewWard() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let tokenA = try server.token("79.26734"), tokenB = try server.token("79.26737")
        var a = try TestStation("79.26734", in: server.directory)
        let b = try TestStation("79.26737", in: server.directory)
        let release = try Self.registerRelease(&a, ref: "DX-5", name: "Mai Thị Năm")
        _ = try await a.sync(server, token: tokenA)
        _ = try await b.sync(server, token: tokenB)
        #expect(throws: DragnetError.self) { _ = try b.registry.records.releaseCase("79.26734/DX-5") }
        _ = try a.registry.transferRelease(
            release.label, to: UnitCode("79.26737")!, on: day("2021-01-01"),
            factory: &a.factory)
        _ = try await a.sync(server, token: tokenA)
        _ = try await b.sync(server, token: tokenB)
        let seen = try b.registry.records.releaseCase("79.26734/DX-5")
        #expect(seen.responsibleUnit == UnitCode("79.26737"))
        #expect(try b.registry.records.findPersons("mai thi nam").count == 1)
        // It now counts for B on any `to` after the transfer.
        let report = try b.registry.figures.planReport(
            scope: UnitCode("79.26737")!, period: try Period.year(2021), asOf: nil)
        #expect(report.reoffending.population == 1)
    }
}
