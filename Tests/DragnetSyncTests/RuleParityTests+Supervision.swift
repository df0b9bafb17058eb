import DragnetCore
import DragnetServer
import DragnetSync
import Foundation
import Testing

/// The rules of the supervision events and of a wanted case's link to a release case (SPEC §10, issue 13), on the
/// officer's command, the import of `supervision.csv` and the push, with the same record, field, value and message.
///
/// Import: `wanted.csv` and `releases.csv` gain no column (issue 13), so the link to a release case cannot be
/// imported; the supervision events come in `supervision.csv` (docs/formats.md), one a row, whose row is row 2 here.
extension RuleParityTests {
    /// The five supervision events, as a command and as the event the command makes.
    enum Supervised: String, CaseIterable, CustomStringConvertible {
        case reportedIn = "reported_in", officerAssigned = "officer_assigned", contact
        case whereaboutsUnknown = "whereabouts_unknown", located

        var description: String { rawValue }

        var payload: EventPayload {
            switch self {
            case .reportedIn: return .reportedIn
            case .officerAssigned: return .officerAssigned(officer: "Trung úy Võ Văn Ba")
            case .contact: return .contact(kind: .homeVisit, note: "at his mother's")
            case .whereaboutsUnknown: return .whereaboutsUnknown(note: nil)
            case .located: return .located
            }
        }

        /// The event as a row of `supervision.csv`.
        func row(on date: String) -> [String] {
            switch self {
            case .officerAssigned: return supervisionRow(kind: rawValue, date: date, officer: "Trung úy Võ Văn Ba")
            case .contact:
                return supervisionRow(kind: rawValue, date: date, contactKind: "home_visit", note: "at his mother's")
            default: return supervisionRow(kind: rawValue, date: date)
            }
        }

        func command(_ officer: inout Officer, _ ref: String, on date: String) throws {
            switch self {
            case .reportedIn: try officer.releaseReportIn(ref, on: date)
            case .officerAssigned: try officer.releaseAssign(ref, officer: "Trung úy Võ Văn Ba", on: date)
            case .contact: try officer.releaseContact(ref, kind: .homeVisit, note: "at his mother's", on: date)
            case .whereaboutsUnknown: try officer.releaseMissing(ref, on: date)
            case .located: try officer.releaseLocated(ref, on: date)
            }
        }
    }

    /// SPEC §4: an event on a release case is on or after the release date — each supervision event.
    @Test(arguments: Supervised.allCases)
    func aSupervisionEventIsNotBeforeTheRelease(event: Supervised) async throws {
        var s = Scene()
        let r = s.release(person: s.person(), on: "2020-03-01")
        let refusal = Refusal("79.26734/DX-1", "date", "2020-02-29", "is before the release on 2020-03-01")
        try expectCommand(s, .refused(refusal)) { try event.command(&$0, "79.26734/DX-1", on: "2020-02-29") }
        try expectImport(s, .supervision, [event.row(on: "2020-02-29")], .refused(refusal))
        try await expectPush(s, [s.supervision(event.payload, r, on: "2020-02-29")], [.rejected(refusal)])
    }

    /// SPEC §4: nothing is recorded on a release case after its ending — each supervision event.
    @Test(arguments: Supervised.allCases)
    func aSupervisionEventIsNotAfterTheEnding(event: Supervised) async throws {
        var s = Scene()
        let r = s.release(person: s.person(), on: "2020-03-01")
        if event == .located { s.supervise(.whereaboutsUnknown(note: nil), r, on: "2020-04-01") }
        s.end(r, .died, on: "2020-06-01")
        let refusal = Refusal(
            "79.26734/DX-1", "date", "2020-06-02",
            "is after the case ended on 2020-06-01 (died): nothing can be recorded on it after its ending")
        try expectCommand(s, .refused(refusal)) { try event.command(&$0, "79.26734/DX-1", on: "2020-06-02") }
        try expectImport(s, .supervision, [event.row(on: "2020-06-02")], .refused(refusal))
        try await expectPush(s, [s.supervision(event.payload, r, on: "2020-06-02")], [.rejected(refusal)])
    }

