import Foundation
import GRDB

/// What one scope may see, with the answers cached for one pull.
struct Visibility {
    let scope: UnitCode
    let db: Database
    private var cache: [UUID: Bool] = [:]

    init(scope: UnitCode, db: Database) {
        self.scope = scope
        self.db = db
    }

    mutating func sees(_ record: UUID, kind: RecordKind) throws -> Bool {
        if let known = cache[record] { return known }
        let id = record.lowercased
        let coverage = ScopeCoverage(scope)
        let visible: Bool
        switch kind {
        case .wanted:
            visible = true
        case .release:
            visible =
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM \(ReleaseVisibilityTable.tableName)
                                       WHERE \(ReleaseVisibilityTable.caseID) = ?
                                       AND \(ScopeCoverage.condition("\(ReleaseVisibilityTable.unit)")))
                        """,
                    arguments: [id] + coverage.arguments) ?? false
        case .person:
            visible =
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM \(PersonLinkTable.tableName) l
                            WHERE l.\(PersonLinkTable.personID) = ? AND (l.\(PersonLinkTable.kind) = 'wanted'
                            OR EXISTS (SELECT 1 FROM \(ReleaseVisibilityTable.tableName) v
                                       WHERE v.\(ReleaseVisibilityTable.caseID) = l.\(PersonLinkTable.caseID)
                                       AND \(ScopeCoverage.condition("v.\(ReleaseVisibilityTable.unit)")))))
                        """,
                    arguments: [id] + coverage.arguments) ?? false
        }
        cache[record] = visible
        return visible
    }
}
