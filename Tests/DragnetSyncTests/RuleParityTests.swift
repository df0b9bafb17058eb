import DragnetCore
import DragnetServer
import DragnetSync
import Foundation
import Testing

/// Every rule of SPEC §4 and docs/design.md run through the three ways an event reaches a registry — the officer's
/// command on a station, the import of a CSV file, the push to the central server — with the same verdict and the same
/// record, field, value and message on each (issue 10). The language these tests speak is in RuleParitySupport.swift.
///
/// Where a rule cannot arise on a path, a one-line comment says why. The import makes only person registrations,
/// wanted openings, decisions, closings, release registrations and endings, a new person for every new case, and
/// names a case by `case_ref` + `unit`; it never retracts, amends, withdraws or transfers. No command reuses an id or
/// names a record of another kind: for such events the station path is `Registry.record`, which every command ends in.
@Suite struct RuleParityTests {
    static let futureMessage = "is later than the day it was recorded (2026-11-26); dates in the future are refused"

    // MARK: - Rules an event breaks by itself

    /// SPEC §4: dates are not later than the recording day (+1 day for clock skew) — a wanted decision's date.
    @Test func aDecisionDatedLaterThanTheDayAfterRecordingIsRefused() async throws {
        var s = Scene()
        let p = s.person()
        let refusal = Refusal("79.26734/TN-1", "decision_date", "2026-11-28", Self.futureMessage)
        try expectCommand(s, .refused(refusal)) { try $0.wantedAdd(person: .existing(p), on: "2026-11-28") }
        try expectImport(s, .wanted, [wantedRow(ref: "TN-1", decisionDate: "2026-11-28")], .refused(refusal))
        try await expectPush(s, [s.opening(person: p, on: "2026-11-28")], [.rejected(refusal)])
    }

