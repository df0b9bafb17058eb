import Foundation
import GRDB
import Testing

@testable import DragnetCore

/// Issue 14: a page is found by looking at the log index (`PullLogIndex`) in chunks, judging each record once by its
/// number, reading a backfill only when the person named has events at or before the cursor, and copying each
/// event's JSON kept once written. The pages must be what the old scan gave (`pullRows` with every fact read afresh,
/// the events encoded with `JSONEncoder`) whatever the chunk, and the hand-worked pages below must come out.
@Suite struct PullLogIndexTests {
    let central: TestRegistry
    var a: TestRegistry, b: TestRegistry, c: TestRegistry
    var pushed: [String: Int64] = [:]

    init() throws {
        central = try TestRegistry(unit: "central", role: .central)
        a = try TestRegistry(unit: "79.26734")
        b = try TestRegistry(unit: "79.26737")
        c = try TestRegistry(unit: "01.00004")
    }

    /// Pushes what `station` recorded since its last push to the central, as a sync does.
    mutating func push(_ station: TestRegistry) throws {
        let unit = station.registry.unit.rawValue
        let waiting = try station.registry.station.outbox(after: pushed[unit] ?? 0, limit: 500)
        let outcomes = try central.registry.receive(waiting.map(\.event), policy: .central(now: TestRegistry.now))
        #expect(outcomes.allSatisfy { if case .rejected = $0 { false } else { true } }, "pushed: \(outcomes)")
        pushed[unit] = waiting.last?.sequence ?? pushed[unit]
    }

    func page(_ scope: String, horizon: Int64?, after cursor: Int64, limit: Int) throws -> (
        sequences: [Int64], next: Int64, more: Bool
    ) {
        let page = try central.registry.central.pull(
            after: cursor, scope: UnitCode(scope)!, horizon: horizon.map { PullHorizon(sequence: $0, arrivals: false) },
            limit: limit)
        return (page.events.map(\.sequence), page.next, page.more)
    }

    func keptCount() -> Int { central.registry.pullLogIndex.mutex.withLock { $0.encodedCount } }

    /// Worked by hand. Ward 79.26734 records TN-1 (person 1, opening 2), closes it (3), then TN-2 (person 4,
    /// opening 5). Ward 79.26737 first pulls with the log at 5 (its horizon): TN-1 closed at 3 ≤ 5 is withheld with
    /// its person; TN-2 and its person are sent.
    @Test func pagesWorkedByHandAndTheirJSONKeptOnce() throws {
        var s = self
        _ = try s.a.wanted("TN-1", opened: "2020-01-01", name: "Lê Văn Một")
        _ = try s.a.registry.closeWanted(
            "79.26734/TN-1", as: .arrested, on: day("2020-03-01"), actingUnit: nil, factory: &s.a.factory)
        _ = try s.a.wanted("TN-2", opened: "2020-02-01", name: "Trần Văn Hai")
        try s.push(s.a)
        #expect(s.keptCount() == 0)
        // 500 a page: entries 1–3 are not for this ward; 4 and 5 are. Nothing after 5: more is false.
        let whole = try s.page("79.26737", horizon: 5, after: 0, limit: 500)
        #expect(whole.sequences == [4, 5] && whole.next == 5 && !whole.more)
        #expect(s.keptCount() == 2, "the JSON of events 4 and 5, written for this page, is kept")
        // One a page: 4 fills the first page, whose window still holds 5 (more). The second page's opening (5) names
        // person 4, who has an event at the cursor (4): it is sent again before the opening (the backfill).
        let first = try s.page("79.26737", horizon: 5, after: 0, limit: 1)
        #expect(first.sequences == [4] && first.next == 4 && first.more)
        let second = try s.page("79.26737", horizon: 5, after: 4, limit: 1)
        #expect(second.sequences == [4, 5] && second.next == 5 && !second.more)
        // Headquarters see all five; their JSON is then kept, and the same page is the same bytes again.
        let before = try s.central.registry.central.pullJSON(after: 0, scope: UnitCode("79")!, limit: 500)
        #expect(before.count == 5 && before.next == 5 && !before.more)
        #expect(s.keptCount() == 5)
        let again = try s.central.registry.central.pullJSON(after: 0, scope: UnitCode("79")!, limit: 500)
        #expect(again.body(head: nil, mark: nil) == before.body(head: nil, mark: nil))
        #expect(s.keptCount() == 5, "nothing written twice")
    }

    /// Worked by hand: the window's edge. Ward 79.26734 registers 20 release cases (a person and a registration
    /// each: 40 events), none of which ward 79.26737 may see. With `limit` 1 a page looks at 40 entries: from 0 it
    /// looks at all 40 and, its window full, says more (as the old scan did: it cannot know the log ends there);
    /// from 1 it looks at the 39 left and says no more.
    @Test func aFullWindowSaysMoreAndTheLogsEndDoesNot() throws {
        var s = self
        for number in 1...20 { _ = try s.a.release("DX-\(number)", on: "2020-05-01") }
        try s.push(s.a)
        #expect(CentralState.scanLimit(1) == 40)
        let full = try s.page("79.26737", horizon: 40, after: 0, limit: 1)
        #expect(full.sequences == [] && full.next == 40 && full.more)
        let after = try s.page("79.26737", horizon: 40, after: 40, limit: 1)
        #expect(after.sequences == [] && after.next == 40 && !after.more)
        let short = try s.page("79.26737", horizon: 40, after: 1, limit: 1)
        #expect(short.sequences == [] && short.next == 40 && !short.more)
        for chunk in [1, 7, 2_000] {
            for cursor in [0, 1, 39, 40] as [Int64] {
                try s.compare(UnitCode("79.26737")!, horizon: 40, after: cursor, limit: 1, chunk: chunk)
            }
        }
    }

