import Foundation
import GRDB

/// How strictly `Registry.receive` judges events that come from elsewhere.
public enum AppendPolicy: Sendable {
    /// Recorded here by an officer or an import: every anomaly refuses the event.
    case strict
    /// Pushed to the central server by a station, received at `now` by the server's clock: an event is refused
    /// when it breaks a rule by itself or against the events of its own unit (and the record's opening), or claims
    /// to have been recorded after `now` (+ 1 day of clock skew). Anything that is wrong only in combination with
    /// another unit's events — two different closings, a decision dated after a closing the other station had not
    /// seen — is kept and listed as an anomaly: neither station could have known, and refusing one of them would
    /// make the central figures depend on who synced first.
    case central(now: Timestamp)
    /// Pulled from the central server, which has already judged them: stored as they are, anomalies listed.
    case merge
}

/// The events of the records read or written so far in one transaction, by record id, at most 1,024 records (then
/// forgotten all at once); only ever used inside that transaction.
final class RecordEvents {
    private(set) var events: [UUID: [Event]] = [:]

    func remember(_ recordEvents: [Event], of record: UUID) {
        if events.count >= 1_024 && events[record] == nil { events.removeAll(keepingCapacity: true) }
        events[record] = recordEvents
    }
}

/// What the registry decided about one event.
enum Verdict {
    case created(Int64)
    case duplicate
    case rejected(Anomaly)
}

/// What became of one event offered to the registry.
public enum AppendOutcome: Sendable, Equatable {
    /// Stored, with its place in the log.
    case created(sequence: Int64)
    /// The same event (same id, same content) was already stored; nothing changed.
    case duplicate
    /// Refused, for this reason; nothing changed.
    case rejected(String)
}

extension Registry {
    /// Records events made here (by an officer or an import) in one transaction: all are stored, or, when any breaks
    /// a rule, none is and the first violation is thrown.
    public func record(_ events: [Event]) throws {
        try write { db in
            for event in events {
                if case .rejected(let anomaly) = try self.append(event, in: db, policy: .strict, origin: "local") {
                    throw DragnetError.violation(anomaly)
                }
            }
        }
    }

    /// Stores events that come from elsewhere, each judged on its own, in one transaction.
    /// The results are in the order of `events`.
    public func receive(_ events: [Event], policy: AppendPolicy) throws -> [AppendOutcome] {
        try write { db in
            let cache = RecordEvents()
            return try events.map { event -> AppendOutcome in
                switch try self.append(event, in: db, policy: policy, origin: "remote", cache: cache) {
                case .created(let sequence): return .created(sequence: sequence)
                case .duplicate: return .duplicate
                case .rejected(let anomaly): return .rejected(anomaly.sentence)
                }
            }
        }
    }

    /// Runs `body` in one write transaction, turning database failures into errors for people; other errors pass
    /// through (and roll the transaction back).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
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

