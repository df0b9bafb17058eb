import Foundation
import GRDB
import Testing

@testable import DragnetCore

/// Issue 14: a pull page is written from the stored columns (`PulledPageJSON`), the log scanned in memory
/// (`PullLogIndex`) with the facts of visibility kept across pulls (`PullFacts`). What a station pulls must be exactly what it pulled before: the same events in the same
/// order, the same bytes as `JSONEncoder` wrote for the decoded page, judged with every fact read afresh from the
/// database (as before: the log's rows scanned, the facts read afresh) — for several scopes and horizons, page by page, before and after the log
/// changes under facts already kept (a case closed, a closing retracted, a release transferred).
@Suite struct PulledPageJSONTests {
    struct Owner {
        var station: TestRegistry
        var pushed: Int64 = 0
    }

    let central: TestRegistry
    var a: Owner, b: Owner, c: Owner

    init() throws {
        central = try TestRegistry(unit: "central", role: .central)
        a = Owner(station: try TestRegistry(unit: "79.26734"))
        b = Owner(station: try TestRegistry(unit: "79.26737"))
        c = Owner(station: try TestRegistry(unit: "01.00004"))
    }

    /// Pushes what `owner` recorded since its last push to the central, as a sync does.
    func push(_ owner: inout Owner) throws {
        let waiting = try owner.station.registry.station.outbox(after: owner.pushed, limit: 500)
        let outcomes = try central.registry.receive(waiting.map(\.event), policy: .central(now: TestRegistry.now))
        #expect(outcomes.allSatisfy { if case .rejected = $0 { false } else { true } }, "pushed: \(outcomes)")
        owner.pushed = waiting.last?.sequence ?? owner.pushed
    }

    static let scopes = ["79.26734", "79.26737", "01.00004", "79"].map { UnitCode($0)! } + [UnitCode.national]