    /// As for a wanted case's closing day: a contact on the ending day itself is accepted.
    @Test func aContactOnTheEndingDayIsAccepted() async throws {
        var s = Scene()
        let r = s.release(person: s.person(), on: "2020-03-01")
        s.end(r, .reoffended, on: "2020-06-01")
        try expectCommand(s, .accepted) { try $0.releaseContact("79.26734/DX-1", on: "2020-06-01") }
        try expectImport(
            s, .supervision, [supervisionRow(kind: "contact", date: "2020-06-01", contactKind: "in_person")], .accepted)
        try await expectPush(s, [s.supervision(.contact(kind: .inPerson, note: nil), r, on: "2020-06-01")], [.created])
    }

    /// SPEC §4: dates are not later than the recording day (+1 day) — each supervision event.
    @Test(arguments: Supervised.allCases)
    func aSupervisionEventDatedLaterThanTheDayAfterRecordingIsRefused(event: Supervised) async throws {
        var s = Scene()
        let r = s.release(person: s.person(), on: "2020-03-01")
        if event == .located { s.supervise(.whereaboutsUnknown(note: nil), r, on: "2026-11-01") }
        let refusal = Refusal("79.26734/DX-1", "date", "2026-11-28", Self.futureMessage)
        try expectCommand(s, .refused(refusal)) { try event.command(&$0, "79.26734/DX-1", on: "2026-11-28") }
        try expectImport(s, .supervision, [event.row(on: "2026-11-28")], .refused(refusal))
        try await expectPush(s, [s.supervision(event.payload, r, on: "2026-11-28")], [.rejected(refusal)])
    }

    /// ReleaseCaseFold: `located` needs an earlier `whereabouts_unknown`.
    @Test func locatedNeedsAnEarlierWhereaboutsUnknown() async throws {
        var s = Scene()
        let r = s.release(person: s.person(), on: "2020-03-01")
        // One that is later than the located does not count.
        s.supervise(.whereaboutsUnknown(note: nil), r, on: "2020-05-01")
        let refusal = Refusal(
            "79.26734/DX-1", "kind", "located", "no whereabouts_unknown comes before it: the person was not missing")
        try expectCommand(s, .refused(refusal)) { try $0.releaseLocated("79.26734/DX-1", on: "2020-04-30") }
        try expectImport(s, .supervision, [supervisionRow(kind: "located", date: "2020-04-30")], .refused(refusal))
        try await expectPush(s, [s.supervision(.located, r, on: "2020-04-30")], [.rejected(refusal)])
        try expectCommand(s, .accepted) { try $0.releaseLocated("79.26734/DX-1", on: "2020-05-01") }
        try expectImport(s, .supervision, [supervisionRow(kind: "located", date: "2020-05-01")], .accepted)
        try await expectPush(s, [s.supervision(.located, r, on: "2020-05-01")], [.created])
    }

    /// ReleaseCaseFold: whereabouts are not recorded unknown twice without `located` between.
    @Test func whereaboutsUnknownIsNotRecordedTwice() async throws {
        var s = Scene()
        let r = s.release(person: s.person(), on: "2020-03-01")
        s.supervise(.whereaboutsUnknown(note: nil), r, on: "2020-05-01")
        let refusal = Refusal(
            "79.26734/DX-1", "date", "2020-06-01",
            "the person's whereabouts are already unknown since 2020-05-01; record `located` first")
        try expectCommand(s, .refused(refusal)) { try $0.releaseMissing("79.26734/DX-1", on: "2020-06-01") }
        try expectImport(
            s, .supervision, [supervisionRow(kind: "whereabouts_unknown", date: "2020-06-01")], .refused(refusal))
        try await expectPush(
            s, [s.supervision(.whereaboutsUnknown(note: nil), r, on: "2020-06-01")], [.rejected(refusal)])
    }

    /// EventRules: an assignment names the officer.
    @Test func anAssignmentNamesTheOfficer() async throws {
        var s = Scene()
        let r = s.release(person: s.person(), on: "2020-03-01")
        let message = "an assignment names the officer who follows the person"
        let empty = Refusal("79.26734/DX-1", "officer", "", message)
        try expectCommand(s, .refused(empty)) { try $0.releaseAssign("79.26734/DX-1", officer: "", on: "2020-03-02") }
        try expectImport(
            s, .supervision, [supervisionRow(kind: "officer_assigned", date: "2020-03-02", officer: "")],
            .refused(empty))
        try await expectPush(
            s, [s.supervision(.officerAssigned(officer: ""), r, on: "2020-03-02")], [.rejected(empty)])
        // Spaces only: the import trims a field's spaces (docs/formats.md), so a row cannot carry them.
        let spaces = Refusal("79.26734/DX-1", "officer", " ", message)
        try expectCommand(s, .refused(spaces)) {
            try $0.releaseAssign("79.26734/DX-1", officer: " ", on: "2020-03-02")
        }
        try await expectPush(
            s, [s.supervision(.officerAssigned(officer: " "), r, on: "2020-03-02")], [.rejected(spaces)])
    }

