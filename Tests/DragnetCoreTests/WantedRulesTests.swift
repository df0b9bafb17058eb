import Foundation
import Testing

@testable import DragnetCore

/// The rules of SPEC §4 for wanted cases, each with a passing and a failing case, through a real SQLite file.
@Suite struct WantedRulesTests {
    @Test func aDateMayBeTheDayAfterRecordingButNotLater() throws {
        var t = try TestRegistry()
        // Recorded on 2026-11-26: 2026-11-27 is allowed for clock skew, 2026-11-28 is not.
        _ = try t.wanted("TN-1", opened: "2026-11-27")
        expectRefusal("decision_date \"2026-11-28\"", "later than the day it was recorded") {
            _ = try t.wanted("TN-2", opened: "2026-11-28", name: "Lê Văn C")
        }
    }

    @Test func aDateMayNotBeBeforeTheBirthDate() throws {
        var t = try TestRegistry()
        _ = try t.wanted("TN-1", opened: "1990-05-01", birth: "1990-05-01")
        expectRefusal("decision_date \"1990-04-30\"", "before the person's birth date 1990-05-01") {
            _ = try t.wanted("TN-2", opened: "1990-04-30", birth: "1990-05-01", name: "Lê Văn C")
        }
    }

    @Test func aYearOnlyBirthAllowsAnyDayOfThatYear() throws {
        var t = try TestRegistry()
        _ = try t.wanted("TN-1", opened: "1990-01-01", birth: "1990")
        expectRefusal("\"1989-12-31\"", "before the person's birth date 1990") {
            _ = try t.wanted("TN-2", opened: "1989-12-31", birth: "1990", name: "Lê Văn C")
        }
    }

    @Test func aClosingIsOnOrAfterTheOpening() throws {
        var t = try TestRegistry()
        let a = try t.wanted("TN-1", opened: "2020-03-01")
        let closed = try t.registry.closeWanted(
            a.label, as: .arrested, on: day("2020-03-01"), actingUnit: nil, factory: &t.factory)
        #expect(closed.closing?.date == day("2020-03-01"))
        let b = try t.wanted("TN-2", opened: "2020-03-01", name: "Lê Văn C")
        expectRefusal("79.26734/TN-2, closing_date \"2020-02-29\"", "before the case's opening on 2020-03-01") {
            _ = try t.registry.closeWanted(
                b.label, as: .arrested, on: day("2020-02-29"), actingUnit: nil, factory: &t.factory)
        }
    }

    @Test func aCaseClosesOnce() throws {
        var t = try TestRegistry()
        let a = try t.wanted(opened: "2020-01-01")
        _ = try t.registry.closeWanted(
            a.label, as: .arrested, on: day("2020-03-01"), actingUnit: UnitCode("01.00004"), factory: &t.factory)
        expectRefusal("79.26734/TN-1 was already closed on 2020-03-01: arrested by 01.00004") {
            _ = try t.registry.closeWanted(
                a.label, as: .surrendered, on: day("2020-04-01"), actingUnit: nil, factory: &t.factory)
        }
        #expect(try t.registry.records.wantedCase(a.label).closing?.kind == .arrested)
    }

    @Test func nothingIsRecordedAfterTheClosing() throws {
        var t = try TestRegistry()
        let a = try t.wanted(opened: "2020-01-01")
        _ = try t.registry.closeWanted(a.label, as: .died, on: day("2020-06-01"), actingUnit: nil, factory: &t.factory)
        // A decision dated on the closing day is still accepted; one dated the day after is not.
        let sameDay = try t.registry.attachDecision(
            a.label, decision: Decision(number: "D-2", issuedBy: "", offense: ""), date: day("2020-06-01"),
            factory: &t.factory)
        #expect(sameDay.decisions.count == 2)
        expectRefusal("decision_date \"2020-06-02\"", "after the case was closed on 2020-06-01") {
            _ = try t.registry.attachDecision(
                a.label, decision: Decision(number: "D-3", issuedBy: "", offense: ""), date: day("2020-06-02"),
                factory: &t.factory)
        }
    }

