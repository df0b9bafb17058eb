import Foundation
import GRDB

extension Figures {
    /// The targets set per scope in this database, over the plan's defaults.
    public func targetBook() throws -> TargetBook {
        try registry.read { db in try Figures.targetBook(db) }
    }

    /// The targets set per scope, read in `db`.
    static func targetBook(_ db: Database) throws -> TargetBook {
        do {
            var book = TargetBook()
            for row in try Row.fetchAll(
                db,
                cached: """
                    SELECT \(TargetTable.list(.scope, .existingCapture, .newCapture, .reoffending))
                    FROM \(TargetTable.tableName)
                    """)
            {
                guard let scope = UnitCode(scope: row[0] as String) else { continue }
                book.set(try Targets(existingCapture: row[1], newCapture: row[2], reoffending: row[3]), for: scope)
            }
            return book
        }
    }

    /// Sets the targets for a scope (replacing what was set for it), or removes them when `targets` is nil.
    public func setTargets(_ targets: Targets?, for scope: UnitCode) throws {
        try registry.write { db in
            if let targets {
                try db.execute(
                    sql: """
                        INSERT INTO \(TargetTable.tableName)
                            (\(TargetTable.list(.scope, .existingCapture, .newCapture, .reoffending)))
                        VALUES (?, ?, ?, ?)
                        ON CONFLICT (\(TargetTable.scope)) DO UPDATE SET
                            \(TargetTable.updatedFromExcluded(.existingCapture, .newCapture, .reoffending))
                        """,
                    arguments: [scope.rawValue, targets.existingCapture, targets.newCapture, targets.reoffending])
            } else {
                try db.execute(
                    sql: "DELETE FROM \(TargetTable.tableName) WHERE \(TargetTable.scope) = ?",
                    arguments: [scope.rawValue])
            }
        }
    }
}
