import Foundation
import GRDB

/// The records as an officer reads them: a case by its name, a person, a record's history, an event. Searches and
/// lists are in `Records+Search.swift`. Reached as `registry.records`.
public struct Records: Sendable {
    let registry: Registry

    /// The wanted case named by `ref`: its id, or `UNIT/CASE_REF`.
    public func wantedCase(_ ref: String) throws -> WantedCase {
        let id = try resolve(ref, in: WantedCaseTable.self, columns: (.id, .ownerUnit, .caseRef), what: "wanted case")
        guard case .wanted(let state) = try folded(id)?.state else {
            throw DragnetError(.notFound, "no wanted case \(ref)")
        }
        return state
    }

    /// The release case named by `ref`: its id, or `UNIT/CASE_REF`.
    public func releaseCase(_ ref: String) throws -> ReleaseCase {
        let id = try resolve(ref, in: ReleaseCaseTable.self, columns: (.id, .unit, .caseRef), what: "release case")
        guard case .release(let state) = try folded(id)?.state else {
            throw DragnetError(.notFound, "no release case \(ref)")
        }
        return state
    }

    /// The id of the release case named by `ref`: the id written in it (not looked up), or the case `UNIT/CASE_REF`
    /// names.
    public func releaseCaseID(_ ref: String) throws -> UUID {
        try resolve(ref, in: ReleaseCaseTable.self, columns: (.id, .unit, .caseRef), what: "release case")
    }

    /// The wanted cases named as arising from the release case `id`, as `UNIT/CASE_REF`.
    public func wantedCases(arisingFrom id: UUID) throws -> [String] {
        try registry.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(WantedCaseTable.list(.ownerUnit, .caseRef)) FROM \(WantedCaseTable.tableName)
                    WHERE \(WantedCaseTable.releaseCase) = ? ORDER BY \(WantedCaseTable.openedOn)
                    """,
                arguments: [id.lowercased]
            ).map { "\($0[0] as String)/\($0[1] as String)" }
        }
    }

    /// `UNIT/CASE_REF` of the release case with this id, if it is registered here.
    public func releaseCaseLabel(_ id: UUID) throws -> String? {
        try registry.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT \(ReleaseCaseTable.list(.unit, .caseRef)) FROM \(ReleaseCaseTable.tableName)
                    WHERE \(ReleaseCaseTable.id) = ?
                    """,
                arguments: [id.lowercased]
            ).map { "\($0[0] as String)/\($0[1] as String)" }
        }
    }

    /// The person with this id.
    public func person(_ id: UUID) throws -> Person {
        guard case .person(let person) = try folded(id)?.state else {
            throw DragnetError(.notFound, "no person with id \(id.lowercased)")
        }
        return person
    }

    /// The person with the id written in `text`.
    public func person(_ text: String) throws -> Person {
        guard let id = UUID(uuidString: text) else {
            throw DragnetError(.badInput, "person id \"\(text)\" is not an id (like 0190f1c2-…)")
        }
        return try person(id)
    }

    private func folded(_ id: UUID) throws -> FoldedRecord? {
        try registry.read { db in
            let events = try registry.events(ofRecord: id, in: db)
            guard let kind = events.first?.recordKind else { return nil }
            return try registry.fold(events, kind: kind, in: db)
        }
    }

    /// The id of the case `ref` names in `table` (from its columns that hold a case's id, unit and reference): the id
    /// written in `ref`, or the case found by `UNIT/CASE_REF`.
    private func resolve<Table: SchemaTable>(
        _ ref: String, in table: Table.Type, columns: (id: Table, unit: Table, ref: Table), what: String
    ) throws -> UUID {
        if let id = UUID(uuidString: ref) {
            return id
        }
        guard let slash = ref.firstIndex(of: "/"), let unit = UnitCode(ref[..<slash]) else {
            throw DragnetError(
                .badInput,
                "\"\(ref)\" does not name a \(what): give its id or UNIT/CASE_REF, for example 79.26734/TN-00012")
        }
        let caseRef = String(ref[ref.index(after: slash)...])
        let found = try registry.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT \(columns.id) FROM \(Table.tableName) WHERE \(columns.unit) = ? AND \(columns.ref) = ?",
                arguments: [unit.rawValue, caseRef])
        }
        guard let found, let id = UUID(uuidString: found) else {
            throw DragnetError(.notFound, "no \(what) \(ref) in \(registry.path)")
        }
        return id
    }

    /// Every event of a record in fold order (retractions last), with what undid each.
    public func history(of recordID: UUID) throws -> [HistoryEntry] {
        let log: [Event] = try registry.read { db in try registry.events(ofRecord: recordID, in: db) }
        let ordered = log.sorted { $0.precedes($1) }
        let folded = FoldSupport.prepare(ordered, label: "")
        var undoneBy: [UUID: Event] = [:]
        for event in ordered {
            if case .retracted(let target, _) = event.payload, folded.retracted.contains(target),
                undoneBy[target] == nil
            {
                undoneBy[target] = event
            }
        }
        return ordered.map { HistoryEntry(event: $0, retractedBy: undoneBy[$0.id]) }
    }

    /// The event with this id.
    public func event(_ id: UUID) throws -> Event {
        let row = try registry.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(EventCoding.columns) FROM \(EventTable.tableName) WHERE \(EventTable.id) = ?",
                arguments: [id.lowercased])
        }
        guard let row else { throw DragnetError(.notFound, "no event \(id.lowercased) in \(registry.path)") }
        return try EventCoding.event(from: row)
    }
}
