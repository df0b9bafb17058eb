/// The names of one table of the schema: the table's own name, and its columns as cases. Queries write these instead
/// of literal names, so that each name is written once; the migrations (`Schema`) keep their literal text, which is
/// history. `SchemaTableTests` checks every table against the migrated schema.
///
/// Interpolated into SQL, a column is its name: `"SELECT \(WantedCaseTable.ownerUnit) FROM …"` reads `owner_unit`.
protocol SchemaTable: CaseIterable, CustomStringConvertible, RawRepresentable<String> {
    /// The table's name.
    static var tableName: String { get }
}

extension SchemaTable {
    /// The column's name, as written in SQL.
    var description: String { rawValue }

    /// `a, b, c`: the names of `columns`, for a column list; each qualified by a table alias (`t.a, t.b, t.c`) when
    /// `alias` is given.
    static func list(_ columns: Self..., of alias: String? = nil) -> String {
        columns.map { column in alias.map { "\($0).\(column.rawValue)" } ?? column.rawValue }.joined(separator: ", ")
    }

    /// `a = excluded.a, b = excluded.b`: an upsert's update of `columns` to the values it tried to insert.
    static func updatedFromExcluded(_ columns: Self...) -> String {
        columns.map { "\($0.rawValue) = excluded.\($0.rawValue)" }.joined(separator: ", ")
    }
}
