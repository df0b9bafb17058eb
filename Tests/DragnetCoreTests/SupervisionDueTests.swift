import Foundation
import Testing

@testable import DragnetCore

/// What is due on a release case (SPEC §10), each rule at its boundaries. Every expected date is worked out by hand
/// in the comment above it; `days` counts from `since`, 0 on that day.
@Suite struct SupervisionDueTests {
    static let caseID = UUID(uuidString: "00000000-0000-4000-8000-00000000000a")!

    /// The facts of one release case, as the registry would derive them.
    static func facts(
        _ type: ReleaseType = .amnesty, released: String, probation: String? = nil, unit: String = "79.26734",
        transfers: [(from: String, to: String)] = [], ending: (kind: EndingKind, on: String)? = nil,
        _ marks: [(SupervisionMark.Kind, String)] = []
    ) -> ReleaseFacts {
        ReleaseFacts(
            caseID: caseID, releaseType: type, releasedOn: day(released), responsibleUnit: UnitCode(unit)!,
            transfers: transfers.map { .init(from: day($0.from), unit: UnitCode($0.to)!) },
            ending: ending.map { .init(kind: $0.kind, date: day($0.on)) }, probationUntil: probation.map(day),
            marks: marks.map { SupervisionMark(date: day($1), kind: $0) })
    }

    /// The items due, each as `kind since DATE, days N`, in the order `Supervision.due` gives them.
    static func due(_ facts: ReleaseFacts, on date: String, intervals: ContactIntervals = .standard) -> [String] {
        Supervision.due(facts, on: day(date), intervals: intervals).map {
            #expect($0.caseID == caseID)
            return "\($0.kind.rawValue) since \($0.since), days \($0.days)"
        }
    }

    // MARK: - arrival_overdue: more than 5 days after the release (or the transfer) with no reporting in

    @Test func arrivalIsOverdueFromTheSixthDayAfterTheRelease() {
        let f = Self.facts(released: "2026-03-01")
        // Released 2026-03-01: not open yet the day before, nothing due on the release day itself.
        #expect(Self.due(f, on: "2026-02-28") == [])
        #expect(Self.due(f, on: "2026-03-01") == [])
        // Day 5 = 2026-03-06 → not due (5 is not more than 5 days).
        #expect(Self.due(f, on: "2026-03-06") == [])
        // Day 6 = 2026-03-07 → arrival_overdue since 2026-03-07, days 0.
        #expect(Self.due(f, on: "2026-03-07") == ["arrival_overdue since 2026-03-07, days 0"])
        // 2026-03-31 is 24 days after 2026-03-07.
        #expect(Self.due(f, on: "2026-03-31") == ["arrival_overdue since 2026-03-07, days 24"])
    }

    @Test func reportingInOnTheFifthDayMeansNothingIsDue() {
        // Reported in on day 5 (2026-03-06): on day 6 nothing is due; the next contact is due 92 days after the
        // reporting in (amnesty): 2026-03-06 + 92 = 2026-06-06 (25 days to 03-31, 30 in April, 31 in May, 6 in June).
        let f = Self.facts(released: "2026-03-01", [(.reportedIn, "2026-03-06")])
        #expect(Self.due(f, on: "2026-03-07") == [])
        #expect(Self.due(f, on: "2026-06-06") == [])
        #expect(Self.due(f, on: "2026-06-07") == ["contact_overdue since 2026-06-07, days 0"])
    }

    @Test func aLateReportingInEndsTheArrivalItemFromItsDay() {
        // Reported in on day 8 (2026-03-09): overdue on 03-07 and 03-08, nothing on 03-09.
        let f = Self.facts(released: "2026-03-01", [(.reportedIn, "2026-03-09")])
        #expect(Self.due(f, on: "2026-03-08") == ["arrival_overdue since 2026-03-07, days 1"])
        #expect(Self.due(f, on: "2026-03-09") == [])
    }

    @Test func aContactWithoutReportingInDoesNotEndTheArrivalItem() {
        // SPEC §10: arrival_overdue is "no reported_in on or before D"; a home visit is not the person reporting in.
        let f = Self.facts(released: "2026-03-01", [(.contact, "2026-03-04")])
        #expect(Self.due(f, on: "2026-03-07") == ["arrival_overdue since 2026-03-07, days 0"])
    }

