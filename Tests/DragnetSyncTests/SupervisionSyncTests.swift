import DragnetCore
import DragnetServer
import DragnetSync
import Foundation
import Testing

/// Supervision events (SPEC §10) travel like the release case they are recorded on (SPEC §7): to the central endpoint,
/// and from it only to the stations whose unit is or was responsible for the case.
@Suite struct SupervisionSyncTests {
    static let a = "79.26734", b = "79.26737", c = "79.26740"

    /// The supervision figures of `scope` on `date` from what `registry` holds, with the standard intervals.
    static func figures(_ registry: Registry, scope: String, on date: String) throws -> SupervisionFigures {
        let facts = try registry.figures.facts(asOf: nil)
        return SupervisionFigures(
            releases: facts.releases, wanted: facts.wanted, scope: UnitCode(scope)!, on: day(date),
            intervals: IntervalBook())
    }

    /// The worklist of `unit` on `date` in `registry`, each line `CASE kind since DATE, days N`.
    static func worklist(_ registry: Registry, unit: String, on date: String) throws -> [String] {
        try registry.figures.worklist(unit: UnitCode(unit)!, on: day(date)).entries.map {
            "\($0.caseLabel) \($0.item.kind.rawValue) since \($0.item.since), days \($0.item.days)"
        }
    }

    /// The kinds of the events `registry` holds on `record`, in fold order.
    static func kinds(_ registry: Registry, _ record: UUID) throws -> [String] {
        try registry.records.history(of: record).map(\.event.kind.rawValue)
    }

    @Test func aContactReachesTheCentralFiguresAndOnlyTheUnitsResponsible() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let tokenA = try server.token(Self.a), tokenB = try server.token(Self.b), tokenC = try server.token(Self.c)
        var stationA = try TestStation(Self.a, in: server.directory)
        let stationB = try TestStation(Self.b, in: server.directory)
        var stationC = try TestStation(Self.c, in: server.directory)

        // A's release case: amnesty, released 2026-03-01, reported in 2026-03-03.
        let release = try stationA.registry.registerRelease(
            person: .new(PersonDetails(fullName: "Đinh Văn Tuấn", birthDate: .year(1975), sex: .male, nationalID: nil)),
            caseRef: "DX-1", unit: stationA.registry.unit, type: .amnesty, releasedOn: day("2026-03-01"),
            facility: "Trại giam Xuân Lộc", offense: "Điều 173", probationUntil: nil, factory: &stationA.factory)
        _ = try stationA.registry.reportIn(release.label, on: day("2026-03-03"), factory: &stationA.factory)
        _ = try await stationA.sync(server, token: tokenA)
        // On 2026-06-10 the reporting in is 99 days old (28 to 03-31, 30, 31, 10): past 92, contact overdue since
        // 2026-06-04 (2026-03-03 + 93), days 6. Reported in, not on time.
        var central = try Self.figures(server.registry, scope: Self.a, on: "2026-06-10")
        #expect(central.supervised == 1 && central.reportedIn == 1 && central.contactsOnTime == 0)
        #expect(
            try Self.worklist(server.registry, unit: Self.a, on: "2026-06-10") == [
                "79.26734/DX-1 contact_overdue since 2026-06-04, days 6"
            ])

        // A home visit on 2026-06-01, then the person cannot be found from 2026-06-05.
        _ = try stationA.registry.recordContact(
            release.label, kind: .homeVisit, note: "lives with his mother", on: day("2026-06-01"),
            factory: &stationA.factory)
        _ = try stationA.registry.recordMissing(
            release.label, note: "not at home since Friday", on: day("2026-06-05"), factory: &stationA.factory)
        let pushed = try await stationA.sync(server, token: tokenA)
        #expect(pushed.pushed == 2 && pushed.created == 2 && pushed.rejected.isEmpty)
        #expect(
            try Self.kinds(server.registry, release.id) == [
                "release_registered", "reported_in", "contact", "whereabouts_unknown",
            ])
        // The contact is 9 days old on 2026-06-10: on time; the person is missing since 2026-06-05, days 5.
        central = try Self.figures(server.registry, scope: Self.a, on: "2026-06-10")
        #expect(central.supervised == 1 && central.contactsOnTime == 1 && central.whereaboutsUnknown == 1)
        #expect(
            try Self.worklist(server.registry, unit: Self.a, on: "2026-06-10") == [
                "79.26734/DX-1 whereabouts_unknown since 2026-06-05, days 5"
            ])
        // The province's figures count it too; the neighbouring ward's do not.
        #expect(try Self.figures(server.registry, scope: "79", on: "2026-06-10").contactsOnTime == 1)
        #expect(try Self.figures(server.registry, scope: Self.b, on: "2026-06-10").supervised == 0)

        // B is not responsible for the case: it receives none of its events, nor its person.
        _ = try await stationB.sync(server, token: tokenB)
        #expect(try stationB.registry.eventCount() == 0)
        #expect(try Self.kinds(stationB.registry, release.id) == [])
        #expect(throws: DragnetError.self) { _ = try stationB.registry.records.releaseCase(release.label) }

        // A hands the case to C from 2026-07-01: C receives the whole case, supervision included.
        _ = try stationA.registry.transferRelease(
            release.label, to: UnitCode(Self.c)!, on: day("2026-07-01"), factory: &stationA.factory)
        _ = try await stationA.sync(server, token: tokenA)
        _ = try await stationC.sync(server, token: tokenC)
        #expect(
            try Self.kinds(stationC.registry, release.id) == [
                "release_registered", "reported_in", "contact", "whereabouts_unknown", "transferred",
            ])
        let seen = try stationC.registry.records.releaseCase(release.label)
        #expect(seen.supervision.first { $0.mark == .contact }?.note == "lives with his mother")
        // On 2026-07-10 C's worklist: missing since 06-05 (25 days to 06-30, +10 = 35), and the person has not
        // reported in to C: C's day 6 is 2026-07-07 (07-01 + 6), days 3.
        #expect(
            try Self.worklist(stationC.registry, unit: Self.c, on: "2026-07-10") == [
                "79.26734/DX-1 whereabouts_unknown since 2026-06-05, days 35",
                "79.26734/DX-1 arrival_overdue since 2026-07-07, days 3",
            ])
        #expect(try Self.worklist(stationA.registry, unit: Self.a, on: "2026-07-10") == [])

        // C records the reporting in and that the person is found; A, responsible before, learns it; B still nothing.
        _ = try stationC.registry.reportIn(release.label, on: day("2026-07-08"), factory: &stationC.factory)
        _ = try stationC.registry.recordLocated(release.label, on: day("2026-07-09"), factory: &stationC.factory)
        let fromC = try await stationC.sync(server, token: tokenC)
        #expect(fromC.created == 2 && fromC.rejected.isEmpty)
        _ = try await stationA.sync(server, token: tokenA)
        _ = try await stationB.sync(server, token: tokenB)
        #expect(try Self.kinds(stationA.registry, release.id).suffix(2) == ["reported_in", "located"])
        #expect(try stationB.registry.eventCount() == 0)
        for registry in [server.registry, stationA.registry, stationC.registry] {
            let figures = try Self.figures(registry, scope: Self.c, on: "2026-07-10")
            #expect(
                figures.supervised == 1 && figures.reportedIn == 1 && figures.arrivalOverdue == 0
                    && figures.whereaboutsUnknown == 0 && figures.contactsOnTime == 1)
            #expect(try Self.worklist(registry, unit: "79", on: "2026-07-10") == [])
        }
    }
}
