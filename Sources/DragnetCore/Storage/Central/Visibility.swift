import Foundation
import GRDB

/// What one scope may see, with the answers cached for one pull (SPEC §7): every wanted case of the scope; other
/// units' wanted cases too, but for a station (`horizon` set) not those already closed when it first pulled — the
/// closing stored at or before `horizon` — unless the station recorded an event on them; the release cases that are
/// or were the responsibility of a unit of the scope; the persons of the cases it sees.
struct Visibility {
    let scope: UnitCode
    /// The head of the log at the station's first pull (`CentralState.pullHorizon`); nil for headquarters, who see
    /// every wanted case.
    let horizon: Int64?
    let db: Database
    private var cache: [UUID: Bool] = [:]

    init(scope: UnitCode, horizon: Int64? = nil, db: Database) {
        self.scope = scope
        self.horizon = horizon
        self.db = db
    }

    mutating func sees(_ record: UUID, kind: RecordKind) throws -> Bool {
        if let known = cache[record] { return known }
        let id = record.lowercased
        let coverage = ScopeCoverage(scope)
        let visible: Bool
        switch kind {
        case .wanted:
            visible = try seesWanted(id, coverage: coverage)
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
            // Seen with any case of theirs that is seen.
            let links = try Row.fetchAll(
                db,
                cached: """
                    SELECT \(PersonLinkTable.list(.caseID, .kind)) FROM \(PersonLinkTable.tableName)
                    WHERE \(PersonLinkTable.personID) = ?
                    """,
                arguments: [id])
            var any = false
            for link in links {
                guard let caseID = UUID(uuidString: link[0]), let kind = RecordKind(rawValue: link[1]) else { continue }
                if try sees(caseID, kind: kind) {
                    any = true
                    break
                }
            }
            visible = any
        }
        cache[record] = visible
        return visible
    }

    /// Whether a station sees a wanted case: its own scope's, an open one, one closed after the station's first
    /// pull, or one it recorded an event on. A case with no row (its opening retracted, or a reference another
    /// case holds) is seen, as before this rule.
    private func seesWanted(_ id: String, coverage: ScopeCoverage) throws -> Bool {
        guard let horizon else { return true }
        guard
            let row = try Row.fetchOne(
                db,
                cached: """
                    SELECT w.\(WantedCaseTable.ownerUnit), w.\(WantedCaseTable.closingKind) IS NOT NULL,
                        (SELECT e.\(EventTable.seq) FROM \(EventTable.tableName) e
                         WHERE e.\(EventTable.id) = w.\(WantedCaseTable.closingEvent))
                    FROM \(WantedCaseTable.tableName) w WHERE w.\(WantedCaseTable.id) = ?
                    """,
                arguments: [id])
        else { return true }
        guard let owner = UnitCode(row[0] as String), !scope.covers(owner), row[1] as Bool else { return true }
        if let closedAt = row[2] as Int64?, closedAt > horizon { return true }
        return try Bool.fetchOne(
            db,
            cached: """
                SELECT EXISTS (SELECT 1 FROM \(EventTable.tableName)
                               WHERE \(EventTable.recordID) = ? AND \(ScopeCoverage.condition(EventTable.unit.rawValue)))
                """,
            arguments: [id] + coverage.arguments) ?? false
    }
}