    @Test func aTransferRestartsTheArrivalClockAndAnEarlierReportingInDoesNotCount() {
        // Released 2026-03-01 to 79.26734, reported in there 2026-03-03, transferred to 79.26737 from 2026-04-01.
        let f = Self.facts(
            released: "2026-03-01", transfers: [(from: "2026-04-01", to: "79.26737")], [(.reportedIn, "2026-03-03")])
        // 2026-03-31, before the transfer: reported in 28 days ago, nothing due.
        #expect(Self.due(f, on: "2026-03-31") == [])
        // The new unit's day 5 = 2026-04-06 → not due; day 6 = 2026-04-07 → arrival_overdue since 2026-04-07.
        #expect(Self.due(f, on: "2026-04-06") == [])
        #expect(Self.due(f, on: "2026-04-07") == ["arrival_overdue since 2026-04-07, days 0"])
        // Reporting in to the new unit on 2026-04-08 ends it.
        var reported = f
        reported.marks.append(SupervisionMark(date: day("2026-04-08"), kind: .reportedIn))
        #expect(Self.due(reported, on: "2026-04-07") == ["arrival_overdue since 2026-04-07, days 0"])
        #expect(Self.due(reported, on: "2026-04-08") == [])
    }

    // MARK: - contact_overdue: the last contact (or reporting in) more than the interval before the day

    @Test func contactIsOverdueTheDayAfterTheIntervalOutsideProbation() {
        // Amnesty: 92 days. Reported in 2026-01-06, contact 2026-04-10. 2026-04-10 + 92 = 2026-07-11 (30 days to
        // 05-10, 31 to 06-10, 30 to 07-10, +1) → not due; 2026-07-12 → contact_overdue since 2026-07-12.
        let f = Self.facts(released: "2026-01-05", [(.reportedIn, "2026-01-06"), (.contact, "2026-04-10")])
        #expect(Self.due(f, on: "2026-07-11") == [])
        #expect(Self.due(f, on: "2026-07-12") == ["contact_overdue since 2026-07-12, days 0"])
        // 2026-08-01 is 20 days after 2026-07-12.
        #expect(Self.due(f, on: "2026-08-01") == ["contact_overdue since 2026-07-12, days 20"])
        // Sentence completed: 92 days as well.
        var completed = f
        completed.releaseType = .sentenceCompleted
        #expect(Self.due(completed, on: "2026-07-11") == [])
        #expect(Self.due(completed, on: "2026-07-12") == ["contact_overdue since 2026-07-12, days 0"])
    }

    @Test func theReportingInCountsAsTheFirstContact() {
        // Reported in 2026-03-03, no contact: 2026-03-03 + 92 = 2026-06-03 (31 to 04-03, 30 to 05-03, 31 to 06-03).
        let f = Self.facts(released: "2026-03-01", [(.reportedIn, "2026-03-03")])
        #expect(Self.due(f, on: "2026-06-03") == [])
        #expect(Self.due(f, on: "2026-06-04") == ["contact_overdue since 2026-06-04, days 0"])
    }

    @Test func aContactDatedBeforeTheReportingInDoesNotPushTheClockBack() {
        // The last of the two counts: reported in 2026-03-03 after a phone call on 2026-03-02.
        let f = Self.facts(released: "2026-03-01", [(.contact, "2026-03-02"), (.reportedIn, "2026-03-03")])
        #expect(Self.due(f, on: "2026-06-03") == [])
        #expect(Self.due(f, on: "2026-06-04") == ["contact_overdue since 2026-06-04, days 0"])
    }

    @Test func onProbationTheIntervalIs31Days() {
        // Early release 2026-01-10, probation until 2026-12-31. Reported in 2026-01-12: 2026-01-12 + 31 =
        // 2026-02-12 → not due; 2026-02-13 → contact_overdue since 2026-02-13.
        let f = Self.facts(
            .earlyRelease, released: "2026-01-10", probation: "2026-12-31", [(.reportedIn, "2026-01-12")])
        #expect(Self.due(f, on: "2026-02-12") == [])
        #expect(Self.due(f, on: "2026-02-13") == ["contact_overdue since 2026-02-13, days 0"])
        // A contact on 2026-02-20 (2026-02-20 + 31 = 2026-03-23, February 2026 having 28 days) moves it on.
        var contacted = f
        contacted.marks.append(SupervisionMark(date: day("2026-02-20"), kind: .contact))
        #expect(Self.due(contacted, on: "2026-03-23") == [])
        #expect(Self.due(contacted, on: "2026-03-24") == ["contact_overdue since 2026-03-24, days 0"])
    }

