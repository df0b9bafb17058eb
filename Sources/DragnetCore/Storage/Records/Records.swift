import Foundation
import GRDB

/// One entry of a record's history: the event and, when it was undone, the retraction that undid it.
public struct HistoryEntry: Sendable, Equatable {
    public var event: Event
    public var retractedBy: Event?
}

/// A person found by a search, with the cases they have.
public struct PersonMatch: Sendable, Equatable {
    public var person: Person
    /// `UNIT/CASE_REF (open|closed …)` lines for the person's wanted cases.
    public var wanted: [String]
    /// The same for release cases.
    public var releases: [String]
}

/// Persons who share one national id: possibly one person registered twice.
public struct PossibleDuplicate: Sendable, Equatable {
    public var nationalID: NationalID
    public var persons: [Person]
}

extension Registry {
    /// The wanted case named by `ref`: its id, or `UNIT/CASE_REF`.
    public func wantedCase(_ ref: String) throws -> WantedCase {
        let id = try resolve(ref, table: "wanted_case", unitColumn: "owner_unit", what: "wanted case")
        guard case .wanted(let state) = try folded(id)?.state else {
            throw DragnetError(.notFound, "no wanted case \(ref)")
        }
        return state
    }

    /// The release case named by `ref`: its id, or `UNIT/CASE_REF`.
    public func releaseCase(_ ref: String) throws -> ReleaseCase {
        let id = try resolve(ref, table: "release_case", unitColumn: "unit", what: "release case")
        guard case .release(let state) = try folded(id)?.state else {
            throw DragnetError(.notFound, "no release case \(ref)")
        }
        return state
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
        try read { db in
            let events = try events(ofRecord: id, in: db)
            guard let kind = events.first?.recordKind else { return nil }
            return try fold(events, kind: kind, in: db)
        }
    }

    private func resolve(_ ref: String, table: String, unitColumn: String, what: String) throws -> UUID {
        if let id = UUID(uuidString: ref) {
            return id
        }
        guard let slash = ref.firstIndex(of: "/"), let unit = UnitCode(ref[..<slash]) else {
            throw DragnetError(
                .badInput,
                "\"\(ref)\" does not name a \(what): give its id or UNIT/CASE_REF, for example 79.26734/TN-00012")
        }
        let caseRef = String(ref[ref.index(after: slash)...])
        let found = try read { db in
            try String.fetchOne(
                db, sql: "SELECT id FROM \(table) WHERE \(unitColumn) = ? AND case_ref = ?",
                arguments: [unit.rawValue, caseRef])
        }
        guard let found, let id = UUID(uuidString: found) else {
            throw DragnetError(.notFound, "no \(what) \(ref) in \(path)")
        }
        return id
    }

