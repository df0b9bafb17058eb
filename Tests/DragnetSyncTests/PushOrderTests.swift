import DragnetCore
import DragnetServer
import DragnetSync
import Foundation
import GRDB
import Logging
import Testing

/// Two pushes in flight (docs/protocol.md, "Two pushes in flight"): a station numbers the pushes of one sync and
/// sends the next before the answer to the last; the server judges each only after the one before it is stored,
/// whichever arrives first, and answers 409 when it cannot; the station then sends the rest one push at a time.
@Suite struct PushOrderTests {
    /// A station of 79.26734 with `cases` wanted cases imported: per case a person registered, then the case opened
    /// naming that person (an opening judged before its person's registration is refused).
    static func station(cases: Int, in directory: URL) throws -> (TestStation, [OutgoingEvent]) {
        let station = try PushLimitsTests.station(cases: cases, in: directory)
        let events = try station.registry.station.outgoing(after: 0, limit: 10 * cases)
        #expect(events.count == 2 * cases)
        return (station, events)
    }

    static func push(
        _ server: LiveServer, _ events: [OutgoingEvent], token: String, sync: UUID? = nil, order: Int? = nil
    ) async throws -> DragnetSync.HTTPResponse {
        var target = "\(server.url)/v1/events"
        if let sync, let order { target += "?sync=\(sync.uuidString.lowercased())&order=\(order)" }
        return try await raw(
            .post, target, token: token, body: SyncWire.pushBody(events),
            headers: [("Content-Type", "application/json")])
    }

    static func statuses(_ response: DragnetSync.HTTPResponse) throws -> [SyncWire.PushResult.Status] {
        try JSONDecoder().decode(SyncWire.PushResponse.self, from: Data(response.body)).results.map(\.status)
    }

    /// The central log's event ids in the order of its sequence numbers.
    static func centralOrder(_ server: LiveServer) throws -> [UUID] {
        try DatabaseQueue(path: server.directory.appendingPathComponent("central.sqlite").path).read { db in
            try String.fetchAll(db, sql: "SELECT id FROM event ORDER BY seq").compactMap { UUID(uuidString: $0) }
        }
    }

    /// Push 1 of a new sync (person 1 and case 1 of a station of two cases) stored on `server`, then push 3 (case
    /// 2, naming person 2) sent and left to wait for 300 ms; the station's four events (person 1, case 1, person 2,
    /// case 2), the token and the sync. Push 2 would be person 2.
    static func thirdSentFirst(_ server: LiveServer) async throws -> (
        events: [OutgoingEvent], token: String, sync: UUID, third: Task<DragnetSync.HTTPResponse, any Error>
    ) {
        let token = try server.token("79.26734")
        let (_, events) = try Self.station(cases: 2, in: server.directory)
        let sync = UUID()
        let first = try await Self.push(server, Array(events[0...1]), token: token, sync: sync, order: 1)
        #expect(first.status == 200)
        #expect(try Self.statuses(first) == [.created, .created])
        let third = Task { try await Self.push(server, [events[3]], token: token, sync: sync, order: 3) }
        try await Task.sleep(for: .milliseconds(300))
        return (events, token, sync, third)
    }

