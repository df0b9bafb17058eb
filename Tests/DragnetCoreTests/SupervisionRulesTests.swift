import Foundation
import Testing

@testable import DragnetCore

/// The rules of the supervision events (SPEC §4, §10, issue 13) through the registry an officer's command calls: each
/// bad input refused with the record, the field and the value named, as bad input (exit 65), and nothing written.
@Suite struct SupervisionRulesTests {
    /// The five supervision events, each recorded on `ref` on `date` as its command records it.
    enum Act: String, CaseIterable, CustomStringConvertible {
        case reportIn, assign, contact, missing, located

        var description: String { rawValue }

        func record(_ t: inout TestRegistry, _ ref: String, on date: String) throws {
            switch self {
            case .reportIn: _ = try t.registry.reportIn(ref, on: day(date), factory: &t.factory)
            case .assign:
                _ = try t.registry.assignOfficer(ref, officer: "Trung úy Võ Văn Ba", on: day(date), factory: &t.factory)
            case .contact:
                _ = try t.registry.recordContact(ref, kind: .inPerson, note: nil, on: day(date), factory: &t.factory)
            case .missing: _ = try t.registry.recordMissing(ref, note: nil, on: day(date), factory: &t.factory)
            case .located: _ = try t.registry.recordLocated(ref, on: day(date), factory: &t.factory)
            }
        }

        /// A located needs a whereabouts_unknown before it: recorded first on `date` for that act.
        func prepare(_ t: inout TestRegistry, _ ref: String, missingOn date: String) throws {
            if self == .located { _ = try t.registry.recordMissing(ref, note: nil, on: day(date), factory: &t.factory) }
        }
    }