    /// Every event of a record in fold order (retractions last), with what undid each.
    public func history(of recordID: UUID) throws -> [HistoryEntry] {
        let log: [Event] = try read { db in try self.events(ofRecord: recordID, in: db) }
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
        let row = try read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(EventCoding.columns) FROM event WHERE id = ?", arguments: [id.lowercased])
        }
        guard let row else { throw DragnetError(.notFound, "no event \(id.lowercased) in \(path)") }
        return try EventCoding.event(from: row)
    }

    /// Persons whose name or alias contains every word of `query`, ignoring case and diacritics.
    public func findPersons(_ query: String, limit: Int = 50) throws -> [PersonMatch] {
        let words = PersonName.searchKey(query).split(separator: " ").map(String.init)
        guard !words.isEmpty else { throw DragnetError(.usage, "give at least one word of the name to search for") }
        let condition = words.map { _ in "((' ' || search_key || ' ' || alias_keys) LIKE ? ESCAPE '\\')" }
            .joined(separator: " AND ")
        let patterns = words.map {
            "%"
                + $0.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        return try read { db in
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM person WHERE \(condition) ORDER BY search_key, id LIMIT \(limit)",
                arguments: StatementArguments(patterns))
            return try ids.compactMap(UUID.init(uuidString:)).map { id in
                let events = try events(ofRecord: id, in: db)
                guard case .person(let person) = FoldedRecord.fold(events, kind: .person, birth: nil).state else {
                    throw DragnetError(.failure, "person \(id.lowercased) is listed but has no registration")
                }
                let wanted = try String.fetchAll(
                    db,
                    sql: """
                        SELECT owner_unit || '/' || case_ref || ' (' || COALESCE(closing_kind || ' ' || closing_date,
                            'open since ' || opened_on) || ')'
                        FROM wanted_case WHERE person_id = ? ORDER BY opened_on
                        """, arguments: [id.lowercased])
                let releases = try String.fetchAll(
                    db,
                    sql: """
                        SELECT unit || '/' || case_ref || ' (' || release_type || ' ' || released_on
                            || COALESCE(', ' || ending_kind || ' ' || ending_date, '') || ')'
                        FROM release_case WHERE person_id = ? ORDER BY released_on
                        """, arguments: [id.lowercased])
                return PersonMatch(person: person, wanted: wanted, releases: releases)
            }
        }
    }

    /// National ids held by more than one person.
    public func possibleDuplicates() throws -> [PossibleDuplicate] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT national_id, id FROM person WHERE national_id IN
                        (SELECT national_id FROM person WHERE national_id IS NOT NULL
                         GROUP BY national_id HAVING count(*) > 1)
                    ORDER BY national_id, id
                    """)
            var result: [PossibleDuplicate] = []
            for row in rows {
                guard let nid = NationalID(row[0] as String), let id = UUID(uuidString: row[1]) else { continue }
                guard
                    case .person(let person) = FoldedRecord.fold(
                        try events(ofRecord: id, in: db), kind: .person,
                        birth: nil
                    ).state
                else { continue }
                if result.last?.nationalID == nid {
                    result[result.count - 1].persons.append(person)
                } else {
                    result.append(PossibleDuplicate(nationalID: nid, persons: [person]))
                }
            }
            return result
        }
    }

    /// Every anomaly in the log as it stands: conflicts between units first, then repeats and invalid events.
    public func anomalies() throws -> [Anomaly] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT severity, event_id, other_event_id, record, field, value, message FROM anomaly
                    ORDER BY CASE severity WHEN 'conflict' THEN 0 WHEN 'invalid' THEN 1 ELSE 2 END, record, event_id
                    """
            ).compactMap { row in
                guard let severity = Anomaly.Severity(rawValue: row[0]), let event = UUID(uuidString: row[1]) else {
                    return nil
                }
                return Anomaly(
                    severity, event: event, other: (row[2] as String?).flatMap(UUID.init(uuidString:)),
                    record: row[3], field: row[4], value: row[5], message: row[6])
            }
        }
    }

    /// Summary lines of open cases within a scope, for an officer's list.
    public func openCases(scope: UnitCode) throws -> (wanted: [WantedCase], releases: [ReleaseCase]) {
        try read { db in
            let coverage = ScopeCoverage(scope)
            let wantedIDs = try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM wanted_case WHERE closing_kind IS NULL AND \(ScopeCoverage.condition("owner_unit"))
                    ORDER BY owner_unit, case_ref
                    """, arguments: coverage.arguments)
            let releaseIDs = try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM release_case WHERE ending_kind IS NULL
                        AND \(ScopeCoverage.condition("responsible_unit"))
                    ORDER BY responsible_unit, case_ref
                    """, arguments: coverage.arguments)
            var wanted: [WantedCase] = []
            for id in wantedIDs.compactMap(UUID.init(uuidString:)) {
                if case .wanted(let w) = try fold(events(ofRecord: id, in: db), kind: .wanted, in: db).state {
                    wanted.append(w)
                }
            }
            var releases: [ReleaseCase] = []
            for id in releaseIDs.compactMap(UUID.init(uuidString:)) {
                if case .release(let r) = try fold(events(ofRecord: id, in: db), kind: .release, in: db).state {
                    releases.append(r)
                }
            }
            return (wanted, releases)
        }
    }
}
