import Foundation

/// The records a run of the checker touches, held in memory with their events and folded state until they are
/// written: the records of one officer's command, of the stretch of an import since its last write, or of one pushed
/// or pulled batch. It answers the rules' questions (`RecordLookup`) from what it holds first, then from `stored`.
final class Batch: RecordLookup {
    /// A record the batch holds.
    struct Record {
        var kind: RecordKind
        /// All its events: the stored ones and the ones accepted since.
        var events: [Event]
        var folded: FoldedRecord {
            didSet { keys = IndexKeys(folded.state) }
        }
        /// Whether the record had events in the store when the batch took it (so it has rows to replace).
        var isStored: Bool
        /// What the batch lists it under, kept with its fold: reading it copies nothing of the folded state (an event
        /// compares them before and after it).
        private(set) var keys: IndexKeys

        init(kind: RecordKind, events: [Event], folded: FoldedRecord, isStored: Bool) {
            self.kind = kind
            self.events = events
            self.folded = folded
            self.isStored = isStored
            keys = IndexKeys(folded.state)
        }
    }

    /// Where the records not held are looked up.
    let stored: any RecordLookup
    private(set) var records: [UUID: Record] = [:]
    /// Events accepted and not yet written, in the order accepted.
    private(set) var accepted: [Event] = []
    /// The records that accepted events changed, in the order first changed: persons before the cases naming them.
    private(set) var changed: [UUID] = []
    private var acceptedByID: [UUID: Int] = [:]
    private var isChanged: Set<UUID> = []
    /// The held cases by the person they concern, and the held cases by their name: the rules across records ask.
    private var casesByPerson: [UUID: Set<UUID>] = [:]
    private var casesByReference: [NamedCase: Set<UUID>] = [:]
    /// Held records whose events changed since they were folded (`accept(_:)` without a fold: a pulled page, stored
    /// as it is, folds each record once when something asks for it instead of once per event). Their fold, and their
    /// place in the two lists above, are those before the change until `refresh` folds them again.
    private var stale: Set<UUID> = []
    /// The birth date each stored person had when the batch took them in: `take` folds again the cases of a person
    /// whose birth date the batch changed (a case's anomalies depend on it, and a rebuild folds every case with the
    /// person's last birth date), the stored cases too. (A person new to the batch has no stored case, and the
    /// batch's own cases are folded after their person's last event: see `refresh`.)
    private var birthWhenTaken: [UUID: BirthDate?] = [:]
    /// The persons the store was asked for while the batch did not hold them, with its answer: every event on a case
    /// is folded with its person's birth date, and the store does not change while the batch lives (what it accepts
    /// is written when it is taken, which forgets these), so it is asked once per person, not once per event — a
    /// push of supervision events asked it for nearly every event (a tenth of the central's time in that part of a push).
    private var storedPersons: [UUID: PersonSummary?] = [:]
    /// While a mark is set (`mark()`): each record changed since, as it was before (nil: not held then). A list, not
    /// a dictionary: a group changes a few records (an import row two or three), and comparing 16 bytes costs less
    /// than hashing them.
    private var undo: [Kept] = []
    /// The ids in `undo`, once it is longer than `undoScanned` (a large group stays linear in its records).
    private var undoIDs: Set<UUID> = []
    private static let undoScanned = 32
    private var marked = false

    /// A record handed over by `take`, with its id. (Structures, not tuples, in the arrays of `take` and `undo`: an
    /// array of tuples is copied and destroyed through the runtime's generic tuple functions, 1 % of an import.)
    struct Changed {
        var id: UUID
        var record: Record
    }

    /// A record as it was before the first change since the mark (nil: not held then).
    private struct Kept {
        var id: UUID
        var record: Record?
    }

    /// A case's kind and name, as the held cases are listed by them.
    struct NamedCase: Hashable {
        var kind: RecordKind
        var reference: CaseReference
    }

    init(stored: any RecordLookup) {
        self.stored = stored
    }

