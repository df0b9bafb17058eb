import Foundation
import Testing

@testable import DragnetCore

/// `held=a-b,c-d` (docs/protocol.md): the runs of sequence numbers at which the server stored a station's own events;
/// a pull does not send those back, and nothing else changes.
@Suite struct HeldRunsTests {
    @Test func theQueryIsReadAndWrittenBack() throws {
        let runs = try #require(HeldRuns(query: "1-2,5,7-9"))
        #expect(runs.runs == [1...2, 5...5, 7...9])
        #expect(runs.query == "1-2,5,7-9")
        #expect([1, 2, 5, 7, 8, 9].allSatisfy(runs.contains))
        #expect(![0, 3, 4, 6, 10].contains(where: runs.contains))
        #expect(runs.after(5).runs == [7...9], "the runs that end after the cursor")
        #expect(runs.after(7).runs == [8...9], "from the number after it on")
    }

    @Test(arguments: ["", "a", "1-", "-3", "1-2-3", "1,,2", "1 ", "+1", "1234567890123456789"])
    func aMalformedQueryIsRefused(query: String) {
        #expect(HeldRuns(query: Substring(query)) == nil, "\(query)")
    }

    /// Runs out of order, overlapping or written high-low are put in order and joined.
    @Test func runsAreOrderedAndJoined() {
        #expect(HeldRuns(query: "9-7,1-3,3-4,5,12")?.runs == [1...5, 7...9, 12...12])
        #expect(HeldRuns(query: "0")?.runs == [0...0])
    }

    @Test func atMostMaxRuns() {
        let many = (1...HeldRuns.maxRuns + 1).map { "\($0 * 2)" }.joined(separator: ",")
        #expect(HeldRuns(query: Substring(many)) == nil)
        let enough = (1...HeldRuns.maxRuns).map { "\($0 * 2)" }.joined(separator: ",")
        #expect(HeldRuns(query: Substring(enough))?.runs.count == HeldRuns.maxRuns)
    }

    /// Worked by hand: ward 79.26734 pushes TN-1 (person, opening: seq 1-2), ward 79.26737 TN-2 (seq 3-4), then
    /// 79.26734 closes TN-1 (seq 5). 79.26734's pull naming `1-2,5` gets only 3-4; naming nothing, all 5; the cursor is
    /// 5 either way. Through the kept facts and through the database alike.
    @Test func heldEventsAreNotSentAndTheCursorMovesPastThem() throws {
        let central = try TestRegistry(unit: "central", role: .central)
        var owner = try TestRegistry(unit: "79.26734")
        var other = try TestRegistry(unit: "79.26737")
        func push(_ station: TestRegistry, after: Int64) throws -> Int64 {
            let waiting = try station.registry.station.outbox(after: after, limit: 500)
            let outcomes = try central.registry.receive(waiting.map(\.event), policy: .central(now: TestRegistry.now))
            #expect(outcomes.allSatisfy { if case .created = $0 { true } else { false } }, "\(outcomes)")
            return waiting.last?.sequence ?? after
        }
        _ = try owner.wanted("TN-1", opened: "2020-01-01")
        let position = try push(owner, after: 0)
        _ = try other.wanted("TN-2", opened: "2020-01-02")
        _ = try push(other, after: 0)
        _ = try owner.registry.closeWanted(
            "79.26734/TN-1", as: .arrested, on: day("2020-03-01"), actingUnit: nil, factory: &owner.factory)
        _ = try push(owner, after: position)
        let scope = UnitCode("79.26734")!
        let held = try #require(HeldRuns([1...2, 5...5]))
        let all = try central.registry.central.pull(after: 0, scope: scope)
        #expect(all.events.map(\.sequence) == [1, 2, 3, 4, 5] && all.next == 5)
        let page = try central.registry.central.pull(after: 0, scope: scope, held: held)
        #expect(page.events.map(\.sequence) == [3, 4] && page.next == 5 && !page.more)
        let rows = try central.registry.central.pullRows(
            after: 0, scope: scope, horizon: nil, limit: 500, held: held, kept: false)
        #expect(rows.rows.map { $0[0] as Int64 } == [3, 4] && rows.next == 5)
    }

    /// A held event still brings what it brings into view. Worked by hand: ward 79.26737 registers person P (seq 1)
    /// and pushes; ward 79.26734 corrects P's details (seq 2). 79.26737 pulls: P is in no case it sees, so nothing;
    /// cursor 2. 79.26737 opens a wanted case on P (seq 3) and pulls naming `1,3`: its opening is not sent, but the
    /// opening brings P into view, so P's events up to the cursor come before it, the correction with them: [1, 2].
    @Test func aHeldEventStillBringsWhatItBringsIntoView() throws {
        let central = try TestRegistry(unit: "central", role: .central)
        var ward = try TestRegistry(unit: "79.26737")
        var other = TestRegistry.factory(unit: "79.26734")
        func push(_ events: [Event]) throws {
            let outcomes = try central.registry.receive(events, policy: .central(now: TestRegistry.now))
            #expect(outcomes.allSatisfy { if case .created = $0 { true } else { false } }, "\(outcomes)")
        }
        let details = PersonDetails(fullName: "Phạm Văn Tư", birthDate: .year(1980), sex: .male, nationalID: nil)
        let person = try ward.registry.registerPerson(details, factory: &ward.factory)
        try push(try ward.registry.station.outbox(after: 0, limit: 10).map(\.event))
        var corrected = details
        corrected.fullName = "Phạm Văn Tứ"
        try push([other.make(.personAmended(corrected), record: person, kind: .person, on: day("2026-11-20"))])
        let scope = UnitCode("79.26737")!
        let first = try central.registry.central.pull(after: 0, scope: scope, held: try #require(HeldRuns([1...1])))
        #expect(first.events.isEmpty && first.next == 2)
        let opened = try ward.registry.openWanted(
            person: .existing(person), caseRef: "TN-4", ownerUnit: scope, danger: .ordinary, abroad: false,
            decision: Decision(number: "QĐ-4", issuedBy: "PC02", offense: "Điều 173"), decisionDate: day("2020-01-01"),
            factory: &ward.factory)
        try push(try ward.registry.station.outbox(after: 1, limit: 10).map(\.event))
        let held = try #require(HeldRuns([1...1, 3...3]))
        let page = try central.registry.central.pull(after: 2, scope: scope, held: held)
        #expect(page.events.map(\.sequence) == [1, 2] && page.next == 3, "\(page.events.map(\.sequence))")
        #expect(!page.events.contains { $0.event.recordID == opened.id })
        let rows = try central.registry.central.pullRows(
            after: 2, scope: scope, horizon: nil, limit: 500, held: held, kept: false)
        #expect(rows.rows.map { $0[0] as Int64 } == [1, 2])
    }
}
