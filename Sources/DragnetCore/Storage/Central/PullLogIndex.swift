import Foundation
import GRDB
import Synchronization

/// The event log as a pull scans it, kept in memory: each event's sequence number, record and kinds, read from the
/// database once (the log is append-only: an entry once read never changes) and extended when the log grows. A pull
/// looks at the entries after its cursor to find those its scope may see; with thousands of stations each scanning
/// the whole log, reading those rows from SQLite again for every station was most of the server's work.
///
/// Each record has a number (its place in `records`), so that a pull remembers what it judged of a record in an array
/// instead of a dictionary keyed by UUID; with it, the first sequence number of the record's events (a backfill
/// (`CentralState.pullPage`) is needed only when a record brought into view has events at or before the cursor) and,
/// for a case opening or a release registration, the number of the person it names.
///
/// The JSON of each event as a page carries it (`PulledPageJSON.element`) is kept too once written, up to
/// `encodedBudget` bytes in all: every station of the country is sent the same open cases' events, and an event's
/// JSON never changes (the log is append-only), so it is read from SQLite and written once, then copied into each
/// station's page.
struct PullLogIndex: Sendable {
    /// One event of the log, as the scan needs it.
    struct Entry: Sendable {
        /// The event's place in the index.
        let position: Int
        let sequence: Int64
        let record: UUID
        let number: Int32
        let recordKind: RecordKind
        let kind: EventKind
        /// The number of the person a case opening or release registration names (-1: none, or another kind).
        let person: Int32
    }

    /// The last sequence number read into the index (0: none yet).
    private(set) var head: Int64 = 0
    private var sequences: [Int64] = []
    private var recordNumbers: [Int32] = []
    private var recordKinds: [RecordKind] = []
    private var kinds: [EventKind] = []
    private var persons: [Int32] = []
    private var encoded: [[UInt8]?] = []
    private(set) var encodedBytes = 0
    /// How many events' JSON is kept.
    private(set) var encodedCount = 0
    private var records: [UUID] = []
    /// By record number: the sequence number of its first event in the log.
    private var firstSequences: [Int64] = []
    /// By record number: what kind of record it is.
    private var kindsByNumber: [RecordKind] = []
    private var numbers: [UUID: Int32] = [:]

    /// The most bytes of events' JSON kept (`Entry.encoded`); past it, events not kept are read and written for each
    /// page as before. 256 MiB holds about 600,000 events of the bench's data.
    static let encodedBudget = 256 << 20

    /// How many records the index numbers.
    var recordCount: Int { records.count }

    /// The sequence number of the first event of the record numbered `number`.
    func firstSequence(of number: Int32) -> Int64 { firstSequences[Int(number)] }

    private mutating func number(of record: UUID, kind: RecordKind, at sequence: Int64) -> Int32 {
        if let known = numbers[record] { return known }
        let number = Int32(records.count)
        records.append(record)
        firstSequences.append(sequence)
        kindsByNumber.append(kind)
        numbers[record] = number
        return number
    }

    /// The records numbered from `first` on, with their kinds.
    func records(from first: Int) -> (records: ArraySlice<UUID>, kinds: ArraySlice<RecordKind>) {
        (records[first...], kindsByNumber[first...])
    }

    /// The number of each of `ids` (-1 for a record the index does not number).
    func numbers(of ids: [UUID]) -> [Int32] { ids.map { numbers[$0] ?? -1 } }