    /// The record with this id, from memory or else loaded from the store and folded (a record never stored comes
    /// back empty, of the kind `kind`, and is not held: its kind is the asking event's until an event of it is
    /// accepted).
    func record(_ id: UUID, kind: RecordKind) throws -> Record {
        if let held = records[id] {
            guard !stale.isEmpty, stale.contains(id) else { return held }
            try refresh(id)
            return records[id]!
        }
        let events = try stored.events(ofRecord: id)
        guard let recordKind = events.first?.recordKind else {
            return Record(kind: kind, events: [], folded: FoldedRecord(state: nil, anomalies: []), isStored: false)
        }
        let record = Record(
            kind: recordKind, events: events, folded: try fold(events, kind: recordKind), isStored: true)
        hold(record, id: id)
        return record
    }

    /// The kind of the record `id` as `record` gives it, without folding again a held record (see `accept(_:)`).
    func kind(of id: UUID, asking kind: RecordKind) throws -> RecordKind {
        if let held = records[id] { return held.kind }
        return try record(id, kind: kind).kind
    }

    /// Folds one record's events with the birth date of the person they name (held, or else stored).
    func fold(_ events: [Event], kind: RecordKind) throws -> FoldedRecord {
        var birth: BirthDate?
        if kind != .person, let person = FoldedRecord.person(named: events) {
            birth = try self.person(person)?.birthDate
        }
        return FoldedRecord.fold(events, kind: kind, birth: birth)
    }

    /// Takes in an accepted event and its record's new fold.
    func accept(_ event: Event, folded: FoldedRecord) throws {
        let id = event.recordID
        if records[id] == nil { hold(try record(id, kind: event.recordKind), id: id) }
        try refresh(id)
        willChange(id)
        // Changed where it is held: a copy taken out and put back would copy the record's events at every event.
        let (before, after) = Self.change(&records[id]!) { record in
            record.events.append(event)
            record.folded = folded
        }
        reindex(id, from: before, to: after)
        note(event)
    }

    /// Takes in an accepted event without folding its record now: the record is folded again when something asks
    /// for it (`refresh`), at the latest when the batch is taken. For events stored as they are (`AppendPolicy.merge`),
    /// which no rule looks at between them.
    func accept(_ event: Event) throws {
        let id = event.recordID
        if records[id] == nil { hold(try record(id, kind: event.recordKind), id: id) }
        willChange(id)
        records[id]!.events.append(event)
        stale.insert(id)
        note(event)
    }

    private func note(_ event: Event) {
        acceptedByID[event.id] = accepted.count
        accepted.append(event)
        if isChanged.insert(event.recordID).inserted { changed.append(event.recordID) }
    }

    /// Folds a held record again if events were accepted into it without a fold (`accept(_:)`).
    private func refresh(_ id: UUID) throws {
        // Most batches (every one that judges) never have a stale record: no hashing of `id` then.
        guard !stale.isEmpty, stale.contains(id), let record = records[id] else { return }
        // Taken off the list before the fold: a malformed page whose case names itself (or another stale case) as
        // its person would otherwise ask for its own fold again without end.
        stale.remove(id)
        let folded: FoldedRecord
        do {
            folded = try fold(record.events, kind: record.kind)
        } catch {
            stale.insert(id)
            throw error
        }
        willChange(id)
        let (before, after) = Self.change(&records[id]!) { $0.folded = folded }
        reindex(id, from: before, to: after)
    }

    /// Folds again every held record that needs it: before a question that looks through the held records.
    private func refreshAll() throws {
        for id in stale { try refresh(id) }
    }

    /// What the batch is, to go back to if a group of events is refused as a whole.
    struct Mark {
        fileprivate var accepted: Int
        fileprivate var changed: Int
    }

