import Foundation
import GRDB

/// Events judged by the rules of `Registry.append` (policy `.strict`) and held in memory, with the records they
/// touch, until `flush` writes them and those records' projections — the import's way to store a case.
///
/// `append` reads a record's events back, folds them before and after, and rewrites its projection for every event,
/// inside a savepoint per row: about 0.7 ms a row. An import row mostly creates a person and a case that did not
/// exist, and the next rows often add decisions to the same case. `PendingWrites` keeps that case and its person
/// folded in memory while rows are judged, so nothing is read back, nothing needs a savepoint (a rejected row is just
/// not taken in), and each record's projection is written once, as rows, when the import moves on to another case.
/// The rules are the same calls as `append`'s: the intrinsic rules (`EventRules`), the anomalies the fold finds, the
/// rules across records (which see pending records as written), and the reopening rule.
///
/// Only records whose ids are in `fresh` (made by the importer's `EventFactory` this run) are taken as new without a
/// look in the database; any other record is loaded from the log on first use. Event ids are the factory's fresh
/// UUIDv7s, so the duplicate check of `append` is left to the `event` table's UNIQUE constraint.
final class PendingWrites {
    struct Record {
        var kind: RecordKind
        /// All the record's events: the stored ones and the pending ones.
        var events: [Event]
        var folded: FoldedRecord
        /// Whether the record has no rows in the database yet.
        var isNew: Bool
        /// The events judged and not yet written, in the order they were judged.
        var added: [Event]
    }

    let registry: Registry
    private(set) var records: [UUID: Record] = [:]
    /// The folded state of each record in `records`, as the rules across records take it.
    private var folded: [UUID: FoldedRecord] = [:]
    /// Record ids in the order they were first touched: persons are written before the cases that name them.
    private var order: [UUID] = []

    init(registry: Registry) {
        self.registry = registry
    }

    /// The kinds of event `take` judges completely: the ones an import makes. An amendment's birth date and a
    /// retraction need rules that read other records' events, which only `append` has.
    static let kinds: Set<EventKind> = [
        .personRegistered, .wantedOpened, .decisionAdded, .wantedClosed, .releaseRegistered, .releaseEnded,
    ]

    /// Judges `events` in order, as `append` would one after the other; takes all of them in, or none and returns
    /// the first violation. `fresh` holds ids of records that are new for certain (not looked up).
    /// `referencesChecked`: the caller found the case reference of each new case among them free in the database
    /// just before (so the rules look for it among the pending records only).
    func take(_ events: [Event], fresh: Set<UUID>, referencesChecked: Bool = false, in db: Database) throws
        -> Anomaly?
    {
        var trial = records
        var trialOrder = order
        // What the rules across records see of the pending records, kept in step with `trial`.
        var pending = folded
        for event in events {
            guard Self.kinds.contains(event.kind) else {
                throw DragnetError(.failure, "\(event.kind.rawValue) events are recorded one by one, not in bulk")
            }
            var record: Record
            if let known = trial[event.recordID] {
                record = known
            } else if fresh.contains(event.recordID) {
                record = Record(
                    kind: event.recordKind, events: [], folded: FoldedRecord(state: nil, anomalies: []), isNew: true,
                    added: [])
            } else {
                let stored = try registry.events(ofRecord: event.recordID, in: db)
                let kind = stored.first?.recordKind ?? event.recordKind
                record = Record(
                    kind: kind, events: stored,
                    folded: try registry.fold(stored, kind: kind, pending: pending, in: db),
                    isNew: stored.isEmpty, added: [])
            }
            if let problem = Registry.recordKindProblem(event, recordKind: record.kind) { return problem }
            let label = record.folded.label ?? Registry.label(of: event)
            if let first = EventRules.check(event, label: label).first { return first }
            // Records not written yet (new in this row or earlier pending ones) have nothing in the database to find.
            // Only a creation (an opening, a registration) is checked against other records in the database.
            let unstored =
                Registry.isCreation(event) ? fresh.union(trial.lazy.filter { $0.value.isNew }.map(\.key)) : []
            if let problem = try registry.crossRecordProblem(
                event, label: label, pending: pending, unstored: unstored, referenceChecked: referencesChecked, in: db)
            {
                return problem
            }
            let after = try registry.fold(record.events + [event], kind: record.kind, pending: pending, in: db)
            if let first = after.newAnomalies(since: record.folded).first { return first }
            if let problem = try registry.reopeningProblem(
                before: record.folded, after: after, event: event, pending: pending, in: db)
            {
                return problem
            }
            record.events.append(event)
            record.added.append(event)
            record.folded = after
            if trial[event.recordID] == nil { trialOrder.append(event.recordID) }
            trial[event.recordID] = record
            pending[event.recordID] = after
        }
        records = trial
        order = trialOrder
        folded = pending
        return nil
    }

    /// Forgets what is pending without writing it (after a failed transaction).
    func discard() {
        records.removeAll()
        folded.removeAll()
        order.removeAll()
    }

    /// Writes the pending events and the projections of the records they touched, and forgets them.
    func flush(in db: Database, origin: String = "local") throws {
        for id in order {
            guard let record = records[id] else { continue }
            for event in record.added {
                try registry.insert(event, origin: origin, in: db)
            }
            // A new case's reference was checked free by `crossRecordProblem` when its opening was judged.
            try registry.project(
                record.folded, recordID: id, isNew: record.isNew, referenceChecked: record.isNew, in: db)
        }
        records.removeAll(keepingCapacity: true)
        folded.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
    }
}
