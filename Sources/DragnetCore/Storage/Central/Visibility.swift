import Foundation
import GRDB

/// What one scope may see, with the answers cached for one pull (SPEC §7): every wanted case of the scope; other
/// units' wanted cases too, but for a station (`horizon` set) not those already closed when it first pulled — the
/// closing stored at or before `horizon` — unless the station recorded an event on them; the release cases that are
/// or were the responsibility of a unit of the scope; the persons of the cases it sees.
///
/// The facts each answer is made of are read from the database, or from `shared` (`PullFacts`, kept across pulls)
/// when the pull reads the state of the log they hold for (`state`); facts read here are kept there for the next pull.
struct Visibility {
    let scope: UnitCode
    /// The head of the log at the station's first pull (`CentralState.pullHorizon`); nil for headquarters, who see
    /// every wanted case.
    let horizon: Int64?
    let db: Database
    /// The facts kept across pulls, and the state of the log this pull reads (nil: read everything here).
    let shared: (facts: KeptPullFacts, state: Int64)?
    private var cache: [UUID: Bool] = [:]
    /// The answers by record number (`PullLogIndex`): 0 not judged yet, 1 not seen, 2 seen.
    private var numbered: [UInt8] = []

    init(scope: UnitCode, horizon: Int64? = nil, db: Database, shared: (facts: KeptPullFacts, state: Int64)? = nil) {
        self.scope = scope
        self.horizon = horizon
        self.db = db
        self.shared = shared
    }

    /// `sees` for an entry of the log index, remembered by the record's number (`recordCount`: how many records
    /// the index numbers).
    mutating func sees(_ entry: PullLogIndex.Entry, recordCount: Int) throws -> Bool {
        if numbered.count < recordCount { numbered += repeatElement(0, count: recordCount - numbered.count) }
        let number = Int(entry.number)
        if numbered[number] != 0 { return numbered[number] == 2 }
        let visible = try sees(entry.record, kind: entry.recordKind)
        numbered[number] = visible ? 2 : 1
        return visible
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

    /// Whether a station sees a wanted case: its own scope's, an open one, one closed after the station's first
    /// pull, or one it recorded an event on. A case with no row (its opening retracted, or a reference another
    /// case holds) is seen, as before this rule.
    private func seesWanted(_ id: UUID) throws -> Bool {
        guard let horizon else { return true }
        guard case .row(let owner?, let closed, let closedAt) = try wanted(id), !scope.covers(owner), closed else {
            return true
        }
        if let closedAt, closedAt > horizon { return true }
        return try recorders(id).contains { scope.covers($0) }
    }

    // MARK: The facts, kept across pulls when they can be

    private func kept<T: Sendable>(_ id: UUID, _ read: (borrowing PullFacts, Int64) -> T?) -> T? {
        guard let shared else { return nil }
        return shared.facts.shard(id).mutex.withLock { read($0, shared.state) }
    }

    private func keep(_ id: UUID, _ write: (inout PullFacts, Int64) -> Void) {
        guard let shared else { return }
        shared.facts.shard(id).mutex.withLock { write(&$0, shared.state) }
    }

    private func wanted(_ id: UUID) throws -> PullFacts.Wanted {
        if let known = kept(id, { $0.wanted(id, at: $1) }) { return known }
        let row = try Row.fetchOne(
            db,
            cached: """
                SELECT w.\(WantedCaseTable.ownerUnit), w.\(WantedCaseTable.closingKind) IS NOT NULL,
                    (SELECT e.\(EventTable.seq) FROM \(EventTable.tableName) e
                     WHERE e.\(EventTable.id) = w.\(WantedCaseTable.closingEvent))
                FROM \(WantedCaseTable.tableName) w WHERE w.\(WantedCaseTable.id) = ?
                """,
            arguments: [id.lowercased])
        let facts: PullFacts.Wanted =
            row.map { .row(owner: UnitCode($0[0] as String), closed: $0[1], closedAt: $0[2]) } ?? .noRow
        keep(id) { $0.keep(wanted: facts, for: id, at: $1) }
        return facts
    }

    /// The units that recorded events on a record.
    private func recorders(_ id: UUID) throws -> [UnitCode] {
        if let known = kept(id, { $0.recorders(id, at: $1) }) { return known }
        let units = try String.fetchAll(
            db,
            cached: "SELECT DISTINCT \(EventTable.unit) FROM \(EventTable.tableName) WHERE \(EventTable.recordID) = ?",
            arguments: [id.lowercased]
        ).compactMap { UnitCode($0) }
        keep(id) { $0.keep(recorders: units, for: id, at: $1) }
        return units
    }

    /// The units a release case is or was the responsibility of.
    private func releaseUnits(_ id: UUID) throws -> [UnitCode] {
        if let known = kept(id, { $0.releaseUnits(id, at: $1) }) { return known }
        let units = try String.fetchAll(
            db,
            cached: """
                SELECT \(ReleaseVisibilityTable.unit) FROM \(ReleaseVisibilityTable.tableName)
                WHERE \(ReleaseVisibilityTable.caseID) = ?
                """,
            arguments: [id.lowercased]
        ).compactMap { UnitCode($0) }
        keep(id) { $0.keep(releaseUnits: units, for: id, at: $1) }
        return units
    }

    /// The cases a person is linked to.
    private func personLinks(_ id: UUID) throws -> [PullFacts.PersonLink] {
        if let known = kept(id, { $0.personLinks(id, at: $1) }) { return known }
        let links = try Row.fetchAll(
            db,
            cached: """
                SELECT \(PersonLinkTable.list(.caseID, .kind)) FROM \(PersonLinkTable.tableName)
                WHERE \(PersonLinkTable.personID) = ?
                """,
            arguments: [id.lowercased]
        ).compactMap { link -> PullFacts.PersonLink? in
            guard let caseID = UUID(text: link[0] as String), let kind = RecordKind(rawValue: link[1]) else {
                return nil
            }
            return PullFacts.PersonLink(caseID: caseID, kind: kind)
        }
        keep(id) { $0.keep(personLinks: links, for: id, at: $1) }
        for link in links { keep(link.caseID) { facts, _ in facts.note(person: id, linkedTo: link.caseID) } }
        return links
    }
}
