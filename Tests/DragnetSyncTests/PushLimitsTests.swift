import DragnetCore
import DragnetServer
import DragnetSync
import Foundation
import Logging
import Testing

/// How many events a push carries: the server announces its limits in `GET /v1/health` and refuses more with 413;
/// the station sends within its own limits and the server's, and within 500 events to a server that announces none.
@Suite struct PushLimitsTests {
    /// The standard limits with at most `events` events a push.
    static func limits(events: Int) -> SyncWire.PushLimits {
        var limits = SyncWire.PushLimits.standard
        limits.maxEvents = events
        return limits
    }

    /// A station of 79.26734 holding `cases` wanted cases opened by an import: two events each (the person and the
    /// opening), and nothing else.
    static func station(cases: Int, in directory: URL) throws -> TestStation {
        let station = try TestStation("79.26734", in: directory)
        var csv = ImportColumns.wanted.joined(separator: ",") + "\n"
        for i in 0..<cases {
            csv += "TN-\(i),79.26734,Nguyễn Văn \(i),1980,M,,QĐ-\(i),2020-01-15,Điều 173,,,,,\n"
        }
        let path = directory.appendingPathComponent("wanted-\(UUID().uuidString).csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let summary = try Importer(registry: station.registry, factory: station.factory).importWanted(path: path)
        #expect(summary.committed && summary.events == 2 * cases)
        return station
    }

    /// Syncs `station` (push only) with the real libcurl client and returns the number of events of each push, as
    /// the station's progress tells them.
    static func pushes(
        _ station: TestStation, to url: String, token: String, own: SyncWire.PushLimits = .standard
    ) async throws -> (report: SyncReport, batches: [Int]) {
        let counts = Counts()
        var policy = RetryPolicy()
        policy.budget = 5
        var synchronizer = Synchronizer(
            registry: station.registry, client: CentralClient.live(baseURL: url, token: token, policy: policy),
            logger: Logger(label: "test.sync"))
        synchronizer.ownPushLimits = own
        synchronizer.progress = { phase, count, _ in if phase == "pushed" { counts.add(count) } }
        let sync = synchronizer
        let report = try await blocking { try sync.run(pushOnly: true, now: { Timestamp.now() }) }
        return (report, counts.batches)
    }

    /// The running totals the progress reports, turned into the size of each push.
    final class Counts: @unchecked Sendable {
        // Written by the sync's thread only, read after it ended.
        private var totals: [Int] = []
        func add(_ total: Int) { totals.append(total) }
        var batches: [Int] { zip(totals, [0] + totals).map { $0 - $1 } }
    }

    @Test func theHealthAnswerAnnouncesThePushLimits() async throws {
        let server = try await LiveServer.start(push: Self.limits(events: 7))
        defer { server.stop() }
        let response = try await raw(.get, "\(server.url)/v1/health", token: nil)
        #expect(response.status == 200)
        // Read by field name here, not with the server's own type.
        struct Health: Decodable { var push: [String: Int] }
        let health = try JSONDecoder().decode(Health.self, from: Data(response.body))
        #expect(
            health.push == [
                "max_events": 7, "max_sent_bytes": 8_388_608, "max_inflated_bytes": 16_777_216, "max_in_flight": 2,
            ])
    }

    @Test func theStationPushesInBatchesOfTheServersAnnouncedLimit() async throws {
        let server = try await LiveServer.start(push: Self.limits(events: 7))
        defer { server.stop() }
        let station = try Self.station(cases: 10, in: server.directory)
        let (report, batches) = try await Self.pushes(station, to: server.url, token: try server.token("79.26734"))
        #expect(batches == [7, 7, 6])
        #expect(report.created == 20 && report.rejected.isEmpty)
        #expect(try server.registry.eventCount() == 20)
        // The health answer counts them too (10 cases: a person registered and a case opened each).
        let response = try await raw(.get, "\(server.url)/v1/health", token: nil)
        struct Health: Decodable { var events: Int }
        #expect(try JSONDecoder().decode(Health.self, from: Data(response.body)).events == 20)
    }

    @Test func theStationSendsNoMoreThanItsOwnLimitToAServerThatTakesMore() async throws {
        let server = try await LiveServer.start(push: Self.limits(events: 7))
        defer { server.stop() }
        let station = try Self.station(cases: 5, in: server.directory)
        let (report, batches) = try await Self.pushes(
            station, to: server.url, token: try server.token("79.26734"), own: Self.limits(events: 3))
        #expect(batches == [3, 3, 3, 1])
        #expect(report.created == 10)
    }

