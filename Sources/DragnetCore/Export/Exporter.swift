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
        return try registry.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT c.case_ref, c.owner_unit, p.full_name, p.birth_date, p.sex, p.national_id,
                           d.number, d.date, d.offense, c.danger, c.abroad, c.closing_kind, c.closing_date, c.closed_by
                    FROM wanted_case c JOIN person p ON p.id = c.person_id JOIN wanted_decision d ON d.case_id = c.id
                    WHERE (? IS NULL OR c.owner_unit = ? OR c.owner_unit GLOB ?)
                    ORDER BY c.owner_unit, c.case_ref, d.date, d.number
                    """, arguments: scopeArguments(scope))
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
        return try registry.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT c.case_ref, c.unit, p.full_name, p.birth_date, p.sex, p.national_id, c.release_type,
                           c.released_on, c.facility, c.offense, c.probation_until, c.ending_kind, c.ending_date
                    FROM release_case c JOIN person p ON p.id = c.person_id
                    WHERE (? IS NULL OR c.unit = ? OR c.unit GLOB ? OR c.responsible_unit = ?2 OR c.responsible_unit GLOB ?3)
                    ORDER BY c.unit, c.case_ref
                    """, arguments: scopeArguments(scope))
            var count = 0
            while let row = try rows.next() {
                try writer.write((0..<13).map { (row[$0] as String?) ?? "" })
                count += 1
            }
            return count
        }
    }

    private static func scopeArguments(_ scope: UnitCode?) -> StatementArguments {
        let coverage = scope.map(ScopeCoverage.init)
        return [scope?.rawValue, coverage?.code, coverage?.pattern]
    }
}