    /// Judges one event against the rules and the record's other events, and stores it when it passes. `cache`
    /// holds the events of records already read in the same transaction (a pushed batch brings a person, the
    /// opening and the closing one after the other), so they are not read and decoded again.
    func append(
        _ event: Event, in db: Database, policy: AppendPolicy, origin: String, cache: RecordEvents? = nil
    ) throws -> Verdict {
        func refuse(_ field: String, _ value: String, _ message: String) -> Verdict {
            .rejected(
                Anomaly(
                    .invalid, event: event.id, record: "event \(event.id.lowercased)", field: field,
                    value: value, message: message))
        }
        if let stored = try Row.fetchOne(
            db, cached: "SELECT \(EventCoding.columns) FROM event WHERE id = ?", arguments: [event.id.lowercased])
        {
            return try EventCoding.event(from: stored) == event
                ? .duplicate
                : refuse("id", event.id.lowercased, "this id was already used for an event with other content")
        }
        if case .central(let now) = policy, event.recordedAt.date > now.date.adding(days: 1) {
            return refuse(
                "recorded_at", event.recordedAt.description,
                "is later than the server's time \(now); check the station's clock")
        }
        let existing = try cache?.events[event.recordID] ?? events(ofRecord: event.recordID, in: db)
        if let problem = existing.first.flatMap({ Self.recordKindProblem(event, recordKind: $0.recordKind) }) {
            return .rejected(problem)
        }
        let after = existing + [event]
        let before = try fold(existing, kind: event.recordKind, in: db)
        let label = before.label ?? Registry.label(of: event)
        if policy.judges {
            if let first = EventRules.check(event, label: label).first { return .rejected(first) }
            if let problem = try crossRecordProblem(event, label: label, pending: [:], in: db) {
                return .rejected(problem)
            }
        }
        let folded = try fold(after, kind: event.recordKind, in: db)
        switch policy {
        case .strict:
            if let first = folded.newAnomalies(since: before).first { return .rejected(first) }
        case .central:
            // Judged against what the recording unit itself recorded on the record (and its opening).
            let own = existing.filter { $0.unit == event.unit || Self.isCreation($0) }
            let ownBefore = Set(try fold(own, kind: event.recordKind, in: db).anomalies.map(\.key))
            if let first = try fold(own + [event], kind: event.recordKind, in: db).anomalies.first(where: {
                $0.severity == .invalid && $0.eventID == event.id && !ownBefore.contains($0.key)
            }) {
                return .rejected(first)
            }
        case .merge:
            break
        }
        if policy.judges,
            let problem = try reopeningProblem(before: before, after: folded, event: event, pending: [:], in: db)
        {
            return .rejected(problem)
        }
        // A person's birth date changes with an amendment, and also with the retraction of one (the date goes back to
        // what the earlier events said): either way no event of their cases may fall before it.
        if policy.judges, case .person(let was)? = before.state, case .person(let now)? = folded.state,
            was.details.birthDate != now.details.birthDate,
            let problem = try birthProblem(person: event.recordID, birth: now.details.birthDate, in: db)
        {
            return .rejected(
                Anomaly(
                    .invalid, event: event.id, record: label, field: "birth_date",
                    value: now.details.birthDate?.description ?? "", message: problem))
        }
        let sequence = try insert(event, origin: origin, in: db)
        try project(folded, recordID: event.recordID, isNew: existing.isEmpty, in: db)
        cache?.remember(after, of: event.recordID)
        return .created(sequence)
    }

    /// Made once: the import runs it millions of times.
    private static let insertEventSQL =
        "INSERT INTO event (\(EventCoding.columns), origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

    /// Writes one event into the log, unjudged; returns its sequence number.
    @discardableResult
    func insert(_ event: Event, origin: String, in db: Database) throws -> Int64 {
        try db.execute(
            bound: Self.insertEventSQL,
            event.id.lowercased, event.recordID.lowercased, event.recordKind.rawValue, event.kind.rawValue,
            event.effectiveDate.description, event.recordedAt.description, event.unit.rawValue, event.author,
            try EventCoding.encode(event.payload), origin)
        let sequence = db.lastInsertedRowID
        if role == .central {
            // SQLite's random(): 64 bits from its generator, seeded from the system's.
            try db.execute(bound: "INSERT INTO log_nonce (seq, nonce) VALUES (?, random())", sequence)
        }
        return sequence
    }

    /// The refusal of an event about a record of another kind than the record it names is.
    static func recordKindProblem(_ event: Event, recordKind: RecordKind) -> Anomaly? {
        guard recordKind != event.recordKind else { return nil }
        return Anomaly(
            .invalid, event: event.id, record: "event \(event.id.lowercased)", field: "record_kind",
            value: event.recordKind.rawValue, message: "record \(event.recordID.lowercased) is a \(recordKind.rawValue)"
        )
    }

    /// Whether `event` creates its record (a person's registration, a case's opening or registration).
    static func isCreation(_ event: Event) -> Bool {
        [.personRegistered, .wantedOpened, .releaseRegistered].contains(event.kind)
    }

    /// A reason to refuse an event that would leave a person with two open wanted cases by reopening one (a
    /// retracted closing or withdrawal), or that retracts the registration of a person whom cases name.
    func reopeningProblem(
        before: FoldedRecord, after: FoldedRecord, event: Event, pending: [UUID: FoldedRecord], in db: Database
    ) throws -> Anomaly? {
        if case .wanted(let was) = before.state, was.closing != nil, case .wanted(let now) = after.state,
            now.closing == nil,
            let other = try openWantedCase(of: now.personID, besides: now.id, pending: pending, in: db)
        {
            return Anomaly(
                .invalid, event: event.id, record: now.label, field: "closing", value: "",
                message: "reopening this case would leave the person with two open wanted cases (\(other) is open)")
        }
        if case .person = before.state, after.state == nil {
            let cases =
                try Int.fetchOne(
                    db,
                    cached: """
                        SELECT (SELECT count(*) FROM wanted_case WHERE person_id = ?)
                            + (SELECT count(*) FROM release_case WHERE person_id = ?)
                        """,
                    arguments: [event.recordID.lowercased, event.recordID.lowercased]) ?? 0
            if cases > 0 {
                return Anomaly(
                    .invalid, event: event.id, record: before.label ?? "person", field: "event_id",
                    value: "",
                    message: "\(cases) case(s) name this person; a registration cannot be retracted "
                        + "while they do (correct the person with `dragnet person amend` instead)")
            }
        }
        return nil
    }

