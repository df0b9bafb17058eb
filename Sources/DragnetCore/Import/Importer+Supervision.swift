import Foundation
import GRDB

extension Importer {
    /// Imports `supervision.csv` (docs/formats.md): one row per supervision event (SPEC §10) on a release case already
    /// registered, named by `case_ref` + `unit` as in `releases.csv`. Each row is judged by the same rules as the
    /// `dragnet release report-in|assign|contact|missing|located` commands. A row already recorded (same case, event,
    /// date and details) changes nothing, so importing the file again creates no duplicate.
    public func importSupervision(path: String, mode: ImportMode = .allOrNothing) throws -> ImportSummary {
        return try run(path: path, columns: ImportColumns.supervision, mode: mode) { row, db, factory in
            let ref = row.text("case_ref")
            let unit = row.parse("unit", required: true, expected: "is not a unit code (like 79.26734)") {
                UnitCode($0)
            }
            let mark = row.parse(
                "kind", required: true, expected: "is not one of: \(SupervisionMark.Kind.spellings)"
            ) { SupervisionMark.Kind(rawValue: $0) }
            let date = row.date("date", required: true)
            let contactKind = row.choice("contact_kind", ContactKind.self)
            let officer = row.text("officer"), note = row.text("note")
            if let mark {
                if mark != .officerAssigned && !officer.isEmpty {
                    row.fail("officer", "is given for a \(mark.rawValue) row; only officer_assigned names an officer")
                }
                if mark == .contact && row.text("contact_kind").isEmpty {
                    row.fail("contact_kind", "is blank; a contact names how: \(ContactKind.spellings)")
                }
                if mark != .contact && !row.text("contact_kind").isEmpty {
                    row.fail("contact_kind", "is given for a \(mark.rawValue) row; only a contact has a kind")
                }
                if mark != .contact && mark != .whereaboutsUnknown && !note.isEmpty {
                    row.fail(
                        "note", "is given for a \(mark.rawValue) row; only a contact or whereabouts_unknown has one")
                }
            }
            guard row.problems.isEmpty, let unit, let mark, let date else { return .problems(row.problems) }
            let payload: EventPayload
            switch mark {
            case .reportedIn: payload = .reportedIn
            // A blank officer is the rules' to refuse (`EventRules`), as for the command.
            case .officerAssigned: payload = .officerAssigned(officer: officer)
            case .contact:
                guard let contactKind else { return .problems(row.problems) }
                payload = .contact(kind: contactKind, note: note.isEmpty ? nil : note)
            case .whereaboutsUnknown: payload = .whereaboutsUnknown(note: note.isEmpty ? nil : note)
            case .located: payload = .located
            }
            let reference = CaseReference(unit: unit, ref: ref)
            guard let found = try self.existing(.release, reference, db: db) else {
                row.fail("case_ref", "\(reference) is not a registered release case; import releases.csv first")
                return .problems(row.problems)
            }
            if case .release(let current)? = found.state,
                current.supervision.contains(where: { Self.same($0, mark: mark, date: date, payload: payload) })
            {
                return .events([], newPersons: 0, newCases: 0)
            }
            let event = factory.make(payload, record: found.id, kind: .release, on: date)
            return .events([event], newPersons: 0, newCases: 0)
        }
    }

    /// Whether `entry` of a case's supervision is the event a row describes: a row imported before.
    private static func same(
        _ entry: ReleaseCase.Supervision, mark: SupervisionMark.Kind, date: LocalDate, payload: EventPayload
    ) -> Bool {
        guard entry.mark == mark, entry.date == date else { return false }
        switch payload {
        case .officerAssigned(let officer): return entry.officer == officer
        case .contact(let kind, let note): return entry.contactKind == kind && entry.note == note
        case .whereaboutsUnknown(let note): return entry.note == note
        default: return true
        }
    }
}
