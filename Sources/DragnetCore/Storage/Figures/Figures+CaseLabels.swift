import Foundation
import GRDB

extension Figures {
    /// The labels of the wanted cases with these ids (from the current records: a reference and a name do not
    /// change with `as_of`); an id without a record now is left out.
    public func wantedLabels(_ ids: [UUID]) throws -> [UUID: CaseLabel] {
        try labels(ids, in: WantedCaseTable.self, columns: (.id, .ownerUnit, .caseRef, .personID))
    }

    /// The labels of the release cases with these ids.
    public func releaseLabels(_ ids: [UUID]) throws -> [UUID: CaseLabel] {
        try labels(ids, in: ReleaseCaseTable.self, columns: (.id, .unit, .caseRef, .personID))
    }

    /// The labels of the cases of `table` with these ids, from its columns that hold a case's id, unit, reference
    /// and person.
    private func labels<Table: SchemaTable>(
        _ ids: [UUID], in table: Table.Type, columns: (id: Table, unit: Table, ref: Table, person: Table)
    ) throws -> [UUID: CaseLabel] {
        let select = """
            SELECT c.\(columns.id), c.\(columns.unit), c.\(columns.ref), p.\(PersonTable.fullName), \
            p.\(PersonTable.birthDate)
            FROM \(Table.tableName) c JOIN \(PersonTable.tableName) p ON p.\(PersonTable.id) = c.\(columns.person)
            WHERE c.\(columns.id) IN
            """
        return try registry.read { db in
            var found: [UUID: CaseLabel] = [:]
            found.reserveCapacity(ids.count)
            var start = 0
            while start < ids.count {
                let chunk = ids[start..<min(start + 500, ids.count)]
                start += chunk.count
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                let rows = try Row.fetchCursor(
                    db,
                    sql: "\(select) (\(marks))", arguments: StatementArguments(chunk.map(\.lowercased)))
                while let row = try rows.next() {
                    guard let id = UUID(uuidString: row[0]), let unit = UnitCode(row[1] as String) else { continue }
                    found[id] = CaseLabel(unit: unit, ref: row[2], name: row[3], birth: row[4])
                }
            }
            return found
        }
    }
}
