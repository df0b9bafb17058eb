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

        /// The station's horizon, as its pull after `cursor` sets it the first time (`first`: a new station's).
        func horizon(after cursor: Int64 = 0, first: Bool = true) throws -> PullHorizon {
            try central.registry.central.pullHorizon(
                for: PullHorizonTests.station, after: cursor, first: first, now: TestRegistry.now)
        }

        /// Everything the station pulls after `cursor`, page by page, with `horizon`.
        func pulled(after cursor: Int64 = 0, horizon: PullHorizon?) throws -> (events: [Event], next: Int64) {
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

        /// The station pulls first (a new station's horizon, on the empty log); then the owner records TN-1 opened
        /// and arrested and pushes both in one push; the station's pull does not get it (it arrived closed).
        mutating func caseThatArrivedClosed() throws -> ArrivedClosed {
            let horizon = try horizon()
            let wanted = try owner.wanted("TN-1", opened: "2020-01-01")
            let closed = try owner.registry.closeWanted(
                "79.26734/TN-1", as: .arrested, on: day("2020-03-01"), actingUnit: nil, factory: &owner.factory)
            let position = try push()
            let first = try pulled(horizon: horizon)
            #expect(!first.events.contains { $0.recordID == wanted.id }, "arrived closed: withheld")
            return ArrivedClosed(
                horizon: horizon, wanted: wanted, closingID: try #require(closed.closing?.eventID), position: position,
                next: first.next)
        }
    }

    /// What `caseThatArrivedClosed` made: the horizon, the case, its closing, the owner's outbox position, the
    /// station's cursor after its pull.
    struct ArrivedClosed {
        let horizon: PullHorizon
        let wanted: WantedCase
        let closingID: UUID
        let position: Int64
        let next: Int64
    }

    @Test func aCaseClosedBeforeTheFirstPullIsNotSentNorItsPerson() throws {
        var s = try Scene()
        let closed = try s.owner.wanted("TN-1", opened: "2020-01-01", name: "Lê Văn Đóng")
        _ = try s.owner.registry.closeWanted(
            "79.26734/TN-1", as: .arrested, on: day("2020-03-01"), actingUnit: nil, factory: &s.owner.factory)
        let open = try s.owner.wanted("TN-2", opened: "2020-02-01", name: "Trần Văn Mở")
        try s.push()
        let horizon = try s.horizon()
        #expect(
            horizon == PullHorizon(sequence: try s.head(), arrivals: true),
            "a new station's first pull (after 0) sets the horizon at the head of the log")
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
        let horizon = try s.horizon(after: 1, first: false)
        #expect(horizon == PullHorizon(sequence: 0, arrivals: false))
        #expect(try s.pulled(horizon: horizon).events.contains { $0.recordID == wanted.id })
    }

    // MARK: Cases that reach the central already closed

    /// A case pushed with its closing in one push (one write: an import's history) after the station's first pull
    /// was never open at the central: when the station could first have pulled it, it was closed. Not sent, nor its
    /// person. A case opened in one push and closed in a later one was open between them: sent with its closing.
    /// Worked by hand: the station pulls first (empty log: horizon 0, arrivals withheld); then push 1 holds TN-1
    /// opened and closed and TN-2 opened (persons, openings, closing: one write), push 2 TN-2's closing.
    @Test func aCasePushedAlreadyClosedAfterTheFirstPullIsNotSent() throws {
        var s = try Scene()
        let horizon = try s.horizon()
        #expect(horizon == PullHorizon(sequence: 0, arrivals: true), "a new station's first pull, on an empty log")
        let closed = try s.owner.wanted("TN-1", opened: "2020-01-01", name: "Lê Văn Đóng")
        _ = try s.owner.registry.closeWanted(
            "79.26734/TN-1", as: .arrested, on: day("2020-03-01"), actingUnit: nil, factory: &s.owner.factory)
        let later = try s.owner.wanted("TN-2", opened: "2020-02-01", name: "Trần Văn Sau")
        let position = try s.push()
        _ = try s.owner.registry.closeWanted(
            "79.26734/TN-2", as: .arrested, on: day("2020-04-01"), actingUnit: nil, factory: &s.owner.factory)
        try s.push(after: position)
        let pulled = try s.pulled(horizon: horizon).events
        let records = Set(pulled.map(\.recordID))
        #expect(!records.contains(closed.id), "opened and closed in one write after the horizon: withheld")
        #expect(!records.contains(closed.personID), "nor its person alone")
        #expect(
            pulled.filter { $0.recordID == later.id }.map(\.kind) == [.wantedOpened, .wantedClosed],
            "open at the central between the two pushes: sent with its closing")
        #expect(records.contains(later.personID))
        // The same log, to a unit whose horizon was set by an older client or after a cursor: the closing is after
        // its horizon, and it does not withhold arrivals: both cases are sent, as before this rule.
        let older = PullHorizon(sequence: 0, arrivals: false)
        #expect(Set(try s.pulled(horizon: older).events.map(\.recordID)).isSuperset(of: [closed.id, later.id]))
    }

    /// A case that arrived closed and was withheld, whose closing is then retracted, is open again: the retraction
    /// comes with the case's earlier events (opening, closing) and its person before it.
    @Test func aRetractedClosingOfACaseThatArrivedClosedSendsItWhole() throws {
        var s = try Scene()
        let c = try s.caseThatArrivedClosed()
        _ = try s.owner.registry.retract(c.closingID, reason: "wrong person", factory: &s.owner.factory)
        try s.push(after: c.position)
        let second = try s.pulled(after: c.next, horizon: c.horizon)
        #expect(second.events.first?.recordID == c.wanted.personID, "the person first")
        #expect(
            second.events.filter { $0.recordID == c.wanted.id }.map(\.kind) == [
                .wantedOpened, .wantedClosed, .retracted,
            ])
    }

    /// A station that reads the log from its start again having pulled before (its central log changed) may hold
    /// a case open that the log it reads now holds opened and closed in one write (pushed again after a restore):
    /// its unit's horizon stops withholding arrivals, for good, and the case is sent with its closing.
    @Test func aStationReadingTheLogAgainIsSentCasesThatArrivedClosed() throws {
        var s = try Scene()
        let c = try s.caseThatArrivedClosed()
        let (horizon, wanted) = (c.horizon, c.wanted)
        // The station asks from 0 again, having pulled before: arrivals are no longer withheld; the sequence stays.
        let again = try s.horizon(after: 0, first: false)
        #expect(again == PullHorizon(sequence: horizon.sequence, arrivals: false))
        #expect(try s.horizon() == again, "kept so, even for a later first pull")
        let kinds = try s.pulled(horizon: again).events.filter { $0.recordID == wanted.id }.map(\.kind)
        #expect(kinds == [.wantedOpened, .wantedClosed])
    }

    /// A station pulled past a case that arrived closed while its unit's horizon withheld arrivals; then another
    /// station of the unit read the log from 0 again (arrivals off). The case's closing is retracted: the first
    /// station is sent the case whole all the same (it never held it).
    @Test func aReopenedCaseIsSentWholeAfterArrivalsWereTurnedOff() throws {
        var s = try Scene()
        let c = try s.caseThatArrivedClosed()
        let off = try s.horizon(after: 0, first: false)
        #expect(!off.arrivals)
        _ = try s.owner.registry.retract(c.closingID, reason: "wrong person", factory: &s.owner.factory)
        try s.push(after: c.position)
        let second = try s.pulled(after: c.next, horizon: off)
        #expect(
            second.events.filter { $0.recordID == c.wanted.id }.map(\.kind) == [
                .wantedOpened, .wantedClosed, .retracted,
            ])
    }

    /// The first pull of a station that has pulled before (no `first`) sets the head as its horizon, as before
    /// this rule, without withholding arrivals.
    @Test func aFirstPullWithoutFirstKeepsTheHorizonRuleAlone() throws {
        var s = try Scene()
        _ = try s.owner.wanted("TN-1", opened: "2020-01-01")
        try s.push()
        #expect(try s.horizon(first: false) == PullHorizon(sequence: try s.head(), arrivals: false))
    }
}
