import Foundation
import GRDB

/// The checker's window on a database (`RecordLookup`): events from the log, persons and cases from the projections,
/// inside the caller's transaction.
struct StoredRecords: RecordLookup {
    let db: Database

    func event(withID id: UUID) throws -> Event? {
        try EventLog.event(withID: id, in: db)
    }

    func events(ofRecord id: UUID) throws -> [Event] {
        try EventLog.events(ofRecord: id, in: db)
    }

    func person(_ id: UUID) throws -> PersonSummary? {
        try Row.fetchOne(db, cached: "SELECT birth_date FROM person WHERE id = ?", arguments: [id.lowercased]).map {
            PersonSummary(birthDate: ($0[0] as String?).flatMap(BirthDate.init))
        }
    }

    func openWantedCases(of person: UUID) throws -> [(id: UUID, reference: CaseReference)] {
        try Row.fetchAll(
            db, cached: "SELECT id, owner_unit, case_ref FROM wanted_case WHERE person_id = ? AND closing_kind IS NULL",
            arguments: [person.lowercased]
        ).compactMap { row in
            guard let id = UUID(text: row[0] as String), let unit = UnitCode(row[1] as String) else { return nil }
            return (id, CaseReference(unit: unit, ref: row[2]))
        }
    }

    func cases(_ kind: RecordKind, named reference: CaseReference) throws -> [UUID] {
        let sql =
            kind == .wanted
            ? "SELECT id FROM wanted_case WHERE owner_unit = ? AND case_ref = ?"
            : "SELECT id FROM release_case WHERE unit = ? AND case_ref = ?"
        return try String.fetchAll(db, cached: sql, arguments: [reference.unit.rawValue, reference.ref])
            .compactMap { UUID(text: $0) }
    }

    func cases(concerning person: UUID) throws -> [UUID] {
        try String.fetchAll(
            db,
            cached:
                "SELECT id FROM wanted_case WHERE person_id = ? UNION ALL SELECT id FROM release_case WHERE person_id = ?",
            arguments: [person.lowercased, person.lowercased]
        ).compactMap { UUID(text: $0) }
    }
}
