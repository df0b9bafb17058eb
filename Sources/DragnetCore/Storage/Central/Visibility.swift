import Foundation
import GRDB

/// What one scope may see, with the answers cached for one pull (SPEC §7): every wanted case of the scope; other
/// units' wanted cases too, but for a station (`horizon` set) not those already closed when it first pulled — the
/// closing stored at or before `horizon` — unless the station recorded an event on them; the release cases that are
/// or were the responsibility of a unit of the scope; the persons of the cases it sees.
///
/// The facts each answer is made of come from `shared` (`PullFacts`, kept across pulls, by record number) when the
/// pull reads the state of the log they hold for, else from the database.
struct Visibility {
    let scope: UnitCode
    /// What the station is not sent (`CentralState.pullHorizon`); nil for headquarters, who see every wanted case.
    let horizon: PullHorizon?
    let db: Database
    /// The facts of the state of the log this pull reads (nil: read everything here).
    let shared: PullFacts?
    private var cache: [UUID: Bool] = [:]
    /// The answers by record number (`PullLogIndex`): 0 not judged yet, 1 not seen, 2 seen.
    private var numbered: [UInt8] = []
    /// Whether the scope covers each unit of `shared.units`, by its index: 0 not asked yet, 1 no, 2 yes.
    private var covered: [UInt8] = []

    init(scope: UnitCode, horizon: PullHorizon? = nil, db: Database, shared: PullFacts? = nil) {
        self.scope = scope
        self.horizon = horizon
        self.db = db
        self.shared = shared
    }

    /// `sees` for an entry of the log index, remembered by the record's number (`recordCount`: how many records
    /// the index numbers).
    mutating func sees(_ entry: PullLogIndex.Entry, recordCount: Int) throws -> Bool {
        let count = max(recordCount, shared?.count ?? 0)
        if numbered.count < count { numbered += repeatElement(0, count: count - numbered.count) }
        let number = Int(entry.number)
        if numbered[number] != 0 { return numbered[number] == 2 }
        if let shared, number < shared.count, shared.kind(number) == entry.recordKind,
            let visible = judge(number, shared)
        {
            return visible
        }
        let visible = try sees(entry.record, kind: entry.recordKind)
        numbered[number] = visible ? 2 : 1
        return visible
    }

    /// The answer for the record numbered `number` from the kept facts (remembered in `numbered`); nil when they do
    /// not hold it (a person linked to a case the index did not number when they were built).
    private mutating func judge(_ number: Int, _ facts: PullFacts) -> Bool? {
        if numbered[number] != 0 { return numbered[number] == 2 }
        var visible: Bool
        switch facts.kind(number) {
        case .wanted:
            visible = seesWanted(number, facts)
        case .release:
            visible = facts.anyListed(number) { covers($0, facts) }
        case .person:
            // Seen with any case of theirs that is seen.
            var unknown = false
            visible = facts.anyListed(number) { linked in
                guard linked != PullFacts.unknownCase, Int(linked) < facts.count, let seen = judge(Int(linked), facts)
                else {
                    unknown = true
                    return false
                }
                return seen
            }
            if unknown && !visible { return nil }
        }
        numbered[number] = visible ? 2 : 1
        return visible
    }

    /// `seesWanted` from the kept facts.
    private mutating func seesWanted(_ number: Int, _ facts: PullFacts) -> Bool {
        let owner = facts.owner(number)
        let closing = facts.closing(number)
        let row: WantedRow =
            owner == PullFacts.noRow
            ? .noRow
            : .row(
                ownerCovered: owner >= 0 ? covers(owner, facts) : nil, closed: closing.closed,
                closedAt: closing.at, arrivedClosed: closing.arrivedClosed)
        return Self.seesWanted(horizon: horizon, { row }, recorded: { facts.anyListed(number) { covers($0, facts) } })
    }

    /// Whether the scope covers the unit of `facts.units` at `unit`.
    private mutating func covers(_ unit: Int32, _ facts: PullFacts) -> Bool {
        let at = Int(unit)
        if covered.count <= at { covered += repeatElement(0, count: facts.units.count - covered.count) }
        if covered[at] == 0 { covered[at] = scope.covers(facts.units[at]) ? 2 : 1 }
        return covered[at] == 2
    }

    mutating func sees(_ record: UUID, kind: RecordKind) throws -> Bool {
        if let known = cache[record] { return known }
        let visible: Bool
        switch kind {
        case .wanted:
            visible = try seesWanted(record)
        case .release:
            visible = try releaseUnits(record).contains { scope.covers($0) }
        case .person:
            // Seen with any case of theirs that is seen.
            var any = false
            for link in try personLinks(record) where try sees(link.caseID, kind: link.kind) {
                any = true
                break
            }
            visible = any
        }
        cache[record] = visible
        return visible
    }

    /// `seesWanted` from the database.
    private func seesWanted(_ id: UUID) throws -> Bool {
        try Self.seesWanted(
            horizon: horizon, { try wanted(id) }, recorded: { try recorders(id).contains { scope.covers($0) } })
    }

