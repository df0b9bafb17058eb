import Foundation

/// A folded record of any kind.
struct FoldedRecord {
    enum State: Equatable {
        case person(Person)
        case wanted(WantedCase)
        case release(ReleaseCase)
    }

    var state: State?
    var anomalies: [Anomaly]

    /// How officers name the record: `UNIT/CASE_REF`, or the person's name.
    var label: String? {
        switch state {
        case .person(let person): return person.details.label(id: person.id)
        case .wanted(let wanted): return wanted.label
        case .release(let release): return release.label
        case nil: return nil
        }
    }

    /// The person a case's events name (its opening's or registration's), nil for a person's events.
    static func person(named events: [Event]) -> UUID? {
        var personID: UUID?
        for event in events {
            if let created = event.payload.createdCase { personID = created.person }
        }
        return personID
    }

    /// Folds the events of one record of `kind`, with the person's birth date for the date rules.
    static func fold(_ events: [Event], kind: RecordKind, birth: BirthDate?) -> FoldedRecord {
        switch kind {
        case .person:
            let folded = PersonFold.fold(events)
            return FoldedRecord(state: folded.state.map(State.person), anomalies: folded.anomalies)
        case .wanted:
            let folded = WantedCaseFold.fold(events, birth: birth)
            return FoldedRecord(state: folded.state.map(State.wanted), anomalies: folded.anomalies)
        case .release:
            let folded = ReleaseCaseFold.fold(events, birth: birth)
            return FoldedRecord(state: folded.state.map(State.release), anomalies: folded.anomalies)
        }
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

extension FoldedRecord.State {
    /// The person a case concerns (nil for a person).
    var personID: UUID? {
        switch self {
        case .person: return nil
        case .wanted(let wanted): return wanted.personID
        case .release(let release): return release.registration.personID
        }
    }

    /// A case's kind and name (nil for a person).
    var caseReference: (kind: RecordKind, reference: CaseReference)? {
        switch self {
        case .person: return nil
        case .wanted(let wanted): return (.wanted, wanted.reference)
        case .release(let release): return (.release, release.reference)
        }
    }

    /// Whether this is a wanted case not closed.
    var isOpenWantedCase: Bool {
        if case .wanted(let wanted) = self { return wanted.closing == nil }
        return false
    }
}

extension Anomaly {
    /// What identifies an anomaly when the anomalies of a record before and after a new event are compared.
    var key: String { "\(eventID)|\(severity.rawValue)|\(field)" }
}
