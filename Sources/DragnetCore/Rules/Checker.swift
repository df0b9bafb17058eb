import Foundation

/// Judges events against every rule, in one order, holding what it accepts in a `Batch` until the caller writes it:
/// the one place an event is judged, whether an officer's command, an import or a station's push brings it (and the
/// one place a pulled event is folded in). A new rule is one function in `EventRules`, a fold or `RecordRules`, and
/// one line here.
final class Checker {
    let policy: AppendPolicy
    /// The records judged so far and not written, over the store.
    let batch: Batch

    init(policy: AppendPolicy, stored: any RecordLookup) {
        self.policy = policy
        self.batch = Batch(stored: stored)
    }

    /// Judges one event against its record and the others, as they stand with what was accepted before it; an
    /// accepted event is held in `batch`.
    func judge(_ event: Event) throws -> Verdict {
        if let kept = try batch.event(withID: event.id) {
            return RecordRules.reusedID(event, kept: kept).map(Verdict.rejected) ?? .duplicate
        }
        if case .central(let now) = policy, let problem = RecordRules.clock(event, now: now) {
            return .rejected(problem)
        }
        // Pulled events, which the server judged, are stored as they are: their records are folded once each when
        // the batch is written, not once per event.
        guard policy.judges else {
            let kind = try batch.kind(of: event.recordID, asking: event.recordKind)
            if let problem = RecordRules.recordKind(event, record: kind) { return .rejected(problem) }
            try batch.accept(event)
            return .accepted
        }
        let after: FoldedRecord
        do {
            // Scoped: `accept` then appends to the held record's events without a second reference to copy them.
            let record = try batch.record(event.recordID, kind: event.recordKind)
            if let problem = RecordRules.recordKind(event, record: record.kind) { return .rejected(problem) }
            after = try batch.fold(record.events + [event], kind: record.kind)
            if let problem = try firstProblem(event, record: record, after: after) {
                return .rejected(problem)
            }
        }
        try batch.accept(event, folded: after)
        return .accepted
    }

    /// Judges `events` in order as one whole: accepts all of them (a duplicate is simply not taken again), or none
    /// and returns the first rule broken.
    func judgeAll(_ events: [Event]) throws -> Anomaly? {
        let mark = try batch.mark()
        // Ended on every path (after a roll back, or an error, it has nothing left to keep).
        defer { batch.keep(mark) }
        for event in events {
            if case .rejected(let problem) = try judge(event) {
                batch.rollBack(to: mark)
                return problem
            }
        }
        return nil
    }

    /// The first rule `event` breaks, given its record before (`record`) and after it (`after`).
    private func firstProblem(_ event: Event, record: Batch.Record, after: FoldedRecord) throws -> Anomaly? {
        let before = record.folded
        let label = before.label ?? Self.label(of: event)
        if let first = EventRules.check(event, label: label).first { return first }
        if let problem = RecordRules.coverage(event, label: label) { return problem }
        if let problem = try RecordRules.personExists(event, label: label, in: batch) { return problem }
        if let problem = try RecordRules.oneOpenWantedCase(event, label: label, in: batch) { return problem }
        if let problem = try RecordRules.uniqueReference(event, label: label, in: batch) { return problem }
        if let problem = try RecordRules.releaseLink(event, label: label, in: batch) { return problem }
        let found = after.newAnomalies(since: before)
        switch policy {
        case .strict, .merge:
            if let first = found.first { return first }
        case .central:
            // Refused when the event breaks a rule on what its own unit recorded on the record (see `ownView`) and the
            // whole record shows a problem with the same event too (invalid or a conflict, whatever the field): what
            // is wrong only together with another unit's events is kept, what is right only together with them is
            // right (see `AppendPolicy.central`).
            let troubled = Set(found.filter { $0.severity != .repeated }.map(\.eventID))
            if !troubled.isEmpty {
                let own = Self.ownView(record.events, unit: event.unit)
                let ownFound = try batch.fold(own + [event], kind: record.kind)
                    .newAnomalies(since: try batch.fold(own, kind: record.kind))
                if let first = ownFound.first(where: { $0.severity == .invalid && troubled.contains($0.eventID) }) {
                    return first
                }
            }
        }
        if let problem = try RecordRules.reopening(event, before: before, after: after, in: batch) { return problem }
        if let problem = try RecordRules.registrationInUse(event, before: before, after: after, in: batch) {
            return problem
        }
        return try RecordRules.birthDate(event, before: before, after: after, label: label, in: batch)
    }

    /// What `unit` itself knows it recorded on a record: its own events, the record's creation, and every retraction (by
    /// any unit) of one of those — a station that pulled another unit's retraction of its closing records on as if
    /// the closing were gone, and must be judged so whichever station syncs first.
    static func ownView(_ events: [Event], unit: UnitCode) -> [Event] {
        var own = events.filter { $0.unit == unit || $0.kind.isCreation }
        let ids = Set(own.map(\.id))
        own += events.filter { other in
            guard other.unit != unit, case .retracted(let target, _) = other.payload else { return false }
            return ids.contains(target)
        }
        return own
    }

    /// The name of the record an event concerns, from the event alone.
    static func label(of event: Event) -> String {
        switch event.payload {
        case .wantedOpened(let opening): return opening.reference.description
        case .releaseRegistered(let registration): return registration.reference.description
        case .personRegistered(let details), .personAmended(let details): return details.label(id: event.recordID)
        default: return "\(event.recordKind.rawValue) \(event.recordID.lowercased)"
        }
    }
}
