import Foundation
import Testing

@testable import DragnetCore

/// SPEC §7 (issue 14): a station sees other units' wanted cases while they are open (with the closing, so it learns
/// they closed), not those already closed when it first pulled — unless it recorded an event on them — and a case
/// reopened by a retracted closing is sent again. Each test stores events at a central registry as pushes do
/// (`receive`, central policy), fixes the station's horizon with `pullHorizon` as the server does at its first
/// pull, and looks at what `pull` sends.
@Suite struct PullHorizonTests {
    /// Ward 79.26737, the station whose pulls are looked at; its neighbour 79.26734 owns the cases.
    static let station = UnitCode("79.26737")!

    struct Scene {
        var central: TestRegistry
        var owner: TestRegistry

        init() throws {
            central = try TestRegistry(unit: "central", role: .central)
            owner = try TestRegistry(unit: "79.26734")
        }

        /// Pushes what the owner recorded since `after` (its outbox) to the central; returns the new outbox position.
        @discardableResult
        func push(after: Int64 = 0) throws -> Int64 {
            let waiting = try owner.registry.station.outbox(after: after, limit: 500)
            let outcomes = try central.registry.receive(
                waiting.map(\.event), policy: .central(now: TestRegistry.now))
            #expect(
                outcomes.allSatisfy { if case .rejected = $0 { false } else { true } }, "pushed: \(outcomes)")
            return waiting.last?.sequence ?? after
        }

        /// Pushes events recorded by another unit straight to the central.
        func pushOther(_ events: [Event]) throws {
            let outcomes = try central.registry.receive(events, policy: .central(now: TestRegistry.now))
            #expect(outcomes.allSatisfy { if case .rejected = $0 { false } else { true } }, "pushed: \(outcomes)")
        }

        /// The station's horizon, as its pull after `cursor` sets it the first time.
        func horizon(after cursor: Int64 = 0) throws -> Int64 {
            try central.registry.central.pullHorizon(
                for: PullHorizonTests.station, after: cursor, now: TestRegistry.now)
        }

        /// Everything the station pulls after `cursor`, page by page, with `horizon`.
        func pulled(after cursor: Int64 = 0, horizon: Int64?) throws -> (events: [Event], next: Int64) {
            var events: [Event] = []
            var next = cursor
            while true {
                let page = try central.registry.central.pull(
                    after: next, scope: PullHorizonTests.station, horizon: horizon, limit: 50)
                events += page.events.map(\.event)
                next = page.next
                if !page.more { break }
            }
            return (events, next)
        }

