import DragnetServer
import DragnetSync
import Foundation
import Synchronization
import Testing

@testable import DragnetCore

/// The metrics route while a station pushes: the figures come from the facts kept up to date by the pushes, and a
/// request never gets a report older than a push acknowledged before it was sent.
@Suite("Kept facts on the central endpoint")
struct KeptFactsServerTests {
    /// The pushes the server has answered so far, shared by the writer and the readers.
    final class Acknowledged: Sendable {
        let count = Atomic<Int>(0)
    }

    @Test func requestsDuringPushesNeverSeeAReportOlderThanAnAcknowledgedPush() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let hq = try server.token("*", role: .hq)
        let stationToken = try server.token("79.26734")
        var station = try TestStation("79.26734", in: server.directory)
        let pushes = 10
        // The number of new wanted cases of 2026 the server has acknowledged (each push brings one more).
        let acknowledged = Acknowledged()
        let url = "\(server.url)/v1/metrics?unit=*&year=2026"

        let readings = try await withThrowingTaskGroup(of: [(before: Int, seen: Int)].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var readings: [(before: Int, seen: Int)] = []
                    while true {
                        let before = acknowledged.count.load(ordering: .sequentiallyConsistent)
                        let response = try await raw(.get, url, token: hq)
                        #expect(response.status == 200)
                        let report = try JSONDecoder().decode(PlanReport.self, from: Data(response.body))
                        readings.append((before, report.wanted.new.count))
                        if before == pushes { return readings }
                        // A pause between requests: the other suites run beside this one on a small machine.
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
            }
            for n in 1...pushes {
                _ = try SyncTests.openWanted(
                    &station, ref: "TN-\(n)", name: "Đối tượng \(n)", opened: "2026-0\(n % 9 + 1)-01")
                let report = try await station.sync(server, token: stationToken)
                #expect(report.rejected.isEmpty)
                acknowledged.count.store(n, ordering: .sequentiallyConsistent)
            }
            var all: [(before: Int, seen: Int)] = []
            for try await readings in group { all += readings }
            return all
        }
        // Every reading holds at least the cases acknowledged before it was sent, and never more than were pushed.
        for reading in readings {
            #expect(reading.seen >= reading.before, "a report older than an acknowledged push: \(reading)")
            #expect(reading.seen <= pushes)
        }
        #expect(readings.contains { $0.before == pushes && $0.seen == pushes })
        // Some readings were taken while the pushes went on (not all at the end).
        #expect(readings.contains { $0.before < pushes })
        // The facts were read from the tables once, when the server started; every push updated them.
        #expect(server.registry.keptFacts.reads == 1)
    }
}
