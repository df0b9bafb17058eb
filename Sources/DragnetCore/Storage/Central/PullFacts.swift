import Foundation
import GRDB
import Synchronization

/// What decides whether a scope may pull a record (SPEC §7), for every record the log index numbers
/// (`PullLogIndex`), read for one state of the log (`head`, its last sequence number): a wanted case's owner and
/// closing and the units that recorded events on it, the units responsible for a release case, the cases a person is
/// linked to. Every station asks the same questions of the same records (the national wanted list); each answer is
/// read once per state of the log instead of once per station per event.
///
/// Immutable once built, and held by record number in arrays: a pull reads it without a lock and without hashing a
/// record's id (with the facts kept by id in dictionaries behind 64 locks, judging visibility was a third of the
/// server's CPU while 59 stations pulled at once, a fifth of it waiting for the locks: docs/performance.md, session 16).
///
/// The facts of a record change only when an event on that record is stored (its projection rows are written in the
/// same transaction), and a person's links only when an event on one of their cases or on them is. So the facts of
/// a later state are those of the last one, with the records of the events stored in between and the persons linked
/// to them read again (`build`); the rest is shared with the last state, in chunks of `chunkSize` records.
final class PullFacts: Sendable {
    /// The last sequence number of the log these facts hold for.
    let head: Int64
    /// How many records (by number) these facts hold.
    let count: Int
    /// The units the facts name, by their index in this list.
    let units: [UnitCode]
    private let chunks: [Chunk]

    /// `owner` of a wanted case with no row (its opening retracted, or a reference another case holds), and of a
    /// record of another kind.
    static let noRow: Int32 = -2
    /// `owner` of a wanted case whose row names no unit that reads.
    static let noOwner: Int32 = -1
    /// `closedAt` of an open wanted case. Otherwise `closedAt` is the sequence number of the case's closing, negated
    /// when the closing was stored in the same write as the case's first event (it reached the central closed).
    static let open = Int64.min
    /// `closedAt` of a closed wanted case whose closing event the log does not hold.
    static let closedWhenUnknown = Int64.min + 1
    /// In a person's list: a case the index does not number (the person is then judged from the database).
    static let unknownCase: Int32 = -1

    static let chunkShift = 12
    static let chunkSize = 1 << chunkShift

    /// The facts of `chunkSize` records (fewer in the last chunk). `list` holds, for record `i` of the chunk,
    /// `items[starts[i] ..< starts[i + 1]]`: the recorders' units of a wanted case, the responsible units of a release
    /// case, the numbers of a person's cases.
    final class Chunk: Sendable {
        let kinds: [RecordKind]
        let owners: [Int32]
        let closedAt: [Int64]
        let starts: [Int32]
        let items: [Int32]

        init(kinds: [RecordKind], owners: [Int32], closedAt: [Int64], starts: [Int32], items: [Int32]) {
            self.kinds = kinds
            self.owners = owners
            self.closedAt = closedAt
            self.starts = starts
            self.items = items
        }
    }

    /// The facts of one record, as `build` reads them.
    struct Record {
        var kind: RecordKind
        var owner: Int32 = PullFacts.noRow
        var closedAt: Int64 = PullFacts.open
        var list: [Int32] = []
    }

    private init(head: Int64, count: Int, units: [UnitCode], chunks: [Chunk]) {
        self.head = head
        self.count = count
        self.units = units
        self.chunks = chunks
    }

    func kind(_ number: Int) -> RecordKind { chunks[number >> Self.chunkShift].kinds[number & (Self.chunkSize - 1)] }

    func owner(_ number: Int) -> Int32 { chunks[number >> Self.chunkShift].owners[number & (Self.chunkSize - 1)] }

    func closedAt(_ number: Int) -> Int64 { chunks[number >> Self.chunkShift].closedAt[number & (Self.chunkSize - 1)] }

    /// A wanted case's closing: whether it is closed, the sequence number of the closing (nil when open or not held)
    /// and whether it was stored in the same write as the case's first event.
    func closing(_ number: Int) -> (closed: Bool, at: Int64?, arrivedClosed: Bool) {
        let closedAt = closedAt(number)
        switch closedAt {
        case Self.open: return (false, nil, false)
        case Self.closedWhenUnknown: return (true, nil, false)
        default: return (true, abs(closedAt), closedAt < 0)
        }
    }

    /// Whether any item of the record's list satisfies `test`.
    func anyListed(_ number: Int, _ test: (Int32) throws -> Bool) rethrows -> Bool {
        let chunk = chunks[number >> Self.chunkShift]
        let at = number & (Self.chunkSize - 1)
        for item in chunk.items[Int(chunk.starts[at])..<Int(chunk.starts[at + 1])] where try test(item) {
            return true
        }
        return false
    }

