import Foundation
import GRDB
import Synchronization

/// The event log as a pull scans it, kept in memory: each event's sequence number, record and kinds, read from the
/// database once (the log is append-only: an entry once read never changes) and extended when the log grows. A pull
/// looks at up to 4 × `limit` entries after its cursor to find those its scope may see; with thousands of stations
/// each scanning the whole log, reading those rows from SQLite again for every station was most of the server's work.
/// The events a station is sent are still read from the database, by sequence number.
struct PullLogIndex: Sendable {
    /// One event of the log, as the scan needs it.
    struct Entry: Sendable {
        let sequence: Int64
        let record: UUID
        let recordKind: RecordKind
        let kind: EventKind
    }

    /// The last sequence number read into the index (0: none yet).
    private(set) var head: Int64 = 0
    private var sequences: [Int64] = []
    private var recordNumbers: [Int32] = []
    private var recordKinds: [RecordKind] = []
    private var kinds: [EventKind] = []
    private var records: [UUID] = []
    private var numbers: [UUID: Int32] = [:]

    /// Reads the entries after `head` up to `newHead` (the state of the log the caller's transaction reads).
    mutating func extend(to newHead: Int64, db: Database) throws {
        guard newHead > head else { return }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT \(EventTable.seq), \(EventTable.recordID), \(EventTable.recordKind), \(EventTable.kind)
                FROM \(EventTable.tableName) WHERE \(EventTable.seq) > ? AND \(EventTable.seq) <= ?
                ORDER BY \(EventTable.seq)
                """,
            arguments: [head, newHead])
        while let row = try rows.next() {
            let recordText: String = row[1]
            guard let record = UUID(text: recordText), let recordKind = RecordKind(rawValue: row[2]),
                let kind = EventKind(rawValue: row[3])
            else {
                throw DragnetError(
                    .failure, "the event log holds an unreadable event at \(row[0] as Int64); the database is damaged")
            }
            let number: Int32
            if let known = numbers[record] {
                number = known
            } else {
                number = Int32(records.count)
                records.append(record)
                numbers[record] = number
            }
            sequences.append(row[0])
            recordNumbers.append(number)
            recordKinds.append(recordKind)
            self.kinds.append(kind)
        }
        head = newHead
    }

    /// Up to `count` entries with sequence numbers after `cursor` and at most `upTo`, in log order.
    func entries(after cursor: Int64, upTo last: Int64, count: Int) -> [Entry] {
        // The first entry after the cursor (sequence numbers increase).
        var low = 0
        var high = sequences.count
        while low < high {
            let middle = (low + high) / 2
            if sequences[middle] <= cursor { low = middle + 1 } else { high = middle }
        }
        var found: [Entry] = []
        found.reserveCapacity(min(count, sequences.count - low))
        var at = low
        while at < sequences.count, found.count < count, sequences[at] <= last {
            found.append(
                Entry(
                    sequence: sequences[at], record: records[Int(recordNumbers[at])], recordKind: recordKinds[at],
                    kind: kinds[at]))
            at += 1
        }
        return found
    }
}

/// The `PullLogIndex` of one open database, shared by the pulls (a `Mutex` cannot be copied).
final class KeptPullLogIndex: Sendable {
    let mutex = Mutex(PullLogIndex())

    /// Up to `count` entries after `cursor` in the state of the log `db` reads (its last sequence number `head`),
    /// reading into the index what the log gained since.
    func entries(after cursor: Int64, head: Int64, count: Int, db: Database) throws -> [PullLogIndex.Entry] {
        try mutex.withLock { index in
            try index.extend(to: head, db: db)
            return index.entries(after: cursor, upTo: head, count: count)
        }
    }
}