        /// The head of the central log now.
        func head() throws -> Int64 { try central.registry.central.logHead()?.sequence ?? 0 }
    }

    @Test func aCaseClosedBeforeTheFirstPullIsNotSentNorItsPerson() throws {
        var s = try Scene()
        let closed = try s.owner.wanted("TN-1", opened: "2020-01-01", name: "Lê Văn Đóng")
        _ = try s.owner.registry.closeWanted(
            "79.26734/TN-1", as: .arrested, on: day("2020-03-01"), actingUnit: nil, factory: &s.owner.factory)
        let open = try s.owner.wanted("TN-2", opened: "2020-02-01", name: "Trần Văn Mở")
        try s.push()
        let horizon = try s.horizon()
        #expect(horizon == (try s.head()), "the first pull (after 0) sets the horizon at the head of the log")
        let records = Set(try s.pulled(horizon: horizon).events.map(\.recordID))
        #expect(!records.contains(closed.id), "closed (seq ≤ horizon) before the first pull: withheld")
        #expect(!records.contains(closed.personID), "nor the person of a withheld case alone")
        #expect(records.contains(open.id) && records.contains(open.personID), "an open case and its person are sent")
        // Headquarters see everything, as before.
        let hq = Set(
            try s.central.registry.central.pull(after: 0, scope: UnitCode("79")!, limit: 500).events.map(
                \.event.recordID))
        #expect(hq.contains(closed.id))
    }

    @Test func aCaseOpenAtTheFirstPullAndClosedLaterIsSentWithItsClosing() throws {
        var s = try Scene()
        let wanted = try s.owner.wanted("TN-1", opened: "2020-01-01")
        var position = try s.push()
        let horizon = try s.horizon()
        let first = try s.pulled(horizon: horizon)
        #expect(first.events.contains { $0.recordID == wanted.id && $0.kind == .wantedOpened })
        _ = try s.owner.registry.closeWanted(
            "79.26734/TN-1", as: .arrested, on: day("2020-03-01"), actingUnit: nil, factory: &s.owner.factory)
        position = try s.push(after: position)
        #expect(try s.horizon(after: first.next) == horizon, "the horizon is kept from the first pull")
        let second = try s.pulled(after: first.next, horizon: horizon)
        #expect(second.events.map(\.kind) == [.wantedClosed], "the closing (seq > horizon) is sent")
        _ = position
    }

    @Test func aCaseTheStationClosedForAnotherUnitStays() throws {
        var s = try Scene()
        let wanted = try s.owner.wanted("TN-1", opened: "2020-01-01")
        try s.push()
        // Ward 79.26737 caught the fugitive: its own closing of 79.26734's case.
        var catcher = TestRegistry.factory(unit: "79.26737")
        let closing = catcher.make(
            .wantedClosed(kind: .arrested, actingUnit: Self.station), record: wanted.id, kind: .wanted,
            on: day("2020-03-01"))
        try s.pushOther([closing])
        // The station's first pull comes after (say it was restored from scratch): the case is closed at seq ≤ horizon.
        let horizon = try s.horizon()
        let records = try s.pulled(horizon: horizon).events
        #expect(records.contains { $0.id == closing.id }, "it recorded an event on the case: the case stays")
        #expect(records.contains { $0.recordID == wanted.id && $0.kind == .wantedOpened })
    }

    @Test func aRetractedClosingReopensTheCaseAndSendsItAgain() throws {
        var s = try Scene()
        let wanted = try s.owner.wanted("TN-1", opened: "2020-01-01")
        let closed = try s.owner.registry.closeWanted(
            "79.26734/TN-1", as: .arrested, on: day("2020-03-01"), actingUnit: nil, factory: &s.owner.factory)
        var position = try s.push()
        let horizon = try s.horizon()
        let first = try s.pulled(horizon: horizon)
        #expect(!first.events.contains { $0.recordID == wanted.id }, "closed before the first pull: withheld")
        // The arrest was recorded on the wrong person: the owner retracts it, the case is open again.
        let closingID = try #require(closed.closing?.eventID)
        _ = try s.owner.registry.retract(closingID, reason: "wrong person", factory: &s.owner.factory)
        position = try s.push(after: position)
        let second = try s.pulled(after: first.next, horizon: horizon)
        let kinds = second.events.filter { $0.recordID == wanted.id }.map(\.kind)
        // The retraction brings the case's earlier events (opening, closing) before it, and the person with them.
        #expect(kinds == [.wantedOpened, .wantedClosed, .retracted], "\(kinds)")
        #expect(second.events.first?.recordID == wanted.personID, "the person first")
        // Folded at the station, the case is open.
        let station = try TestRegistry(unit: "79.26737")
        _ = try station.registry.receive(second.events, policy: .merge)
        #expect(try station.registry.records.wantedCase(wanted.id.lowercased).closing == nil)
        _ = position
    }

    @Test func aStationThatPulledBeforeTheRuleKeepsReceivingWhatItDid() throws {
        var s = try Scene()
        let wanted = try s.owner.wanted("TN-1", opened: "2020-01-01")
        _ = try s.owner.registry.closeWanted(
            "79.26734/TN-1", as: .arrested, on: day("2020-03-01"), actingUnit: nil, factory: &s.owner.factory)
        try s.push()
        // Its first request seen by this server asks after a cursor: it has pulled before (it holds that history).
        let horizon = try s.horizon(after: 1)
        #expect(horizon == 0)
        #expect(try s.pulled(horizon: horizon).events.contains { $0.recordID == wanted.id })
    }
}