    @Test func aPersonHasAtMostOneOpenCaseAndIsWantedAgainInANewCase() throws {
        var t = try TestRegistry()
        let first = try t.wanted("TN-1", opened: "2019-01-01")
        let person = PersonChoice.existing(first.personID)
        let decision = Decision(number: "D-9", issuedBy: "", offense: "")
        expectRefusal("already has an open wanted case 79.26734/TN-1") {
            _ = try t.registry.openWanted(
                person: person, caseRef: "TN-2", ownerUnit: t.registry.unit, danger: .ordinary, abroad: false,
                decision: decision, decisionDate: day("2020-01-01"), factory: &t.factory)
        }
        _ = try t.registry.closeWanted(
            first.label, as: .arrested, on: day("2019-06-01"), actingUnit: nil,
            factory: &t.factory)
        let second = try t.registry.openWanted(
            person: person, caseRef: "TN-2", ownerUnit: t.registry.unit, danger: .ordinary, abroad: false,
            decision: decision, decisionDate: day("2020-01-01"), factory: &t.factory)
        #expect(second.personID == first.personID && second.id != first.id && second.closing == nil)
    }

    @Test func aCaseReferenceIsUsedOncePerUnit() throws {
        var t = try TestRegistry()
        _ = try t.wanted("TN-1", opened: "2020-01-01")
        expectRefusal("case_ref \"TN-1\"", "already has a wanted case with this reference") {
            _ = try t.wanted("TN-1", opened: "2020-01-02", name: "Lê Văn C")
        }
    }

    @Test func aStationRegistersCasesOnlyForItselfAndBelow() throws {
        var t = try TestRegistry(unit: "79")
        _ = try t.wanted("TN-1", opened: "2020-01-01", unit: "79.26734")
        expectRefusal("unit \"80.1\"", "79 can register cases only for itself") {
            _ = try t.wanted("TN-2", opened: "2020-01-01", unit: "80.1", name: "Lê Văn C")
        }
    }

    @Test func withdrawingEveryDecisionClosesTheCaseAsStruckOff() throws {
        var t = try TestRegistry()
        let a = try t.wanted(opened: "2020-01-01")
        _ = try t.registry.attachDecision(
            a.label, decision: Decision(number: "D-2", issuedBy: "", offense: ""), date: day("2020-02-01"),
            factory: &t.factory)
        let one = try t.registry.withdrawDecision(
            a.label, number: "D-1", date: day("2020-03-01"), reason: "duplicate", factory: &t.factory)
        #expect(one.closing == nil)
        let both = try t.registry.withdrawDecision(
            a.label, number: "D-2", date: day("2020-04-01"), reason: "voided", factory: &t.factory)
        #expect(both.closing?.kind == .struckOff)
        #expect(both.closing?.date == day("2020-04-01"))
        expectRefusal("decision_no \"D-2\"", "no decision with this number") {
            _ = try t.registry.withdrawDecision(
                a.label, number: "D-2", date: day("2020-04-01"), reason: "again", factory: &t.factory)
        }
    }

    @Test func aDecisionNumberIsAttachedOnce() throws {
        var t = try TestRegistry()
        let a = try t.wanted(opened: "2020-01-01")
        expectRefusal("decision_no \"D-1\"", "already attached") {
            _ = try t.registry.attachDecision(
                a.label, decision: Decision(number: "D-1", issuedBy: "", offense: ""), date: day("2020-02-01"),
                factory: &t.factory)
        }
    }

    @Test func anEarlierDecisionFoundLaterMovesTheOpeningDate() throws {
        var t = try TestRegistry()
        let a = try t.wanted(opened: "2020-05-01")
        let updated = try t.registry.attachDecision(
            a.label, decision: Decision(number: "D-0", issuedBy: "", offense: ""), date: day("2019-11-30"),
            factory: &t.factory)
        #expect(updated.openedOn == day("2019-11-30"))
    }
}