    func record(_ number: Int) -> Record {
        let chunk = chunks[number >> Self.chunkShift]
        let at = number & (Self.chunkSize - 1)
        return Record(
            kind: chunk.kinds[at], owner: chunk.owners[at], closedAt: chunk.closedAt[at],
            list: Array(chunk.items[Int(chunk.starts[at])..<Int(chunk.starts[at + 1])]))
    }
}

// MARK: Building the facts of a state

extension PullFacts {
    /// The units named so far, each with its index (kept across states: an index once given never changes).
    struct UnitTable {
        private(set) var units: [UnitCode] = []
        private var indexes: [UnitCode: Int32] = [:]

        mutating func index(_ text: String) -> Int32? {
            guard let unit = UnitCode(text) else { return nil }
            if let known = indexes[unit] { return known }
            let index = Int32(units.count)
            units.append(unit)
            indexes[unit] = index
            return index
        }
    }

    /// The facts of the state of the log `db` reads (its last sequence number `head`): those of `previous` (an earlier
    /// state) with the records touched since read again, or all of them read when there is no `previous`.
    static func build(
        from previous: PullFacts?, head: Int64, db: Database, index: KeptPullLogIndex, units: inout UnitTable
    ) throws -> PullFacts {
        let base = previous?.count ?? 0
        let numbered = try index.numbered(from: base, head: head, db: db)
        // The records to read: the new ones, and those of the events stored since `previous` with their persons.
        var ids = numbered.records
        var numbers = Array(Int32(base)..<Int32(numbered.count))
        var kinds = numbered.kinds
        if let previous {
            let touched = try touched(after: previous.head, upTo: head, db: db)
            for (id, number) in zip(touched, index.numbers(of: touched)) where number >= 0 && Int(number) < base {
                ids.append(id)
                numbers.append(number)
                kinds.append(previous.kind(Int(number)))
            }
        }
        // Each record read has a slot in `read`: the new ones in order of number, then the touched ones.
        var read = kinds.map { Record(kind: $0) }
        var slots = Slots(base: base)
        slots.numberOf.reserveCapacity(numbers.count)
        for (slot, (id, number)) in zip(ids, numbers).enumerated() {
            slots.numberOf[id] = number
            if Int(number) < base { slots.touched[number] = slot }
        }
        try readFacts(
            of: previous == nil ? nil : ids, into: &read, slots: slots, db: db, index: index, units: &units)
        // The chunks: those holding a record read again are made anew; the others are the previous state's.
        var chunks: [Chunk] = []
        let chunkCount = (numbered.count + chunkSize - 1) / chunkSize
        let changed = Set(numbers.map { Int($0) >> chunkShift })
        for chunk in 0..<chunkCount {
            if let previous, !changed.contains(chunk), chunk < previous.chunks.count {
                chunks.append(previous.chunks[chunk])
                continue
            }
            let first = chunk << chunkShift
            let last = min(first + chunkSize, numbered.count)
            var kinds: [RecordKind] = []
            var owners: [Int32] = []
            var closedAt: [Int64] = []
            var starts: [Int32] = [0]
            var items: [Int32] = []
            for number in first..<last {
                guard let record = slots.slot(of: Int32(number)).map({ read[$0] }) ?? previous?.record(number) else {
                    preconditionFailure("the facts of record \(number) were neither read nor kept")
                }
                kinds.append(record.kind)
                owners.append(record.owner)
                closedAt.append(record.closedAt)
                items += record.list
                starts.append(Int32(items.count))
            }
            chunks.append(Chunk(kinds: kinds, owners: owners, closedAt: closedAt, starts: starts, items: items))
        }
        return PullFacts(head: head, count: numbered.count, units: units.units, chunks: chunks)
    }

    /// Where `build` puts the facts of each record it reads: the records numbered from `base` on in order, then those
    /// touched since the last state.
    private struct Slots {
        let base: Int
        var numberOf: [UUID: Int32] = [:]
        var touched: [Int32: Int] = [:]

        func slot(of number: Int32) -> Int? { Int(number) >= base ? Int(number) - base : touched[number] }

        func slot(_ text: String) -> Int? { UUID(text: text).flatMap { numberOf[$0] }.flatMap { slot(of: $0) } }
    }

