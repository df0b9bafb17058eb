import Foundation
import GRDB
import Testing

@testable import DragnetCore

/// A group of events judged as one whole (`Checker.judgeAll`: an officer's command, an import row) and refused by
/// its last event leaves the batch as it was before the group: the records it changed go back, the records it
/// brought in are forgotten, and the next event is judged as if the group had never come.
@Suite("A refused group of events leaves the batch as before")
struct CheckerRollbackTests {
    @Test("a closing in a refused group is undone, and the person it brought in is forgotten")
    func refusedGroupIsUndone() throws {
        // Station A: person X, case TN-1 opened on 2026-01-05 (two events), then closed by arrest (one event).
        var a = try TestRegistry()
        let first = try a.wanted("TN-1", opened: "2026-01-05", name: "Nguyễn Văn X")
        _ = try a.registry.closeWanted(
            first.label, as: .arrested, on: day("2026-02-01"), actingUnit: nil, factory: &a.factory)
        let aEvents = try a.registry.station.outbox(after: 0, limit: 100).map(\.event)
        #expect(aEvents.count == 3)
        // Station B of the same unit: person Y and another case under the same name TN-1 (two events).
        var b = try TestRegistry()
        let second = try b.wanted("TN-1", opened: "2026-01-10", name: "Trần Văn Y")
        let bEvents = try b.registry.station.outbox(after: 0, limit: 100).map(\.event)
        #expect(bEvents.count == 2)

        let judge = try TestRegistry()
        try judge.registry.write { db in
            let checker = Checker(policy: .strict, stored: StoredRecords(db: db))
            // X and the opening of TN-1 are taken in.
            #expect(try checker.judgeAll(Array(aEvents[0..<2])) == nil)
            // The closing, then Y and the second TN-1 of the same unit: the last is refused, so the whole group is.
            let problem = try checker.judgeAll([aEvents[2]] + bEvents)
            #expect(problem != nil, "a second case named TN-1 in the same unit was accepted")
            #expect(checker.batch.accepted.map(\.id) == aEvents[0..<2].map(\.id))
            // TN-1 is open again: the closing of the refused group is undone.
            guard case .wanted(let wanted)? = try checker.batch.record(first.id, kind: .wanted).folded.state else {
                Issue.record("case TN-1 is not held")
                return
            }
            #expect(wanted.closing == nil, "the closing of the refused group is still in the case")
            #expect(try checker.batch.events(ofRecord: first.id).count == 1)
            // Y and the second case are not held.
            #expect(checker.batch.records[second.personID] == nil)
            #expect(checker.batch.records[second.id] == nil)
            // The closing alone is accepted afterwards, as if the group had never come.
            #expect(try checker.judgeAll([aEvents[2]]) == nil)
            #expect(checker.batch.accepted.count == 3)
        }
    }

    @Test("a refused group of 41 cases and their persons (more than the batch scans in a list) is undone whole")
    func largeRefusedGroupIsUndone() throws {
        // Station A: 41 wanted cases, TN-1 … TN-41, each with a new person: 82 events, 82 records.
        var a = try TestRegistry()
        for n in 1...41 { _ = try a.wanted("TN-\(n)", opened: "2026-01-05", name: "Nguyễn Văn \(n)") }
        let aEvents = try a.registry.station.outbox(after: 0, limit: 1000).map(\.event)
        #expect(aEvents.count == 82)
        // Station B of the same unit: another case named TN-41, whose opening the group ends with.
        var b = try TestRegistry()
        _ = try b.wanted("TN-41", opened: "2026-01-10", name: "Trần Văn Y")
        let bEvents = try b.registry.station.outbox(after: 0, limit: 100).map(\.event)

        let judge = try TestRegistry()
        try judge.registry.write { db throws in
            let checker = Checker(policy: .strict, stored: StoredRecords(db: db))
            #expect(try checker.judgeAll(aEvents + bEvents) != nil, "a second TN-41 in the same unit was accepted")
            #expect(checker.batch.accepted.isEmpty)
            #expect(checker.batch.records.isEmpty, "\(checker.batch.records.count) records of the refused group held")
            let seventh = CaseReference(unit: judge.registry.unit, ref: "TN-7")
            #expect(try checker.batch.held(.wanted, named: seventh).isEmpty)
            // The same 82 events alone are accepted afterwards.
            #expect(try checker.judgeAll(aEvents) == nil)
            #expect(checker.batch.accepted.count == 82)
        }
    }
}