    /// The events of one record, in no particular order.
    func events(ofRecord id: UUID, in db: Database) throws -> [Event] {
        try Row.fetchAll(
            db, cached: "SELECT \(EventCoding.columns) FROM event WHERE record_id = ?", arguments: [id.lowercased]
        ).map { try EventCoding.event(from: $0) }
    }

    /// The name of the record an event concerns, from the event alone.
    static func label(of event: Event) -> String {
        switch event.payload {
        case .wantedOpened(let opening): return "\(opening.ownerUnit)/\(opening.caseRef)"
        case .releaseRegistered(let registration): return "\(registration.unit)/\(registration.caseRef)"
        case .personRegistered(let details), .personAmended(let details): return details.label(id: event.recordID)
        default: return "\(event.recordKind.rawValue) \(event.recordID.lowercased)"
        }
    }

    /// Rules that involve other records: the person exists, a person has one open wanted case, a case reference is
    /// used once per unit, a unit registers cases only for itself and the units below it. Records in `pending`
    /// (judged, not yet written: see `PendingWrites`) count as written, in the state they have there.
    ///
    /// `unstored`: records known to have no rows in the database yet (created by the events being judged with them);
    /// nothing about them is looked up there. `referenceChecked`: the caller found the case reference of a new case
    /// among them free in the database just before (the import does), so only `pending` is searched for it.
    func crossRecordProblem(
        _ event: Event, label: String, pending: [UUID: FoldedRecord], unstored: Set<UUID> = [],
        referenceChecked: Bool = false, in db: Database
    ) throws -> Anomaly? {
        func problem(_ field: String, _ value: String, _ message: String) -> Anomaly {
            Anomaly(.invalid, event: event.id, record: label, field: field, value: value, message: message)
        }
        switch event.payload {
        case .wantedOpened(let opening):
            if !event.unit.covers(opening.ownerUnit) {
                return problem(
                    "unit", opening.ownerUnit.rawValue,
                    "\(event.unit) can register cases only for itself and the units below it")
            }
            guard try personExists(opening.personID, pending: pending, in: db) else {
                return problem("person_id", opening.personID.lowercased, "no such person is registered")
            }
            if let other = try openWantedCase(
                of: opening.personID, besides: event.recordID, pending: pending,
                stored: !unstored.contains(opening.personID), in: db)
            {
                return problem(
                    "person_id", opening.personID.lowercased,
                    "the person already has an open wanted case \(other); attach the new decision to it instead")
            }
            if try isReferenceUsed(
                .wanted, unit: opening.ownerUnit, ref: opening.caseRef, besides: event.recordID, pending: pending,
                stored: !(referenceChecked && unstored.contains(event.recordID)), in: db)
            {
                return problem(
                    "case_ref", opening.caseRef,
                    "\(opening.ownerUnit) already has a wanted case with this reference")
            }
        case .releaseRegistered(let registration):
            if !event.unit.covers(registration.unit) {
                return problem(
                    "unit", registration.unit.rawValue,
                    "\(event.unit) can register cases only for itself and the units below it")
            }
            guard try personExists(registration.personID, pending: pending, in: db) else {
                return problem("person_id", registration.personID.lowercased, "no such person is registered")
            }
            if try isReferenceUsed(
                .release, unit: registration.unit, ref: registration.caseRef, besides: event.recordID,
                pending: pending, stored: !(referenceChecked && unstored.contains(event.recordID)), in: db)
            {
                return problem(
                    "case_ref", registration.caseRef,
                    "\(registration.unit) already has a release case with this reference")
            }
        default:
            break
        }
        return nil
    }

