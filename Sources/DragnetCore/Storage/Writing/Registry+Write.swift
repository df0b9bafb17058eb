import Foundation
import GRDB

/// The one write path: every event, whoever brings it, is judged by a `Checker` over the database's records and what
/// was accepted is written by `store` — the log first, then each changed record's projection once.
extension Registry {
    /// Records events made here (by an officer's command) in one transaction: all are stored, or, when any breaks a
    /// rule, none is and the first violation is thrown.
    public func record(_ events: [Event]) throws {
        try write { db in
            let checker = Checker(policy: .strict, stored: StoredRecords(db: db))
            if let problem = try checker.judgeAll(events) { throw DragnetError.violation(problem) }
            _ = try self.store(checker.batch, origin: "local", in: db)
        }
    }

    /// Stores events that come from elsewhere (a station's push, a pull from the central server), each judged on its
    /// own, in one transaction. The results are in the order of `events`.
    public func receive(_ events: [Event], policy: AppendPolicy) throws -> [AppendOutcome] {
        try write { db in try self.receive(events, policy: policy, in: db) }
    }

    /// `receive`, inside the caller's transaction.
    func receive(_ events: [Event], policy: AppendPolicy, in db: Database) throws -> [AppendOutcome] {
        let checker = Checker(policy: policy, stored: try StoredRecords(db: db).knowing(absentOf: events))
        let verdicts = try events.map(checker.judge)
        // The accepted events were written in the order accepted, which is theirs in `events`.
        var sequences = try store(checker.batch, origin: "remote", in: db).makeIterator()
        return try verdicts.map { verdict in
            switch verdict {
            case .accepted:
                // Never: the transaction is then rolled back, and nothing of the push is stored.
                guard let sequence = sequences.next() else {
                    throw DragnetError(.failure, "\(path): an accepted event was not written (nothing was stored)")
                }
                return .created(sequence: sequence)
            case .duplicate: return .duplicate
            case .rejected(let anomaly): return .rejected(anomaly.sentence)
            }
        }
    }

    /// Writes what `batch` accepted — its events into the log in the order accepted, then the projection of each
    /// record they changed — and empties it. Returns the written events' sequence numbers, in the order accepted.
    @discardableResult
    func store(_ batch: Batch, origin: String, in db: Database) throws -> [Int64] {
        let taken = try batch.take()
        // The facts of the records rewritten below change with this transaction's commit (`KeptFacts`).
        keptFacts.begin(db, events: taken.events.count)
        let sequences = try insert(taken.events, origin: origin, in: db)
        for changed in taken.records {
            try project(changed.record.folded, recordID: changed.id, isNew: !changed.record.isStored, in: db)
        }
        return sequences
    }

    /// Runs `body` in one write transaction, turning database failures into errors for people; other errors pass
    /// through (and roll the transaction back).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            defer { checkpoint.committed() }
            return try database.write(body)
        } catch let error as DatabaseError {
            throw DragnetError(.failure, "could not write to \(path): \(Registry.describe(error))", underlying: error)
        }
    }

    /// Runs `body` in a read transaction, turning database failures into errors for people.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let error as DatabaseError {
            throw DragnetError(.failure, "could not read \(path): \(Registry.describe(error))", underlying: error)
        }
    }
}