    /// Every page of `scope` after `cursor`, taken `chunk` entries of the index at a time, against the old scan;
    /// with the horizon withholding the cases that arrived closed and without.
    func compare(_ scope: UnitCode, horizon sequence: Int64?, after cursor: Int64, limit: Int, chunk: Int) throws {
        for arrivals in [false, true] {
            try compare(
                scope, horizon: sequence.map { PullHorizon(sequence: $0, arrivals: arrivals) }, after: cursor,
                limit: limit, chunk: chunk)
        }
    }

    func compare(_ scope: UnitCode, horizon: PullHorizon?, after cursor: Int64, limit: Int, chunk: Int) throws {
        var next = cursor
        var pages = 0
        while true {
            let served = try central.registry.central.pullJSON(
                after: next, scope: scope, horizon: horizon, limit: limit, chunk: chunk)
            let before = try central.registry.central.pullRows(
                after: next, scope: scope, horizon: horizon, limit: limit, kept: false)
            let expected = try SyncWire.encoder().encode(
                SyncWire.PullResponse(
                    events: try before.rows.map {
                        .init(sequence: $0[0], event: try EventCoding.event(from: $0, offset: 1))
                    },
                    next: before.next, more: before.more))
            #expect(
                String(decoding: served.body(head: nil, mark: nil), as: UTF8.self)
                    == String(decoding: expected, as: UTF8.self),
                "scope \(scope) horizon \(String(describing: horizon)) after \(next) limit \(limit) chunk \(chunk)")
            next = served.next
            pages += 1
            if !served.more || pages > 200 { break }
        }
    }

    /// Closings, a retraction that reopens a case, a transfer and new stations' horizons, with chunks of 1, 3 and
    /// 2,000 entries.
    @Test func pagesAreTheOldScansWhateverTheChunk() throws {
        var s = self
        _ = try s.a.wanted("TN-1", opened: "2020-01-01", name: "Lê Văn Một")
        _ = try s.a.registry.closeWanted(
            "79.26734/TN-1", as: .arrested, on: day("2020-03-01"), actingUnit: nil, factory: &s.a.factory)
        _ = try s.a.wanted("TN-2", opened: "2020-02-01", name: "Trần Văn Hai")
        _ = try s.a.wanted("TN-3", opened: "2020-02-02", name: "Phạm Văn Ba")
        _ = try s.a.release("DX-1", on: "2020-05-01")
        _ = try s.b.wanted("TN-9", opened: "2020-01-05", name: "Đỗ Thị Chín")
        _ = try s.b.registry.closeWanted(
            "79.26737/TN-9", as: .surrendered, on: day("2020-04-01"), actingUnit: nil, factory: &s.b.factory)
        _ = try s.c.wanted("TN-5", opened: "2020-01-07", name: "Hoàng Văn Năm")
        _ = try s.c.wanted("TN-6", opened: "2020-01-08", name: "Vũ Văn Sáu")
        let six = try s.c.registry.closeWanted(
            "01.00004/TN-6", as: .arrested, on: day("2020-03-08"), actingUnit: nil, factory: &s.c.factory)
        try s.push(s.a)
        try s.push(s.b)
        try s.push(s.c)
        let first = try s.central.registry.central.logHead()?.sequence ?? 0
        _ = try s.a.registry.closeWanted(
            "79.26734/TN-3", as: .arrested, on: day("2020-07-01"), actingUnit: nil, factory: &s.a.factory)
        _ = try s.a.registry.transferRelease(
            "79.26734/DX-1", to: UnitCode("79.26737")!, on: day("2020-07-02"), factory: &s.a.factory)
        _ = try s.c.registry.retract(
            try #require(six.closing?.eventID), reason: "wrong person", factory: &s.c.factory)
        _ = try s.c.wanted("TN-7", opened: "2020-07-03", name: "Ngô Văn Bảy")
        try s.push(s.a)
        try s.push(s.c)
        let second = try s.central.registry.central.logHead()?.sequence ?? 0
        #expect(second > first && first > 10)
        for scope in ["79.26734", "79.26737", "01.00004", "79"].map({ UnitCode($0)! }) + [UnitCode.national] {
            for horizon in [nil, 0, first, second] as [Int64?] {
                for cursor in [0, first] {
                    for limit in [2, 500] {
                        for chunk in [1, 3, 2_000] {
                            try s.compare(scope, horizon: horizon, after: cursor, limit: limit, chunk: chunk)
                        }
                    }
                }
            }
        }
    }
}
