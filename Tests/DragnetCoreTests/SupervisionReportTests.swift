import Foundation
import Testing

@testable import DragnetCore

/// The supervision figures of SPEC §10 in the figure report, on a small province whose figures are worked out by
/// hand below (docs/figures.md, "Supervision of released persons", has the same example).
///
/// Province 79, wards A = 79.26734 and B = 79.26737 (B has set its own contact intervals: 31 days on probation, 60
/// otherwise; A uses the standard 31 / 92), and province 75. The report is the year 2025, so the supervision figures
/// are of its last day D = 2025-12-31. Events were recorded in two batches: batch 1 on 2026-01-10, batch 2 on
/// 2026-02-20 (a retraction, a late reporting in, a late ending); `as_of` 2026-02-01 sees batch 1 only.
///
/// | case | type, released | unit on D | batch 1 | batch 2 |
/// |---|---|---|---|---|
/// | S1 | early release 2025-06-02, probation to 2026-06-02 | A | reported in 06-04, contact 12-10 | |
/// | S2 | early release 2025-03-01, probation to 2026-03-01 | A | reported in 03-03, contacts 10-15, 11-20, 12-15 | contact 12-15 retracted |
/// | S3 | sentence completed 2025-08-01 | A | reported in 08-03, contact 10-20 | |
/// | S4 | early release 2024-09-01, probation to 2025-09-30 | A | reported in 2024-09-03, contact 2025-11-05 | |
/// | S5 | amnesty 2025-12-20 | A | nothing | |
/// | S6 | amnesty 2025-12-26 | A | nothing | |
/// | S7 | sentence completed 2025-05-05 at A | B from 12-20 | reported in (to A) 05-07, contact 06-01, transfer to B 12-20 | reported in (to B) 12-23 |
/// | S8 | amnesty 2025-02-02 | B | reported in 02-04, contact 09-01, whereabouts unknown 11-15; wanted case opened 12-01 from this release | |
/// | S9 | amnesty 2025-01-10 | B | reported in 01-12, whereabouts unknown 06-01, located 07-01, contact 10-15; an old wanted case 2015, arrested 2015 | |
/// | S10 | sentence completed 2025-01-05 | B | reported in 01-07, whereabouts unknown 10-01 | ended: reoffended 11-30 |
/// | S11 | sentence completed 2025-04-04 at A | 75.26001 from 10-01 | transfer | |
/// | S12 | amnesty 2026-01-05 | A | nothing | |
@Suite struct SupervisionReportTests {
    static let batch1 = Timestamp("2026-01-10T03:00:00Z")!
    static let batch2 = Timestamp("2026-02-20T03:00:00Z")!
    static let between = Timestamp("2026-02-01T00:00:00Z")!
    static let a = "79.26734", b = "79.26737"

