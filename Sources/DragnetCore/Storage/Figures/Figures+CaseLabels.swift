import Foundation
import GRDB

/// What a person reads to recognise a case in a list: its reference, the person's name and birth.
public struct CaseLabel: Sendable, Equatable {
    /// The unit that registered the case; with `ref`, the case's name (`UNIT/REF`).
    public var unit: UnitCode
    /// The case reference within its unit.
    public var ref: String
    /// The person's full name as written.
    public var name: String
    /// The person's birth date or year, as stored (`1985` or `1985-04-02`); nil when unknown.
    public var birth: String?

    /// `UNIT/REF`, as cases are named everywhere.
    public var caseName: String { "\(unit)/\(ref)" }
}

extension Registry {
    /// The labels of the wanted cases with these ids (from the current records: a reference and a name do not
    /// change with `as_of`); an id without a record now is left out.
    public func wantedLabels(_ ids: [UUID]) throws -> [UUID: CaseLabel] {
        try labels(ids, table: "wanted_case", unitColumn: "owner_unit")
    }

    /// The labels of the release cases with these ids.
    public func releaseLabels(_ ids: [UUID]) throws -> [UUID: CaseLabel] {
        try labels(ids, table: "release_case", unitColumn: "unit")
    }

    private func labels(_ ids: [UUID], table: String, unitColumn: String) throws -> [UUID: CaseLabel] {
        try read { db in
            var found: [UUID: CaseLabel] = [:]
            found.reserveCapacity(ids.count)
            var start = 0
            while start < ids.count {
                let chunk = ids[start..<min(start + 500, ids.count)]
                start += chunk.count
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT c.id, c.\(unitColumn), c.case_ref, p.full_name, p.birth_date
                        FROM \(table) c JOIN person p ON p.id = c.person_id WHERE c.id IN (\(marks))
                        """, arguments: StatementArguments(chunk.map(\.lowercased)))
                while let row = try rows.next() {
                    guard let id = UUID(uuidString: row[0]), let unit = UnitCode(row[1] as String) else { continue }
                    found[id] = CaseLabel(unit: unit, ref: row[2], name: row[3], birth: row[4])
                }
            }
            return found
        }
    }
}