    /// SPEC §4: dates are not later than the recording day (+1) — a closing's date.
    @Test func aClosingDatedLaterThanTheDayAfterRecordingIsRefused() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        let refusal = Refusal("79.26734/TN-1", "closing_date", "2026-11-28", Self.futureMessage)
        try expectCommand(s, .refused(refusal)) { try $0.wantedClose("79.26734/TN-1", as: .arrested, on: "2026-11-28") }
        try expectImport(
            s, .wanted,
            [wantedRow(decisionDate: "2020-01-01", closing: "arrested", closingDate: "2026-11-28")], .refused(refusal))
        try await expectPush(s, [s.closing(c, on: "2026-11-28")], [.rejected(refusal)])
    }

    /// SPEC §4: dates are not later than the recording day (+1) — a release date.
    @Test func aReleaseDatedLaterThanTheDayAfterRecordingIsRefused() async throws {
        var s = Scene()
        let p = s.person()
        let refusal = Refusal("79.26734/DX-1", "released_on", "2026-11-28", Self.futureMessage)
        try expectCommand(s, .refused(refusal)) { try $0.releaseAdd(person: .existing(p), on: "2026-11-28") }
        try expectImport(s, .releases, [releaseRow(releasedOn: "2026-11-28")], .refused(refusal))
        try await expectPush(s, [s.releaseRegistration(person: p, on: "2026-11-28")], [.rejected(refusal)])
    }

    /// SPEC §4: dates are not later than the recording day (+1) — an ending's date.
    @Test func anEndingDatedLaterThanTheDayAfterRecordingIsRefused() async throws {
        var s = Scene()
        let r = s.release(person: s.person(), on: "2020-01-01")
        let refusal = Refusal("79.26734/DX-1", "ending_date", "2026-11-28", Self.futureMessage)
        try expectCommand(s, .refused(refusal)) { try $0.releaseEnd("79.26734/DX-1", as: .died, on: "2026-11-28") }
        try expectImport(
            s, .releases, [releaseRow(releasedOn: "2020-01-01", ending: "died", endingDate: "2026-11-28")],
            .refused(refusal))
        try await expectPush(s, [s.ending(r, .died, on: "2026-11-28")], [.rejected(refusal)])
    }

    /// SPEC §4 / design.md: one day after the recording day is allowed, for clock skew and Vietnam being UTC+7.
    @Test func aDateTheDayAfterRecordingIsAccepted() async throws {
        var s = Scene()
        let p = s.person()
        try expectCommand(s, .accepted) { try $0.wantedAdd(person: .existing(p), on: "2026-11-27") }
        try expectImport(s, .wanted, [wantedRow(decisionDate: "2026-11-27")], .accepted)
        try await expectPush(s, [s.opening(person: p, on: "2026-11-27")], [.created])
    }

    /// SPEC §3: a person's birth date is not in the future.
    @Test func aBirthDateInTheFutureIsRefused() async throws {
        let s = Scene()
        let refusal = Refusal("Nguyễn Văn A", "birth_date", "2030", "is in the future")
        try expectCommand(s, .refused(refusal)) {
            try $0.wantedAdd(person: .new(Scene.details(birth: "2030")), on: "2020-01-01")
        }
        try expectImport(s, .wanted, [wantedRow(birth: "2030", decisionDate: "2020-01-01")], .refused(refusal))
        var push = s
        try await expectPush(s, [push.registration(Scene.details(birth: "2030"))], [.rejected(refusal)])
    }

    /// EventRules: a person needs a name. (A blank name has no label: the record is named `person <id>`.)
    @Test func aPersonNeedsAName() async throws {
        let s = Scene()
        let refusal = Refusal(nil, "full_name", "", "a person needs a name")
        try expectCommand(s, .refused(refusal)) {
            try $0.wantedAdd(person: .new(Scene.details("")), on: "2020-01-01")
        }
        try expectImport(s, .wanted, [wantedRow(name: "", decisionDate: "2020-01-01")], .refused(refusal))
        var push = s
        try await expectPush(s, [push.registration(Scene.details(""))], [.rejected(refusal)])
    }

    /// EventRules: every event names the person who recorded it (`--author " "`).
    @Test func everyEventNamesItsAuthor() async throws {
        let s = Scene(author: " ")
        let refusal = Refusal("Nguyễn Văn A", "author", " ", "every event names the person who recorded it")
        try expectCommand(s, .refused(refusal)) { try $0.wantedAdd(person: .new(Scene.details()), on: "2020-01-01") }
        try expectImport(s, .wanted, [wantedRow(decisionDate: "2020-01-01")], .refused(refusal))
        var push = s
        try await expectPush(s, [push.registration()], [.rejected(refusal)])
    }

    /// EventRules: a case reference is not blank (nor starts or ends with a space: the import trims fields, so only
    /// the blank reference can be written in a file).
    @Test func aCaseReferenceIsNotBlank() async throws {
        var s = Scene()
        let p = s.person()
        let refusal = Refusal(
            "79.26734/", "case_ref", "", "a case reference must not be blank or start or end with a space")
        try expectCommand(s, .refused(refusal)) { try $0.wantedAdd("", person: .existing(p), on: "2020-01-01") }
        try expectImport(s, .wanted, [wantedRow(ref: "", decisionDate: "2020-01-01")], .refused(refusal))
        try await expectPush(s, [s.opening("", person: p, on: "2020-01-01")], [.rejected(refusal)])
    }

    /// EventRules: a case reference is on one line.
    @Test func aCaseReferenceIsOnOneLine() async throws {
        var s = Scene()
        let p = s.person()
        let refusal = Refusal("79.26734/TN\n1", "case_ref", "TN\n1", "a case reference must be on one line")
        try expectCommand(s, .refused(refusal)) { try $0.wantedAdd("TN\n1", person: .existing(p), on: "2020-01-01") }
        try expectImport(s, .wanted, [wantedRow(ref: "TN\n1", decisionDate: "2020-01-01")], .refused(refusal))
        try await expectPush(s, [s.opening("TN\n1", person: p, on: "2020-01-01")], [.rejected(refusal)])
    }

    /// EventRules: a wanted decision needs its number.
    @Test func aDecisionNeedsItsNumber() async throws {
        var s = Scene()
        let p = s.person()
        let refusal = Refusal("79.26734/TN-1", "decision_no", "", "a wanted decision needs its number")
        try expectCommand(s, .refused(refusal)) {
            try $0.wantedAdd(person: .existing(p), on: "2020-01-01", decision: "")
        }
        try expectImport(s, .wanted, [wantedRow(decision: "", decisionDate: "2020-01-01")], .refused(refusal))
        try await expectPush(s, [s.opening(person: p, on: "2020-01-01", decision: "")], [.rejected(refusal)])
    }

    /// SPEC §3: probation until is required for an early release.
    @Test func anEarlyReleaseNeedsTheEndOfItsProbation() async throws {
        var s = Scene()
        let p = s.person()
        let refusal = Refusal(
            "79.26734/TD-1", "probation_until", "", "an early release needs the end of its probation period")
        try expectCommand(s, .refused(refusal)) {
            try $0.releaseAdd("TD-1", person: .existing(p), type: .earlyRelease, on: "2020-01-01")
        }
        try expectImport(
            s, .releases, [releaseRow(ref: "TD-1", type: "early_release", releasedOn: "2020-01-01")],
            .refused(refusal))
        try await expectPush(
            s, [s.releaseRegistration("TD-1", person: p, type: .earlyRelease, on: "2020-01-01")],
            [.rejected(refusal)])
    }

    /// SPEC §3: probation until is after released on.
    @Test func probationEndsAfterTheRelease() async throws {
        var s = Scene()
        let p = s.person()
        let refusal = Refusal(
            "79.26734/TD-1", "probation_until", "2020-01-01", "must be after the release date 2020-01-01")
        try expectCommand(s, .refused(refusal)) {
            try $0.releaseAdd(
                "TD-1", person: .existing(p), type: .earlyRelease, on: "2020-01-01", probation: "2020-01-01")
        }
        try expectImport(
            s, .releases,
            [releaseRow(ref: "TD-1", type: "early_release", releasedOn: "2020-01-01", probation: "2020-01-01")],
            .refused(refusal))
        try await expectPush(
            s,
            [s.releaseRegistration("TD-1", person: p, type: .earlyRelease, on: "2020-01-01", probation: "2020-01-01")],
            [.rejected(refusal)])
    }

    /// SPEC §3: probation until is absent for any release but an early one.
    @Test func onlyAnEarlyReleaseHasAProbationPeriod() async throws {
        var s = Scene()
        let p = s.person()
        let refusal = Refusal(
            "79.26734/DX-1", "probation_until", "2021-01-01",
            "only an early release has a probation period; leave it blank for amnesty")
        try expectCommand(s, .refused(refusal)) {
            try $0.releaseAdd(person: .existing(p), on: "2020-01-01", probation: "2021-01-01")
        }
        try expectImport(
            s, .releases, [releaseRow(releasedOn: "2020-01-01", probation: "2021-01-01")], .refused(refusal))
        try await expectPush(
            s, [s.releaseRegistration(person: p, on: "2020-01-01", probation: "2021-01-01")], [.rejected(refusal)])
    }

    /// SPEC §4 and design.md: a retraction gives a reason.
    @Test func aRetractionGivesItsReason() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        let closing = s.close(c, on: "2020-02-01")
        let refusal = Refusal("79.26734/TN-1", "reason", " ", "say why, for the record")
        try expectCommand(s, .refused(refusal)) { try $0.retract(closing, reason: " ") }
        // Import: never retracts.
        try await expectPush(s, [s.retraction(of: closing, reason: " ")], [.rejected(refusal)])
    }

    /// EventRules: a decision's withdrawal gives a reason.
    @Test func aWithdrawalGivesItsReason() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        let refusal = Refusal("79.26734/TN-1", "reason", " ", "say why, for the record")
        try expectCommand(s, .refused(refusal)) {
            try $0.wantedWithdraw("79.26734/TN-1", decision: "D-1", on: "2020-02-01", reason: " ")
        }
        // Import: never withdraws a decision.
        try await expectPush(s, [s.withdrawal("D-1", on: "2020-02-01", case: c, reason: " ")], [.rejected(refusal)])
    }

    /// EventRules: an event's kind belongs to the kind of record it says it concerns.
    @Test func anEventsKindBelongsToItsRecordKind() async throws {
        var s = Scene()
        let p = s.person()
        // A closing that says it concerns a person (record_kind person, the person's id).
        let stray = s.make(
            .wantedClosed(kind: .arrested, actingUnit: s.unit), record: p, kind: .person, on: "2020-01-01")
        let refusal = Refusal("Nguyễn Văn A", "record_kind", "person", "a wanted_closed event concerns a wanted")
        // Command: none makes such an event; the station's write path is `Registry.record`. Import: never.
        try expectCommand(s, .refused(refusal)) { try $0.record(stray) }
        try await expectPush(s, [stray], [.rejected(refusal)])
    }

    // MARK: - Rules across the events of one record (the folds)

    /// SPEC §4: a closing is on or after the case's opening.
    @Test(arguments: ClosingKind.allCases)
    func aClosingIsOnOrAfterTheOpening(kind: ClosingKind) async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-03-01")
        let refusal = Refusal(
            "79.26734/TN-1", "closing_date", "2020-02-29", "is before the case's opening on 2020-03-01")
        try expectCommand(s, .refused(refusal)) { try $0.wantedClose("79.26734/TN-1", as: kind, on: "2020-02-29") }
        try expectImport(
            s, .wanted, [wantedRow(decisionDate: "2020-03-01", closing: kind.rawValue, closingDate: "2020-02-29")],
            .refused(refusal))
        try await expectPush(s, [s.closing(c, kind, on: "2020-02-29")], [.rejected(refusal)])
    }

    /// design.md: "events after the closing are refused" means dated after the closing day; on that day is accepted.
    @Test func aDecisionOnTheClosingDayIsAccepted() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        s.close(c, .died, on: "2020-06-01")
        try expectCommand(s, .accepted) { try $0.wantedDecide("79.26734/TN-1", decision: "D-2", on: "2020-06-01") }
        try expectImport(
            s, .wanted,
            [wantedRow(decision: "D-2", decisionDate: "2020-06-01", closing: "died", closingDate: "2020-06-01")],
            .accepted)
        try await expectPush(s, [s.decision("D-2", on: "2020-06-01", case: c)], [.created])
    }

    /// SPEC §3: a case is never reopened; a person wanted again after capture gets a new case.
    @Test func aPersonWantedAgainAfterCaptureGetsANewCase() async throws {
        var s = Scene()
        let p = s.person()
        s.close(s.wanted(person: p, on: "2019-01-01"), on: "2019-06-01")
        try expectCommand(s, .accepted) { try $0.wantedAdd("TN-2", person: .existing(p), on: "2020-01-01") }
        // Import: makes a new person for every new case.
        try await expectPush(s, [s.opening("TN-2", person: p, on: "2020-01-01")], [.created])
    }

    /// SPEC §3 / design.md: withdrawing every decision of an open case closes it as struck_off on the date of the last
    /// withdrawal, acted by the unit that withdrew it.
    @Test func withdrawingEveryDecisionClosesTheCaseAsStruckOff() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        let station = try expectCommand(s, .accepted) {
            try $0.wantedWithdraw("79.26734/TN-1", decision: "D-1", on: "2020-03-01", reason: "voided")
        }
        let closing = try station.records.wantedCase("79.26734/TN-1").closing
        #expect(closing?.kind == .struckOff && closing?.date == day("2020-03-01") && closing?.actingUnit == s.unit)
        // Import: never withdraws a decision.
        try await expectPush(s, [s.withdrawal("D-1", on: "2020-03-01", case: c)], [.created]) {
            (server: LiveServer) throws in
            let closing = try server.registry.records.wantedCase("79.26734/TN-1").closing
            #expect(closing?.kind == .struckOff && closing?.date == day("2020-03-01") && closing?.actingUnit == s.unit)
        }
    }

    /// SPEC §4: a case closes once (design.md: refused when the unit that recorded the first closing records another;
    /// another unit's second closing is a conflict, see `aSecondClosingByAnotherUnitIsKeptAsAConflict`).
    @Test func aCaseClosesOnce() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        s.close(c, .arrested, on: "2020-03-01")
        let refusal = Refusal(
            "79.26734/TN-1", "closing", "surrendered 2020-04-01",
            "79.26734/TN-1 was already closed on 2020-03-01: arrested by 79.26734")
        try expectCommand(s, .refused(refusal)) {
            try $0.wantedClose("79.26734/TN-1", as: .surrendered, on: "2020-04-01")
        }
        try expectImport(
            s, .wanted, [wantedRow(decisionDate: "2020-01-01", closing: "surrendered", closingDate: "2020-04-01")],
            .refused(refusal))
        try await expectPush(s, [s.closing(c, .surrendered, on: "2020-04-01")], [.rejected(refusal)])
    }

    /// SPEC §4: events after the closing are refused (design.md: dated after the closing day).
    @Test func nothingIsRecordedAfterTheClosing() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        s.close(c, .died, on: "2020-06-01")
        let refusal = Refusal(
            "79.26734/TN-1", "decision_date", "2020-06-02",
            "is after the case was closed on 2020-06-01 (died by 79.26734): nothing can be recorded on it after its closing"
        )
        try expectCommand(s, .refused(refusal)) {
            try $0.wantedDecide("79.26734/TN-1", decision: "D-2", on: "2020-06-02")
        }
        try expectImport(
            s, .wanted,
            [wantedRow(decision: "D-2", decisionDate: "2020-06-02", closing: "died", closingDate: "2020-06-01")],
            .refused(refusal))
        try await expectPush(s, [s.decision("D-2", on: "2020-06-02", case: c)], [.rejected(refusal)])
    }

    /// WantedCaseFold: a decision number is attached to a case once.
    @Test func aDecisionIsAttachedOnce() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        let refusal = Refusal("79.26734/TN-1", "decision_no", "D-1", "this decision is already attached to the case")
        try expectCommand(s, .refused(refusal)) {
            try $0.wantedDecide("79.26734/TN-1", decision: "D-1", on: "2020-02-01")
        }
        // Import: a row naming an attached decision with another date (with the same date it is the same decision).
        try expectImport(s, .wanted, [wantedRow(decision: "D-1", decisionDate: "2020-02-01")], .refused(refusal))
        try await expectPush(s, [s.decision("D-1", on: "2020-02-01", case: c)], [.rejected(refusal)])
    }

    /// WantedCaseFold: a withdrawal names a decision attached and in force.
    @Test func aWithdrawalNamesADecisionInForce() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        let refusal = Refusal(
            "79.26734/TN-1", "decision_no", "D-9", "no decision with this number is attached and in force")
        try expectCommand(s, .refused(refusal)) {
            try $0.wantedWithdraw("79.26734/TN-1", decision: "D-9", on: "2020-02-01", reason: "voided")
        }
        // Import: never withdraws a decision.
        try await expectPush(s, [s.withdrawal("D-9", on: "2020-02-01", case: c)], [.rejected(refusal)])
    }

    /// WantedCaseFold: a withdrawal is not dated before the decision it withdraws.
    @Test func aWithdrawalIsNotBeforeItsDecision() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-03-01")
        let refusal = Refusal("79.26734/TN-1", "date", "2020-02-01", "is before the decision's own date 2020-03-01")
        try expectCommand(s, .refused(refusal)) {
            try $0.wantedWithdraw("79.26734/TN-1", decision: "D-1", on: "2020-02-01", reason: "voided")
        }
        // Import: never withdraws a decision.
        try await expectPush(s, [s.withdrawal("D-1", on: "2020-02-01", case: c)], [.rejected(refusal)])
    }

    /// WantedCaseFold: a case is opened once (a second opening of the same record).
    @Test func aWantedCaseIsOpenedOnce() async throws {
        var s = Scene()
        let p = s.person()
        let c = s.wanted(person: p, on: "2020-01-01")
        let again = s.opening(person: p, on: "2020-02-01", decision: "D-2", id: c)
        let refusal = Refusal(
            "79.26734/TN-1", "case_ref", "TN-1", "the case is already open; attach a further decision instead")
        // Command: none reuses a record id; `Registry.record`. Import: a known case_ref + unit is the same case.
        try expectCommand(s, .refused(refusal)) { try $0.record(again) }
        try await expectPush(s, [again], [.rejected(refusal)])
    }

    /// PersonFold: a person is registered once (a second registration of the same record).
    @Test func aPersonIsRegisteredOnce() async throws {
        var s = Scene()
        let p = s.person()
        let again = s.registration(Scene.details(), id: p)
        let refusal = Refusal("Nguyễn Văn A", "person", p.uuidString.lowercased(), "the person is already registered")
        // Command: none reuses a record id; `Registry.record`. Import: makes a new person for every new case.
        try expectCommand(s, .refused(refusal)) { try $0.record(again) }
        try await expectPush(s, [again], [.rejected(refusal)])
    }

    /// ReleaseCaseFold: a release is registered once (a second registration of the same record).
    @Test func aReleaseIsRegisteredOnce() async throws {
        var s = Scene()
        let p = s.person()
        let r = s.release(person: p, on: "2020-01-01")
        let again = s.releaseRegistration(person: p, on: "2020-01-01", id: r)
        let refusal = Refusal("79.26734/DX-1", "case_ref", "DX-1", "the release is already registered")
        // Command: none reuses a record id; `Registry.record`. Import: a known case_ref + unit is the same case.
        try expectCommand(s, .refused(refusal)) { try $0.record(again) }
        try await expectPush(s, [again], [.rejected(refusal)])
    }

    /// The folds: an event on a record that was never created (or whose creation was retracted) is refused.
    @Test(arguments: RecordKind.allCases)
    func anEventNeedsItsRecordToExist(kind: RecordKind) async throws {
        var s = Scene()
        let ghost = s.newID()
        let id = ghost.uuidString.lowercased()
        let event: Event
        let refusal: Refusal
        switch kind {
        case .person:
            event = s.amendment(ghost, Scene.details())
            refusal = Refusal(
                "person \(id)", "person", "", "the person was never registered, or the registration was retracted")
        case .wanted:
            event = s.decision("D-2", on: "2020-02-01", case: ghost)
            refusal = Refusal(
                "wanted case \(id)", "case", "", "the case was never opened, or its opening was retracted")
        case .release:
            event = s.transfer(ghost, to: Scene.neighbour, on: "2020-02-01")
            refusal = Refusal(
                "release case \(id)", "case", "", "the release was never registered, or its registration was retracted")
        }
        // Command: every command looks its record up first ("no wanted case …"); `Registry.record`. Import: never.
        try expectCommand(s, .refused(refusal)) { try $0.record(event) }
        try await expectPush(s, [event], [.rejected(refusal)])
    }

    /// design.md: retracting an event on which others depend (a case's opening while later events exist) is refused.
    @Test func anOpeningWithLaterEventsCannotBeRetracted() async throws {
        var s = Scene()
        let p = s.person()
        let opening = s.keep(s.opening(person: p, on: "2020-01-01"))
        s.close(opening.recordID, .died, on: "2020-02-01")
        let refusal = Refusal(
            "wanted case \(opening.recordID.uuidString.lowercased())", "case", "",
            "the case was never opened, or its opening was retracted")
        try expectCommand(s, .refused(refusal)) { try $0.retract(opening) }
        // Import: never retracts.
        try await expectPush(s, [s.retraction(of: opening)], [.rejected(refusal)])
    }

    /// FoldSupport: a retraction names an event of its own record.
    @Test func aRetractionNamesAnEventOfItsRecord() async throws {
        var s = Scene()
        let registration = s.keep(s.registration())
        let c = s.wanted(person: registration.recordID, on: "2020-01-01")
        // A retraction on the case naming the person's registration.
        let stray = s.make(.retracted(eventID: registration.id, reason: "wrong"), record: c, kind: .wanted)
        let refusal = Refusal(
            "79.26734/TN-1", "event_id", registration.id.uuidString.lowercased(),
            "there is no such event on this record")
        // Command: `dragnet retract` puts the retraction on the event's own record; `Registry.record`. Import: never.
        try expectCommand(s, .refused(refusal)) { try $0.record(stray) }
        try await expectPush(s, [stray], [.rejected(refusal)])
    }

    /// design.md: any event but a retraction can be retracted.
    @Test func aRetractionCannotBeRetracted() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        let retraction = s.retract(s.close(c, on: "2020-02-01"))
        let refusal = Refusal(
            "79.26734/TN-1", "event_id", retraction.id.uuidString.lowercased(),
            "a retraction cannot be retracted; record the event again instead")
        try expectCommand(s, .refused(refusal)) { try $0.retract(retraction, reason: "undo") }
        // Import: never retracts.
        try await expectPush(s, [s.retraction(of: retraction, reason: "undo")], [.rejected(refusal)])
    }

    /// design.md: an event can be retracted once (by the unit that retracted it: another unit's is a repeat).
    @Test func anEventIsRetractedOnce() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        let closing = s.close(c, on: "2020-02-01")
        s.retract(closing)
        let refusal = Refusal(
            "79.26734/TN-1", "event_id", closing.id.uuidString.lowercased(),
            "the event was already retracted on 2026-11-26T10:00:00.000Z by 79.26734")
        try expectCommand(s, .refused(refusal)) { try $0.retract(closing, reason: "twice") }
        // Import: never retracts.
        try await expectPush(s, [s.retraction(of: closing, reason: "twice")], [.rejected(refusal)])
    }

    /// SPEC §4: a reoffence, revocation, death or expungement is on or after the release date.
    @Test(arguments: EndingKind.allCases)
    func anEndingIsOnOrAfterTheRelease(kind: EndingKind) async throws {
        var s = Scene()
        let r = s.release("TD-1", person: s.person(), type: .earlyRelease, on: "2020-03-01", probation: "2021-03-01")
        let refusal = Refusal("79.26734/TD-1", "ending_date", "2020-02-29", "is before the release on 2020-03-01")
        try expectCommand(s, .refused(refusal)) { try $0.releaseEnd("79.26734/TD-1", as: kind, on: "2020-02-29") }
        try expectImport(
            s, .releases,
            [
                releaseRow(
                    ref: "TD-1", type: "early_release", releasedOn: "2020-03-01", probation: "2021-03-01",
                    ending: kind.rawValue, endingDate: "2020-02-29")
            ], .refused(refusal))
        try await expectPush(s, [s.ending(r, kind, on: "2020-02-29")], [.rejected(refusal)])
    }

    /// ReleaseCaseFold: nothing is recorded on a release case after its ending.
    @Test func nothingIsRecordedAfterTheEnding() async throws {
        var s = Scene()
        let r = s.release(person: s.person(), on: "2020-01-01")
        s.end(r, .expunged, on: "2021-01-01")
        let refusal = Refusal(
            "79.26734/DX-1", "date", "2021-02-01",
            "is after the case ended on 2021-01-01 (expunged): nothing can be recorded on it after its ending")
        try expectCommand(s, .refused(refusal)) {
            try $0.releaseTransfer("79.26734/DX-1", to: Scene.neighbour, on: "2021-02-01")
        }
        // Import: never transfers; a second ending is `aReleaseCaseEndsOnce`.
        try await expectPush(s, [s.transfer(r, to: Scene.neighbour, on: "2021-02-01")], [.rejected(refusal)])
    }

    /// ReleaseCaseFold: a transfer goes to another unit than the responsible one.
    @Test func aTransferGoesToAnotherUnit() async throws {
        var s = Scene()
        let r = s.release(person: s.person(), on: "2020-01-01")
        let refusal = Refusal("79.26734/DX-1", "to_unit", "79.26734", "is already the responsible unit")
        try expectCommand(s, .refused(refusal)) {
            try $0.releaseTransfer("79.26734/DX-1", to: Scene.station, on: "2020-06-01")
        }
        // Import: never transfers.
        try await expectPush(s, [s.transfer(r, to: Scene.station, on: "2020-06-01")], [.rejected(refusal)])
    }

    /// SPEC §4: `revoked` only for an early release.
    @Test func onlyAnEarlyReleaseIsRevoked() async throws {
        var s = Scene()
        let r = s.release(person: s.person(), on: "2020-01-01")
        let refusal = Refusal(
            "79.26734/DX-1", "ending", "revoked",
            "only an early release can be revoked; this case's release type is amnesty")
        try expectCommand(s, .refused(refusal)) { try $0.releaseEnd("79.26734/DX-1", as: .revoked, on: "2020-06-01") }
        try expectImport(
            s, .releases, [releaseRow(releasedOn: "2020-01-01", ending: "revoked", endingDate: "2020-06-01")],
            .refused(refusal))
        try await expectPush(s, [s.ending(r, .revoked, on: "2020-06-01")], [.rejected(refusal)])
    }

    /// SPEC §4: `revoked` on or before probation until.
    @Test func aRevocationIsWithinProbation() async throws {
        var s = Scene()
        let r = s.release("TD-1", person: s.person(), type: .earlyRelease, on: "2020-01-01", probation: "2021-01-01")
        let refusal = Refusal(
            "79.26734/TD-1", "ending_date", "2021-01-02", "is after the probation ended on 2021-01-01")
        try expectCommand(s, .refused(refusal)) { try $0.releaseEnd("79.26734/TD-1", as: .revoked, on: "2021-01-02") }
        try expectImport(
            s, .releases,
            [
                releaseRow(
                    ref: "TD-1", type: "early_release", releasedOn: "2020-01-01", probation: "2021-01-01",
                    ending: "revoked", endingDate: "2021-01-02")
            ], .refused(refusal))
        try await expectPush(s, [s.ending(r, .revoked, on: "2021-01-02")], [.rejected(refusal)])
    }

    /// SPEC §4: a release case ends once (by the unit that ended it: another unit's second ending is a conflict, see
    /// `aSecondEndingByAnotherUnitIsKeptAsAConflict`).
    @Test func aReleaseCaseEndsOnce() async throws {
        var s = Scene()
        let r = s.release(person: s.person(), on: "2020-03-01")
        s.end(r, .reoffended, on: "2020-05-01")
        let refusal = Refusal(
            "79.26734/DX-1", "ending", "died 2020-06-01", "79.26734/DX-1 was already ended on 2020-05-01: reoffended")
        try expectCommand(s, .refused(refusal)) { try $0.releaseEnd("79.26734/DX-1", as: .died, on: "2020-06-01") }
        try expectImport(
            s, .releases, [releaseRow(releasedOn: "2020-03-01", ending: "died", endingDate: "2020-06-01")],
            .refused(refusal))
        try await expectPush(s, [s.ending(r, .died, on: "2020-06-01")], [.rejected(refusal)])
    }

    /// SPEC §4: dates are not before the birth date (design.md: with a birth year only, any day of that year is
    /// accepted, an earlier year is not) — a wanted case's opening.
    @Test(arguments: [("1990-05-01", "1990-04-30"), ("1990", "1989-12-31")])
    func aWantedCaseIsNotOpenedBeforeTheBirth(birth: String, opened: String) async throws {
        var s = Scene()
        let p = s.person(birth: birth)
        let refusal = Refusal("79.26734/TN-1", "decision_date", opened, "is before the person's birth date \(birth)")
        try expectCommand(s, .refused(refusal)) { try $0.wantedAdd(person: .existing(p), on: opened) }
        try expectImport(s, .wanted, [wantedRow(birth: birth, decisionDate: opened)], .refused(refusal))
        try await expectPush(s, [s.opening(person: p, on: opened)], [.rejected(refusal)])
    }

    /// design.md: with a birth year only, an event on the first day of that year is accepted.
    @Test func aYearOnlyBirthAcceptsTheFirstDayOfThatYear() async throws {
        var s = Scene()
        let p = s.person(birth: "1990")
        try expectCommand(s, .accepted) { try $0.wantedAdd(person: .existing(p), on: "1990-01-01") }
        try expectImport(s, .wanted, [wantedRow(birth: "1990", decisionDate: "1990-01-01")], .accepted)
        try await expectPush(s, [s.opening(person: p, on: "1990-01-01")], [.created])
    }

    /// SPEC §4: dates are not before the birth date — a release.
    @Test func aReleaseIsNotBeforeTheBirth() async throws {
        var s = Scene()
        let p = s.person(birth: "1990-05-01")
        let refusal = Refusal(
            "79.26734/DX-1", "released_on", "1990-04-30", "is before the person's birth date 1990-05-01")
        try expectCommand(s, .refused(refusal)) { try $0.releaseAdd(person: .existing(p), on: "1990-04-30") }
        try expectImport(s, .releases, [releaseRow(birth: "1990-05-01", releasedOn: "1990-04-30")], .refused(refusal))
        try await expectPush(s, [s.releaseRegistration(person: p, on: "1990-04-30")], [.rejected(refusal)])
    }

    // MARK: - Rules across records

    /// design.md: a unit registers wanted cases only for itself and the units below it.
    @Test func aUnitRegistersWantedCasesOnlyForItselfAndBelow() async throws {
        var s = Scene()
        let p = s.person()
        let refusal = Refusal(
            "80.1/TN-1", "unit", "80.1", "79.26734 can register cases only for itself and the units below it")
        try expectCommand(s, .refused(refusal)) {
            try $0.wantedAdd(person: .existing(p), on: "2020-01-01", owner: "80.1")
        }
        try expectImport(s, .wanted, [wantedRow(unit: "80.1", decisionDate: "2020-01-01")], .refused(refusal))
        try await expectPush(s, [s.opening(person: p, on: "2020-01-01", owner: "80.1")], [.rejected(refusal)])
    }

    /// design.md: a unit registers release cases only for itself and the units below it.
    @Test func aUnitRegistersReleaseCasesOnlyForItselfAndBelow() async throws {
        var s = Scene()
        let p = s.person()
        let refusal = Refusal(
            "80.1/DX-1", "unit", "80.1", "79.26734 can register cases only for itself and the units below it")
        try expectCommand(s, .refused(refusal)) {
            try $0.releaseAdd(person: .existing(p), on: "2020-01-01", unit: "80.1")
        }
        try expectImport(s, .releases, [releaseRow(unit: "80.1", releasedOn: "2020-01-01")], .refused(refusal))
        try await expectPush(
            s, [s.releaseRegistration(person: p, on: "2020-01-01", unit: "80.1")], [.rejected(refusal)])
    }

    /// Registry.crossRecordProblem: a wanted case names a registered person.
    @Test func aWantedCaseNamesARegisteredPerson() async throws {
        var s = Scene()
        let ghost = s.newID()
        let refusal = Refusal(
            "79.26734/TN-1", "person_id", ghost.uuidString.lowercased(), "no such person is registered")
        try expectCommand(s, .refused(refusal)) { try $0.wantedAdd(person: .existing(ghost), on: "2020-01-01") }
        // Import: registers the person of every new case itself.
        try await expectPush(s, [s.opening(person: ghost, on: "2020-01-01")], [.rejected(refusal)])
    }

    /// Registry.crossRecordProblem: a release case names a registered person.
    @Test func aReleaseCaseNamesARegisteredPerson() async throws {
        var s = Scene()
        let ghost = s.newID()
        let refusal = Refusal(
            "79.26734/DX-1", "person_id", ghost.uuidString.lowercased(), "no such person is registered")
        try expectCommand(s, .refused(refusal)) { try $0.releaseAdd(person: .existing(ghost), on: "2020-01-01") }
        // Import: registers the person of every new case itself.
        try await expectPush(s, [s.releaseRegistration(person: ghost, on: "2020-01-01")], [.rejected(refusal)])
    }

    /// SPEC §3: a person has at most one open wanted case.
    @Test func aPersonHasAtMostOneOpenWantedCase() async throws {
        var s = Scene()
        let p = s.person()
        s.wanted(person: p, on: "2020-01-01")
        let refusal = Refusal(
            "79.26734/TN-2", "person_id", p.uuidString.lowercased(),
            "the person already has an open wanted case 79.26734/TN-1; attach the new decision to it instead")
        try expectCommand(s, .refused(refusal)) { try $0.wantedAdd("TN-2", person: .existing(p), on: "2020-02-01") }
        // Import: makes a new person for every new case.
        try await expectPush(s, [s.opening("TN-2", person: p, on: "2020-02-01", decision: "D-2")], [.rejected(refusal)])
    }

    /// design.md: a wanted case reference is used once per unit.
    @Test func aWantedCaseReferenceIsUsedOncePerUnit() async throws {
        var s = Scene()
        s.wanted(person: s.person(), on: "2020-01-01")
        let q = s.person("Lê Văn C")
        let refusal = Refusal(
            "79.26734/TN-1", "case_ref", "TN-1", "79.26734 already has a wanted case with this reference")
        try expectCommand(s, .refused(refusal)) { try $0.wantedAdd("TN-1", person: .existing(q), on: "2020-02-01") }
        // Import: a known case_ref + unit names that case (SPEC §6); it is never a second case.
        try await expectPush(s, [s.opening("TN-1", person: q, on: "2020-02-01")], [.rejected(refusal)])
    }

    /// design.md: a release case reference is used once per unit.
    @Test func aReleaseCaseReferenceIsUsedOncePerUnit() async throws {
        var s = Scene()
        s.release(person: s.person(), on: "2020-01-01")
        let q = s.person("Lê Văn C")
        let refusal = Refusal(
            "79.26734/DX-1", "case_ref", "DX-1", "79.26734 already has a release case with this reference")
        try expectCommand(s, .refused(refusal)) { try $0.releaseAdd("DX-1", person: .existing(q), on: "2020-02-01") }
        // Import: a known case_ref + unit names that case (SPEC §6); it is never a second case.
        try await expectPush(s, [s.releaseRegistration("DX-1", person: q, on: "2020-02-01")], [.rejected(refusal)])
    }

    /// design.md: retracting a closing that would leave a person with two open wanted cases is refused.
    @Test func retractingAClosingMayNotLeaveTwoOpenWantedCases() async throws {
        var s = Scene()
        let p = s.person()
        let first = s.wanted(person: p, on: "2019-01-01")
        let closing = s.close(first, on: "2019-06-01")
        s.wanted("TN-2", person: p, on: "2020-01-01")
        let refusal = Refusal(
            "79.26734/TN-1", "closing", "",
            "reopening this case would leave the person with two open wanted cases (79.26734/TN-2 is open)")
        try expectCommand(s, .refused(refusal)) { try $0.retract(closing) }
        // Import: never retracts.
        try await expectPush(s, [s.retraction(of: closing)], [.rejected(refusal)])
    }

    /// design.md: so is retracting a withdrawal (of every decision) that would reopen the case.
    @Test func retractingAWithdrawalMayNotLeaveTwoOpenWantedCases() async throws {
        var s = Scene()
        let p = s.person()
        let first = s.wanted(person: p, on: "2019-01-01")
        let withdrawal = s.keep(s.withdrawal("D-1", on: "2019-06-01", case: first))
        s.wanted("TN-2", person: p, on: "2020-01-01")
        let refusal = Refusal(
            "79.26734/TN-1", "closing", "",
            "reopening this case would leave the person with two open wanted cases (79.26734/TN-2 is open)")
        try expectCommand(s, .refused(refusal)) { try $0.retract(withdrawal) }
        // Import: never retracts.
        try await expectPush(s, [s.retraction(of: withdrawal)], [.rejected(refusal)])
    }

    /// design.md: retracting the registration of a person whom cases name is refused.
    @Test func aPersonNamedByACaseCannotBeUnregistered() async throws {
        var s = Scene()
        let registration = s.keep(s.registration())
        s.wanted(person: registration.recordID, on: "2020-01-01")
        let refusal = Refusal(
            "Nguyễn Văn A", "event_id", "",
            "1 case(s) name this person; a registration cannot be retracted while they do "
                + "(correct the person with `dragnet person amend` instead)")
        try expectCommand(s, .refused(refusal)) { try $0.retract(registration) }
        // Import: never retracts.
        try await expectPush(s, [s.retraction(of: registration)], [.rejected(refusal)])
    }

    /// design.md: amending a person's birth date is refused when it would put an event of their cases before it.
    @Test func anAmendedBirthDateMayNotFollowACaseEvent() async throws {
        var s = Scene()
        let p = s.person(birth: "1980")
        s.wanted(person: p, on: "2000-01-01")
        let refusal = Refusal(
            "Nguyễn Văn A", "birth_date", "2001", "79.26734/TN-1 has an event on 2000-01-01, before that birth date")
        try expectCommand(s, .refused(refusal)) { try $0.personAmend(p, birth: "2001") }
        // Import: never amends a person.
        try await expectPush(s, [s.amendment(p, Scene.details(birth: "2001"))], [.rejected(refusal)])
    }

    /// design.md: so is retracting an amendment when the birth date it brings back would.
    @Test func retractingAnAmendmentMayNotBringBackABirthDateAfterACaseEvent() async throws {
        var s = Scene()
        let p = s.person(birth: "2001")
        let amendment = s.keep(s.amendment(p, Scene.details(birth: "1980")))
        s.wanted(person: p, on: "2000-01-01")
        let refusal = Refusal(
            "Nguyễn Văn A", "birth_date", "2001", "79.26734/TN-1 has an event on 2000-01-01, before that birth date")
        try expectCommand(s, .refused(refusal)) { try $0.retract(amendment) }
        // Import: never retracts.
        try await expectPush(s, [s.retraction(of: amendment)], [.rejected(refusal)])
    }

    /// Registry.recordKindProblem: an event names a record of the kind it says.
    @Test func anEventNamesARecordOfItsKind() async throws {
        var s = Scene()
        let r = s.release(person: s.person(), on: "2020-01-01")
        // A decision (record_kind wanted) on the release case's id.
        let stray = s.decision("D-2", on: "2020-02-01", case: r)
        let refusal = Refusal(
            "event \(stray.id.uuidString.lowercased())", "record_kind", "wanted",
            "record \(r.uuidString.lowercased()) is a release")
        // Command: each command finds its record by kind; `Registry.record`. Import: never.
        try expectCommand(s, .refused(refusal)) { try $0.record(stray) }
        try await expectPush(s, [stray], [.rejected(refusal)])
    }

    /// SPEC §7: an id reused with different content is rejected; the same event again changes nothing.
    @Test func anEventIDIsNotReusedForOtherContent() async throws {
        var s = Scene()
        let registration = s.keep(s.registration())
        var altered = registration
        altered.author = "someone else"
        let id = registration.id.uuidString.lowercased()
        let refusal = Refusal("event \(id)", "id", id, "this id was already used for an event with other content")
        // Command: every command makes fresh ids; `Registry.record`. Import: the same.
        try expectCommand(s, .refused(refusal)) { try $0.record(altered) }
        try await expectPush(s, [altered], [.rejected(refusal)])
        try expectCommand(s, .accepted) { try $0.record(registration) }
        try await expectPush(s, [registration], [.duplicate])
    }

    // MARK: - Values that do not parse (SPEC §4: real calendar dates, national ids of 9 or 12 digits)

    /// SPEC §4: dates are real calendar dates. Command: `--decision-date 2021-02-30` is refused by the argument
    /// parser before any registry function (they take a `LocalDate`); not testable through `Registry`.
    @Test func aDateIsARealCalendarDay() async throws {
        var s = Scene()
        let p = s.person()
        let refusal = Refusal(
            "79.26734/TN-1", "decision_date", "2021-02-30", "is not a date (YYYY-MM-DD, a day that exists)")
        try expectImport(s, .wanted, [wantedRow(decisionDate: "2021-02-30")], .refused(refusal))
        let opening = s.opening(person: p, on: "2021-02-28")
        try await expectUnparsable(s, opening, replacing: "\"2021-02-28\"", with: "\"2021-02-30\"", refusal)
    }

    /// SPEC §4: national ids have 9 or 12 digits. Command: `--national-id` is refused by the argument parser (the
    /// registry takes a `NationalID`); not testable through `Registry`.
    @Test func aNationalIDHasNineOrTwelveDigits() async throws {
        let s = Scene()
        let refusal = Refusal(
            "Nguyễn Văn A", "national_id", "0790850045", "is not a national id (12 digits for a CCCD, 9 for a CMND)")
        try expectImport(
            s, .wanted, [wantedRow(nationalID: "0790850045", decisionDate: "2020-01-01")], .refused(refusal))
        var push = s
        let registration = push.registration(Scene.details(nationalID: "079085004512"))
        try await expectUnparsable(s, registration, replacing: "\"079085004512\"", with: "\"0790850045\"", refusal)
    }

    /// Pushes `event` with `text` replaced in its JSON after a good event, and expects the bad value refused with the
    /// refusal's value and message: by its own result (the good one created), or — the contract of openapi.yaml for a
    /// body that does not parse — by a 400 for the whole batch (the good one not stored).
    func expectUnparsable(
        _ scene: Scene, _ event: Event, replacing text: String, with bad: String, _ refusal: Refusal,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        var scene = scene
        let good = scene.registration(Scene.details("Lê Văn Tốt"))
        var json = String(
            decoding: try SyncWire.encoder().encode(SyncWire.PushRequest(events: scene.events + [good, event])),
            as: UTF8.self)
        #expect(json.contains(text), sourceLocation: sourceLocation)
        json = json.replacingOccurrences(of: text, with: bad)
        let (status, answer, body) = try await post(Array(json.utf8), to: server, unit: scene.unit.rawValue)
        let said = "\"\(refusal.value)\" \(refusal.message)"
        if let results = answer?.results {
            #expect(
                results.map(\.status) == scene.events.map { _ in .created } + [.created, .rejected],
                sourceLocation: sourceLocation)
            #expect(
                results.last?.reason?.contains(said) == true,
                "push said:\n  \(results.last?.reason ?? "")\nexpected it to say:\n  \(said)",
                sourceLocation: sourceLocation)
        } else {
            #expect(status == 400, sourceLocation: sourceLocation)
            let message = (try? JSONDecoder().decode(SyncWire.ErrorBody.self, from: Data(body.utf8)))?.message ?? body
            #expect(
                message.contains(said), "push said (HTTP \(status)):\n  \(message)\nexpected it to say:\n  \(said)",
                sourceLocation: sourceLocation)
            #expect(try server.registry.eventCount() == 0, sourceLocation: sourceLocation)
        }
    }

    /// SPEC §4: the same national id on two persons is reported as a possible duplicate — kept, never refused.
    @Test func aSharedNationalIDIsListedNotRefused() async throws {
        var s = Scene()
        s.person(nationalID: "079085004512")
        let command = try expectCommand(s, .accepted) {
            try $0.personAdd(Scene.details("Lê Văn C", nationalID: "079085004512"))
        }
        #expect(try command.records.possibleDuplicates().map(\.persons.count) == [2])
        let imported = try expectImport(
            s, .wanted, [wantedRow(name: "Lê Văn C", nationalID: "079085004512", decisionDate: "2020-01-01")],
            .accepted)
        #expect(try imported.records.possibleDuplicates().map(\.persons.count) == [2])
        try await expectPush(s, [s.registration(Scene.details("Lê Văn C", nationalID: "079085004512"))], [.created]) {
            (server: LiveServer) throws in
            #expect(try server.registry.records.possibleDuplicates().map(\.persons.count) == [2])
        }
    }

    // MARK: - The central policy: what only the push can meet

    /// SPEC §4 conflicts / AppendPolicy.central: a second, different closing by another unit is kept and listed on the
    /// server; the station that records it knowing the first refuses it like its own.
    @Test func aSecondClosingByAnotherUnitIsKeptAsAConflict() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        s.close(c, .arrested, on: "2020-03-01")
        let refusal = Refusal(
            "79.26734/TN-1", "closing", "surrendered 2020-04-01",
            "79.26734/TN-1 was already closed on 2020-03-01: arrested by 79.26734")
        try expectCommand(s, at: Scene.neighbour, .refused(refusal)) {
            try $0.wantedClose("79.26734/TN-1", as: .surrendered, on: "2020-04-01")
        }
        try await expectPush(
            s, [s.closing(c, .surrendered, on: "2020-04-01", by: Scene.neighbour)], [.created], token: Scene.neighbour
        ) { (server: LiveServer) throws in
            #expect(try listed(server) == ["conflict: " + refusal.sentence(record: "79.26734/TN-1")])
        }
    }

    /// design.md: the same closing recorded by another unit is a harmless repeat, kept and listed.
    @Test func theSameClosingByAnotherUnitIsKeptAsARepeat() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        s.close(c, .arrested, on: "2020-03-01")
        let same = s.make(
            .wantedClosed(kind: .arrested, actingUnit: s.unit), record: c, kind: .wanted, on: "2020-03-01",
            by: Scene.neighbour)
        try await expectPush(s, [same], [.created], token: Scene.neighbour) { (server: LiveServer) throws in
            #expect(
                try listed(server) == [
                    "repeated: 79.26734/TN-1, closing \"arrested 2020-03-01\": "
                        + "79.26734/TN-1 was already closed on 2020-03-01: arrested by 79.26734"
                ])
        }
    }

    /// protocol.md: a decision dated after a closing that another unit recorded is kept and listed on the server; the
    /// station that knows the closing refuses it.
    @Test func aDecisionAfterAnotherUnitsClosingIsKept() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        s.close(c, .arrested, on: "2020-03-01", by: Scene.neighbour)
        let refusal = Refusal(
            "79.26734/TN-1", "decision_date", "2020-04-01",
            "is after the case was closed on 2020-03-01 (arrested by 79.26737): nothing can be recorded on it after "
                + "its closing")
        try expectCommand(s, .refused(refusal)) {
            try $0.wantedDecide("79.26734/TN-1", decision: "D-2", on: "2020-04-01")
        }
        try await expectPush(s, [s.decision("D-2", on: "2020-04-01", case: c)], [.created]) {
            (server: LiveServer) throws in
            #expect(try listed(server) == ["invalid: " + refusal.sentence(record: "79.26734/TN-1")])
        }
    }

    /// SPEC §4 conflicts: a second, different ending by another unit is kept and listed on the server; the station
    /// that records it knowing the first refuses it.
    @Test func aSecondEndingByAnotherUnitIsKeptAsAConflict() async throws {
        var s = Scene()
        let r = s.release(person: s.person(), on: "2020-03-01")
        s.end(r, .reoffended, on: "2020-05-01")
        let refusal = Refusal(
            "79.26734/DX-1", "ending", "died 2020-06-01", "79.26734/DX-1 was already ended on 2020-05-01: reoffended")
        try expectCommand(s, at: Scene.neighbour, .refused(refusal)) {
            try $0.releaseEnd("79.26734/DX-1", as: .died, on: "2020-06-01")
        }
        try await expectPush(
            s, [s.ending(r, .died, on: "2020-06-01", by: Scene.neighbour)], [.created], token: Scene.neighbour
        ) { (server: LiveServer) throws in
            #expect(try listed(server) == ["conflict: " + refusal.sentence(record: "79.26734/DX-1")])
        }
    }

    /// design.md: a retraction repeated by another unit is kept as a repeat.
    @Test func aRetractionRepeatedByAnotherUnitIsKept() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        let closing = s.close(c, on: "2020-02-01")
        s.retract(closing)
        // Recorded five minutes after the station's retraction, so the fold takes it second (at the same moment the
        // order would be the ids', which the two factories draw independently).
        var again = s.retraction(of: closing, by: Scene.neighbour)
        again.recordedAt = Timestamp("2026-11-26T10:05:00Z")!
        try await expectPush(s, [again], [.created], token: Scene.neighbour) {
            (server: LiveServer) throws in
            #expect(
                try listed(server) == [
                    "repeated: 79.26734/TN-1, event_id \"\(closing.id.uuidString.lowercased())\": "
                        + "the event was already retracted on 2026-11-26T10:00:00.000Z by 79.26734"
                ])
        }
    }

    /// design.md: any event can be retracted — by another unit too (a station that pulled a wrong closing retracts
    /// it); the server must judge the retraction against the event it names, whoever recorded that.
    @Test func anotherUnitsEventCanBeRetracted() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        let closing = s.close(c, on: "2020-02-01")
        try expectCommand(s, at: Scene.neighbour, .accepted) { try $0.retract(closing) }
        // Import: never retracts.
        try await expectPush(s, [s.retraction(of: closing, by: Scene.neighbour)], [.created], token: Scene.neighbour) {
            (server: LiveServer) throws in
            #expect(try server.registry.records.wantedCase("79.26734/TN-1").closing == nil)
        }
    }

    /// WantedCaseFold: a decision in force can be withdrawn — by another unit than the one that attached it too.
    @Test func anotherUnitsDecisionCanBeWithdrawn() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-01-01")
        s.keep(s.decision("D-2", on: "2020-02-01", case: c))
        try expectCommand(s, at: Scene.neighbour, .accepted) {
            try $0.wantedWithdraw("79.26734/TN-1", decision: "D-2", on: "2020-03-01", reason: "voided")
        }
        // Import: never withdraws a decision.
        let withdrawal = s.make(
            .decisionWithdrawn(number: "D-2", reason: "voided"), record: c, kind: .wanted, on: "2020-03-01",
            by: Scene.neighbour)
        try await expectPush(s, [withdrawal], [.created], token: Scene.neighbour)
    }

    /// design.md: the opening is the date of the earliest decision, even one attached later — for a closing recorded
    /// by another unit too.
    @Test func aClosingByAnotherUnitIsJudgedAgainstEveryDecision() async throws {
        var s = Scene()
        let c = s.wanted(person: s.person(), on: "2020-03-01")
        s.keep(s.decision("D-0", on: "2020-01-01", case: c))  // found in the archive: the case opened on 2020-01-01
        try expectCommand(s, at: Scene.neighbour, .accepted) {
            try $0.wantedClose("79.26734/TN-1", as: .arrested, on: "2020-02-01")
        }
        try await expectPush(
            s, [s.closing(c, on: "2020-02-01", by: Scene.neighbour)], [.created], token: Scene.neighbour)
    }

    /// SPEC §7: a station writes only events recorded by its own unit (or below). Command and import: a station
    /// records as its own unit.
    @Test func aStationPushesOnlyItsOwnUnitsEvents() async throws {
        var s = Scene()
        let stray = s.registration(by: Scene.neighbour)
        let server = try await LiveServer.start()
        defer { server.stop() }
        let results = try #require(try await post([stray], to: server, unit: Scene.station).answer?.results)
        #expect(results.map(\.status) == [.rejected])
        // Worked out: the anomaly's sentence is `record, field "value": message`.
        #expect(
            results.first?.reason
                == "event \(stray.id.uuidString.lowercased()), unit \"79.26737\": is outside this token's unit 79.26734"
        )
        #expect(try server.registry.eventCount() == 0)
    }

    /// design.md / protocol.md: a pushed event recorded after the server's clock (+1 day) is refused. Command and
    /// import: the station's own clock is the recording time.
    @Test func aPushedEventRecordedAfterTheServersClockIsRefused() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let later = Timestamp(milliseconds: Timestamp.now().milliseconds + 3 * 86_400_000)
        var factory = EventFactory(unit: UnitCode(Scene.station)!, author: "officer", now: later)
        let event = factory.make(
            .personRegistered(Scene.details()), record: factory.newRecordID(), kind: .person, on: later.date)
        let results = try #require(try await post([event], to: server, unit: Scene.station).answer?.results)
        #expect(results.map(\.status) == [.rejected])
        let reason = results.first?.reason ?? ""
        let id = event.id.uuidString.lowercased()
        #expect(
            reason.hasPrefix("event \(id), recorded_at \"\(later)\": is later than the server's time "), "\(reason)")
        #expect(reason.hasSuffix("; check the station's clock"), "\(reason)")
    }

    /// Issue 10: a pushed batch that mixes good and bad events keeps the good ones (created) and refuses the bad ones
    /// with their reasons, in order — good events depending on earlier good ones of the same batch included.
    @Test func aMixedBatchKeepsTheGoodEventsAndRefusesTheBadOnesInOrder() async throws {
        var s = Scene()
        let ghost = s.newID()
        let person = s.registration()
        let p = person.recordID
        let opening = s.opening(person: p, on: "2020-01-01")
        let c = opening.recordID
        let release = s.releaseRegistration(person: p, on: "2021-01-01")
        let events = [
            person,  // good
            opening,  // good
            s.closing(c, on: "2019-12-31"),  // before the opening
            s.closing(c, .arrested, on: "2020-02-01"),  // good
            s.opening("TN-2", person: p, on: "2026-11-28", decision: "D-2"),  // in the future
            release,  // good
            s.opening("TN-3", person: ghost, on: "2020-01-01", decision: "D-3"),  // no such person
            s.ending(release.recordID, .reoffended, on: "2022-01-01"),  // good
        ]
        let expected: [Pushed] = [
            .created, .created,
            .rejected(
                Refusal("79.26734/TN-1", "closing_date", "2019-12-31", "is before the case's opening on 2020-01-01")),
            .created,
            .rejected(Refusal("79.26734/TN-2", "decision_date", "2026-11-28", Self.futureMessage)),
            .created,
            .rejected(
                Refusal("79.26734/TN-3", "person_id", ghost.uuidString.lowercased(), "no such person is registered")),
            .created,
        ]
        try await expectPush(s, events, expected) { (server: LiveServer) throws in
            let wanted = try server.registry.records.wantedCase("79.26734/TN-1")
            #expect(wanted.closing?.kind == .arrested && wanted.closing?.date == day("2020-02-01"))
            #expect(try server.registry.records.releaseCase("79.26734/DX-1").ending?.kind == .reoffended)
            #expect(throws: DragnetError.self) { _ = try server.registry.records.wantedCase("79.26734/TN-2") }
        }
    }
}
