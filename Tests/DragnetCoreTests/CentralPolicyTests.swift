import Foundation
import Testing

@testable import DragnetCore

/// The central server's policy for pushed events (`AppendPolicy.central`, `Checker.ownView`): what a station could
/// know is judged, what is wrong only together with another unit's events is kept, and the answer does not depend on
/// which station synced first. The scenarios are a review's (session 5), worked out by hand in each test.
@Suite struct CentralPolicyTests {
    static let a = "79.26734", b = "79.26737", c = "79.26740"

    /// A central registry, and factories for three communes.
    struct Scene {
        let central: Registry
        var units: [String: EventFactory] = [:]
        let person = UUID(), wanted = UUID()

        init() throws {
            central = try TestRegistry(unit: "79", role: .central).registry
            for unit in [CentralPolicyTests.a, CentralPolicyTests.b, CentralPolicyTests.c] {
                units[unit] = TestRegistry.factory(unit: unit)
            }
        }

        mutating func make(_ unit: String, _ payload: EventPayload, record: UUID, kind: RecordKind, on date: String)
            -> Event
        {
            units[unit]!.make(payload, record: record, kind: kind, on: LocalDate(date)!)
        }

        /// Unit A registers the person and opens the wanted case with decision D-1 on 2020-01-01.
        mutating func opening() -> [Event] {
            let details = PersonDetails(fullName: "Lê Văn A", birthDate: .year(1980), sex: .male, nationalID: nil)
            let opening = WantedOpening(
                personID: person, caseRef: "TN-1", ownerUnit: UnitCode(CentralPolicyTests.a)!, danger: .ordinary,
                abroad: false, decision: Decision(number: "D-1", issuedBy: "", offense: "Điều 173"))
            return [
                make(CentralPolicyTests.a, .personRegistered(details), record: person, kind: .person, on: "2020-01-01"),
                make(CentralPolicyTests.a, .wantedOpened(opening), record: wanted, kind: .wanted, on: "2020-01-01"),
            ]
        }

        mutating func closing(_ unit: String, _ kind: ClosingKind = .arrested, on date: String) -> Event {
            make(unit, .wantedClosed(kind: kind, actingUnit: UnitCode(unit)!), record: wanted, kind: .wanted, on: date)
        }

        func push(_ events: [Event]) throws -> [AppendOutcome] {
            try central.receive(events, policy: .central(now: TestRegistry.now))
        }
    }

    static func isCreated(_ outcome: AppendOutcome) -> Bool {
        if case .created = outcome { return true }
        return false
    }

    /// B closes on 02-01; A closes on 03-01 (a conflict with B's: kept); A closes again on 04-01. A's second closing
    /// is A's own second closing: A's station refuses it, and so must the server, although on the whole record it
    /// is only a conflict with B's first closing.
    @Test func aUnitsOwnSecondClosingIsRefusedBehindAnotherUnitsClosing() throws {
        var s = try Scene()
        #expect(try s.push(s.opening()).allSatisfy(Self.isCreated))
        #expect(try s.push([s.closing(Self.b, on: "2020-02-01")]).allSatisfy(Self.isCreated))
        #expect(try s.push([s.closing(Self.a, on: "2020-03-01")]).allSatisfy(Self.isCreated), "a conflict, kept")
        let again = try s.push([s.closing(Self.a, .died, on: "2020-04-01")])
        #expect(
            again == [
                .rejected(
                    "79.26734/TN-1, closing \"died 2020-04-01\": 79.26734/TN-1 was already closed on 2020-03-01: arrested by 79.26734"
                )
            ])
    }

    /// B closes on 02-01; A attaches D-1 again on 03-01. On the whole record it is "after the closing"; on A's own
    /// events it is "already attached": refused, as A's station refuses it.
    @Test func aDecisionAttachedTwiceIsRefusedBehindAnotherUnitsClosing() throws {
        var s = try Scene()
        #expect(try s.push(s.opening()).allSatisfy(Self.isCreated))
        #expect(try s.push([s.closing(Self.b, on: "2020-02-01")]).allSatisfy(Self.isCreated))
        let again = s.make(
            Self.a, .decisionAdded(Decision(number: "D-1", issuedBy: "", offense: "")), record: s.wanted,
            kind: .wanted, on: "2020-03-01")
        #expect(
            try s.push([again])
                == [.rejected("79.26734/TN-1, decision_no \"D-1\": this decision is already attached to the case")])
    }

    /// A closes on 03-01; B retracts A's closing; A (having pulled the retraction) attaches D-2 on 05-01; C closes on
    /// 04-01. A's decision is right on what A knew (its closing retracted): created whether C's closing arrives
    /// first or last, and C's closing too.
    @Test func theAnswerDoesNotDependOnWhoSyncsFirst() throws {
        for cFirst in [true, false] {
            var s = try Scene()
            #expect(try s.push(s.opening()).allSatisfy(Self.isCreated))
            let closingA = s.closing(Self.a, on: "2020-03-01")
            #expect(try s.push([closingA]).allSatisfy(Self.isCreated))
            let retraction = s.make(
                Self.b, .retracted(eventID: closingA.id, reason: "entered by mistake"), record: s.wanted, kind: .wanted,
                on: "2020-03-02")
            #expect(try s.push([retraction]).allSatisfy(Self.isCreated))
            let decision = s.make(
                Self.a, .decisionAdded(Decision(number: "D-2", issuedBy: "", offense: "")), record: s.wanted,
                kind: .wanted, on: "2020-05-01")
            let closingC = s.closing(Self.c, on: "2020-04-01")
            let order = cFirst ? [closingC, decision] : [decision, closingC]
            #expect(try s.push(order).allSatisfy(Self.isCreated), "C first: \(cFirst)")
        }
    }

    /// A push of [an event on a record never created (refused), the creation of that record as a person]: the refused
    /// event leaves nothing behind, so the registration is created.
    @Test func aRefusedEventLeavesNoRecordBehind() throws {
        var s = try Scene()
        let record = UUID()
        let stray = s.make(
            Self.a, .decisionAdded(Decision(number: "D-9", issuedBy: "", offense: "")), record: record, kind: .wanted,
            on: "2020-01-01")
        let details = PersonDetails(fullName: "Trần Thị B", birthDate: nil, sex: .female, nationalID: nil)
        let registration = s.make(
            Self.a, .personRegistered(details), record: record, kind: .person, on: "2020-01-01")
        let outcomes = try s.push([stray, registration])
        #expect(outcomes.count == 2)
        #expect(!Self.isCreated(outcomes[0]), "never opened: \(outcomes[0])")
        #expect(Self.isCreated(outcomes[1]), "\(outcomes[1])")
    }
}
