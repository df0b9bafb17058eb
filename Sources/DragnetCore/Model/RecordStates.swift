import Foundation

/// A person as their events leave them.
public struct Person: Sendable, Equatable {
    public var id: UUID
    public var details: PersonDetails
    /// The unit that registered the person.
    public var registeredBy: UnitCode

    /// The diacritic-insensitive key the person is found by.
    public var searchKey: String { PersonName.searchKey(details.fullName) }
}

/// A wanted case as its events leave it.
public struct WantedCase: Sendable, Equatable {
    /// A decision attached to the case, with its date and, when withdrawn, the withdrawal date.
    public struct AttachedDecision: Sendable, Equatable {
        public var decision: Decision
        public var date: LocalDate
        public var withdrawnOn: LocalDate?
        public var eventID: UUID
    }

    /// How the case closed.
    public struct Closing: Sendable, Equatable {
        public var kind: ClosingKind
        public var date: LocalDate
        /// The unit that made the capture or reported the closing.
        public var actingUnit: UnitCode
        /// The event that closed it (for a case closed by withdrawing all decisions, the last withdrawal).
        public var eventID: UUID
        /// The unit that recorded that event.
        public var recordedBy: UnitCode
    }

    public var id: UUID
    public var personID: UUID
    public var caseRef: String
    public var ownerUnit: UnitCode
    /// The date of the earliest decision.
    public var openedOn: LocalDate
    public var danger: DangerClass
    public var abroad: Bool
    public var decisions: [AttachedDecision]
    public var closing: Closing?
    /// The release case this one arose from, when the officer named it (`WantedOpening.releaseCase`).
    public var releaseCase: UUID?

    /// `UNIT/CASE_REF`, how officers name a case.
    public var label: String { reference.description }
}

/// A release case as its events leave it.
public struct ReleaseCase: Sendable, Equatable {
    /// A change of responsible unit.
    public struct Transfer: Sendable, Equatable {
        public var date: LocalDate
        public var toUnit: UnitCode
        public var eventID: UUID
    }

    /// How the case ended.
    public struct Ending: Sendable, Equatable {
        public var kind: EndingKind
        public var date: LocalDate
        public var offense: String?
        public var reference: String?
        public var eventID: UUID
        public var recordedBy: UnitCode
    }

    /// One supervision event (SPEC §10), as the case's history keeps it.
    public struct Supervision: Sendable, Equatable {
        public var date: LocalDate
        public var mark: SupervisionMark.Kind
        /// `officer_assigned`'s officer, a contact's kind and note, a `whereabouts_unknown`'s note.
        public var officer: String?
        public var contactKind: ContactKind?
        public var note: String?
        public var eventID: UUID
        public var recordedBy: UnitCode

        init(
            date: LocalDate, mark: SupervisionMark.Kind, officer: String? = nil, contactKind: ContactKind? = nil,
            note: String? = nil, event: Event
        ) {
            self.date = date
            self.mark = mark
            self.officer = officer
            self.contactKind = contactKind
            self.note = note
            self.eventID = event.id
            self.recordedBy = event.unit
        }
    }

    public var id: UUID
    public var registration: ReleaseRegistration
    public var releasedOn: LocalDate
    public var transfers: [Transfer]
    public var ending: Ending?
    /// The supervision events in effective order.
    public var supervision: [Supervision] = []

    /// The officer assigned last (on or before the latest event), if any.
    public var officer: String? { supervision.last(where: { $0.mark == .officerAssigned })?.officer }

    /// Since when the person's whereabouts are unknown, if they are now.
    public var missingSince: LocalDate? {
        var since: LocalDate?
        for s in supervision {
            switch s.mark {
            case .whereaboutsUnknown: since = since ?? s.date
            case .located: since = nil
            default: break
            }
        }
        return since
    }

    /// `UNIT/CASE_REF`, how officers name a case.
    public var label: String { reference.description }

    /// The unit responsible for the person now (after every transfer).
    public var responsibleUnit: UnitCode { transfers.last?.toUnit ?? registration.unit }

    /// The facts the figures need.
    public var facts: ReleaseFacts {
        ReleaseFacts(
            caseID: id, releaseType: registration.releaseType, releasedOn: releasedOn,
            responsibleUnit: registration.unit,
            transfers: transfers.map { ReleaseFacts.Responsibility(from: $0.date, unit: $0.toUnit) },
            ending: ending.map { ReleaseFacts.Ending(kind: $0.kind, date: $0.date) },
            personID: registration.personID, probationUntil: registration.probationUntil,
            marks: supervision.compactMap { s in s.mark.counts ? SupervisionMark(date: s.date, kind: s.mark) : nil })
    }
}

extension WantedCase {
    /// The facts the figures need.
    public var facts: WantedFacts {
        WantedFacts(
            caseID: id, ownerUnit: ownerUnit, openedOn: openedOn,
            closing: closing.map { WantedFacts.Closing(kind: $0.kind, date: $0.date) }, personID: personID)
    }
}