    /// RecordRules.releaseLink: a wanted case names as its release case only a registered one.
    @Test func aLinkedReleaseCaseIsRegistered() async throws {
        var s = Scene()
        let p = s.person()
        let ghost = s.newID()
        let refusal = Refusal(
            "79.26734/TN-1", "release_case", ghost.uuidString.lowercased(), "no such release case is registered")
        try expectCommand(s, .refused(refusal)) {
            try $0.wantedAdd(person: .existing(p), on: "2020-06-01", release: ghost.uuidString.lowercased())
        }
        try await expectPush(s, [s.opening(person: p, on: "2020-06-01", releaseCase: ghost)], [.rejected(refusal)])
    }

    /// RecordRules.releaseLink: … of the same person.
    @Test func aLinkedReleaseCaseIsThePersons() async throws {
        var s = Scene()
        let released = s.person()
        let r = s.release("TD-1", person: released, type: .earlyRelease, on: "2020-01-10", probation: "2021-01-10")
        let other = s.person("Lê Văn C")
        let refusal = Refusal(
            "79.26734/TN-1", "release_case", r.uuidString.lowercased(),
            "79.26734/TD-1 concerns another person (\(released.uuidString.lowercased())), not "
                + other.uuidString.lowercased())
        try expectCommand(s, .refused(refusal)) {
            try $0.wantedAdd(person: .existing(other), on: "2020-06-01", release: "79.26734/TD-1")
        }
        try await expectPush(s, [s.opening(person: other, on: "2020-06-01", releaseCase: r)], [.rejected(refusal)])
        try expectCommand(s, .accepted) {
            try $0.wantedAdd(person: .existing(released), on: "2020-06-01", release: "79.26734/TD-1")
        }
        try await expectPush(s, [s.opening(person: released, on: "2020-06-01", releaseCase: r)], [.created]) {
            (server: LiveServer) throws in
            #expect(try server.registry.records.wantedCases(arisingFrom: r) == ["79.26734/TN-1"])
        }
    }

    /// RecordRules.releaseLink: … and a release case, not another kind of record.
    @Test func aLinkedReleaseCaseIsNotAWantedCase() async throws {
        var s = Scene()
        let p = s.person()
        let w = s.wanted(person: p, on: "2019-01-01")
        s.close(w, on: "2019-06-01")
        let refusal = Refusal(
            "79.26734/TN-2", "release_case", w.uuidString.lowercased(), "is a wanted, not a release case")
        try expectCommand(s, .refused(refusal)) {
            try $0.wantedAdd("TN-2", person: .existing(p), on: "2020-06-01", release: w.uuidString.lowercased())
        }
        try await expectPush(s, [s.opening("TN-2", person: p, on: "2020-06-01", releaseCase: w)], [.rejected(refusal)])
    }

    /// AppendPolicy.central: a contact recorded by the unit that handed the case over, dated after an ending the new
    /// unit recorded and it had not pulled, is kept and listed on the server; the station that knows the ending
    /// refuses it.
    @Test func aContactAfterAnotherUnitsEndingIsKeptAndListed() async throws {
        var s = Scene()
        let r = s.release(person: s.person(), on: "2020-01-01")
        s.keep(s.transfer(r, to: Scene.neighbour, on: "2020-03-01"))
        s.end(r, .died, on: "2020-06-01", by: Scene.neighbour)
        let refusal = Refusal(
            "79.26734/DX-1", "date", "2020-07-01",
            "is after the case ended on 2020-06-01 (died): nothing can be recorded on it after its ending")
        try expectCommand(s, .refused(refusal)) { try $0.releaseContact("79.26734/DX-1", on: "2020-07-01") }
        try await expectPush(s, [s.supervision(.contact(kind: .phone, note: nil), r, on: "2020-07-01")], [.created]) {
            (server: LiveServer) throws in
            #expect(try listed(server) == ["invalid: " + refusal.sentence(record: "79.26734/DX-1")])
        }
    }
}