    /// `UNIT/CASE_REF` of an open wanted case of `person` other than `caseID`, if there is one: the rule that a
    /// person has at most one open wanted case, checked when a case opens and when a retraction would reopen one.
    /// `stored`: whether to look in the database too (false for a person not written yet: no stored case names them).
    private func openWantedCase(
        of person: UUID, besides caseID: UUID, pending: [UUID: FoldedRecord], stored: Bool = true, in db: Database
    ) throws -> String? {
        for (id, record) in pending where id != caseID {
            if case .wanted(let w) = record.state, w.personID == person, w.closing == nil { return w.label }
        }
        guard stored else { return nil }
        let rows = try Row.fetchAll(
            db,
            cached: """
                SELECT id, owner_unit || '/' || case_ref FROM wanted_case
                WHERE person_id = ? AND closing_kind IS NULL AND id <> ?
                """,
            arguments: [person.lowercased, caseID.lowercased])
        // A case in `pending` is judged by its pending state (above), not by the row it had.
        return rows.first { UUID(text: $0[0] as String).map { pending[$0] == nil } ?? true }?[1]
    }

    /// Whether a case other than `caseID` already uses `ref` in `unit`; in `pending` only unless `stored`.
    private func isReferenceUsed(
        _ kind: RecordKind, unit: UnitCode, ref: String, besides caseID: UUID, pending: [UUID: FoldedRecord],
        stored: Bool = true, in db: Database
    ) throws -> Bool {
        for (id, record) in pending where id != caseID {
            switch record.state {
            case .wanted(let w) where kind == .wanted && w.ownerUnit == unit && w.caseRef == ref: return true
            case .release(let r)
            where kind == .release && r.registration.unit == unit && r.registration.caseRef == ref:
                return true
            default: continue
            }
        }
        guard stored else { return false }
        let sql =
            kind == .wanted
            ? "SELECT id FROM wanted_case WHERE owner_unit = ? AND case_ref = ? AND id <> ?"
            : "SELECT id FROM release_case WHERE unit = ? AND case_ref = ? AND id <> ?"
        return try String.fetchAll(db, cached: sql, arguments: [unit.rawValue, ref, caseID.lowercased])
            .contains { UUID(text: $0).map { pending[$0] == nil } ?? true }
    }

    private func personExists(_ id: UUID, pending: [UUID: FoldedRecord], in db: Database) throws -> Bool {
        if let record = pending[id] {
            if case .person = record.state { return true }
            return false
        }
        return try Bool.fetchOne(
            db, cached: "SELECT EXISTS (SELECT 1 FROM person WHERE id = ?)", arguments: [id.lowercased])
            ?? false
    }

    /// A reason to refuse a new birth date that would put some event of the person's cases before the birth.
    private func birthProblem(person: UUID, birth: BirthDate?, in db: Database) throws -> String? {
        let current = try self.birth(of: person, in: db)
        let caseIDs = try String.fetchAll(
            db,
            sql:
                "SELECT id FROM wanted_case WHERE person_id = ? UNION ALL SELECT id FROM release_case WHERE person_id = ?",
            arguments: [person.lowercased, person.lowercased])
        for id in caseIDs.compactMap(UUID.init(uuidString:)) {
            let events = try events(ofRecord: id, in: db)
            guard let kind = events.first?.recordKind else { continue }
            let known = Set(FoldedRecord.fold(events, kind: kind, birth: current).anomalies.map(\.key))
            if let bad = FoldedRecord.fold(events, kind: kind, birth: birth).anomalies.first(where: {
                !known.contains($0.key)
            }) {
                return "\(bad.record) has an event on \(bad.value), before that birth date"
            }
        }
        return nil
    }
}

extension AppendPolicy {
    /// Whether events are judged at all (a pull stores what the server already judged).
    var judges: Bool {
        if case .merge = self { return false }
        return true
    }
}

extension FoldedRecord {
    /// The anomalies of `self` that `before` (the same record without the newest event) did not have: the new event's
    /// fault.
    func newAnomalies(since before: FoldedRecord) -> [Anomaly] {
        guard !anomalies.isEmpty else { return [] }
        let known = Set(before.anomalies.map(\.key))
        return anomalies.filter { !known.contains($0.key) }
    }
}

extension Anomaly {
    /// What identifies an anomaly when the anomalies of a record before and after a new event are compared.
    var key: String { "\(eventID)|\(severity.rawValue)|\(field)" }
}