    /// The province's database, built through the registry as officers would record it.
    static func province() throws -> TestRegistry {
        var t = try TestRegistry(unit: "79", now: batch1)
        var later = TestRegistry.factory(unit: "79", now: batch2)
        let registry = t.registry
        try registry.figures.setIntervals(try ContactIntervals(probationDays: 31, otherDays: 60), for: UnitCode(b)!)
        var number = 0
        func release(
            _ ref: String, _ type: ReleaseType, _ released: String, unit: String, probation: String? = nil
        ) throws -> ReleaseCase {
            number += 1
            return try registry.registerRelease(
                person: .new(
                    PersonDetails(
                        fullName: "Người Thứ \(number)", birthDate: .year(1970 + number), sex: .male,
                        nationalID: nil)),
                caseRef: ref, unit: UnitCode(unit)!, type: type, releasedOn: day(released),
                facility: "Trại giam Xuân Lộc", offense: "Điều 173", probationUntil: probation.map(day),
                factory: &t.factory)
        }
        func reportIn(_ c: ReleaseCase, _ on: String) throws {
            _ = try registry.reportIn(c.label, on: day(on), factory: &t.factory)
        }
        func contact(_ c: ReleaseCase, _ on: String) throws -> ReleaseCase {
            try registry.recordContact(c.label, kind: .homeVisit, note: nil, on: day(on), factory: &t.factory)
        }

        let s1 = try release("TD-1", .earlyRelease, "2025-06-02", unit: a, probation: "2026-06-02")
        try reportIn(s1, "2025-06-04")
        _ = try contact(s1, "2025-12-10")

        let s2 = try release("TD-2", .earlyRelease, "2025-03-01", unit: a, probation: "2026-03-01")
        try reportIn(s2, "2025-03-03")
        _ = try contact(s2, "2025-10-15")
        _ = try contact(s2, "2025-11-20")
        let wrong = try contact(s2, "2025-12-15")

        let s3 = try release("TT-3", .sentenceCompleted, "2025-08-01", unit: a)
        try reportIn(s3, "2025-08-03")
        _ = try contact(s3, "2025-10-20")

        let s4 = try release("TD-4", .earlyRelease, "2024-09-01", unit: a, probation: "2025-09-30")
        try reportIn(s4, "2024-09-03")
        _ = try contact(s4, "2025-11-05")

        _ = try release("DX-5", .amnesty, "2025-12-20", unit: a)
        _ = try release("DX-6", .amnesty, "2025-12-26", unit: a)

        let s7 = try release("TT-7", .sentenceCompleted, "2025-05-05", unit: a)
        try reportIn(s7, "2025-05-07")
        _ = try contact(s7, "2025-06-01")
        _ = try registry.transferRelease(s7.label, to: UnitCode(b)!, on: day("2025-12-20"), factory: &t.factory)

        let s8 = try release("DX-8", .amnesty, "2025-02-02", unit: b)
        try reportIn(s8, "2025-02-04")
        _ = try contact(s8, "2025-09-01")
        _ = try registry.recordMissing(
            s8.label, note: "bỏ đi khỏi địa phương", on: day("2025-11-15"), factory: &t.factory)
        _ = try registry.openWanted(
            person: .existing(s8.registration.personID), caseRef: "TN-8", ownerUnit: UnitCode(b)!, danger: .ordinary,
            abroad: false, decision: Decision(number: "8/QĐ-CSHS", issuedBy: "PC02", offense: "Điều 173"),
            decisionDate: day("2025-12-01"), releaseCase: s8.label, factory: &t.factory)

        let s9 = try release("DX-9", .amnesty, "2025-01-10", unit: b)
        try reportIn(s9, "2025-01-12")
        _ = try registry.recordMissing(s9.label, note: nil, on: day("2025-06-01"), factory: &t.factory)
        _ = try registry.recordLocated(s9.label, on: day("2025-07-01"), factory: &t.factory)
        _ = try contact(s9, "2025-10-15")
        let old = try registry.openWanted(
            person: .existing(s9.registration.personID), caseRef: "TN-9", ownerUnit: UnitCode(b)!, danger: .ordinary,
            abroad: false, decision: Decision(number: "9/QĐ-CSHS", issuedBy: "PC02", offense: "Điều 173"),
            decisionDate: day("2015-03-01"), factory: &t.factory)
        _ = try registry.closeWanted(
            old.label, as: .arrested, on: day("2015-06-01"), actingUnit: nil, factory: &t.factory)

        let s10 = try release("TT-10", .sentenceCompleted, "2025-01-05", unit: b)
        try reportIn(s10, "2025-01-07")
        _ = try registry.recordMissing(s10.label, note: nil, on: day("2025-10-01"), factory: &t.factory)

        let s11 = try release("TT-11", .sentenceCompleted, "2025-04-04", unit: a)
        _ = try registry.transferRelease(
            s11.label, to: UnitCode("75.26001")!, on: day("2025-10-01"), factory: &t.factory)

        _ = try release("DX-12", .amnesty, "2026-01-05", unit: a)

        // Batch 2, recorded on 2026-02-20.
        let retracted = try #require(wrong.supervision.last { $0.mark == .contact && $0.date == day("2025-12-15") })
        _ = try registry.retract(retracted.eventID, reason: "ghi nhầm hồ sơ", factory: &later)
        _ = try registry.reportIn(s7.label, on: day("2025-12-23"), factory: &later)
        _ = try registry.endRelease(
            s10.label, as: .reoffended, on: day("2025-11-30"), offense: "Điều 171", reference: "BA-10", factory: &later)
        return t
    }

    /// supervised, then the counts of reported_in, contacts_on_time, arrival_overdue, whereabouts_unknown, wanted_open.
    static func counts(_ s: PlanReport.SupervisionReport?) -> [Int] {
        guard let s else { return [] }
        return [s.supervised] + PlanReport.SupervisionReport.Kind.allCases.map { s[$0].count }
    }

