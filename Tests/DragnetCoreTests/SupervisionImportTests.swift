import Foundation
import Testing

@testable import DragnetCore

/// `supervision.csv` (docs/formats.md): the supervision events of registered release cases, one a row.
@Suite struct SupervisionImportTests {
    static let header = "case_ref,unit,kind,date,officer,contact_kind,note\n"

    /// A station holding release case 79.26734/DX-1 (amnesty, 2026-01-05) and an importer recording as its officer.
    static func station() throws -> (TestRegistry, Importer) {
        var t = try TestRegistry()
        _ = try t.release("DX-1", on: "2026-01-05")
        return (t, Importer(registry: t.registry, factory: t.factory))
    }

    @Test func theEventsOfAFileAreRecordedOnceAndDecideWhatIsDue() throws {
        let (t, importer) = try Self.station()
        let path = try t.file(
            "supervision.csv",
            Self.header + """
                DX-1,79.26734,reported_in,2026-01-06,,,
                DX-1,79.26734,officer_assigned,2026-01-08,Thượng úy Lê Văn Hai,,
                DX-1,79.26734,contact,2026-03-02,,home_visit,"Sống cùng gia đình, chấp hành tốt"
                DX-1,79.26734,whereabouts_unknown,2026-04-10,,,Không có mặt tại nơi cư trú
                DX-1,79.26734,located,2026-05-01,,,
                DX-1,79.26734,contact,2026-05-01,,phone,

                """)
        let first = try importer.importSupervision(path: path)
        #expect(first.problems.isEmpty && first.committed)
        #expect(first.rows == 6 && first.events == 6 && first.casesCreated == 0 && first.persons == 0)
        let state = try t.registry.records.releaseCase("79.26734/DX-1")
        #expect(
            state.supervision.map(\.mark) == [
                .reportedIn, .officerAssigned, .contact, .whereaboutsUnknown, .located, .contact,
            ])
        #expect(state.officer == "Thượng úy Lê Văn Hai" && state.missingSince == nil)
        #expect(state.supervision[2].note == "Sống cùng gia đình, chấp hành tốt")
        #expect(state.supervision[2].contactKind == .homeVisit && state.supervision[5].contactKind == .phone)
        // The last contact, 2026-05-01: + 92 = 2026-08-01 (30 to 05-31, 30, 31, 1) → overdue from 2026-08-02.
        let worklist = try t.registry.figures.worklist(unit: UnitCode("79.26734")!, on: day("2026-08-02"))
        #expect(worklist.entries.map { "\($0.item.kind.rawValue) \($0.item.since)" } == ["contact_overdue 2026-08-02"])
        // Again: nothing new.
        let again = try importer.importSupervision(path: path)
        #expect(again.committed && again.events == 0 && again.unchangedRows == 6)
        #expect(try t.registry.eventCount() == 2 + 6)
    }

    @Test func badRowsAreListedAndNothingIsImported() throws {
        let (t, importer) = try Self.station()
        let path = try t.file(
            "supervision.csv",
            Self.header + """
                DX-1,79.26734,reported_in,2026-01-06,,,
                DX-9,79.26734,reported_in,2026-01-06,,,
                DX-1,79.26734,visited,2026-01-07,,,
                DX-1,79.26734,contact,2026-01-08,,,
                DX-1,79.26734,contact,2026-01-09,Lê Văn Hai,letter,
                DX-1,79.26734,reported_in,2026-01-10,,,came with his wife
                DX-1,79.26734,located,2026-01-11,,,
                DX-1,79.26734,contact,2026-01-04,,phone,
                DX-1,79.26734,officer_assigned,2026-01-12,,,
                DX-1,79.26734,reported_in,2026-02-30,,,

                """)
        let before = try t.registry.eventCount()
        let summary = try importer.importSupervision(path: path)
        #expect(!summary.committed)
        #expect(
            summary.problems.map(\.description) == [
                "row 3, column case_ref: \"DX-9\" 79.26734/DX-9 is not a registered release case; import releases.csv "
                    + "first",
                "row 4, column kind: \"visited\" is not one of: reported_in, officer_assigned, contact, "
                    + "whereabouts_unknown, located",
                "row 5, column contact_kind: \"\" is blank; a contact names how: in_person, home_visit, phone, other",
                "row 6, column contact_kind: \"letter\" is not one of: in_person, home_visit, phone, other",
                "row 6, column officer: \"Lê Văn Hai\" is given for a contact row; only officer_assigned names an officer",
                "row 7, column note: \"came with his wife\" is given for a reported_in row; only a contact or "
                    + "whereabouts_unknown has one",
                "row 8, column kind: \"located\" no whereabouts_unknown comes before it: the person was not missing",
                "row 9, column date: \"2026-01-04\" is before the release on 2026-01-05",
                "row 10, column officer: \"\" an assignment names the officer who follows the person",
                "row 11, column date: \"2026-02-30\" is not a date (YYYY-MM-DD, a day that exists)",
            ])
        #expect(try t.registry.eventCount() == before)
    }
}
