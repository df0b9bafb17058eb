import Foundation
import GRDB

/// Writes the lists back in the import formats of SPEC §6, so that export → import gives the same cases.
///
/// The CSV formats carry less than the event log: every decision is written, withdrawn ones included (the format has
/// no column for a withdrawal; leaving them out would move the case's opening date and so its place in the figures;
/// a case whose every decision was withdrawn carries its struck_off closing), transfers are not written (the `unit`
/// column stays the registering unit, which with `case_ref` names the case), nor aliases or a reoffence's offence and
/// reference. The event log, which sync carries, keeps all of it.
public enum Exporter {
    /// Writes `wanted.csv` rows for every wanted case within `scope` (every case when nil); returns the row count.
    @discardableResult
    public static func exportWanted(_ registry: Registry, scope: UnitCode?, to writer: inout CSVWriter) throws -> Int {
        try writer.write(ImportColumns.wanted)
        let within = ScopeCoverage.filter(scope, anyOf: "c.\(WantedCaseTable.ownerUnit)")
        return try registry.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT \(WantedCaseTable.list(.caseRef, .ownerUnit, of: "c")),
                        \(PersonTable.list(.fullName, .birthDate, .sex, .nationalID, of: "p")),
                        \(WantedDecisionTable.list(.number, .date, .offense, of: "d")),
                        \(WantedCaseTable.list(.danger, .abroad, .closingKind, .closingDate, .closedBy, of: "c"))
                    FROM \(WantedCaseTable.tableName) c
                    JOIN \(PersonTable.tableName) p ON p.\(PersonTable.id) = c.\(WantedCaseTable.personID)
                    JOIN \(WantedDecisionTable.tableName) d ON d.\(WantedDecisionTable.caseID) = c.\(WantedCaseTable.id)
                    WHERE \(within.sql)
                    ORDER BY \(WantedCaseTable.list(.ownerUnit, .caseRef, of: "c")),
                        \(WantedDecisionTable.list(.date, .number, of: "d"))
                    """, arguments: within.arguments)
            var count = 0
            while let row = try rows.next() {
                let abroad: Bool = row[10]
                try writer.write([
                    row[0], row[1], row[2], row[3] ?? "", row[4] ?? "", row[5] ?? "", row[6], row[7], row[8], row[9],
                    abroad ? "true" : "false", row[11] ?? "", row[12] ?? "", row[13] ?? "",
                ])
                count += 1
            }
            return count
        }
    }

    /// Writes `releases.csv` rows for every release case registered within `scope` or now the responsibility of a
    /// unit within it (every case when nil); returns the row count.
    @discardableResult
    public static func exportReleases(_ registry: Registry, scope: UnitCode?, to writer: inout CSVWriter) throws -> Int
    {
        try writer.write(ImportColumns.releases)
        let within = ScopeCoverage.filter(
            scope, anyOf: "c.\(ReleaseCaseTable.unit)", "c.\(ReleaseCaseTable.responsibleUnit)")
        return try registry.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT \(ReleaseCaseTable.list(.caseRef, .unit, of: "c")),
                        \(PersonTable.list(.fullName, .birthDate, .sex, .nationalID, of: "p")),
                        \(ReleaseCaseTable.list(
                            .releaseType, .releasedOn, .facility, .offense, .probationUntil, .endingKind, .endingDate,
                            of: "c"))
                    FROM \(ReleaseCaseTable.tableName) c
                    JOIN \(PersonTable.tableName) p ON p.\(PersonTable.id) = c.\(ReleaseCaseTable.personID)
                    WHERE \(within.sql)
                    ORDER BY \(ReleaseCaseTable.list(.unit, .caseRef, of: "c"))
                    """, arguments: within.arguments)
            var count = 0
            while let row = try rows.next() {
                try writer.write((0..<13).map { (row[$0] as String?) ?? "" })
                count += 1
            }
            return count
        }
    }
}