    @Test func theProbationIntervalHoldsOnProbationsLastDayAndNotTheDayAfter() {
        // Last contact 2025-06-01. On 2025-07-03 it is 32 days old (30 to 07-01, +2): overdue under 31 days, not
        // under 92. With probation until 2025-07-03 that day is still on probation → contact_overdue since
        // 2025-07-03 (2025-06-01 + 32), with probation_ending since 2025-06-03 (07-03 − 30), days 30.
        let last = Self.facts(
            .earlyRelease, released: "2025-01-10", probation: "2025-07-03", [(.reportedIn, "2025-06-01")])
        #expect(
            Self.due(last, on: "2025-07-03") == [
                "contact_overdue since 2025-07-03, days 0", "probation_ending since 2025-06-03, days 30",
            ])
        // With probation until 2025-07-02, 2025-07-03 is the day after: 92 days apply, nothing is due.
        var over = last
        over.probationUntil = day("2025-07-02")
        #expect(Self.due(over, on: "2025-07-03") == [])
        // And on its last day (2025-07-02) the contact is 31 days old: not more than 31, only the ending is listed.
        #expect(Self.due(over, on: "2025-07-02") == ["probation_ending since 2025-06-02, days 30"])
    }

    @Test func anOverdueProbationContactIsNoLongerOverdueOnceProbationEnds() {
        // Last contact 2025-05-25, probation until 2025-06-30: overdue from 2025-05-25 + 32 = 2025-06-26 (6 days to
        // 05-31, 26 in June). On 06-30 (probation's last day): contact overdue since 06-26, days 4, and the probation
        // ends since 2025-05-31 (06-30 − 30), days 30. On 07-01 the contact is 37 days old, within 92: nothing.
        let f = Self.facts(
            .earlyRelease, released: "2025-01-10", probation: "2025-06-30", [(.reportedIn, "2025-05-25")])
        #expect(
            Self.due(f, on: "2025-06-30") == [
                "contact_overdue since 2025-06-26, days 4", "probation_ending since 2025-05-31, days 30",
            ])
        #expect(Self.due(f, on: "2025-07-01") == [])
    }

    // MARK: - probation_ending: an early release whose probation ends within the next 30 days

    @Test func probationEndingIsListedFrom30DaysBefore() {
        // Probation until 2026-06-30. In 31 days = 2026-05-30 → not listed; in 30 days = 2026-05-31 → probation_ending
        // since 2026-05-31, days 0; on 2026-06-30 itself, days 30; the day after, not listed. Contacts keep the
        // 31-day interval from showing: reported in 2026-05-20, contact 2026-06-15.
        let f = Self.facts(
            .earlyRelease, released: "2025-11-01", probation: "2026-06-30",
            [(.reportedIn, "2026-05-20"), (.contact, "2026-06-15")])
        #expect(Self.due(f, on: "2026-05-30") == [])
        #expect(Self.due(f, on: "2026-05-31") == ["probation_ending since 2026-05-31, days 0"])
        #expect(Self.due(f, on: "2026-06-30") == ["probation_ending since 2026-05-31, days 30"])
        #expect(Self.due(f, on: "2026-07-01") == [])
    }

    @Test func onlyAnEarlyReleaseHasAProbationEnding() {
        // The same dates on an amnesty case (whose facts should carry no probation; if they did, it is ignored).
        let f = Self.facts(
            .amnesty, released: "2025-11-01", probation: "2026-06-30",
            [(.reportedIn, "2026-05-20"), (.contact, "2026-06-15")])
        #expect(Self.due(f, on: "2026-05-31") == [])
    }

    // MARK: - whereabouts_unknown, an ended case

    @Test func whereaboutsUnknownUntilLocated() {
        // Reported in 2026-01-06, contact 2026-02-01; whereabouts unknown from 2026-02-10, located 2026-03-05.
        let f = Self.facts(
            released: "2026-01-05",
            [
                (.reportedIn, "2026-01-06"), (.contact, "2026-02-01"), (.whereaboutsUnknown, "2026-02-10"),
                (.located, "2026-03-05"),
            ])
        #expect(Self.due(f, on: "2026-02-09") == [])
        #expect(Self.due(f, on: "2026-02-10") == ["whereabouts_unknown since 2026-02-10, days 0"])
        // 2026-03-04: 18 days to 02-28 (2026 is not a leap year), +4 = 22.
        #expect(Self.due(f, on: "2026-03-04") == ["whereabouts_unknown since 2026-02-10, days 22"])
        #expect(Self.due(f, on: "2026-03-05") == [])
        // Missing again after being found: since the new day, not the first one.
        var again = f
        again.marks.append(SupervisionMark(date: day("2026-03-20"), kind: .whereaboutsUnknown))
        #expect(Self.due(again, on: "2026-03-21") == ["whereabouts_unknown since 2026-03-20, days 1"])
    }

    @Test func anEndedCaseHasNothingDueOnOrAfterItsEnding() {
        // Released 2026-01-01, never reported in: arrival overdue since 2026-01-07; on 2026-01-31, days 24. Ended
        // (died) on 2026-02-01, missing since 2026-01-20.
        let f = Self.facts(
            released: "2026-01-01", ending: (.died, "2026-02-01"), [(.whereaboutsUnknown, "2026-01-20")])
        #expect(
            Self.due(f, on: "2026-01-31") == [
                "arrival_overdue since 2026-01-07, days 24", "whereabouts_unknown since 2026-01-20, days 11",
            ])
        #expect(Self.due(f, on: "2026-02-01") == [])
        #expect(Self.due(f, on: "2026-02-02") == [])
        // An early release revoked before its probation ends lists no probation_ending either.
        let revoked = Self.facts(
            .earlyRelease, released: "2026-01-01", probation: "2026-03-01", ending: (.revoked, "2026-02-10"),
            [(.reportedIn, "2026-01-02"), (.contact, "2026-02-05")])
        // 2026-02-09: probation ends in 20 days → listed since 2026-01-30 (03-01 − 30: 1 day of March, 28 of February, 1
        // of January back), days 10; on the revocation day nothing.
        #expect(Self.due(revoked, on: "2026-02-09") == ["probation_ending since 2026-01-30, days 10"])
        #expect(Self.due(revoked, on: "2026-02-10") == [])
    }

    // MARK: - Intervals set for a scope

    @Test func theMostSpecificScopeSetsTheIntervals() throws {
        var book = IntervalBook()
        let province = try ContactIntervals(probationDays: 20, otherDays: 60)
        let ward = try ContactIntervals(probationDays: 10, otherDays: 30)
        book.set(province, for: UnitCode("79")!)
        book.set(ward, for: UnitCode("79.26734")!)
        #expect(book.intervals(for: UnitCode("79.26734")!) == ward)
        #expect(book.intervals(for: UnitCode("79.26737")!) == province)
        #expect(book.intervals(for: UnitCode("79")!) == province)
        #expect(book.intervals(for: UnitCode("01.00004")!) == .standard)
        // "79.2" does not cover "79.26734": scopes go by whole segments.
        var partial = IntervalBook()
        partial.set(ward, for: UnitCode("79.2")!)
        #expect(partial.intervals(for: UnitCode("79.26734")!) == .standard)
        #expect(ContactIntervals.standard.probationDays == 31 && ContactIntervals.standard.otherDays == 92)
        expectRefusal("contact interval --probation 0", "from 1 to 366") {
            _ = try ContactIntervals(probationDays: 0, otherDays: 92)
        }
        expectRefusal("contact interval --other 367", "from 1 to 366") {
            _ = try ContactIntervals(probationDays: 31, otherDays: 367)
        }
    }

    @Test func aUnitsOwnIntervalsDecideWhatIsDue() throws {
        // Reported in 2026-01-06, amnesty. Other interval 60: 2026-01-06 + 60 = 2026-03-07 (25 to 01-31, 28 in
        // February, 7 in March) → not due; 2026-03-08 → due. Interval 30: due from 2026-02-06 (+31), and on 2026-03-08
        // that is 30 days ago (22 to 02-28, +8).
        let f = Self.facts(released: "2026-01-05", [(.reportedIn, "2026-01-06")])
        let sixty = try ContactIntervals(probationDays: 20, otherDays: 60)
        #expect(Self.due(f, on: "2026-03-07", intervals: sixty) == [])
        #expect(Self.due(f, on: "2026-03-08", intervals: sixty) == ["contact_overdue since 2026-03-08, days 0"])
        let thirty = try ContactIntervals(probationDays: 10, otherDays: 30)
        #expect(Self.due(f, on: "2026-03-08", intervals: thirty) == ["contact_overdue since 2026-02-06, days 30"])
    }

    // MARK: - Through a registry: the fold, the projections and the worklist

    /// Registers a release case of a new person under `unit` (by default the registry's).
    static func register(
        _ t: inout TestRegistry, _ ref: String, name: String, type: ReleaseType = .amnesty, unit: String? = nil,
        on released: String, probation: String? = nil
    ) throws -> ReleaseCase {
        try t.registry.registerRelease(
            person: .new(PersonDetails(fullName: name, birthDate: .year(1980), sex: .male, nationalID: nil)),
            caseRef: ref, unit: UnitCode(unit ?? t.registry.unit.rawValue)!, type: type,
            releasedOn: day(released), facility: "Trại giam Chí Hòa", offense: "Điều 168",
            probationUntil: probation.map(day), factory: &t.factory)
    }

    /// The worklist of `unit` on `date`, each line `CASE kind since DATE, days N`.
    static func worklist(_ t: TestRegistry, unit: String, on date: String) throws -> [String] {
        try t.registry.figures.worklist(unit: UnitCode(unit)!, on: day(date)).entries.map {
            "\($0.caseLabel) \($0.item.kind.rawValue) since \($0.item.since), days \($0.item.days)"
        }
    }

    @Test func aRetractedContactNoLongerCounts() throws {
        var t = try TestRegistry()
        let c = try Self.register(&t, "DX-1", name: "Trần Văn Một", on: "2026-01-05")
        _ = try t.registry.reportIn(c.label, on: day("2026-01-06"), factory: &t.factory)
        let contacted = try t.registry.recordContact(
            c.label, kind: .homeVisit, note: "at home", on: day("2026-04-01"), factory: &t.factory)
        // With the contact of 2026-04-01, on 2026-05-01 it is 30 days old: nothing due.
        #expect(try Self.worklist(t, unit: "79.26734", on: "2026-05-01") == [])
        let contact = try #require(contacted.supervision.last { $0.mark == .contact })
        #expect(contact.contactKind == .homeVisit && contact.note == "at home" && contact.date == day("2026-04-01"))
        _ = try t.registry.retract(contact.eventID, reason: "wrong person visited", factory: &t.factory)
        // Without it the reporting in of 2026-01-06 is the last contact: + 92 = 2026-04-08 (25 days to 01-31, 28,
        // 31, 8) → overdue since 2026-04-09; 2026-05-01 is 22 days later (21 to 04-30, +1).
        let state = try t.registry.records.releaseCase(c.label)
        #expect(state.supervision.map(\.mark) == [.reportedIn])
        #expect(
            try Self.worklist(t, unit: "79.26734", on: "2026-05-01") == [
                "79.26734/DX-1 contact_overdue since 2026-04-09, days 22"
            ])
        // The projections agree with the log folded again (as a report "as of" now does).
        let folded = try t.registry.figures.facts(asOf: TestRegistry.now).releases
        let derived = try t.registry.figures.facts(asOf: nil).releases
        #expect(
            folded == derived && folded.first?.marks == [SupervisionMark(date: day("2026-01-06"), kind: .reportedIn)])
    }

    @Test func missingThenLocatedThroughTheRegistry() throws {
        var t = try TestRegistry()
        let c = try Self.register(&t, "DX-1", name: "Trần Văn Một", on: "2026-01-05")
        _ = try t.registry.reportIn(c.label, on: day("2026-01-06"), factory: &t.factory)
        _ = try t.registry.assignOfficer(
            c.label, officer: "Thượng úy Lê Văn Hai", on: day("2026-01-06"), factory: &t.factory)
        let missing = try t.registry.recordMissing(
            c.label, note: "not at home for a week", on: day("2026-02-10"), factory: &t.factory)
        #expect(missing.missingSince == day("2026-02-10") && missing.officer == "Thượng úy Lê Văn Hai")
        // 2026-03-01: 18 days to 02-28, +1 = 19.
        #expect(
            try Self.worklist(t, unit: "79.26734", on: "2026-03-01") == [
                "79.26734/DX-1 whereabouts_unknown since 2026-02-10, days 19"
            ])
        let found = try t.registry.recordLocated(c.label, on: day("2026-03-05"), factory: &t.factory)
        #expect(found.missingSince == nil)
        #expect(try Self.worklist(t, unit: "79.26734", on: "2026-03-05") == [])
        // Still listed on the days before it was found.
        #expect(
            try Self.worklist(t, unit: "79.26734", on: "2026-03-04") == [
                "79.26734/DX-1 whereabouts_unknown since 2026-02-10, days 22"
            ])
    }

    @Test func anEndedCaseLeavesTheWorklistOnItsEndingDay() throws {
        var t = try TestRegistry()
        let c = try Self.register(&t, "DX-1", name: "Trần Văn Một", on: "2026-01-01")
        // Never reported in: overdue since 2026-01-07; on 2026-01-31, 24 days.
        #expect(
            try Self.worklist(t, unit: "79.26734", on: "2026-01-31") == [
                "79.26734/DX-1 arrival_overdue since 2026-01-07, days 24"
            ])
        _ = try t.registry.endRelease(
            c.label, as: .reoffended, on: day("2026-02-01"), offense: "Điều 173", reference: nil, factory: &t.factory)
        #expect(try Self.worklist(t, unit: "79.26734", on: "2026-01-31").count == 1)
        #expect(try Self.worklist(t, unit: "79.26734", on: "2026-02-01") == [])
        #expect(try Self.worklist(t, unit: "79.26734", on: "2026-06-01") == [])
    }

    /// Three cases of the province station 79 in two wards, on 2026-03-20.
    static func province() throws -> TestRegistry {
        var t = try TestRegistry(unit: "79")
        // X, 79.26734/DX-1: released 2026-03-01, never reported in → arrival overdue since 2026-03-07.
        _ = try register(&t, "DX-1", name: "Nguyễn Văn X", unit: "79.26734", on: "2026-03-01")
        // Y, 79.26737/DX-2: released 2026-01-01, reported in 01-02 (77 days before 03-20: within 92), missing from
        // 2026-02-15.
        let y = try register(&t, "DX-2", name: "Lê Thị Y", unit: "79.26737", on: "2026-01-01")
        _ = try t.registry.reportIn(y.label, on: day("2026-01-02"), factory: &t.factory)
        _ = try t.registry.recordMissing(y.label, note: nil, on: day("2026-02-15"), factory: &t.factory)
        // Z, 79.26734/TD-3: early release 2025-12-01, probation until 2026-04-10, reported in 2025-12-02, contact
        // 2026-02-01 → contact overdue from 02-01 + 32 = 2026-03-05 (27 days to 02-28, +5); probation ending listed
        // from 04-10 − 30 = 2026-03-11 (10 days of April, 20 of March back).
        let z = try register(
            &t, "TD-3", name: "Phạm Văn Z", type: .earlyRelease, unit: "79.26734", on: "2025-12-01",
            probation: "2026-04-10")
        _ = try t.registry.reportIn(z.label, on: day("2025-12-02"), factory: &t.factory)
        _ = try t.registry.recordContact(z.label, kind: .phone, note: nil, on: day("2026-02-01"), factory: &t.factory)
        return t
    }

    @Test func theWorklistIsOldestFirstAndCoversTheUnitsBelow() throws {
        let t = try Self.province()
        // On 2026-03-20: Y missing since 02-15 (33 days: 13 to 02-28, +20), Z contact since 03-05 (15), X arrival
        // since 03-07 (13), Z probation ending since 03-11 (9).
        #expect(
            try Self.worklist(t, unit: "79", on: "2026-03-20") == [
                "79.26737/DX-2 whereabouts_unknown since 2026-02-15, days 33",
                "79.26734/TD-3 contact_overdue since 2026-03-05, days 15",
                "79.26734/DX-1 arrival_overdue since 2026-03-07, days 13",
                "79.26734/TD-3 probation_ending since 2026-03-11, days 9",
            ])
        #expect(
            try Self.worklist(t, unit: "79.26734", on: "2026-03-20") == [
                "79.26734/TD-3 contact_overdue since 2026-03-05, days 15",
                "79.26734/DX-1 arrival_overdue since 2026-03-07, days 13",
                "79.26734/TD-3 probation_ending since 2026-03-11, days 9",
            ])
        #expect(
            try Self.worklist(t, unit: "79.26737", on: "2026-03-20") == [
                "79.26737/DX-2 whereabouts_unknown since 2026-02-15, days 33"
            ])
        // "79.267" is not above "79.26734": segments are whole. Another province sees nothing.
        #expect(try Self.worklist(t, unit: "79.267", on: "2026-03-20") == [])
        #expect(try Self.worklist(t, unit: "01", on: "2026-03-20") == [])
        let list = try t.registry.figures.worklist(unit: UnitCode("79.26737")!, on: day("2026-03-20"))
        #expect(list.entries.map(\.person) == ["Lê Thị Y"])
        #expect(list.entries.map(\.responsibleUnit) == [UnitCode("79.26737")!])
        #expect(list.unit == UnitCode("79.26737")! && list.on == day("2026-03-20") && list.intervals == .standard)
    }

    @Test func aTransferMovesTheCaseToTheNewUnitsWorklistAndRestartsItsClock() throws {
        var t = try Self.province()
        // X moves to 79.26737 from 2026-03-10. On 03-09 it is still 79.26734's (arrival overdue since 03-07, 2
        // days); on 2026-03-20 it is 79.26737's, whose day 6 is 03-16 (03-10 + 6) → since 2026-03-16, days 4.
        _ = try t.registry.transferRelease(
            "79.26734/DX-1", to: UnitCode("79.26737")!, on: day("2026-03-10"), factory: &t.factory)
        #expect(
            try Self.worklist(t, unit: "79.26734", on: "2026-03-09") == [
                "79.26734/TD-3 contact_overdue since 2026-03-05, days 4",
                "79.26734/DX-1 arrival_overdue since 2026-03-07, days 2",
            ])
        #expect(
            try Self.worklist(t, unit: "79.26734", on: "2026-03-20") == [
                "79.26734/TD-3 contact_overdue since 2026-03-05, days 15",
                "79.26734/TD-3 probation_ending since 2026-03-11, days 9",
            ])
        #expect(
            try Self.worklist(t, unit: "79.26737", on: "2026-03-20") == [
                "79.26737/DX-2 whereabouts_unknown since 2026-02-15, days 33",
                "79.26734/DX-1 arrival_overdue since 2026-03-16, days 4",
            ])
        let entry = try #require(
            try t.registry.figures.worklist(unit: UnitCode("79.26737")!, on: day("2026-03-20")).entries.last)
        #expect(entry.responsibleUnit == UnitCode("79.26737")!)
        // Day 5 after the transfer (2026-03-15): not due for the new unit.
        #expect(
            try Self.worklist(t, unit: "79.26737", on: "2026-03-15") == [
                "79.26737/DX-2 whereabouts_unknown since 2026-02-15, days 28"
            ])
    }

    @Test func theIntervalsSetForAScopeReachTheWorklist() throws {
        var t = try TestRegistry(unit: "79")
        let c = try Self.register(&t, "DX-1", name: "Trần Văn Một", unit: "79.26734", on: "2026-01-05")
        _ = try t.registry.reportIn(c.label, on: day("2026-01-06"), factory: &t.factory)
        // Standard 92 days: due from 2026-04-09 (see aRetractedContactNoLongerCounts); nothing on 2026-03-08.
        #expect(try Self.worklist(t, unit: "79", on: "2026-03-08") == [])
        // 60 days for the province: 2026-01-06 + 60 = 2026-03-07 → due from 2026-03-08.
        try t.registry.figures.setIntervals(
            try ContactIntervals(probationDays: 20, otherDays: 60), for: UnitCode("79")!)
        #expect(try Self.worklist(t, unit: "79", on: "2026-03-07") == [])
        #expect(
            try Self.worklist(t, unit: "79", on: "2026-03-08") == [
                "79.26734/DX-1 contact_overdue since 2026-03-08, days 0"
            ])
        // 30 days for the ward, more specific: due from 2026-02-06, 30 days before 2026-03-08.
        let thirty = try ContactIntervals(probationDays: 10, otherDays: 30)
        try t.registry.figures.setIntervals(thirty, for: UnitCode("79.26734")!)
        #expect(
            try Self.worklist(t, unit: "79", on: "2026-03-08") == [
                "79.26734/DX-1 contact_overdue since 2026-02-06, days 30"
            ])
        #expect(try t.registry.figures.worklist(unit: UnitCode("79.26734")!, on: day("2026-03-08")).intervals == thirty)
        #expect(try t.registry.figures.intervalBook().intervals(for: UnitCode("79.26737")!).otherDays == 60)
        // Removing the ward's brings back the province's.
        try t.registry.figures.setIntervals(nil, for: UnitCode("79.26734")!)
        #expect(
            try Self.worklist(t, unit: "79", on: "2026-03-08") == [
                "79.26734/DX-1 contact_overdue since 2026-03-08, days 0"
            ])
    }
}
