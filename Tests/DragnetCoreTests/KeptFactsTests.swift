import Foundation
import GRDB
import Testing

@testable import DragnetCore

/// The facts kept in memory (`KeptFacts`) follow every write: after each kind of event they equal what a full read
/// of the tables gives, and what folding the whole log again gives, and the reports served from them equal the
/// reports computed from those.
@Suite("Kept facts: brought up to date by every write")
struct KeptFactsTests {
    static let scopes = ["*", "79", "79.26734", "79.26737", "01"]
    static let periods: [Period] = [
        try! Period.year(2025), try! Period.year(2026), try! Period.quarter(2, of: 2026),
        try! Period.month(9, of: 2026),
    ]
    static let observed = LocalDate("2026-11-26")!

    /// A station whose officers record events, and a central registry that receives them as a push.
    struct Pair {
        var station: TestRegistry
        let central: TestRegistry
        var pushed: Int64 = 0

        init() throws {
            station = try TestRegistry()
            central = try TestRegistry(unit: "central", role: .central)
            // Both keep their facts from the start, so that every later change goes through the write path.
            try station.registry.figures.prepare()
            try central.registry.figures.prepare()
        }

        /// Pushes what the station recorded since the last push, as the central endpoint receives it.
        mutating func push() throws {
            let outbox = try station.registry.station.outbox(after: pushed, limit: 500)
            let outcomes = try central.registry.receive(
                outbox.map(\.event), policy: .central(now: Timestamp("2026-11-26T12:00:00Z")!))
            for outcome in outcomes {
                guard case .created = outcome else {
                    Issue.record("the push was not stored: \(outcome)")
                    return
                }
            }
            pushed = outbox.last?.sequence ?? pushed
        }

        /// Pushes, and checks that the central brought the reports in use to the new state by the cases the push
        /// touched, counting no other case again (issue 12: a push's cost does not grow with the registry).
        mutating func pushChangingReports(sourceLocation: SourceLocation = #_sourceLocation) throws {
            let cache = central.registry.figuresCache
            let before = (full: cache.fullCounts, changed: cache.changedCounts)
            try push()
            #expect(cache.fullCounts == before.full, "a push counted every case again", sourceLocation: sourceLocation)
            #expect(
                cache.changedCounts == before.changed + FiguresCache.advanceLimit,
                "the reports in use (\(scopes.count * periods.count), of which the latest \(FiguresCache.advanceLimit) are brought along) were not changed by the push",
                sourceLocation: sourceLocation)
        }