    /// The supervision object of the report's JSON (what `dragnet metrics --format json` prints), read back.
    static func json(_ report: PlanReport) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: try report.jsonData()) as? [String: Any]
        return try #require(object?["supervision"] as? [String: Any])
    }

    @Test func theFiguresOnThePeriodsLastDayAreTheHandWorkedOnes() throws {
        let t = try Self.province()
        let report = try t.registry.figures.planReport(scope: UnitCode("79")!, period: try .year(2025), asOf: nil)
        // D = 2025-12-31 (the period is over).
        // Supervised: open on D and responsible unit in 79 on D: S1–S9 = 9. Not S10 (ended 11-30), S11 (in 75 since
        // 10-01), S12 (released 2026-01-05).
        // Reported in (to the unit responsible on D): S1, S2, S3, S4, S8, S9, and S7 — to B on 12-23, after the
        // transfer of 12-20 (its reporting in to A on 05-07 does not count for B) = 7. Not S5, S6.
        // Contacts on time (reported in, last contact or reporting in within the interval):
        //   S1 on probation (31): last 12-10, 21 days → on time.
        //   S2 on probation (31): the 12-15 contact is retracted, last 11-20, 41 days → overdue.
        //   S3 sentence completed, A (92): last 10-20, 72 days → on time.
        //   S4 probation ended 09-30, so 92: last 11-05, 56 days → on time (31 would make it overdue).
        //   S7 B (60): last = the reporting in 12-23, 8 days → on time.
        //   S8 B (60): last 09-01, 121 days → overdue.
        //   S9 B (60): last 10-15, 77 days → overdue (on time with the standard 92: B's own interval decides).
        //   → S1, S3, S4, S7 = 4.
        // Arrival overdue (not reported in, more than 5 days after release or transfer): S5 (11 days) = 1; S6 is
        //   exactly 5 days after its release: not yet; S7 has reported in to B.
        // Whereabouts unknown: S8 (since 11-15) = 1; S9 was located on 07-01.
        // Wanted case open on D: S8 (opened 12-01) = 1; S9's wanted case was closed in 2015.
        let s = try #require(report.supervision)
        #expect(s.on == day("2025-12-31"))
        #expect(Self.counts(s) == [9, 7, 4, 1, 1, 1])
        #expect(s.reportedIn.share == 7.0 / 9.0)
        #expect(s.contactsOnTime.share == 4.0 / 9.0)
        #expect(s.arrivalOverdue.share == 1.0 / 9.0)
        #expect(s.whereaboutsUnknown.share == 1.0 / 9.0)
        #expect(s.wantedOpen.share == 1.0 / 9.0)
        // By unit: A = S1–S6: reported in S1–S4 (4), on time S1, S3, S4 (3), arrival overdue S5 (1).
        // B = S7, S8, S9: reported in 3, on time S7 (1), whereabouts unknown S8, wanted S8.
        #expect(report.units.map(\.unit.rawValue) == [Self.a, Self.b])
        #expect(report.units.map { Self.counts($0.supervision) } == [[6, 4, 3, 1, 0, 0], [3, 3, 1, 0, 1, 1]])
        // The plan's figures beside them are untouched: released persons followed in 2025 in 79 are S1–S10 (S11 is
        // in 75 on 31 December, S12 released in 2026), S10 reoffended.
        #expect(report.reoffending.population == 10 && report.reoffending.reoffended == 1)

        // The JSON says the same, in its order, shares as unrounded fractions.
        let object = try Self.json(report)
        #expect(object["on"] as? String == "2025-12-31")
        #expect(object["supervised"] as? Int == 9)
        let parts = [
            "reported_in": 7, "contacts_on_time": 4, "arrival_overdue": 1, "whereabouts_unknown": 1,
            "wanted_open": 1,
        ]
        for (name, count) in parts {
            let part = object[name] as? [String: Any]
            #expect(part?["count"] as? Int == count, "\(name)")
            // JSONSerialization reads numbers less exactly than they are written; the exact text is checked below.
            let share = try #require(part?["share"] as? Double)
            #expect(abs(share - Double(count) / 9.0) < 1e-12, "\(name)")
        }
        // After `reoffending`, before `units`; 7/9, 4/9 and 1/9 as Swift writes them (shortest round-trip digits).
        let ninth = #"{"count":1,"share":0.1111111111111111}"#
        let expected =
            #"}}},"supervision":{"on":"2025-12-31","supervised":9,"reported_in":{"count":7,"share":0.7777777777777778},"#
            + #""contacts_on_time":{"count":4,"share":0.4444444444444444},"arrival_overdue":\#(ninth),"#
            + #""whereabouts_unknown":\#(ninth),"wanted_open":\#(ninth)},"units":["#
        #expect(try report.jsonString().contains(expected))
        #expect(try JSONDecoder().decode(PlanReport.self, from: try report.jsonData()) == report)
    }

    @Test func asOfBeforeTheSecondBatchGivesTheEarlierFigures() throws {
        let t = try Self.province()
        let report = try t.registry.figures.planReport(
            scope: UnitCode("79")!, period: try .year(2025), asOf: Self.between)
        // Known on 2026-02-01: no retraction of S2's 12-15 contact, no reporting in of S7 to B, S10 not ended.
        // Supervised: S1–S9 and S10 = 10 (A: S1–S6 = 6; B: S7–S10 = 4).
        // Reported in: S1, S2, S3, S4, S8, S9, S10 = 7 (S7 has reported in to A only).
        // On time: S1; S2 (last 12-15, 16 days ≤ 31); S3; S4 = 4. S8, S9 overdue as before; S10 B (60): last = the
        //   reporting in 01-07, 358 days → overdue.
        // Arrival overdue: S5, and S7 (11 days after the transfer, not reported in to B) = 2.
        // Whereabouts unknown: S8 and S10 (since 10-01) = 2. Wanted open: S8 = 1.
        let s = try #require(report.supervision)
        #expect(s.on == day("2025-12-31"))
        #expect(Self.counts(s) == [10, 7, 4, 2, 2, 1])
        #expect(s.reportedIn.share == 0.7)
        #expect(s.contactsOnTime.share == 0.4)
        #expect(s.arrivalOverdue.share == 0.2)
        #expect(s.whereaboutsUnknown.share == 0.2)
        #expect(s.wantedOpen.share == 0.1)
        // A: 6 supervised, S1–S4 reported in and on time, S5 overdue. B: S7 overdue; S8, S9, S10 reported in, none
        // on time; S8 and S10 missing; S8 wanted.
        #expect(report.units.map { Self.counts($0.supervision) } == [[6, 4, 4, 1, 0, 0], [4, 3, 0, 1, 2, 1]])
        #expect(report.asOf == Self.between)
    }

    @Test func aPeriodStillRunningIsCountedOnTheDayObserved() throws {
        let t = try Self.province()
        let scope = UnitCode("79")!
        // As of 2026-02-01 (batch 1), year 2026: the day is 2026-02-01. Supervised: S1–S10 and S12 (released
        // 2026-01-05) = 11. Arrival overdue: S5 (43 days), S6 (37), S7 (43 days after the transfer, not reported in
        // to B as known then), S12 (27) = 4. Whereabouts unknown: S8, S10 = 2.
        let early = try #require(
            try t.registry.figures.planReport(scope: scope, period: try .year(2026), asOf: Self.between).supervision)
        #expect(early.on == day("2026-02-01"))
        #expect(early.supervised == 11)
        #expect(early.arrivalOverdue.count == 4)
        #expect(early.whereaboutsUnknown.count == 2)
        // Everything known, observed on 2026-01-03: S1–S9 = 9 (S10 ended, S12 not released yet). Arrival overdue: S5
        // (14 days) and S6 (8 days) = 2.
        let now = try #require(
            try t.registry.figures.planReport(
                scope: scope, period: try .year(2026), asOf: nil, observedOn: day("2026-01-03")
            ).supervision)
        #expect(now.on == day("2026-01-03"))
        #expect(now.supervised == 9)
        #expect(now.arrivalOverdue.count == 2)
        // A finished period is counted on its last day whatever the day observed.
        let finished = try t.registry.figures.planReport(
            scope: scope, period: try .year(2025), asOf: nil, observedOn: day("2026-11-26"))
        #expect(finished.supervision?.on == day("2025-12-31"))
    }

    @Test func otherScopesAndNobodyUnderSupervision() throws {
        let t = try Self.province()
        // 75: S11 only, transferred there on 2025-10-01, never reported in: 91 days → arrival overdue.
        let s75 = try t.registry.figures.planReport(scope: UnitCode("75")!, period: try .year(2025), asOf: nil)
        #expect(Self.counts(s75.supervision) == [1, 0, 0, 1, 0, 0])
        #expect(s75.supervision?.arrivalOverdue.share == 1.0)
        // The whole country: 79's nine and 75's one.
        let national = try t.registry.figures.planReport(scope: .national, period: try .year(2025), asOf: nil)
        #expect(Self.counts(national.supervision) == [10, 7, 4, 2, 1, 1])
        #expect(national.units.map { Self.counts($0.supervision) } == [[1, 0, 0, 1, 0, 0], [9, 7, 4, 1, 1, 1]])
        // Nobody under supervision: counts 0, shares null (never 0).
        let empty = try t.registry.figures.planReport(scope: UnitCode("48")!, period: try .year(2025), asOf: nil)
        let text = try empty.jsonString()
        let none = #"{"count":0,"share":null}"#
        #expect(
            text.contains(
                #""supervision":{"on":"2025-12-31","supervised":0,"reported_in":\#(none),"contacts_on_time":\#(none),"#
                    + #""arrival_overdue":\#(none),"whereabouts_unknown":\#(none),"wanted_open":\#(none)},"units":[]}"#)
        )
    }

    @Test func theTableAndTheCSV() throws {
        let t = try Self.province()
        let report = try t.registry.figures.planReport(scope: UnitCode("79")!, period: try .year(2025), asOf: nil)
        // 7/9 = 77.8 %, 4/9 = 44.4 %, 1/9 = 11.1 %.
        let vi = report.table(observedOn: day("2026-11-26"), language: .vi)
        #expect(vi.contains("Người được tha tù đang quản lý ngày 31/12/2025: 9\n"))
        #expect(PlanReportFormatTests.words(vi, startingWith: "Đã") == ["Đã", "trình", "diện", "7", "77,8", "%"])
        #expect(
            PlanReportFormatTests.words(vi, startingWith: "Tiếp")
                == ["Tiếp", "xúc", "đúng", "hạn", "4", "44,4", "%"])
        #expect(
            PlanReportFormatTests.words(vi, startingWith: "Vắng")
                == ["Vắng", "mặt", "không", "rõ", "lý", "do", "tại", "nơi", "cư", "trú", "1", "11,1", "%"])
        #expect(vi.contains("Quá hạn trình diện") && vi.contains("Đang bị truy nã"))
        let en = report.table(observedOn: day("2026-11-26"))
        #expect(en.contains("Released persons under supervision on 2025-12-31: 9\n"))
        #expect(PlanReportFormatTests.words(en, startingWith: "Reported") == ["Reported", "in", "7", "77.8", "%"])
        #expect(
            PlanReportFormatTests.words(en, startingWith: "Overdue") == [
                "Overdue", "to", "report", "in", "1", "11.1", "%",
            ])
        // The unit lines: supervised, reported in, on time, overdue, missing, wanted.
        let unitLines = en.split(separator: "\n").filter { $0.hasPrefix("  79.2673") }.map {
            $0.split(separator: " ").map(String.init)
        }
        #expect(unitLines.contains(["79.26734", "6", "4", "3", "1", "0", "0"]))
        #expect(unitLines.contains(["79.26737", "3", "3", "1", "0", "1", "1"]))

        let lines = report.csv().split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        let header = lines[0].map(String.init)
        func field(_ line: Int, _ name: String) -> String? {
            header.firstIndex(of: name).map { String(lines[line][$0]) }
        }
        #expect(field(1, "row") == "scope" && field(1, "supervision_on") == "2025-12-31")
        #expect(field(1, "supervision_supervised") == "9")
        #expect(field(1, "supervision_reported_in_count") == "7")
        #expect(field(1, "supervision_contacts_on_time_count") == "4")
        #expect(field(1, "supervision_arrival_overdue_share").flatMap(Double.init) == 1.0 / 9.0)
        #expect(field(2, "unit") == Self.a && field(2, "supervision_supervised") == "6")
        #expect(field(3, "unit") == Self.b && field(3, "supervision_wanted_open_count") == "1")
    }

    @Test func theDashboardsFiguresCarryTheSameSupervisionFiguresAndLastYears() throws {
        let t = try Self.province()
        let scope = UnitCode("79")!
        let figures = try t.registry.figures.dashboardFigures(
            scope: scope, period: try .year(2025), asOf: nil, observedOn: day("2026-11-26"))
        #expect(
            figures.report
                == (try t.registry.figures.planReport(
                    scope: scope, period: try .year(2025), asOf: nil, observedOn: day("2026-11-26"))))
        // A year earlier, on 2024-12-31: only S4 was released (2024-09-01), reported in 2024-09-03, no contact since:
        // on probation (31), 119 days → not on time.
        #expect(figures.lastYear.supervision?.on == day("2024-12-31"))
        #expect(Self.counts(figures.lastYear.supervision) == [1, 1, 0, 0, 0, 0])
        // A change of the intervals makes new figures: with B's "other" interval at 92, S9 (77 days) is on time.
        try t.registry.figures.setIntervals(nil, for: UnitCode(Self.b)!)
        let again = try t.registry.figures.planReport(scope: scope, period: try .year(2025), asOf: nil)
        #expect(again.supervision?.contactsOnTime.count == 5)
    }
}
