import Foundation
import GRDB
import Synchronization

/// What decides whether a scope may pull a record (SPEC §7), read from the database once and kept across pulls for
/// one state of the log (`head`, its last sequence number): a wanted case's owner and closing, the units that
/// recorded events on it, the units responsible for a release case, the cases a person is linked to. Every station
/// asks the same questions of the same records (the national wanted list); each answer is read once per state of the
/// log instead of once per station per event.
///
/// The facts of a record change only when an event on that record is stored (its projection rows are written in
/// the same transaction), and a person's links only when an event on one of their cases or on them is. So when
/// the log moves on from `head` to a later head, the records of the events stored in between, and the persons linked
/// to them, are forgotten and everything else stays true (`advance`). A pull reading an older state of the log than
/// the one kept (a slower concurrent reader) neither uses nor fills these facts: nothing is ever answered from a
/// later or an earlier state than the pull's own snapshot.
struct PullFacts: Sendable {
    /// A wanted case's projection row, or none (its opening retracted, or a reference another case holds).
    enum Wanted: Sendable, Equatable {
        case noRow
        case row(owner: UnitCode?, closed: Bool, closedAt: Int64?)
    }

    /// The last sequence number of the log these facts hold for; nil before the first pull.
    private(set) var head: Int64?
    private var wanted: [UUID: Wanted] = [:]
    private var recorders: [UUID: [UnitCode]] = [:]
    private var releaseUnits: [UUID: [UnitCode]] = [:]
    private var personLinks: [UUID: [PersonLink]] = [:]
    /// The persons whose kept links name a case of this shard: forgotten with the case (a link can go as well as
    /// come).
    private var personsOfCase: [UUID: [UUID]] = [:]
    private var count = 0

    /// A case a person is linked to.
    struct PersonLink: Sendable, Equatable {
        let caseID: UUID
        let kind: RecordKind
    }

    /// The most facts kept; past it they are all forgotten and read again (a registry's few million records fit,
    /// at about a hundred bytes each).
    static let limit = 4_000_000

    /// Moves the facts from `head` to `newHead`, forgetting `touched` (the records with events stored in between);
    /// returns the persons whose links named one of them (to forget in their shards).
    mutating func advance(from: Int64?, to newHead: Int64, forgetting touched: [UUID]) -> [UUID] {
        var persons: [UUID] = []
        if from == nil || count > Self.limit {
            self = PullFacts()
        } else {
            for record in touched { persons += forget(record) }
        }
        head = newHead
        return persons
    }

    /// Forgets what is kept of `record`; returns the persons whose links named it (to be forgotten too).
    mutating func forget(_ record: UUID) -> [UUID] {
        wanted[record] = nil
        recorders[record] = nil
        releaseUnits[record] = nil
        personLinks[record] = nil
        return personsOfCase.removeValue(forKey: record) ?? []
    }

    /// Notes that `person`'s kept links name `caseID` (a case of this shard).
    mutating func note(person: UUID, linkedTo caseID: UUID) {
        personsOfCase[caseID, default: []].append(person)
    }

    func wanted(_ id: UUID, at state: Int64) -> Wanted? { head == state ? wanted[id] : nil }
    func recorders(_ id: UUID, at state: Int64) -> [UnitCode]? { head == state ? recorders[id] : nil }
    func releaseUnits(_ id: UUID, at state: Int64) -> [UnitCode]? { head == state ? releaseUnits[id] : nil }
    func personLinks(_ id: UUID, at state: Int64) -> [PersonLink]? { head == state ? personLinks[id] : nil }

    mutating func keep(wanted value: Wanted, for id: UUID, at state: Int64) {
        guard head == state else { return }
        count += 1
        wanted[id] = value
    }

    mutating func keep(recorders value: [UnitCode], for id: UUID, at state: Int64) {
        guard head == state else { return }
        count += 1
        recorders[id] = value
    }

    mutating func keep(releaseUnits value: [UnitCode], for id: UUID, at state: Int64) {
        guard head == state else { return }
        count += 1
        releaseUnits[id] = value
    }

    mutating func keep(personLinks value: [PersonLink], for id: UUID, at state: Int64) {
        guard head == state else { return }
        count += 1 + value.count
        personLinks[id] = value
    }
}

extension PullFacts {
    /// The records whose facts may differ between the log at `from` and at `to`: those with events stored in
    /// between, and the persons linked to any of them.
    static func touched(after from: Int64, upTo to: Int64, db: Database) throws -> [UUID] {
        let rows = try Row.fetchAll(
            db,
            cached: """
                SELECT DISTINCT \(EventTable.recordID) FROM \(EventTable.tableName)
                WHERE \(EventTable.seq) > ? AND \(EventTable.seq) <= ?
                UNION
                SELECT l.\(PersonLinkTable.personID) FROM \(PersonLinkTable.tableName) l
                WHERE l.\(PersonLinkTable.caseID) IN (
                    SELECT \(EventTable.recordID) FROM \(EventTable.tableName)
                    WHERE \(EventTable.seq) > ? AND \(EventTable.seq) <= ?)
                """,
            arguments: [from, to, from, to])
        return rows.compactMap { UUID(text: $0[0] as String) }
    }

    /// The last sequence number of the log as the reading transaction `db` sees it (0 while it is empty).
    static func head(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, cached: "SELECT max(\(EventTable.seq)) FROM \(EventTable.tableName)") ?? 0
    }
}

/// The `PullFacts` of one open database, shared by the pulls that run at the same time, in shards by record id
/// (each with its own lock: thousands of look-ups a page from several threads at once fought over one lock).
/// A shard answers only for the state of the log it holds (`PullFacts.head`), so a pull that meets a shard not yet
/// moved to its state reads from the database, as it does when its own snapshot is older than the kept state.
final class KeptPullFacts: Sendable {
    final class Shard: Sendable {
        let mutex = Mutex(PullFacts())
    }

    private let shards: [Shard] = (0..<64).map { _ in Shard() }
    /// The state all shards were last moved to (nil: none yet), and the lock that moves them one pull at a time.
    private let state = Mutex<Int64?>(nil)

    func shard(_ id: UUID) -> Shard { shards[Int(id.uuid.15 & 63)] }

    /// Brings the facts to the state of the log `db` reads (its last sequence number `head`); false when they are
    /// kept for a later state (the pull reads an older snapshot and reads its facts itself).
    func advance(to head: Int64, db: Database) throws -> Bool {
        try state.withLock { from in
            if from == head { return true }
            if let from, from > head { return false }
            let touched = try from.map { try PullFacts.touched(after: $0, upTo: head, db: db) } ?? []
            var byShard = [[UUID]](repeating: [], count: shards.count)
            for record in touched { byShard[Int(record.uuid.15 & 63)].append(record) }
            var persons: [UUID] = []
            for (index, shard) in shards.enumerated() {
                persons += shard.mutex.withLock { $0.advance(from: from, to: head, forgetting: byShard[index]) }
            }
            for person in persons { _ = shard(person).mutex.withLock { $0.forget(person) } }
            from = head
            return true
        }
    }
}