    @Test func aServerThatAnnouncesNoLimitGetsPushesOf500() async throws {
        try await LocalHTTPServer.with { server in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "dragnet-push-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let station = try Self.station(cases: 600, in: directory)
            let (report, batches) = try await Self.pushes(station, to: server.baseURL, token: "dn_test")
            #expect(batches == [500, 500, 200])
            #expect(report.created == 1_200)
            // What the server received, counted there: no push it refused.
            let received = try await raw(.get, "\(server.baseURL)/v1/pushes", token: nil)
            #expect(String(decoding: received.body, as: UTF8.self) == "500\n500\n200\n")
        }
    }

    @Test func aPushOverTheServersLimitGets413WithAClearMessage() async throws {
        let server = try await LiveServer.start(push: Self.limits(events: 7))
        defer { server.stop() }
        let station = try Self.station(cases: 4, in: server.directory)
        let events = try station.registry.station.outgoing(after: 0, limit: 100)
        #expect(events.count == 8)
        let token = try server.token("79.26734")
        let tooMany = try await raw(
            .post, "\(server.url)/v1/events", token: token, body: SyncWire.pushBody(events),
            headers: [("Content-Type", "application/json")])
        #expect(tooMany.status == 413)
        let error = try JSONDecoder().decode(SyncWire.ErrorBody.self, from: Data(tooMany.body))
        #expect(error.error == "too_large")
        #expect(
            error.message
                == "the push holds 8 events; this server takes at most 7 (push.max_events in GET /v1/health); "
                + "send smaller batches")
        #expect(try server.registry.eventCount() == 0, "nothing of a refused push is stored")
        // What a person sees through the client: the server's sentence.
        let client = server.client(token)
        do {
            _ = try await blocking { try client.post("/v1/events", json: SyncWire.pushBody(events)) }
            Issue.record("a push of 8 events to a server that takes 7 was accepted")
        } catch let error as DragnetError {
            #expect(error.message.contains("HTTP 413") && error.message.contains("takes at most 7"), "\(error)")
        }
        // At the limit, the push goes through.
        let atLimit = try await raw(
            .post, "\(server.url)/v1/events", token: token, body: SyncWire.pushBody(Array(events.prefix(7))))
        #expect(atLimit.status == 200)
        #expect(try server.registry.eventCount() == 7)
    }

    @Test func theStationKeepsEachPushWithinTheServersByteLimit() async throws {
        // 2,000 bytes of JSON a push: a few events each (an event of this station is about 400 bytes).
        var limits = SyncWire.PushLimits.standard
        limits.maxInflatedBytes = 2_000
        let server = try await LiveServer.start(push: limits)
        defer { server.stop() }
        let station = try Self.station(cases: 10, in: server.directory)
        let events = try station.registry.station.outgoing(after: 0, limit: 100)
        let (report, batches) = try await Self.pushes(station, to: server.url, token: try server.token("79.26734"))
        #expect(report.created == 20, "every push was taken: none went over the limit")
        #expect(batches.count > 1 && batches.reduce(0, +) == 20)
        // Each push as large as fits: within the limit, and over it with the next event.
        var start = 0
        for count in batches {
            #expect(SyncWire.pushBody(Array(events[start..<start + count])).count <= 2_000)
            if start + count < events.count {
                #expect(SyncWire.pushBody(Array(events[start...start + count])).count > 2_000)
            }
            start += count
        }
    }

    @Test func anEventLargerThanAnyPushIsRefusedWithAMessageNamingTheLimit() async throws {
        var limits = SyncWire.PushLimits.standard
        limits.maxInflatedBytes = 200
        let server = try await LiveServer.start(push: limits)
        defer { server.stop() }
        let station = try Self.station(cases: 1, in: server.directory)
        do {
            _ = try await Self.pushes(station, to: server.url, token: try server.token("79.26734"))
            Issue.record("an event over the server's limit was taken")
        } catch let error as DragnetError {
            #expect(
                error.message.contains(
                    "the request body is over 200 bytes once gzip is undone (push.max_inflated_bytes in GET /v1/health)"
                ), "\(error)")
        }
        #expect(try station.registry.station.outbox(after: 0, limit: 10).count == 2, "still waiting to be pushed")
    }
}