    /// Reads the entries after `head` up to `newHead` (the state of the log the caller's transaction reads).
    mutating func extend(to newHead: Int64, db: Database) throws {
        guard newHead > head else { return }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT \(EventTable.seq), \(EventTable.recordID), \(EventTable.recordKind), \(EventTable.kind),
                    CASE WHEN \(EventTable.kind) IN ('\(EventKind.wantedOpened.rawValue)',
                        '\(EventKind.releaseRegistered.rawValue)') THEN \(EventTable.data) END
                FROM \(EventTable.tableName) WHERE \(EventTable.seq) > ? AND \(EventTable.seq) <= ?
                ORDER BY \(EventTable.seq)
                """,
            arguments: [head, newHead])
        while let row = try rows.next() {
            let sequence: Int64 = row[0]
            let recordText: String = row[1]
            guard let record = UUID(text: recordText), let recordKind = RecordKind(rawValue: row[2]),
                let kind = EventKind(rawValue: row[3])
            else {
                throw DragnetError(
                    .failure, "the event log holds an unreadable event at \(sequence); the database is damaged")
            }
            // A payload that does not read leaves the person unknown (-1): the page then reads the backfill from the
            // database, as every page did before, and says what is wrong there (the index stays usable).
            var person: Int32 = -1
            if let data = row[4] as String? {
                switch try? EventCoding.decode(kind: kind, data: data) {
                case .wantedOpened(let opening)?: person = number(of: opening.personID, kind: .person, at: sequence)
                case .releaseRegistered(let registration)?:
                    person = number(of: registration.personID, kind: .person, at: sequence)
                default: break
                }
            }
            sequences.append(sequence)
            recordNumbers.append(number(of: record, kind: recordKind, at: sequence))
            recordKinds.append(recordKind)
            self.kinds.append(kind)
            persons.append(person)
            encoded.append(nil)
        }
        head = newHead
    }

    /// The position of the first entry whose sequence number is after `sequence` (sequence numbers increase).
    private func position(after sequence: Int64) -> Int {
        var low = 0
        var high = sequences.count
        while low < high {
            let middle = (low + high) / 2
            if sequences[middle] <= sequence { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// How many entries have sequence numbers after `cursor` and at most `last`.
    func count(after cursor: Int64, upTo last: Int64) -> Int {
        max(0, position(after: last) - position(after: cursor))
    }

    /// Up to `count` entries with sequence numbers after `cursor` and at most `upTo`, in log order.
    func entries(after cursor: Int64, upTo last: Int64, count: Int) -> [Entry] {
        let low = position(after: cursor)
        var found: [Entry] = []
        found.reserveCapacity(min(count, sequences.count - low))
        var at = low
        while at < sequences.count, found.count < count, sequences[at] <= last {
            let number = recordNumbers[at]
            found.append(
                Entry(
                    position: at, sequence: sequences[at], record: records[Int(number)], number: number,
                    recordKind: recordKinds[at], kind: kinds[at], person: persons[at]))
            at += 1
        }
        return found
    }

    /// The JSON kept of the event at `position`, if any.
    func encoded(at position: Int) -> [UInt8]? { encoded[position] }

    /// Keeps the JSON of the event at `position` (`PulledPageJSON.element`), while the budget allows.
    mutating func keep(encoded bytes: [UInt8], at position: Int) {
        guard position < encoded.count, encoded[position] == nil, encodedBytes + bytes.count <= Self.encodedBudget
        else { return }
        encoded[position] = bytes
        encodedBytes += bytes.count
        encodedCount += 1
    }
}

/// The `PullLogIndex` of one open database, shared by the pulls (a `Mutex` cannot be copied).
final class KeptPullLogIndex: Sendable {
    let mutex = Mutex(PullLogIndex())

    /// Up to `count` entries after `cursor` in the state of the log `db` reads (its last sequence number `head`),
    /// reading into the index what the log gained since; with the number of records the index numbers then, and
    /// how many entries there are after `cursor` in that state (`available`).
    func entries(after cursor: Int64, head: Int64, count: Int, db: Database) throws -> (
        entries: [PullLogIndex.Entry], recordCount: Int, available: Int
    ) {
        try mutex.withLock { index in
            try index.extend(to: head, db: db)
            return (
                index.entries(after: cursor, upTo: head, count: count), index.recordCount,
                index.count(after: cursor, upTo: head)
            )
        }
    }

    /// The JSON kept of the events at `positions` (nil where none is).
    func encoded(at positions: [Int]) -> [[UInt8]?] {
        guard !positions.isEmpty else { return [] }
        return mutex.withLock { index in positions.map { index.encoded(at: $0) } }
    }

    /// The index read up to `head` (the state of the log `db` reads): how many records it numbers, and those numbered
    /// from `first` on with their kinds (`PullFacts.build`).
    func numbered(from first: Int, head: Int64, db: Database) throws -> (
        count: Int, records: [UUID], kinds: [RecordKind]
    ) {
        try mutex.withLock { index in
            try index.extend(to: head, db: db)
            let count = index.recordCount
            guard first < count else { return (count, [], []) }
            let (records, kinds) = index.records(from: first)
            return (count, Array(records), Array(kinds))
        }
    }

    /// The number of each of `ids` (-1 for a record the index does not number).
    func numbers(of ids: [UUID]) -> [Int32] {
        guard !ids.isEmpty else { return [] }
        return mutex.withLock { index in index.numbers(of: ids) }
    }

    /// The sequence number of the first event of each record numbered in `numbers`.
    func firstSequences(of numbers: [Int32]) -> [Int64] {
        mutex.withLock { index in numbers.map { index.firstSequence(of: $0) } }
    }

    /// Keeps the events' JSON written for a page.
    func keep(encoded: [(position: Int, bytes: [UInt8])]) {
        guard !encoded.isEmpty else { return }
        mutex.withLock { index in
            for (position, bytes) in encoded { index.keep(encoded: bytes, at: position) }
        }
    }
}