    /// Marks the state now, to go back to with `rollBack(to:)` until `keep(_:)`: from now on, each held record keeps
    /// what it was before its first change (`willChange`), so that a mark copies nothing (a mark was set for every
    /// row of an import, and copied the row's held records each time).
    func mark() throws -> Mark {
        try refreshAll()
        endMark()
        marked = true
        return Mark(accepted: accepted.count, changed: changed.count)
    }

    /// Keeps what changed since `mark`: nothing more is kept to go back to.
    func keep(_ mark: Mark) { endMark() }

    /// No mark set, nothing kept to go back to.
    private func endMark() {
        marked = false
        undo.removeAll(keepingCapacity: true)
        undoIDs.removeAll()
    }

    /// Forgets every event accepted since `mark`, and every record changed since goes back to its state then (a
    /// record taken in since, unchanged from the store's, is forgotten: the next question asks the store again).
    func rollBack(to mark: Mark) {
        // Off before the records are put back, so that putting them back keeps nothing.
        marked = false
        for event in accepted[mark.accepted...] { acceptedByID[event.id] = nil }
        accepted.removeSubrange(mark.accepted...)
        for id in changed[mark.changed...] { isChanged.remove(id) }
        changed.removeSubrange(mark.changed...)
        for kept in undo.reversed() {
            // Folded when kept (`mark` folds every stale record first, and a record is kept before its first change).
            stale.remove(kept.id)
            if let record = kept.record { hold(record, id: kept.id) } else { forget(kept.id) }
        }
        endMark()
    }

    /// Keeps what the record `id` is now, if a mark is set and it has not changed since.
    private func willChange(_ id: UUID) {
        guard marked else { return }
        if undo.count < Self.undoScanned {
            guard !undo.contains(where: { $0.id == id }) else { return }
        } else {
            if undoIDs.isEmpty { undoIDs = Set(undo.map(\.id)) }
            guard undoIDs.insert(id).inserted else { return }
        }
        undo.append(Kept(id: id, record: records[id]))
    }

    /// Hands over what was accepted — the events in order, and the changed records in the order first changed — and
    /// forgets everything held: the next question goes to the store, which then holds what was handed over.
    func take() throws -> (events: [Event], records: [Changed]) {
        try refreshAll()
        try refoldCasesOfPersonsBornAgain()
        // Moved out, not copied: everything held is forgotten below. Built with the labels of the result's type: a
        // `compactMap` to unlabelled pairs was cast element by element, each record copied (0.5 % of an import).
        var changedRecords: [Changed] = []
        changedRecords.reserveCapacity(changed.count)
        for id in changed {
            if let record = records.removeValue(forKey: id) { changedRecords.append(Changed(id: id, record: record)) }
        }
        let taken = (events: accepted, records: changedRecords)
        records.removeAll(keepingCapacity: true)
        endMark()
        accepted.removeAll(keepingCapacity: true)
        changed.removeAll(keepingCapacity: true)
        acceptedByID.removeAll(keepingCapacity: true)
        isChanged.removeAll(keepingCapacity: true)
        casesByPerson.removeAll(keepingCapacity: true)
        casesByReference.removeAll(keepingCapacity: true)
        stale.removeAll(keepingCapacity: true)
        birthWhenTaken.removeAll(keepingCapacity: true)
        storedPersons.removeAll(keepingCapacity: true)
        return taken
    }

    /// Folds again, and hands over as changed, the cases of every held person whose birth date differs from the one
    /// they had when the batch took them in — a case held with its events, or one only stored (loaded now).
    private func refoldCasesOfPersonsBornAgain() throws {
        var again: [UUID] = []
        for (person, before) in birthWhenTaken {
            guard let record = records[person], case .person(let now)? = record.folded.state,
                now.details.birthDate != before
            else { continue }
            again += casesByPerson[person] ?? []
            again += try stored.cases(concerning: person).filter { records[$0] == nil }
        }
        for id in again {
            if records[id] == nil { _ = try record(id, kind: .wanted) }
            guard records[id] != nil else { continue }
            stale.insert(id)
            if isChanged.insert(id).inserted { changed.append(id) }
        }
        try refreshAll()
    }