    /// Every page after `cursor` for `scope` and `horizon`: as served now (kept facts, JSON from the columns) and as
    /// before (every fact read here, the events decoded and encoded with `JSONEncoder`). Returns the pages' bytes.
    func comparePages(
        scope: UnitCode, horizon sequence: Int64?, arrivals: Bool = false, after cursor: Int64, limit: Int
    )
        throws -> [Event]
    {
        let horizon = sequence.map { PullHorizon(sequence: $0, arrivals: arrivals) }
        var next = cursor
        var events: [Event] = []
        while true {
            let served = try central.registry.central.pullJSON(
                after: next, scope: scope, horizon: horizon, limit: limit)
            let before = try central.registry.central.pullRows(
                after: next, scope: scope, horizon: horizon, limit: limit, kept: false)
            let decoded = SyncWire.PullResponse(
                events: try before.rows.map {
                    .init(sequence: $0[0], event: try EventCoding.event(from: $0, offset: 1))
                },
                next: before.next, more: before.more)
            let expected = try SyncWire.encoder().encode(decoded)
            let body = String(decoding: served.body(head: nil, mark: nil), as: UTF8.self)
            #expect(
                body == String(decoding: expected, as: UTF8.self),
                "scope \(scope) horizon \(String(describing: horizon)) after \(next)")
            events += decoded.events.map(\.event)
            next = served.next
            if !served.more { break }
        }
        return events
    }

    func compareAll(horizons: [Int64?], cursors: [Int64]) throws {
        for scope in Self.scopes {
            for horizon in horizons {
                for cursor in cursors {
                    for limit in [2, 500] {
                        for arrivals in [false, true] {
                            _ = try comparePages(
                                scope: scope, horizon: horizon, arrivals: arrivals, after: cursor, limit: limit)
                        }
                    }
                }
            }
        }
    }

    func head() throws -> Int64 { try central.registry.central.logHead()?.sequence ?? 0 }

    @Test func pagesAreWhatTheyWereBeforeAcrossScopesHorizonsAndChangesOfTheLog() throws {
        var (a, b, c) = (self.a, self.b, self.c)
        // Stage 1: open and closed cases of three units, release cases.
        _ = try a.station.wanted("TN-1", opened: "2020-01-01", name: "Lê Văn Một")
        _ = try a.station.registry.closeWanted(
            "79.26734/TN-1", as: .arrested, on: day("2020-03-01"), actingUnit: nil, factory: &a.station.factory)
        _ = try a.station.wanted("TN-2", opened: "2020-02-01", name: "Trần Văn Hai")
        let three = try a.station.wanted("TN-3", opened: "2020-02-02", name: "Phạm Văn Ba")
        _ = try a.station.release("DX-1", on: "2020-05-01")
        _ = try a.station.release("DX-2", on: "2020-05-02")
        _ = try b.station.wanted("TN-9", opened: "2020-01-05", name: "Đỗ Thị Chín")
        _ = try b.station.registry.closeWanted(
            "79.26737/TN-9", as: .surrendered, on: day("2020-04-01"), actingUnit: nil, factory: &b.station.factory)
        _ = try b.station.release("DX-9", on: "2020-06-01")
        _ = try c.station.wanted("TN-5", opened: "2020-01-07", name: "Hoàng Văn Năm")
        _ = try c.station.wanted("TN-6", opened: "2020-01-08", name: "Vũ Văn Sáu")
        let six = try c.station.registry.closeWanted(
            "01.00004/TN-6", as: .arrested, on: day("2020-03-08"), actingUnit: nil, factory: &c.station.factory)
        try push(&a)
        try push(&b)
        try push(&c)
        let first = try head()
        // Every event in log order for headquarters of the whole country, checked against the rows themselves.
        let all = try comparePages(scope: UnitCode.national, horizon: nil, after: 0, limit: 3)
        let rows = try central.registry.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM event ORDER BY seq")
        }
        // Pages of 3 repeat a person's events before a case that names them (the backfill, docs/protocol.md):
        // each event counts at its first arrival.
        var seen = Set<UUID>()
        #expect(all.filter { seen.insert($0.id).inserted }.map(\.id.lowercased) == rows)
        #expect(all.count > rows.count, "pages of 3 repeat some events")
        try compareAll(horizons: [nil, 0, first / 2, first], cursors: [0, first / 3])

        // Stage 2, with the facts of stage 1 kept: TN-3 closed, TN-6's closing retracted, DX-1 transferred to B.
        _ = try a.station.registry.closeWanted(
            "79.26734/TN-3", as: .arrested, on: day("2020-07-01"), actingUnit: nil, factory: &a.station.factory)
        _ = try a.station.registry.transferRelease(
            "79.26734/DX-1", to: UnitCode("79.26737")!, on: day("2020-07-02"), factory: &a.station.factory)
        _ = try c.station.registry.retract(
            try #require(six.closing?.eventID), reason: "wrong person", factory: &c.station.factory)
        _ = try c.station.wanted("TN-7", opened: "2020-07-03", name: "Ngô Văn Bảy")
        try push(&a)
        try push(&c)
        let second = try head()
        try compareAll(horizons: [nil, 0, first, second], cursors: [0, first])
        // The kept facts moved with the log: a station whose horizon is the new head does not get TN-3 any more.
        let late = try comparePages(scope: UnitCode("01.00004")!, horizon: second, after: 0, limit: 500)
        #expect(!late.contains { $0.recordID == three.id }, "TN-3 closed before this horizon")
        let early = try comparePages(scope: UnitCode("01.00004")!, horizon: first, after: 0, limit: 500)
        #expect(early.contains { $0.recordID == three.id }, "TN-3 closed after this horizon: sent with its closing")
    }

    @Test func theWholeAnswerIsWhatTheEncoderWrites() throws {
        var owner = a
        _ = try owner.station.wanted("TN-1", opened: "2020-01-01", name: "Nguyễn \"Tý\" \\ Văn")
        try push(&owner)
        let page = try central.registry.central.pullJSON(after: 0, scope: UnitCode("79")!, limit: 500)
        for (head, mark) in [
            (SyncWire.LogMark?.none, SyncWire.LogMark?.none),
            (SyncWire.LogMark(sequence: 2, fingerprint: "9f2c"), SyncWire.LogMark(sequence: 1, fingerprint: nil)),
        ] {
            let decoded = try JSONDecoder().decode(
                SyncWire.PullResponse.self, from: Data(page.body(head: head, mark: mark)))
            #expect(decoded.head == head && decoded.mark == mark && decoded.events.count == 2)
            #expect(page.body(head: head, mark: mark) == Array(try SyncWire.encoder().encode(decoded)))
        }
    }
}
