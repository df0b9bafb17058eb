import Foundation
import GRDB

/// Searches and lists over the records: persons by name, possible duplicates, anomalies, open cases.
extension Records {
    /// Persons whose name or alias contains every word of `query`, ignoring case and diacritics.
    public func findPersons(_ query: String, limit: Int = 50) throws -> [PersonMatch] {
        let words = PersonName.searchKey(query).split(separator: " ").map(String.init)
        guard !words.isEmpty else { throw DragnetError(.usage, "give at least one word of the name to search for") }
        let condition = words.map { _ in
            "((' ' || \(PersonTable.searchKey) || ' ' || \(PersonTable.aliasKeys)) LIKE ? ESCAPE '\\')"
        }
        .joined(separator: " AND ")
        let patterns = words.map {
            "%"
                + $0.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        return try registry.read { db in
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT \(PersonTable.id) FROM \(PersonTable.tableName) WHERE \(condition)
                    ORDER BY \(PersonTable.searchKey), \(PersonTable.id) LIMIT \(limit)
                    """,
                arguments: StatementArguments(patterns))
            return try ids.compactMap(UUID.init(uuidString:)).map { id in
                let events = try registry.events(ofRecord: id, in: db)
                guard case .person(let person) = FoldedRecord.fold(events, kind: .person, birth: nil).state else {
                    throw DragnetError(.failure, "person \(id.lowercased) is listed but has no registration")
                }
                let wanted = try String.fetchAll(
                    db,
                    sql: """
                        SELECT \(WantedCaseTable.ownerUnit) || '/' || \(WantedCaseTable.caseRef) || ' (' \
                        || COALESCE(\(WantedCaseTable.closingKind) || ' ' || \(WantedCaseTable.closingDate),
                            'open since ' || \(WantedCaseTable.openedOn)) || ')'
                        FROM \(WantedCaseTable.tableName) WHERE \(WantedCaseTable.personID) = ?
                        ORDER BY \(WantedCaseTable.openedOn)
                        """, arguments: [id.lowercased])
                let releases = try String.fetchAll(
                    db,
                    sql: """
                        SELECT \(ReleaseCaseTable.unit) || '/' || \(ReleaseCaseTable.caseRef) || ' (' \
                        || \(ReleaseCaseTable.releaseType) || ' ' || \(ReleaseCaseTable.releasedOn)
                            || COALESCE(', ' || \(ReleaseCaseTable.endingKind) || ' ' || \(ReleaseCaseTable.endingDate),
                                '') || ')'
                        FROM \(ReleaseCaseTable.tableName) WHERE \(ReleaseCaseTable.personID) = ?
                        ORDER BY \(ReleaseCaseTable.releasedOn)
                        """, arguments: [id.lowercased])
                return PersonMatch(person: person, wanted: wanted, releases: releases)
            }
        }
    }

    /// National ids held by more than one person.
    public func possibleDuplicates() throws -> [PossibleDuplicate] {
        try registry.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(PersonTable.nationalID), \(PersonTable.id) FROM \(PersonTable.tableName)
                    WHERE \(PersonTable.nationalID) IN
                        (SELECT \(PersonTable.nationalID) FROM \(PersonTable.tableName)
                         WHERE \(PersonTable.nationalID) IS NOT NULL
                         GROUP BY \(PersonTable.nationalID) HAVING count(*) > 1)
                    ORDER BY \(PersonTable.nationalID), \(PersonTable.id)
                    """)
            var result: [PossibleDuplicate] = []
            for row in rows {
                guard let nid = NationalID(row[0] as String), let id = UUID(uuidString: row[1]) else { continue }
                guard
                    case .person(let person) = FoldedRecord.fold(
                        try registry.events(ofRecord: id, in: db), kind: .person,
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
        try registry.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(AnomalyTable.list(.severity, .eventID, .otherEventID, .record, .field, .value, .message))
                    FROM \(AnomalyTable.tableName)
                    ORDER BY CASE \(AnomalyTable.severity) WHEN 'conflict' THEN 0 WHEN 'invalid' THEN 1 ELSE 2 END,
                        \(AnomalyTable.record), \(AnomalyTable.eventID)
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
        try registry.read { db in
            let coverage = ScopeCoverage(scope)
            let wantedIDs = try String.fetchAll(
                db,
                sql: """
                    SELECT \(WantedCaseTable.id) FROM \(WantedCaseTable.tableName)
                    WHERE \(WantedCaseTable.closingKind) IS NULL
                        AND \(ScopeCoverage.condition("\(WantedCaseTable.ownerUnit)"))
                    ORDER BY \(WantedCaseTable.ownerUnit), \(WantedCaseTable.caseRef)
                    """, arguments: coverage.arguments)
            let releaseIDs = try String.fetchAll(
                db,
                sql: """
                    SELECT \(ReleaseCaseTable.id) FROM \(ReleaseCaseTable.tableName)
                    WHERE \(ReleaseCaseTable.endingKind) IS NULL
                        AND \(ScopeCoverage.condition("\(ReleaseCaseTable.responsibleUnit)"))
                    ORDER BY \(ReleaseCaseTable.responsibleUnit), \(ReleaseCaseTable.caseRef)
                    """, arguments: coverage.arguments)
            var wanted: [WantedCase] = []
            for id in wantedIDs.compactMap(UUID.init(uuidString:)) {
                let events = try registry.events(ofRecord: id, in: db)
                if case .wanted(let w) = try registry.fold(events, kind: .wanted, in: db).state {
                    wanted.append(w)
                }
            }
            var releases: [ReleaseCase] = []
            for id in releaseIDs.compactMap(UUID.init(uuidString:)) {
                let events = try registry.events(ofRecord: id, in: db)
                if case .release(let r) = try registry.fold(events, kind: .release, in: db).state {
                    releases.append(r)
                }
            }
            return (wanted, releases)
        }
    }
}
