import Foundation
import GRDB
import Testing

@testable import DragnetCore

/// A station stores several pulled pages in one transaction (`StationState.storePulled(_:server:now:)` with a group,
/// as `Synchronizer` does, about 4,000 events at a time). The result must be what storing each page in its own
/// transaction gives: the same log in the same order, the same projections, the same cursor and mark.
@Suite struct PulledGroupTests {
    /// Every event of the station's log in order (id, record, kind, origin), and every derived table.
    static func state(_ registry: Registry) throws -> (log: [String], tables: [String: [String]], cursor: Int64) {
        let log = try registry.database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, record_id, kind, origin FROM event ORDER BY seq").map { row in
                row.databaseValues.map { $0.description }.joined(separator: "|")
            }
        }
        return (log, try BulkImportTests.projections(registry), try registry.station.cursor(server: "central"))
    }

    @Test func pagesStoredTogetherAreThePagesStoredOneByOne() throws {
        // The central: a province of 400 rows (every ward's wanted and release cases), pushed as a station would.
        let log = try TestRegistry.province(seed: 5, rows: 400).log()
        let central = try TestRegistry(unit: "79", role: .central)
        _ = try central.registry.receive(log, policy: .central(now: TestRegistry.now))
        // The province's pages of 37 events: many pages, so that groups hold several and records cross them.
        var pages: [SyncWire.PullResponse] = []
        var cursor: Int64 = 0
        repeat {
            pages.append(try central.registry.central.pull(after: cursor, scope: UnitCode("79")!, limit: 37))
            cursor = pages[pages.count - 1].next
        } while pages[pages.count - 1].more
        let sent = pages.reduce(0) { $0 + $1.events.count }
        #expect(pages.count > 10, "\(pages.count) pages")
        #expect(sent >= log.count, "every event of the province is sent at least once: \(sent) of \(log.count)")

        let oneByOne = try TestRegistry(unit: "79")
        var storedOneByOne = 0
        for page in pages {
            storedOneByOne += try oneByOne.registry.station.storePulled(page, server: "central", now: TestRegistry.now)
        }
        let together = try TestRegistry(unit: "79")
        var storedTogether = 0
        // Groups of 1, 2, 3, … pages, so that group edges fall in many places.
        var start = 0
        var size = 1
        while start < pages.count {
            let group = Array(pages[start..<min(start + size, pages.count)])
            storedTogether += try together.registry.station.storePulled(group, server: "central", now: TestRegistry.now)
            start += size
            size += 1
        }
        // Every event of the central's log is new at the station (it held none); repeats are not stored twice.
        #expect(storedOneByOne == log.count)
        #expect(storedTogether == log.count)
        let expected = try Self.state(oneByOne.registry)
        let actual = try Self.state(together.registry)
        let firstDifference = zip(actual.log, expected.log).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(
            actual.log.count == expected.log.count && firstDifference == nil,
            "the same log in the same order: \(actual.log.count) events against \(expected.log.count), first difference at \(firstDifference.map(String.init) ?? "none")"
        )
        #expect(actual.cursor == pages[pages.count - 1].next)
        #expect(expected.cursor == pages[pages.count - 1].next)
        for table in expected.tables.keys.sorted() {
            #expect(actual.tables[table] == expected.tables[table], "\(table)")
        }
        // The station's projections are the fold of what it stored.
        try together.registry.rebuildProjections()
        #expect(try BulkImportTests.projections(together.registry) == expected.tables)
    }
}