    @Test func aPushSentAheadIsJudgedAfterTheOneBeforeItWhicheverArrivesFirst() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        // Push 3 arrives first and waits; push 2 comes 300 ms later. Judged in the order they arrived, case 2 would
        // be refused: its person would not exist yet.
        let (events, token, sync, third) = try await Self.thirdSentFirst(server)
        let second = try await Self.push(server, [events[2]], token: token, sync: sync, order: 2)
        let thirdAnswer = try await third.value
        #expect(second.status == 200)
        #expect(try Self.statuses(second) == [.created])
        #expect(thirdAnswer.status == 200)
        #expect(try Self.statuses(thirdAnswer) == [.created])
        #expect(try Self.centralOrder(server) == events.map(\.id), "stored in the station's order")
    }

    @Test func aLaterPushOfASyncTheServerDoesNotKnowGets409AndStoresNothing() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let token = try server.token("79.26734")
        let (_, events) = try Self.station(cases: 1, in: server.directory)
        // The server never saw push 1 of this sync (it started again since, say): it cannot know push 1 is stored.
        let sync = UUID()
        let refused = try await Self.push(server, events, token: token, sync: sync, order: 2)
        #expect(refused.status == 409)
        let error = try JSONDecoder().decode(SyncWire.ErrorBody.self, from: Data(refused.body))
        #expect(error.error == "out_of_order")
        #expect(error.message.contains("push 2 of this sync"), "\(error.message)")
        // The next one is refused at once too, not kept waiting for a push 2 that was refused.
        let next = try await Self.push(server, events, token: token, sync: sync, order: 3)
        #expect(next.status == 409)
        #expect(try server.registry.eventCount() == 0)
        // Without numbers, as before: taken.
        let plain = try await Self.push(server, events, token: token)
        #expect(plain.status == 200)
        #expect(try Self.statuses(plain) == [.created, .created])
    }

    @Test(.timeLimit(.minutes(1)))
    func aPushWaitingForOneThatFailsIsRefusedAtOnceAndARetryOfTheFailedOneGoes() async throws {
        // Patience of an hour: only the failure of push 2 can end push 3's wait within the test's minute.
        let server = try await LiveServer.start(pushOrderPatience: .seconds(3600))
        defer { server.stop() }
        let (events, token, sync, third) = try await Self.thirdSentFirst(server)
        // Push 2 with a body that is not a push: 400.
        let broken = try await raw(
            .post, "\(server.url)/v1/events?sync=\(sync.uuidString.lowercased())&order=2", token: token,
            body: Array(#"{"events": 7}"#.utf8), headers: [("Content-Type", "application/json")])
        #expect(broken.status == 400)
        let thirdAnswer = try await third.value
        #expect(thirdAnswer.status == 409, "not judged before the push before it")
        #expect(try server.registry.eventCount() == 2, "only push 1's events")
        // A retry of push 2 still goes: the push before it is stored.
        let retry = try await Self.push(server, [events[2]], token: token, sync: sync, order: 2)
        #expect(retry.status == 200)
        #expect(try Self.statuses(retry) == [.created])
    }

    @Test func orderAndSyncGoTogetherAndAreChecked() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let token = try server.token("79.26734")
        let (_, events) = try Self.station(cases: 1, in: server.directory)
        let body = SyncWire.pushBody(events)
        for (query, message) in [
            ("order=1", "order is given without sync"),
            ("sync=\(UUID().uuidString)", "sync is given without order"),
            ("sync=abc&order=1", #"sync "abc" is not a sync id"#),
            ("sync=\(UUID().uuidString)&order=0", #"order "0" is not a push's number"#),
        ] {
            let response = try await raw(.post, "\(server.url)/v1/events?\(query)", token: token, body: body)
            #expect(response.status == 400, "\(query)")
            let error = try JSONDecoder().decode(SyncWire.ErrorBody.self, from: Data(response.body))
            #expect(error.message.contains(message), "\(query): \(error.message)")
        }
        #expect(try server.registry.eventCount() == 0)
    }

    /// Pushes `station` with batches of `events` events and the real libcurl client, through `transport` when
    /// given.
    static func sync(
        _ station: TestStation, _ server: LiveServer, token: String, events: Int,
        transport: (any HTTPTransport)? = nil
    ) async throws -> SyncReport {
        var policy = RetryPolicy()
        policy.budget = 5
        let client =
            transport.map { CentralClient(baseURL: server.url, token: token, transport: $0) }
            ?? CentralClient.live(baseURL: server.url, token: token, policy: policy)
        var synchronizer = Synchronizer(registry: station.registry, client: client, logger: Logger(label: "test.sync"))
        synchronizer.ownPushLimits = PushLimitsTests.limits(events: events)
        let sync = synchronizer
        return try await blocking { try sync.run(pushOnly: true, now: { Timestamp.now() }) }
    }

    /// Every event of `station` (`events`) created once on `server`, in the station's order, none left to push, with
    /// `sentAhead` pushes sent before the answer to the one before.
    static func expectAllStoredInOrder(
        _ report: SyncReport, sentAhead: Int, _ station: TestStation, _ events: [OutgoingEvent], _ server: LiveServer,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(
            report.pushed == events.count && report.created == events.count && report.rejected.isEmpty,
            sourceLocation: sourceLocation)
        #expect(report.sentAhead == sentAhead, sourceLocation: sourceLocation)
        #expect(try Self.centralOrder(server) == events.map(\.id), sourceLocation: sourceLocation)
        #expect(try station.registry.station.outgoing(after: 0, limit: 10).isEmpty, sourceLocation: sourceLocation)
    }

    @Test func aStationSendsEachPushAfterTheFirstAheadAndTheLogKeepsItsOrder() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        // 30 cases, 60 events, pushes of 7: a person and their case's opening fall into two pushes 4 times (7, 21,
        // 35, 49 end a push: person 4, 11, 18, 25 in one push, their cases in the next).
        let (station, events) = try Self.station(cases: 30, in: server.directory)
        let report = try await Self.sync(station, server, token: try server.token("79.26734"), events: 7)
        // 9 pushes (8 × 7 + 4). Push 1 goes alone (the server learns the sync), push 2 after its answer; from then
        // on each next push goes before the answer to the one before: pushes 3 to 9.
        try Self.expectAllStoredInOrder(report, sentAhead: 7, station, events, server)
    }

    @Test func aRefusalAnsweredWhileTheNextPushIsInFlightLosesNothing() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        // 30 cases (60 events) imported in three goes; cases 10 and 11 by a station whose clock is months ahead, so the
        // server refuses their 4 events (recorded after its time): events 21–24 of the outbox. Pushes of 7: push 3
        // (events 15–21) is answered with a refusal while push 4 (22–28, refused too) is already in flight.
        var station = try TestStation("79.26734", in: server.directory)
        func importCases(_ cases: Range<Int>, now: Timestamp) throws {
            station.factory = EventFactory(unit: UnitCode("79.26734")!, author: "officer", now: now)
            var csv = ImportColumns.wanted.joined(separator: ",") + "\n"
            for i in cases { csv += "TN-\(i),79.26734,Nguyễn Văn \(i),1980,M,,QĐ-\(i),2020-01-15,Điều 173,,,,,\n" }
            let path = server.directory.appendingPathComponent("wanted-\(UUID().uuidString).csv").path
            try csv.write(toFile: path, atomically: true, encoding: .utf8)
            let summary = try Importer(registry: station.registry, factory: station.factory).importWanted(path: path)
            #expect(summary.committed && summary.events == 2 * cases.count)
        }
        try importCases(0..<10, now: Timestamp("2026-11-26T10:00:00Z")!)
        try importCases(10..<12, now: Timestamp(milliseconds: Timestamp.now().milliseconds + 200 * 86_400_000))
        try importCases(12..<30, now: Timestamp("2026-11-26T10:00:00Z")!)
        let events = try station.registry.station.outgoing(after: 0, limit: 100)
        let report = try await Self.sync(station, server, token: try server.token("79.26734"), events: 7)
        #expect(report.pushed == 60 && report.created == 56 && report.rejected.count == 4)
        #expect(report.sentAhead == 7, "pushes 3 to 9 went ahead; a refusal in this sync does not stop that")
        #expect(Set(report.rejected.map(\.event.id)) == Set(events[20..<24].map(\.id)))
        #expect(try Self.centralOrder(server) == (events[0..<20] + events[24...]).map(\.id))
        // The refused events stay in the outbox, offered again at the next sync; nothing else does.
        #expect(try station.registry.station.outgoing(after: 0, limit: 100).map(\.id) == events[20..<24].map(\.id))
    }

    @Test func aPushHoldingARetractionWaitsForTheAnswerBeforeIt() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        // 30 cases (60 events), then case 0's opening retracted: event 61. Pushes of 7: the ninth (events 57–61)
        // holds the retraction, so it is not sent ahead (a refusal of what it retracts, in the eighth's answer, would
        // settle it): pushes 3 to 8 go ahead, the ninth after the eighth's answer.
        var (station, events) = try Self.station(cases: 30, in: server.directory)
        let retraction = try station.registry.retract(
            events[1].id, reason: "entered by mistake", factory: &station.factory)
        let report = try await Self.sync(station, server, token: try server.token("79.26734"), events: 7)
        #expect(report.pushed == 61 && report.created == 61 && report.rejected.isEmpty)
        #expect(report.sentAhead == 6)
        #expect(try Self.centralOrder(server) == events.map(\.id) + [retraction.id])
    }

    @Test func aPushHoldingAnEventRefusedBeforeWaitsToSendTheNext() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        // 30 cases (60 events); events 15 and 16 carry a refusal from an earlier sync, so they are offered again.
        // Pushes of 7: the third (events 15–21) holds them, and its answer may let their retractions go, so the
        // fourth is read and sent only after that answer: pushes 3 and 5 to 9 go ahead, not 4.
        let (station, events) = try Self.station(cases: 30, in: server.directory)
        try station.registry.station.recordReceipts(
            events[14...15].map { SyncWire.PushResult(id: $0.id, status: .rejected, reason: "an earlier refusal") },
            server: server.url, now: Timestamp.now())
        let report = try await Self.sync(station, server, token: try server.token("79.26734"), events: 7)
        try Self.expectAllStoredInOrder(report, sentAhead: 6, station, events, server)
    }

    @Test func aStationSendsOnePushAtATimeToAServerThatDoesNotTakeTwo() async throws {
        var limits = SyncWire.PushLimits.standard
        limits.maxInFlight = 1
        let server = try await LiveServer.start(push: limits)
        defer { server.stop() }
        let (station, events) = try Self.station(cases: 10, in: server.directory)
        let report = try await Self.sync(station, server, token: try server.token("79.26734"), events: 7)
        #expect(report.created == 20 && report.sentAhead == 0)
        #expect(try Self.centralOrder(server) == events.map(\.id))
    }

    /// Answers 409 in the server's place to the numbered push `order` the first time, without sending it.
    struct RefusingOnce: HTTPTransport {
        let base: CurlTransport
        let order: Int
        let refused = Flag()

        final class Flag: @unchecked Sendable {
            private let lock = NSLock()
            private var value = false
            /// True the first time only.
            func take() -> Bool {
                lock.withLock {
                    let first = !value
                    value = true
                    return first
                }
            }
            var wasTaken: Bool { lock.withLock { value } }
        }

        func send(_ request: DragnetSync.HTTPRequest) throws -> DragnetSync.HTTPResponse {
            if request.method == .post, request.url.hasSuffix("&order=\(order)"), refused.take() {
                return DragnetSync.HTTPResponse(
                    status: 409,
                    body: Array(
                        #"{"error":"out_of_order","message":"push \#(order) of this sync cannot be judged"}"#.utf8))
            }
            return try base.send(request)
        }
    }

    @Test func aStationRefusedA409SendsTheRestOnePushAtATimeAndLosesNothing() async throws {
        // Push 5 waits at the server for a push 4 it never gets (refused on the way): a second, then 409.
        let server = try await LiveServer.start(pushOrderPatience: .seconds(1))
        defer { server.stop() }
        let (station, events) = try Self.station(cases: 30, in: server.directory)
        let transport = RefusingOnce(base: CurlTransport(), order: 4)
        let report = try await Self.sync(
            station, server, token: try server.token("79.26734"), events: 7, transport: transport)
        #expect(transport.refused.wasTaken)
        // Pushes 3, 4 and 5 were sent ahead. Push 4 refused: push 5 is refused by the server too, and pushes 4 to 9
        // go again one at a time, unnumbered; no event twice.
        #expect(report.duplicates == 0)
        try Self.expectAllStoredInOrder(report, sentAhead: 3, station, events, server)
    }
}