    /// The held cases of `kind` named `reference` (the store is not asked).
    func held(_ kind: RecordKind, named reference: CaseReference) throws -> [UUID] {
        try refreshAll()
        return Array(casesByReference[NamedCase(kind: kind, reference: reference)] ?? [])
    }

    private func hold(_ record: Record, id: UUID) {
        willChange(id)
        let before = records.updateValue(record, forKey: id)?.keys ?? IndexKeys(nil)
        reindex(id, from: before, to: record.keys)
        if record.isStored, case .person(let person)? = record.folded.state, birthWhenTaken.index(forKey: id) == nil {
            birthWhenTaken[id] = .some(person.details.birthDate)
        }
    }

    /// What a held record is listed under: the person it concerns and its name.
    struct IndexKeys: Equatable {
        var person: UUID?
        var named: NamedCase?

        init(_ state: FoldedRecord.State?) {
            person = state?.personID
            named = state?.caseReference.map { NamedCase(kind: $0.kind, reference: $0.reference) }
        }
    }

    /// Changes the held record in place (no copy of its events) and returns what it was listed under before and after.
    private static func change(_ record: inout Record, _ body: (inout Record) -> Void) -> (IndexKeys, IndexKeys) {
        let before = record.keys
        body(&record)
        return (before, record.keys)
    }

    /// Lists the held record `id` under `after` instead of `before` (nothing to do when they are the same, as for most
    /// events: a case keeps its person and its name).
    private func reindex(_ id: UUID, from before: IndexKeys, to after: IndexKeys) {
        guard before != after else { return }
        if before.person != after.person {
            if let person = before.person { casesByPerson[person]?.remove(id) }
            if let person = after.person { casesByPerson[person, default: []].insert(id) }
        }
        if before.named != after.named {
            if let named = before.named { casesByReference[named]?.remove(id) }
            if let named = after.named { casesByReference[named, default: []].insert(id) }
        }
    }

    private func forget(_ id: UUID) {
        willChange(id)
        guard let record = records.removeValue(forKey: id) else { return }
        reindex(id, from: record.keys, to: IndexKeys(nil))
    }

    // MARK: RecordLookup: what the batch holds, then the store (leaving out held records the store still has).

    func event(withID id: UUID) throws -> Event? {
        if let index = acceptedByID[id] { return accepted[index] }
        return try stored.event(withID: id)
    }

    func events(ofRecord id: UUID) throws -> [Event] {
        if let held = records[id] { return held.events }
        return try stored.events(ofRecord: id)
    }

    func person(_ id: UUID) throws -> PersonSummary? {
        try refresh(id)
        if let held = records[id] {
            guard case .person(let person) = held.folded.state else { return nil }
            return PersonSummary(birthDate: person.details.birthDate)
        }
        if let known = storedPersons[id] { return known }
        let found = try stored.person(id)
        storedPersons[id] = .some(found)
        return found
    }

    func openWantedCases(of person: UUID) throws -> [(id: UUID, reference: CaseReference)] {
        try refreshAll()
        var found: [(id: UUID, reference: CaseReference)] = []
        for id in casesByPerson[person] ?? [] {
            if case .wanted(let wanted)? = records[id]?.folded.state, wanted.closing == nil {
                found.append((id, wanted.reference))
            }
        }
        return found + (try stored.openWantedCases(of: person).filter { records[$0.id] == nil })
    }

    func cases(_ kind: RecordKind, named reference: CaseReference) throws -> [UUID] {
        try held(kind, named: reference) + (try stored.cases(kind, named: reference).filter { records[$0] == nil })
    }

    func cases(concerning person: UUID) throws -> [UUID] {
        try refreshAll()
        return Array(casesByPerson[person] ?? []) + (try stored.cases(concerning: person).filter { records[$0] == nil })
    }
}