        /// Checks both registries.
        func check(_ step: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            try KeptFactsTests.check(station.registry, step, sourceLocation: sourceLocation)
            try KeptFactsTests.check(central.registry, step + " (central)", sourceLocation: sourceLocation)
        }
    }

    /// The kept facts equal the tables' and the log's, and every report from them equals the report computed from a
    /// full read; the facts were read from the tables only once (the rest came from the writes).
    static func check(_ registry: Registry, _ step: String, sourceLocation: SourceLocation) throws {
        let kept = try registry.figures.currentFacts().facts
        let tables = try registry.figures.readFacts()
        // The same read on three lanes over ranges of a few row ids: the same facts in the same order.
        let lanes = try FactReader(registry: registry).read(plan: .init(lanes: 3, partsPerTable: 4))
        let sameOnLanes = lanes.wanted == tables.wanted && lanes.releases == tables.releases
        #expect(sameOnLanes, "\(step): the facts read on three lanes differ", sourceLocation: sourceLocation)
        let folded = try registry.figures.facts(asOf: Timestamp("2099-01-01T00:00:00Z")!)
        func sortedWanted(_ facts: [WantedFacts]) -> [WantedFacts] {
            facts.sorted { $0.caseID.uuidString < $1.caseID.uuidString }
        }
        func sortedReleases(_ facts: [ReleaseFacts]) -> [ReleaseFacts] {
            facts.sorted { $0.caseID.uuidString < $1.caseID.uuidString }
        }
        #expect(sortedWanted(kept.wanted) == sortedWanted(tables.wanted), "\(step)", sourceLocation: sourceLocation)
        #expect(
            sortedReleases(kept.releases) == sortedReleases(tables.releases), "\(step)",
            sourceLocation: sourceLocation)
        #expect(sortedWanted(kept.wanted) == sortedWanted(folded.wanted), "\(step)", sourceLocation: sourceLocation)
        #expect(
            sortedReleases(kept.releases) == sortedReleases(folded.releases), "\(step)",
            sourceLocation: sourceLocation)
        #expect(registry.keptFacts.reads == 1, "\(step): the facts were read again", sourceLocation: sourceLocation)

        let targets = try registry.figures.targetBook()
        let intervals = try registry.figures.intervalBook()
        for scope in scopes {
            for period in periods {
                let unit = UnitCode(scope: scope)!
                let served = try registry.figures.planReport(
                    scope: unit, period: period, asOf: nil, observedOn: observed)
                let body = try registry.figures.planReportJSON(
                    scope: unit, period: period, asOf: nil, observedOn: observed)
                let expected = PlanMetrics.compute(
                    wanted: tables.wanted, releases: tables.releases, scope: unit, from: period.from, to: period.to,
                    asOf: nil, targets: targets,
                    supervision: .init(on: period.supervisionDay(observedOn: observed), intervals: intervals))
                #expect(served == expected, "\(step): \(scope) \(period)", sourceLocation: sourceLocation)
                #expect(
                    body == (try expected.jsonData()), "\(step): \(scope) \(period)", sourceLocation: sourceLocation)
                // The report's JSON written by hand is the encoder's, byte for byte (rates null and not, rows with
                // and without supervision, every step's counts).
                #expect(
                    body == (try OrderedJSONEncoder().encode(expected)), "\(step): \(scope) \(period)",
                    sourceLocation: sourceLocation)
            }
        }
        // A registry opened afresh on the same file reads everything from the tables: the same reports.
        let fresh = try Registry.open(at: registry.path)
        for scope in scopes {
            let unit = UnitCode(scope: scope)!
            let period = try Period.year(2026)
            #expect(
                try fresh.figures.planReport(scope: unit, period: period, asOf: nil, observedOn: observed)
                    == registry.figures.planReport(scope: unit, period: period, asOf: nil, observedOn: observed),
                "\(step): \(scope)", sourceLocation: sourceLocation)
        }
    }

    @Test("after commands, pushes, retractions, transfers, supervision events and a rebuild, the kept facts are right")
    func everyKindOfEvent() throws {
        var pair = try Pair()
        try pair.check("empty")

        let tn1 = try pair.station.wanted("TN-1", opened: "2025-03-01")
        let tn2 = try pair.station.wanted("TN-2", opened: "2026-02-01", name: "Lê Văn C")
        let dx1 = try pair.station.release("DX-1", on: "2025-06-01")
        _ = try pair.station.release("TD-1", type: .earlyRelease, on: "2026-01-10", probation: "2027-01-10")
        try pair.pushChangingReports()
        try pair.check("opened and registered")
        // By hand: in 2026, TN-1 is an existing case (opened 2025, open), TN-2 a new one; DX-1 and TD-1 are followed.
        let year = try pair.central.registry.figures.planReport(
            scope: UnitCode("79")!, period: Period.year(2026), asOf: nil, observedOn: Self.observed)
        #expect(year.wanted.existing.count == 1 && year.wanted.existing.open == 1)
        #expect(year.wanted.new.count == 1)
        #expect(year.reoffending.population == 2)

        _ = try pair.station.registry.closeWanted(
            "79.26734/TN-1", as: .arrested, on: LocalDate("2026-05-01")!, actingUnit: nil,
            factory: &pair.station.factory)
        try pair.pushChangingReports()
        try pair.check("closed")
        let closed = try pair.central.registry.figures.planReport(
            scope: UnitCode("79")!, period: Period.year(2026), asOf: nil, observedOn: Self.observed)
        #expect(closed.wanted.existing.arrested == 1 && closed.wanted.existing.open == 0)

        let closing = try #require(try pair.station.registry.records.wantedCase("79.26734/TN-1").closing)
        _ = try pair.station.registry.retract(closing.eventID, reason: "wrong person", factory: &pair.station.factory)
        try pair.pushChangingReports()
        try pair.check("closing retracted")
        let reopened = try pair.central.registry.figures.planReport(
            scope: UnitCode("79")!, period: Period.year(2026), asOf: nil, observedOn: Self.observed)
        #expect(reopened.wanted.existing.arrested == 0 && reopened.wanted.existing.open == 1)

        _ = try pair.station.registry.transferRelease(
            "79.26734/TD-1", to: UnitCode("79.26737")!, on: LocalDate("2026-03-01")!, factory: &pair.station.factory)
        try pair.pushChangingReports()
        try pair.check("transferred")
        let moved = try pair.central.registry.figures.planReport(
            scope: UnitCode("79.26737")!, period: Period.year(2026), asOf: nil, observedOn: Self.observed)
        #expect(moved.reoffending.population == 1)

        _ = try pair.station.registry.reportIn(
            "79.26734/TD-1", on: LocalDate("2026-03-03")!, factory: &pair.station.factory)
        _ = try pair.station.registry.recordContact(
            "79.26734/TD-1", kind: .homeVisit, note: nil, on: LocalDate("2026-04-01")!, factory: &pair.station.factory)
        _ = try pair.station.registry.recordMissing(
            "79.26734/TD-1", note: nil, on: LocalDate("2026-05-03")!, factory: &pair.station.factory)
        try pair.pushChangingReports()
        try pair.check("supervision")

        // TD-1's person becomes wanted, then is arrested: the supervision figures' `wanted_open` follows the wanted
        // case of another record. By hand: on the supervision day (2026-11-26) TD-1 is open and 79.26737's (the
        // transfer), and TN-9 (opened 2026-10-01) is open that day, so 79.26737 counts 1 supervised, 1 wanted open;
        // after the arrest on 2026-11-01, 0 wanted open. 79.26734 (which owns TN-9) supervises nobody that day.
        let td1 = try pair.station.registry.records.releaseCase("79.26734/TD-1")
        _ = try pair.station.registry.openWanted(
            person: .existing(td1.registration.personID), caseRef: "TN-9", ownerUnit: UnitCode("79.26734")!,
            danger: .ordinary, abroad: false, decision: Decision(number: "9/QĐ", issuedBy: "PC02", offense: "Điều 173"),
            decisionDate: LocalDate("2026-10-01")!, releaseCase: td1.label, factory: &pair.station.factory)
        try pair.pushChangingReports()
        try pair.check("a supervised person wanted")
        func supervision(_ scope: String) throws -> PlanReport.SupervisionReport? {
            try pair.central.registry.figures.planReport(
                scope: UnitCode(scope)!, period: Period.year(2026), asOf: nil, observedOn: Self.observed
            ).supervision
        }
        #expect(try supervision("79.26737")?.supervised == 1)
        #expect(try supervision("79.26737")?.wantedOpen.count == 1)
        #expect(try supervision("79")?.wantedOpen.count == 1)
        _ = try pair.station.registry.closeWanted(
            "79.26734/TN-9", as: .arrested, on: LocalDate("2026-11-01")!, actingUnit: nil,
            factory: &pair.station.factory)
        try pair.pushChangingReports()
        try pair.check("the supervised person arrested")
        #expect(try supervision("79.26737")?.wantedOpen.count == 0)
        #expect(try supervision("79.26737")?.supervised == 1)

        _ = try pair.station.registry.endRelease(
            "79.26734/DX-1", as: .reoffended, on: LocalDate("2026-09-24")!, offense: "Điều 171",
            reference: "BA 12/2026",
            factory: &pair.station.factory)
        _ = try pair.station.registry.attachDecision(
            "79.26734/TN-2", decision: Decision(number: "D-0", issuedBy: "PC02", offense: "Điều 173"),
            date: LocalDate("2025-12-01")!, factory: &pair.station.factory)
        try pair.pushChangingReports()
        try pair.check("reoffended, an older decision")
        let later = try pair.central.registry.figures.planReport(
            scope: UnitCode("79")!, period: Period.year(2026), asOf: nil, observedOn: Self.observed)
        // TN-2 now opened in 2025: TN-1 and TN-2 are existing cases; TN-9 (opened 2026-10-01) the one new case;
        // DX-1 reoffended in 2026.
        #expect(later.wanted.existing.count == 2 && later.wanted.new.count == 1)
        #expect(later.reoffending.reoffended == 1)

        // A registration retracted: the case's facts go.
        _ = try pair.station.wanted("TN-3", opened: "2026-06-01", name: "Phạm Văn D")
        try pair.pushChangingReports()
        try pair.check("a third case")
        let tn3 = try pair.station.registry.records.wantedCase("79.26734/TN-3")
        let opening = try #require(try pair.station.registry.records.history(of: tn3.id).first?.event)
        _ = try pair.station.registry.retract(opening.id, reason: "recorded twice", factory: &pair.station.factory)
        try pair.pushChangingReports()
        try pair.check("registration retracted")
        #expect(try pair.central.registry.figures.currentFacts().facts.wanted.count == 3)  // TN-1, TN-2, TN-9

        // The transfer retracted: TD-1 is 79.26734's again, and 79.26737, with no case left, is no longer a row of
        // province 79's report (a row counted down to nothing goes, as in a report counted afresh).
        let transfer = try #require(
            try pair.station.registry.records.history(of: td1.id).first {
                if case .transferred = $0.event.payload { return true }
                return false
            }?.event)
        _ = try pair.station.registry.retract(transfer.id, reason: "wrong unit", factory: &pair.station.factory)
        try pair.pushChangingReports()
        try pair.check("transfer retracted")
        let rows = try pair.central.registry.figures.planReport(
            scope: UnitCode("79")!, period: Period.year(2026), asOf: nil, observedOn: Self.observed
        ).units.map(\.unit.rawValue)
        #expect(rows == ["79.26734"])

        // A rebuild derives everything again without an event.
        try pair.station.registry.rebuildProjections()
        try pair.central.registry.rebuildProjections()
        try pair.check("rebuilt")
        _ = (tn1, tn2, dx1)
    }

    @Test("a write that rolls back leaves the kept facts as they were")
    func rollback() throws {
        var pair = try Pair()
        _ = try pair.station.wanted("TN-1", opened: "2025-03-01")
        try pair.push()  // no report asked for yet: nothing to bring along
        try pair.check("before")
        _ = try pair.station.release("DX-1", on: "2025-06-01")
        let outbox = try pair.station.registry.station.outbox(after: pair.pushed, limit: 500)
        struct Abandoned: Error {}
        #expect(throws: Abandoned.self) {
            try pair.central.registry.write { db in
                _ = try pair.central.registry.receive(
                    outbox.map(\.event), policy: .central(now: Timestamp("2026-11-26T12:00:00Z")!), in: db)
                throw Abandoned()
            }
        }
        #expect(try pair.central.registry.figures.currentFacts().facts.releases.isEmpty)
        // A command refused by a rule stores nothing and changes nothing.
        #expect(throws: DragnetError.self) {
            _ = try pair.station.registry.closeWanted(
                "79.26734/TN-1", as: .arrested, on: LocalDate("2025-01-01")!, actingUnit: nil,
                factory: &pair.station.factory)
        }
        try pair.check("after the rollback")
        try pair.pushChangingReports()
        try pair.check("pushed again")
        #expect(try pair.central.registry.figures.currentFacts().facts.releases.count == 1)
    }

    @Test("a write by another connection (another process) makes the next request read the tables again")
    func otherWriter() throws {
        var station = try TestRegistry()
        try station.registry.figures.prepare()
        _ = try station.wanted("TN-1", opened: "2025-03-01")
        // The same file opened again, as `dragnet` run beside a server would: its writes are not this registry's.
        let other = try Registry.open(at: station.registry.path)
        var factory = station.factory
        _ = try other.closeWanted(
            "79.26734/TN-1", as: .arrested, on: LocalDate("2026-05-01")!, actingUnit: nil, factory: &factory)
        let facts = try station.registry.figures.currentFacts().facts
        #expect(facts.wanted.first?.closing?.kind == .arrested)
        #expect(station.registry.keptFacts.reads == 2)
    }

    @Test("the kept chunks: setting, replacing and removing keep one fact per id")
    func factTable() {
        var table = FactTable<Int>()
        let ids = (0..<10_000).map { _ in UUID() }
        for (n, id) in ids.enumerated() { table.set(id, n) }
        let snapshot = table.chunks
        for (n, id) in ids.enumerated() where n % 3 == 0 { table.set(id, nil) }
        for (n, id) in ids.enumerated() where n % 3 == 1 { table.set(id, -n) }
        #expect(FactTable.flatten(snapshot).sorted() == Array(0..<10_000))  // the reader's copy is untouched
        let expected = (0..<10_000).filter { $0 % 3 != 0 }.map { $0 % 3 == 1 ? -$0 : $0 }.sorted()
        #expect(FactTable.flatten(table.chunks).sorted() == expected)
        #expect(table.count == expected.count)
        for (n, id) in ids.enumerated() { #expect(table.fact(id) == (n % 3 == 0 ? nil : n % 3 == 1 ? -n : n)) }
    }
}