    /// Whether a station sees a wanted case: its own scope's, an open one, one whose closing the horizon does not
    /// withhold (`PullHorizon.withholds`: closed after the station's first pull, and, for a new station's horizon,
    /// held open by the central at some moment after it), or one it recorded an event on. A case that reached the
    /// central already closed (its first event and its closing stored in one write, as an import's history is
    /// pushed) was never there to be pulled open. A case with no row (its opening retracted, or a reference another
    /// case holds) is seen, as before this rule. The rule's one place, whether the facts come from `PullFacts` or
    /// from the database: `row` is asked for only for a station (`horizon` set), `recorded` (whether a unit of the
    /// scope recorded an event on the case) only for a case withheld otherwise.
    private static func seesWanted(horizon: PullHorizon?, _ row: () throws -> WantedRow, recorded: () throws -> Bool)
        rethrows -> Bool
    {
        guard let horizon else { return true }
        guard case .row(let ownerCovered?, let closed, let closedAt, let arrivedClosed) = try row(), !ownerCovered,
            closed
        else {
            return true
        }
        if let closedAt, !horizon.withholds(closing: closedAt, arrivedClosed: arrivedClosed) { return true }
        return try recorded()
    }

    // MARK: The facts, read from the database

    /// A wanted case's projection row, or none (its opening retracted, or a reference another case holds): whether
    /// the scope covers its owner (nil: no owner that reads), whether it is closed, the sequence number of its
    /// closing (nil: not closed, or the log does not hold the closing event) and whether that closing was stored in
    /// the same write as the case's first event (it reached the central closed).
    private enum WantedRow {
        case noRow
        case row(ownerCovered: Bool?, closed: Bool, closedAt: Int64?, arrivedClosed: Bool)
    }

    /// A case a person is linked to.
    private struct PersonLink {
        let caseID: UUID
        let kind: RecordKind
    }

    private func wanted(_ id: UUID) throws -> WantedRow {
        let row = try Row.fetchOne(
            db,
            cached: """
                SELECT w.\(WantedCaseTable.ownerUnit), w.\(WantedCaseTable.closingKind) IS NOT NULL, c.\(EventTable.seq),
                    \(Self.arrivedClosedSQL(case: "w.\(WantedCaseTable.id)", closing: "c.\(EventTable.seq)"))
                FROM \(WantedCaseTable.tableName) w
                LEFT JOIN \(EventTable.tableName) c ON c.\(EventTable.id) = w.\(WantedCaseTable.closingEvent)
                WHERE w.\(WantedCaseTable.id) = ?
                """,
            arguments: [id.lowercased])
        return row.map {
            .row(
                ownerCovered: UnitCode($0[0] as String).map { scope.covers($0) }, closed: $0[1], closedAt: $0[2],
                arrivedClosed: $0[3] ?? false)
        } ?? .noRow
    }

    /// SQL: whether the event at sequence number `closing` was stored in the same write as the first event of the
    /// record `case` (no write began after that first event and at or before `closing`: a write's first sequence
    /// number is where its `log_nonce` row is, `Registry.insert`). NULL when `closing` is.
    static func arrivedClosedSQL(case record: String, closing: String) -> String {
        """
        (CASE WHEN \(closing) IS NULL THEN NULL ELSE NOT EXISTS (
            SELECT 1 FROM \(LogNonceTable.tableName) n
            WHERE n.\(LogNonceTable.seq) <= \(closing) AND n.\(LogNonceTable.seq) > (
                SELECT min(f.\(EventTable.seq)) FROM \(EventTable.tableName) f
                WHERE f.\(EventTable.recordID) = \(record))) END)
        """
    }

    /// The units that recorded events on a record.
    private func recorders(_ id: UUID) throws -> [UnitCode] {
        try String.fetchAll(
            db,
            cached: "SELECT DISTINCT \(EventTable.unit) FROM \(EventTable.tableName) WHERE \(EventTable.recordID) = ?",
            arguments: [id.lowercased]
        ).compactMap { UnitCode($0) }
    }

    /// The units a release case is or was the responsibility of.
    private func releaseUnits(_ id: UUID) throws -> [UnitCode] {
        try String.fetchAll(
            db,
            cached: """
                SELECT \(ReleaseVisibilityTable.unit) FROM \(ReleaseVisibilityTable.tableName)
                WHERE \(ReleaseVisibilityTable.caseID) = ?
                """,
            arguments: [id.lowercased]
        ).compactMap { UnitCode($0) }
    }

    /// The cases a person is linked to.
    private func personLinks(_ id: UUID) throws -> [PersonLink] {
        try Row.fetchAll(
            db,
            cached: """
                SELECT \(PersonLinkTable.list(.caseID, .kind)) FROM \(PersonLinkTable.tableName)
                WHERE \(PersonLinkTable.personID) = ?
                """,
            arguments: [id.lowercased]
        ).compactMap { link -> PersonLink? in
            guard let caseID = UUID(text: link[0] as String), let kind = RecordKind(rawValue: link[1]) else {
                return nil
            }
            return PersonLink(caseID: caseID, kind: kind)
        }
    }
}
