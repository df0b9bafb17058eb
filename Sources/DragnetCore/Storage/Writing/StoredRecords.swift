import Foundation
import GRDB

/// The checker's window on a database (`RecordLookup`): events from the log, persons and cases from the projections,
/// inside the caller's transaction.
struct StoredRecords: RecordLookup {
    let db: Database
    /// Event ids and record ids known to have nothing in the log (see `knowing(absentOf:)`).
    private var absent: (events: Set<UUID>, records: Set<UUID>) = ([], [])

    init(db: Database) {
        self.db = db
    }

    /// The same window, told in two queries which of `events`' ids and record ids the log does not hold, so that
    /// judging a pushed batch of new events asks the database once for them all instead of twice per event.
    func knowing(absentOf events: [Event]) throws -> StoredRecords {
        guard events.count > 1 else { return self }
        var copy = self
        copy.absent.events = try Self.missing(Set(events.map(\.id)), column: .id, in: db)
        copy.absent.records = try Self.missing(Set(events.map(\.recordID)), column: .recordID, in: db)
        return copy
    }

    /// Which of `ids` no row of the log has in `column`. The ids go in as one JSON array (`json_each`), so the
    /// statement is the same for every batch and prepared once, whatever the batch's size.
    private static func missing(_ ids: Set<UUID>, column: EventTable, in db: Database) throws -> Set<UUID> {
        let list = "[\"" + ids.map(\.lowercased).joined(separator: "\",\"") + "\"]"
        let found = try String.fetchAll(
            db,
            cached: """
                SELECT DISTINCT \(column) FROM \(EventTable.tableName)
                WHERE \(column) IN (SELECT value FROM json_each(?))
                """,
            arguments: [list])
        return ids.subtracting(found.compactMap { UUID(text: $0) })
    }

    func event(withID id: UUID) throws -> Event? {
        absent.events.contains(id) ? nil : try EventLog.event(withID: id, in: db)
    }

    func events(ofRecord id: UUID) throws -> [Event] {
        absent.records.contains(id) ? [] : try EventLog.events(ofRecord: id, in: db)
    }

    func person(_ id: UUID) throws -> PersonSummary? {
        try Row.fetchOne(
            db, cached: Self.personSQL, arguments: [id.lowercased]
        ).map {
            PersonSummary(birthDate: ($0[0] as String?).flatMap(BirthDate.init))
        }
    }

    func openWantedCases(of person: UUID) throws -> [(id: UUID, reference: CaseReference)] {
        try Row.fetchAll(db, cached: Self.openWantedCasesSQL, arguments: [person.lowercased]).compactMap { row in
            guard let id = UUID(text: row[0] as String), let unit = UnitCode(row[1] as String) else { return nil }
            return (id, CaseReference(unit: unit, ref: row[2]))
        }
    }

    func cases(_ kind: RecordKind, named reference: CaseReference) throws -> [UUID] {
        let sql = kind == .wanted ? Self.wantedNamedSQL : Self.releaseNamedSQL
        return try String.fetchAll(db, cached: sql, arguments: [reference.unit.rawValue, reference.ref])
            .compactMap { UUID(text: $0) }
    }

    func cases(concerning person: UUID) throws -> [UUID] {
        try String.fetchAll(db, cached: Self.casesConcerningSQL, arguments: [person.lowercased, person.lowercased])
            .compactMap { UUID(text: $0) }
    }

    // The look-ups' statements, made once: the rules ask them for nearly every event of a push or an import.
    private static let personSQL =
        "SELECT \(PersonTable.birthDate) FROM \(PersonTable.tableName) WHERE \(PersonTable.id) = ?"
    private static let openWantedCasesSQL = """
        SELECT \(WantedCaseTable.list(.id, .ownerUnit, .caseRef)) FROM \(WantedCaseTable.tableName)
        WHERE \(WantedCaseTable.personID) = ? AND \(WantedCaseTable.closingKind) IS NULL
        """
    private static let wantedNamedSQL = """
        SELECT \(WantedCaseTable.id) FROM \(WantedCaseTable.tableName)
        WHERE \(WantedCaseTable.ownerUnit) = ? AND \(WantedCaseTable.caseRef) = ?
        """
    private static let releaseNamedSQL = """
        SELECT \(ReleaseCaseTable.id) FROM \(ReleaseCaseTable.tableName)
        WHERE \(ReleaseCaseTable.unit) = ? AND \(ReleaseCaseTable.caseRef) = ?
        """
    private static let casesConcerningSQL = """
        SELECT \(WantedCaseTable.id) FROM \(WantedCaseTable.tableName) WHERE \(WantedCaseTable.personID) = ?
        UNION ALL
        SELECT \(ReleaseCaseTable.id) FROM \(ReleaseCaseTable.tableName) WHERE \(ReleaseCaseTable.personID) = ?
        """
}
