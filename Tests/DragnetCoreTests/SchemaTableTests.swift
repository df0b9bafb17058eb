import Foundation
import GRDB
import Testing

@testable import DragnetCore

extension SchemaTable {
    /// The column names, in the order of the cases.
    static var columnNames: [String] { allCases.map(\.rawValue) }
}

/// The names the queries use (`SchemaTable`) are the migrated schema's: a column renamed, added or dropped by a
/// migration, or a name mistyped in an enum, fails here.
@Suite struct SchemaTableTests {
    static var tables: [any SchemaTable.Type] {
        [
            StationTable.self, EventTable.self, PersonTable.self, WantedCaseTable.self, WantedDecisionTable.self,
            ReleaseCaseTable.self, ReleaseTransferTable.self, ContactIntervalTable.self,
            PullHorizonTable.self, AnomalyTable.self, TargetTable.self, TokenTable.self,
            ReleaseVisibilityTable.self, PersonLinkTable.self, SyncCursorTable.self, PushReceiptTable.self,
            DerivedGenerationTable.self, CentralMarkTable.self, LogNonceTable.self,
        ]
    }

    @Test(arguments: [Registry.Role.station, .central])
    func everyTableNamesTheColumnsOfTheMigratedSchemaInOrder(role: Registry.Role) throws {
        let t = try TestRegistry(role: role)
        try t.registry.database.read { db in
            for table in Self.tables {
                let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table.tableName))").map {
                    $0["name"] as String
                }
                #expect(!columns.isEmpty, "no table \(table.tableName) in the schema")
                #expect(columns == table.columnNames, "the columns of \(table.tableName)")
            }
        }
    }

    @Test func everyTableOfTheSchemaHasItsNames() throws {
        let t = try TestRegistry()
        let tables = try t.registry.database.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master
                    WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'
                    """)
        }
        #expect(Set(tables) == Set(Self.tables.map { $0.tableName }))
        #expect(Self.tables.count == tables.count, "one enum per table")
    }

    @Test func theEventColumnsOfEveryWholeEventQueryAreTheLogsColumns() {
        let columns = EventCoding.columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(columns == EventTable.columnNames.filter { $0 != "seq" && $0 != "origin" })
        #expect(EventCoding.columns(of: "e").hasPrefix("e.\(EventTable.id), e.\(EventTable.recordID),"))
    }

    @Test func aColumnInterpolatedIntoSQLIsItsName() {
        #expect("\(WantedCaseTable.ownerUnit)" == "owner_unit")
        #expect(WantedCaseTable.list(.id, .caseRef) == "id, case_ref")
        #expect(WantedCaseTable.list(.id, .caseRef, of: "c") == "c.id, c.case_ref")
        #expect(
            SyncCursorTable.updatedFromExcluded(.cursor, .pulledAt)
                == "cursor = excluded.cursor, pulled_at = excluded.pulled_at")
    }
}

/// The outbox asks, for each rejected event, whether it was retracted here. Without an index on the retracted event's
/// id that question read the whole log for each rejected event at every sync (a ward with 2,003 rejected events and
/// 30,000 events spent seconds of CPU on it each time); SQLite must find the retraction through the index.
@Suite struct OutboxPlanTests {
    @Test func aRejectedEventsRetractionIsFoundThroughTheIndexNotByReadingTheLog() throws {
        let t = try TestRegistry(unit: "79.26734")
        let plan = try t.registry.database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + StationState.outboxSQL, arguments: [0, 500]).map {
                $0["detail"] as String
            }
        }
        #expect(plan.contains { $0.hasPrefix("SEARCH t USING INDEX event_by_retraction_target (<expr>=?)") }, "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN t") }, "\(plan)")
    }
}

/// A commit is durable (docs/design.md): the connection that writes runs with `synchronous = FULL` (2). GRDB's WAL
/// set-up sets NORMAL (1) on it after the configuration's own set-up, so FULL set there was silently undone.
@Suite struct DurabilityTests {
    @Test(arguments: [Registry.Role.station, .central])
    func theWritingConnectionSyncsEveryCommit(role: Registry.Role) throws {
        let t = try TestRegistry(role: role)
        let level = try t.registry.database.writeWithoutTransaction { db in
            try Int.fetchOne(db, sql: "PRAGMA synchronous")
        }
        #expect(level == 2, "PRAGMA synchronous on the writer: \(String(describing: level)) (2 is FULL)")
        let mode = try t.registry.database.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }
}