    /// Reads the facts of the records `ids` (nil: of every record) into their slots of `read`.
    private static func readFacts(
        of ids: [UUID]?, into read: inout [Record], slots: Slots, db: Database, index: KeptPullLogIndex,
        units: inout UnitTable
    ) throws {
        // `WHERE column IN` the ids as one JSON array, or every row.
        let list = ids.map { "[\"" + $0.map(\.lowercased).joined(separator: "\",\"") + "\"]" }
        func only(_ column: String) -> String { list == nil ? "1" : "\(column) IN (SELECT value FROM json_each(?))" }
        let arguments: StatementArguments = list.map { [$0] } ?? []

        let wanted = try Row.fetchCursor(
            db,
            sql: """
                SELECT w.\(WantedCaseTable.id), w.\(WantedCaseTable.ownerUnit),
                    w.\(WantedCaseTable.closingKind) IS NOT NULL, c.\(EventTable.seq),
                    \(Visibility.arrivedClosedSQL(case: "w.\(WantedCaseTable.id)", closing: "c.\(EventTable.seq)"))
                FROM \(WantedCaseTable.tableName) w
                LEFT JOIN \(EventTable.tableName) c ON c.\(EventTable.id) = w.\(WantedCaseTable.closingEvent)
                WHERE \(only("w.\(WantedCaseTable.id)"))
                """,
            arguments: arguments)
        while let row = try wanted.next() {
            guard let slot = slots.slot(row[0]), read[slot].kind == .wanted else { continue }
            read[slot].owner = (row[1] as String?).flatMap { units.index($0) } ?? noOwner
            let closed: Bool = row[2]
            let arrivedClosed: Bool = row[4] ?? false
            read[slot].closedAt =
                closed ? (row[3] as Int64?).map { arrivedClosed ? -$0 : $0 } ?? closedWhenUnknown : open
        }
        let recorders = try Row.fetchCursor(
            db,
            sql: """
                SELECT DISTINCT \(EventTable.recordID), \(EventTable.unit) FROM \(EventTable.tableName)
                WHERE \(EventTable.recordKind) = '\(RecordKind.wanted.rawValue)' AND \(only(EventTable.recordID.rawValue))
                """,
            arguments: arguments)
        while let row = try recorders.next() {
            guard let slot = slots.slot(row[0]), read[slot].kind == .wanted, let unit = units.index(row[1]) else {
                continue
            }
            read[slot].list.append(unit)
        }
        let releases = try Row.fetchCursor(
            db,
            sql: """
                SELECT \(ReleaseVisibilityTable.caseID), \(ReleaseVisibilityTable.unit)
                FROM \(ReleaseVisibilityTable.tableName) WHERE \(only(ReleaseVisibilityTable.caseID.rawValue))
                """,
            arguments: arguments)
        while let row = try releases.next() {
            guard let slot = slots.slot(row[0]), read[slot].kind == .release, let unit = units.index(row[1]) else {
                continue
            }
            read[slot].list.append(unit)
        }
        // A person's cases, by their numbers (asked of the index: a case need not be among the records read).
        var persons: [Int] = []
        var cases: [UUID?] = []
        let personLinks = try Row.fetchCursor(
            db,
            sql: """
                SELECT \(PersonLinkTable.personID), \(PersonLinkTable.caseID) FROM \(PersonLinkTable.tableName)
                WHERE \(only(PersonLinkTable.personID.rawValue))
                """,
            arguments: arguments)
        while let row = try personLinks.next() {
            guard let slot = slots.slot(row[0]), read[slot].kind == .person else { continue }
            persons.append(slot)
            cases.append(UUID(text: row[1] as String))
        }
        var caseNumbers = index.numbers(of: cases.compactMap { $0 }).makeIterator()
        for (slot, caseID) in zip(persons, cases) {
            read[slot].list.append(caseID == nil ? unknownCase : caseNumbers.next() ?? unknownCase)
        }
    }

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

/// The `PullFacts` of one open database, shared by the pulls that run at the same time: those of the last few states
/// of the log, built once per state (one pull builds them, the others of that state wait for it, then read them
/// without a lock).
final class KeptPullFacts: Sendable {
    private struct Kept {
        /// The facts of the last states built, oldest first.
        var recent: [PullFacts] = []
        var units = PullFacts.UnitTable()
    }

    private let kept = Mutex(Kept())

    /// How many states are kept: a pull reading a slightly older snapshot than the newest state still finds its own.
    static let statesKept = 4

    /// The facts of the state of the log `db` reads (its last sequence number `head`), built if need be; nil when
    /// that state is older than those kept (the pull reads its facts from the database itself).
    func facts(at head: Int64, db: Database, index: KeptPullLogIndex) throws -> PullFacts? {
        try kept.withLock { kept in
            if let found = kept.recent.last(where: { $0.head == head }) { return found }
            if let newest = kept.recent.last, newest.head > head { return nil }
            let built = try PullFacts.build(
                from: kept.recent.last, head: head, db: db, index: index, units: &kept.units)
            kept.recent.append(built)
            if kept.recent.count > Self.statesKept { kept.recent.removeFirst() }
            return built
        }
    }
}
