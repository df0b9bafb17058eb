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

    public var id: UUID
    public var registration: ReleaseRegistration
    public var releasedOn: LocalDate
    public var transfers: [Transfer]
    public var ending: Ending?

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
            ending: ending.map { ReleaseFacts.Ending(kind: $0.kind, date: $0.date) })
    }
}

extension WantedCase {
    /// The facts the figures need.
    public var facts: WantedFacts {
        WantedFacts(
            caseID: id, ownerUnit: ownerUnit, openedOn: openedOn,
            closing: closing.map { WantedFacts.Closing(kind: $0.kind, date: $0.date) })
    }
}
