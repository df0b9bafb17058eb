import Foundation
import GRDB
import Synchronization
import Testing

@testable import DragnetCore
@testable import DragnetSynthetic

/// The facts of the figures read on several connections at once (`FactReader`): the same facts, in the same order, as
/// one scan of each table; started again when a write comes between the lanes' first reads; a damaged row still
/// named, whichever lane meets it.
@Suite("Facts read on several lanes")
struct FactReaderTests {
    static let one = FactReader.Plan(lanes: 1, partsPerTable: 1)
    static let several = FactReader.Plan(lanes: 3, partsPerTable: 5)

    /// A station holding 600 generated rows of province 79 and their supervision events.
    static func imported() throws -> TestRegistry {
        try TestRegistry.province(seed: 3, rows: 600, supervision: true)
    }

    @Test("several lanes over many parts give the facts one scan gives, in its order, and those of the log's fold")
    func severalLanesReadWhatOneDoes() throws {
        let t = try Self.imported()
        let single = try FactReader(registry: t.registry).read(plan: Self.one)
        let shared = try FactReader(registry: t.registry).read(plan: Self.several)
        #expect(shared.state == single.state)
        // Compared as one Bool each: a failure prints a sentence, not the thousand facts.
        let sameWanted = shared.wanted == single.wanted
        let sameReleases = shared.releases == single.releases
        #expect(sameWanted, "the wanted facts differ from one scan's, or their order does")
        #expect(sameReleases, "the release facts differ from one scan's, or their order does")
        // Every case once: the row-id ranges neither overlap nor leave a gap.
        let wantedCount = try t.registry.read { try Table(WantedCaseTable.tableName).fetchCount($0) }
        let releaseCount = try t.registry.read { try Table(ReleaseCaseTable.tableName).fetchCount($0) }
        #expect(shared.wanted.count == wantedCount && wantedCount > 100)
        #expect(shared.releases.count == releaseCount && releaseCount > 100)
        #expect(Set(shared.wanted.map(\.caseID)).count == wantedCount)
        // The data has what each column can hold: closings, endings, probation and supervision marks.
        #expect(shared.wanted.contains { $0.closing != nil } && shared.wanted.contains { $0.closing == nil })
        #expect(shared.releases.contains { $0.ending != nil } && shared.releases.contains { $0.probationUntil != nil })
        #expect(shared.releases.contains { !$0.marks.isEmpty })
        // Independently of both reads: the fold of the log gives the same facts.
        let folded = try t.registry.figures.facts(asOf: Timestamp("2099-01-01T00:00:00Z")!)
        let foldedWanted =
            shared.wanted.sorted { $0.caseID.uuidString < $1.caseID.uuidString }
            == folded.wanted.sorted { $0.caseID.uuidString < $1.caseID.uuidString }
        let foldedReleases =
            shared.releases.sorted { $0.caseID.uuidString < $1.caseID.uuidString }
            == folded.releases.sorted { $0.caseID.uuidString < $1.caseID.uuidString }
        #expect(foldedWanted, "the wanted facts differ from the log's fold")
        #expect(foldedReleases, "the release facts differ from the log's fold")
    }

    @Test("a write between two lanes' first reads makes the whole read start again, and it then holds the write")
    func aWriteBetweenTheLanesStartsAgain() throws {
        var t = try TestRegistry(unit: "79")
        _ = try t.wanted("TN-1", opened: "2026-01-05")
        let before = try t.registry.figures.derivedState()
        // Lane 1 waits until lane 0 has read its state, then records a second case before reading its own.
        let lane0Read = DispatchSemaphore(value: 0)
        let calls = Mutex<[String]>([])
        let registry = t.registry
        let factory = t.factory
        var reader = FactReader(registry: registry)
        reader.hook = { lane, moment in
            let first = calls.withLock { calls -> Bool in
                calls.append("\(lane) \(moment)")
                return calls.filter { $0 == "\(lane) \(moment)" }.count == 1
            }
            guard first else { return }
            switch (lane, moment) {
            case (0, .afterState): lane0Read.signal()
            case (1, .beforeTransaction):
                lane0Read.wait()
                var officer = factory
                _ = try? registry.openWanted(
                    person: .new(
                        PersonDetails(fullName: "Lê Văn C", birthDate: .year(1990), sex: .male, nationalID: nil)),
                    caseRef: "TN-2", ownerUnit: UnitCode("79")!, danger: .ordinary, abroad: false,
                    decision: Decision(number: "D-2", issuedBy: "PC02", offense: "Điều 173"),
                    decisionDate: LocalDate("2026-02-01")!, factory: &officer)
            default: break
            }
        }
        let read = try reader.read(plan: .init(lanes: 2, partsPerTable: 3))
        #expect(calls.withLock { $0.filter { $0 == "0 afterState" }.count } == 2, "the read did not start again")
        #expect(read.state > before)
        #expect(read.state == (try t.registry.figures.derivedState()))
        #expect(read.wanted.count == 2, "the case recorded between the lanes is in the facts")
    }

    @Test("when writes keep coming between the lanes' first reads, one lane reads everything at the fourth attempt")
    func writesBetweenLanesEveryTimeEndInOneLane() throws {
        var t = try TestRegistry(unit: "79")
        _ = try t.wanted("TN-1", opened: "2026-01-05")
        let registry = t.registry
        let factory = t.factory
        // Lane 1 of every shared attempt records a case after lane 0 has read its state.
        let lane0Read = DispatchSemaphore(value: 0)
        let recorded = Mutex(0)
        var reader = FactReader(registry: registry)
        reader.hook = { lane, moment in
            switch (lane, moment) {
            case (0, .afterState): lane0Read.signal()
            case (1, .beforeTransaction):
                lane0Read.wait()
                var officer = factory
                let n = recorded.withLock { n -> Int in
                    n += 1
                    return n
                }
                _ = try? registry.openWanted(
                    person: .new(
                        PersonDetails(fullName: "Lê Văn \(n)", birthDate: .year(1990), sex: .male, nationalID: nil)),
                    caseRef: "TN-X\(n)", ownerUnit: UnitCode("79")!, danger: .ordinary, abroad: false,
                    decision: Decision(number: "D-\(n)", issuedBy: "PC02", offense: "Điều 173"),
                    decisionDate: LocalDate("2026-02-01")!, factory: &officer)
            default: break
            }
        }
        let read = try reader.read(plan: .init(lanes: 2, partsPerTable: 3))
        // Three shared attempts, each spoiled by one case; the fourth, on one lane, holds all of them.
        #expect(recorded.withLock { $0 } == FactReader.Plan.attemptsShared)
        #expect(read.wanted.count == 1 + FactReader.Plan.attemptsShared)
        #expect(read.state == (try t.registry.figures.derivedState()))
    }

    @Test("a row that cannot be read fails the read, naming the table, whichever lane meets it")
    func aDamagedRowIsNamed() throws {
        let t = try Self.imported()
        // A month 13: the table's CHECK (digits only) lets it through, the date does not exist.
        try t.registry.database.write { db in
            try db.execute(
                sql: """
                    UPDATE wanted_case SET opened_on = '2020-13-01'
                    WHERE rowid = (SELECT rowid FROM wanted_case ORDER BY rowid LIMIT 1 OFFSET 150)
                    """)
        }
        for plan in [Self.one, Self.several] {
            expectRefusal("wanted_case cannot be read", "dragnet rebuild") {
                _ = try FactReader(registry: t.registry).read(plan: plan)
            }
        }
    }
}