    /// Expects `body` to be refused as bad input with exactly `sentence` (or a message starting with it, when
    /// `prefix`), writing no event.
    func expectRefused(
        _ t: TestRegistry, _ sentence: String, prefix: Bool = false, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) throws {
        let before = try t.registry.eventCount()
        do {
            try body()
            Issue.record("accepted; expected the refusal \(sentence)", sourceLocation: sourceLocation)
        } catch let error as DragnetError {
            #expect(
                prefix ? error.message.hasPrefix(sentence) : error.message == sentence, "said: \(error.message)",
                sourceLocation: sourceLocation)
            #expect(error.exitStatus == 65, sourceLocation: sourceLocation)
        }
        #expect(try t.registry.eventCount() == before, "nothing is written", sourceLocation: sourceLocation)
    }

    @Test(arguments: Act.allCases)
    func aSupervisionEventIsNotBeforeTheRelease(act: Act) throws {
        var t = try TestRegistry()
        let c = try t.release("DX-1", on: "2026-03-01")
        // The day before the release is refused; the release day itself is accepted.
        try expectRefused(t, "79.26734/DX-1, date \"2026-02-28\": is before the release on 2026-03-01") {
            try act.record(&t, c.label, on: "2026-02-28")
        }
        try act.prepare(&t, c.label, missingOn: "2026-03-01")
        try act.record(&t, c.label, on: "2026-03-01")
    }

    @Test(arguments: Act.allCases)
    func aSupervisionEventIsNotAfterTheEnding(act: Act) throws {
        var t = try TestRegistry()
        let c = try t.release("DX-1", on: "2026-03-01")
        try act.prepare(&t, c.label, missingOn: "2026-03-10")
        _ = try t.registry.endRelease(
            c.label, as: .died, on: day("2026-05-01"), offense: nil, reference: nil, factory: &t.factory)
        try expectRefused(
            t,
            "79.26734/DX-1, date \"2026-05-02\": is after the case ended on 2026-05-01 (died): nothing can be "
                + "recorded on it after its ending"
        ) { try act.record(&t, c.label, on: "2026-05-02") }
        // On the ending day itself (as for a wanted case's closing day, docs/design.md) it is accepted.
        try act.record(&t, c.label, on: "2026-05-01")
    }

    @Test func aContactOnAnEndedCaseIsRefusedAfterItsEndingAndKeptBeforeIt() throws {
        var t = try TestRegistry()
        let c = try t.release("DX-1", on: "2026-01-05")
        _ = try t.registry.reportIn(c.label, on: day("2026-01-06"), factory: &t.factory)
        _ = try t.registry.endRelease(
            c.label, as: .reoffended, on: day("2026-06-10"), offense: "Điều 173", reference: "BA-1",
            factory: &t.factory)
        try expectRefused(
            t,
            "79.26734/DX-1, date \"2026-07-01\": is after the case ended on 2026-06-10 (reoffended): nothing can be "
                + "recorded on it after its ending"
        ) {
            _ = try t.registry.recordContact(
                c.label, kind: .homeVisit, note: "x", on: day("2026-07-01"), factory: &t.factory)
        }
        // A contact made while the case was open and entered late is history, not a contact on an ended case.
        let late = try t.registry.recordContact(
            c.label, kind: .phone, note: "entered from the paper file", on: day("2026-05-20"), factory: &t.factory)
        #expect(late.supervision.map(\.mark) == [.reportedIn, .contact] && late.ending?.kind == .reoffended)
    }

    @Test func anEndingDatedBeforeARecordedContactIsRefused() throws {
        // The contact of 2026-05-10 would then be after the ending: the ending is refused and the sentence names the
        // contact's date.
        var t = try TestRegistry()
        let c = try t.release("DX-1", on: "2026-03-01")
        _ = try t.registry.recordContact(c.label, kind: .phone, note: nil, on: day("2026-05-10"), factory: &t.factory)
        try expectRefused(
            t,
            "79.26734/DX-1, date \"2026-05-10\": is after the case ended on 2026-05-01 (expunged): nothing can be "
                + "recorded on it after its ending"
        ) {
            _ = try t.registry.endRelease(
                c.label, as: .expunged, on: day("2026-05-01"), offense: nil, reference: nil, factory: &t.factory)
        }
    }

    @Test func locatedNeedsAnEarlierWhereaboutsUnknown() throws {
        var t = try TestRegistry()
        let c = try t.release("DX-1", on: "2026-03-01")
        try expectRefused(
            t, "79.26734/DX-1, kind \"located\": no whereabouts_unknown comes before it: the person was not missing"
        ) { _ = try t.registry.recordLocated(c.label, on: day("2026-03-20"), factory: &t.factory) }
        _ = try t.registry.recordMissing(c.label, note: "moved away", on: day("2026-03-10"), factory: &t.factory)
        // Dated before the whereabouts_unknown: still nothing before it.
        try expectRefused(
            t, "79.26734/DX-1, kind \"located\": no whereabouts_unknown comes before it: the person was not missing"
        ) { _ = try t.registry.recordLocated(c.label, on: day("2026-03-09"), factory: &t.factory) }
        // The same day, recorded after it: found again that day.
        let found = try t.registry.recordLocated(c.label, on: day("2026-03-10"), factory: &t.factory)
        #expect(found.missingSince == nil)
        // Once found, another located needs another whereabouts_unknown.
        try expectRefused(
            t, "79.26734/DX-1, kind \"located\": no whereabouts_unknown comes before it: the person was not missing"
        ) { _ = try t.registry.recordLocated(c.label, on: day("2026-03-20"), factory: &t.factory) }
    }

    @Test func whereaboutsUnknownIsNotRecordedTwiceWithoutLocated() throws {
        var t = try TestRegistry()
        let c = try t.release("DX-1", on: "2026-03-01")
        _ = try t.registry.recordMissing(c.label, note: nil, on: day("2026-03-10"), factory: &t.factory)
        try expectRefused(
            t,
            "79.26734/DX-1, date \"2026-04-01\": the person's whereabouts are already unknown since 2026-03-10; "
                + "record `located` first"
        ) { _ = try t.registry.recordMissing(c.label, note: "still away", on: day("2026-04-01"), factory: &t.factory) }
        _ = try t.registry.recordLocated(c.label, on: day("2026-04-05"), factory: &t.factory)
        let again = try t.registry.recordMissing(c.label, note: nil, on: day("2026-04-20"), factory: &t.factory)
        #expect(again.missingSince == day("2026-04-20"))
    }

    @Test func retractingAWhereaboutsUnknownThatALocatedAnswersIsRefusedUntilTheLocatedIsRetracted() throws {
        var t = try TestRegistry()
        let c = try t.release("DX-1", on: "2026-03-01")
        let missing = try t.registry.recordMissing(c.label, note: nil, on: day("2026-03-10"), factory: &t.factory)
        let found = try t.registry.recordLocated(c.label, on: day("2026-03-20"), factory: &t.factory)
        let unknownID = try #require(missing.supervision.last?.eventID)
        let locatedID = try #require(found.supervision.last?.eventID)
        // Without the whereabouts_unknown the located would answer nothing: the retraction is refused, naming it.
        try expectRefused(
            t, "79.26734/DX-1, kind \"located\": no whereabouts_unknown comes before it: the person was not missing"
        ) { _ = try t.registry.retract(unknownID, reason: "wrong case", factory: &t.factory) }
        _ = try t.registry.retract(locatedID, reason: "not found after all", factory: &t.factory)
        #expect(try t.registry.records.releaseCase(c.label).missingSince == day("2026-03-10"))
        _ = try t.registry.retract(unknownID, reason: "wrong case", factory: &t.factory)
        #expect(try t.registry.records.releaseCase(c.label).supervision.isEmpty)
    }

    @Test func anAssignmentNamesTheOfficer() throws {
        var t = try TestRegistry()
        let c = try t.release("DX-1", on: "2026-03-01")
        try expectRefused(
            t, "79.26734/DX-1, officer \" \": an assignment names the officer who follows the person"
        ) { _ = try t.registry.assignOfficer(c.label, officer: " ", on: day("2026-03-02"), factory: &t.factory) }
        try expectRefused(t, "79.26734/DX-1, officer: an assignment names the officer who follows the person") {
            _ = try t.registry.assignOfficer(c.label, officer: "", on: day("2026-03-02"), factory: &t.factory)
        }
        let assigned = try t.registry.assignOfficer(
            c.label, officer: "Đại úy Nguyễn Thị Hoa", on: day("2026-03-02"), factory: &t.factory)
        #expect(assigned.officer == "Đại úy Nguyễn Thị Hoa")
    }

    @Test(arguments: Act.allCases)
    func aSupervisionEventIsNotInTheFuture(act: Act) throws {
        // Recorded on 2026-11-26: the next day is allowed for clock skew, the one after is refused.
        var t = try TestRegistry()
        let c = try t.release("DX-1", on: "2026-03-01")
        try act.prepare(&t, c.label, missingOn: "2026-11-01")
        try expectRefused(
            t,
            "79.26734/DX-1, date \"2026-11-28\": is later than the day it was recorded (2026-11-26); dates in the "
                + "future are refused"
        ) { try act.record(&t, c.label, on: "2026-11-28") }
        try act.record(&t, c.label, on: "2026-11-27")
    }

    @Test func aSupervisionEventNamesAReleaseCase() throws {
        var t = try TestRegistry()
        let w = try t.wanted("TN-1", opened: "2026-01-01")
        // A wanted case is not a release case; the command looks the case up among release cases.
        try expectRefused(t, "no release case 79.26734/TN-1 in ", prefix: true) {
            _ = try t.registry.reportIn("79.26734/TN-1", on: day("2026-02-01"), factory: &t.factory)
        }
        try expectRefused(t, "no release case \(w.id.lowercased)") {
            _ = try t.registry.recordContact(
                w.id.lowercased, kind: .phone, note: nil, on: day("2026-02-01"), factory: &t.factory)
        }
    }

    // MARK: - A wanted case naming the release case it arose from

    /// Opens wanted case `ref` for `person` (a new person by default) naming `release`.
    func openLinked(
        _ t: inout TestRegistry, _ ref: String = "TN-1", person: PersonChoice? = nil, release: String
    ) throws -> WantedCase {
        try t.registry.openWanted(
            person: person
                ?? .new(PersonDetails(fullName: "Lê Văn C", birthDate: .year(1990), sex: .male, nationalID: nil)),
            caseRef: ref, ownerUnit: t.registry.unit, danger: .dangerous, abroad: false,
            decision: Decision(number: "QĐ-1", issuedBy: "PC02", offense: "Điều 173"), decisionDate: day("2026-06-01"),
            releaseCase: release, factory: &t.factory)
    }

    @Test func aLinkNamesARegisteredReleaseCase() throws {
        var t = try TestRegistry()
        try expectRefused(t, "79.26734/TN-1, release_case \"79.26734/TD-9\": no such release case is registered") {
            _ = try openLinked(&t, release: "79.26734/TD-9")
        }
        let ghost = UUID(uuidString: "0b0e0f00-0000-4000-8000-000000000001")!.lowercased
        try expectRefused(t, "79.26734/TN-1, release_case \"\(ghost)\": no such release case is registered") {
            _ = try openLinked(&t, release: ghost)
        }
    }

    @Test func aLinkNamesAReleaseCaseOfTheSamePerson() throws {
        var t = try TestRegistry()
        let release = try t.release("TD-1", type: .earlyRelease, on: "2026-01-10", probation: "2026-12-31")
        let person = release.registration.personID.lowercased
        // A new person ("Lê Văn C") is not the released person: the sentence names both ids.
        let before = try t.registry.eventCount()
        do {
            _ = try openLinked(&t, release: release.label)
            Issue.record("a link to another person's release case was accepted")
        } catch let error as DragnetError {
            #expect(error.exitStatus == 65)
            #expect(
                error.message.hasPrefix(
                    "79.26734/TN-1, release_case \"\(release.id.lowercased)\": 79.26734/TD-1 concerns another person (\(person)), not "
                ))
        }
        #expect(try t.registry.eventCount() == before)
        // The same person: accepted, and both cases show the link.
        let linked = try openLinked(&t, person: .existing(release.registration.personID), release: release.label)
        #expect(linked.releaseCase == release.id)
        #expect(try t.registry.records.wantedCases(arisingFrom: release.id) == ["79.26734/TN-1"])
    }

    @Test func aLinkIsNotToAWantedCase() throws {
        var t = try TestRegistry()
        let other = try t.wanted("TN-1", opened: "2026-01-01")
        try expectRefused(
            t, "79.26734/TN-2, release_case \"\(other.id.lowercased)\": is a wanted, not a release case"
        ) { _ = try openLinked(&t, "TN-2", release: other.id.lowercased) }
    }

    @Test func aLinkToAReleaseCaseWhoseRegistrationWasRetractedIsRefused() throws {
        var t = try TestRegistry()
        let release = try t.release("TD-1", type: .earlyRelease, on: "2026-01-10", probation: "2026-12-31")
        let registration = try t.registry.records.history(of: release.id).first?.event.id
        _ = try t.registry.retract(try #require(registration), reason: "wrong person", factory: &t.factory)
        try expectRefused(
            t,
            "79.26734/TN-1, release_case \"\(release.id.lowercased)\": no such release case is registered (its "
                + "registration was retracted)"
        ) {
            _ = try openLinked(&t, person: .existing(release.registration.personID), release: release.id.lowercased)
        }
    }
}
