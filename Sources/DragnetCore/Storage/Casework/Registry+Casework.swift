import Foundation

/// An officer's work on cases: each operation records its events in one transaction and returns the new state.
/// The rules are the registry's (`Registry.record`); nothing here checks a rule of its own.
extension Registry {
    /// Registers a person and returns their id.
    public func registerPerson(_ details: PersonDetails, factory: inout EventFactory) throws -> UUID {
        let id = factory.newRecordID()
        try record([factory.make(.personRegistered(details), record: id, kind: .person, on: factory.now.date)])
        return id
    }

    /// Replaces a person's details (a correction, an alias added).
    public func amendPerson(_ id: UUID, details: PersonDetails, factory: inout EventFactory) throws {
        _ = try records.person(id)
        try record([factory.make(.personAmended(details), record: id, kind: .person, on: factory.now.date)])
    }

    /// Opens a wanted case with its first decision, registering the person first when new. `releaseCase` names the
    /// release case (its id or `UNIT/CASE_REF`) the person was under supervision in, when the case arises from it.
    public func openWanted(
        person choice: PersonChoice, caseRef: String, ownerUnit: UnitCode, danger: DangerClass, abroad: Bool,
        decision: Decision, decisionDate: LocalDate, releaseCase: String? = nil, factory: inout EventFactory
    ) throws -> WantedCase {
        var events: [Event] = []
        let linked: UUID?
        do {
            linked = try releaseCase.map { try records.releaseCaseID($0) }
        } catch let error as DragnetError where error.code == .notFound {
            let label = CaseReference(unit: ownerUnit, ref: caseRef)
            throw DragnetError(
                .notFound, "\(label), release_case \"\(releaseCase ?? "")\": no such release case is registered")
        }
        let personID = personEvents(choice, into: &events, factory: &factory)
        let caseID = factory.newRecordID()
        let opening = WantedOpening(
            personID: personID, caseRef: caseRef, ownerUnit: ownerUnit, danger: danger, abroad: abroad,
            decision: decision, releaseCase: linked)
        events.append(factory.make(.wantedOpened(opening), record: caseID, kind: .wanted, on: decisionDate))
        try record(events)
        return try records.wantedCase(caseID.lowercased)
    }

    /// Attaches a further decision to an open wanted case.
    public func attachDecision(_ ref: String, decision: Decision, date: LocalDate, factory: inout EventFactory) throws
        -> WantedCase
    {
        try onWanted(ref, .decisionAdded(decision), date: date, factory: &factory)
    }

    /// Withdraws one decision; withdrawing the last one in force closes the case as `struck_off`.
    public func withdrawDecision(
        _ ref: String, number: String, date: LocalDate, reason: String, factory: inout EventFactory
    ) throws -> WantedCase {
        try onWanted(ref, .decisionWithdrawn(number: number, reason: reason), date: date, factory: &factory)
    }

    /// Closes a wanted case. `actingUnit` is the unit that made the capture; by default the recording unit.
    public func closeWanted(
        _ ref: String, as kind: ClosingKind, on date: LocalDate, actingUnit: UnitCode?, factory: inout EventFactory
    ) throws -> WantedCase {
        try onWanted(
            ref, .wantedClosed(kind: kind, actingUnit: actingUnit ?? factory.unit), date: date, factory: &factory)
    }

    /// Changes the danger class or the abroad flag of an open case, from `date`.
    public func amendWanted(
        _ ref: String, danger: DangerClass?, abroad: Bool?, date: LocalDate, factory: inout EventFactory
    ) throws -> WantedCase {
        let current = try records.wantedCase(ref)
        return try onWanted(
            ref, .wantedAmended(danger: danger ?? current.danger, abroad: abroad ?? current.abroad), date: date,
            factory: &factory)
    }

    private func onWanted(_ ref: String, _ payload: EventPayload, date: LocalDate, factory: inout EventFactory) throws
        -> WantedCase
    {
        let current = try records.wantedCase(ref)
        try record([factory.make(payload, record: current.id, kind: .wanted, on: date)])
        return try records.wantedCase(current.id.lowercased)
    }

    /// Registers a release, registering the person first when new.
    public func registerRelease(
        person choice: PersonChoice, caseRef: String, unit: UnitCode, type: ReleaseType, releasedOn: LocalDate,
        facility: String, offense: String, probationUntil: LocalDate?, factory: inout EventFactory
    ) throws -> ReleaseCase {
        var events: [Event] = []
        let personID = personEvents(choice, into: &events, factory: &factory)
        let caseID = factory.newRecordID()
        let registration = ReleaseRegistration(
            personID: personID, caseRef: caseRef, unit: unit, releaseType: type, facility: facility, offense: offense,
            probationUntil: probationUntil)
        events.append(factory.make(.releaseRegistered(registration), record: caseID, kind: .release, on: releasedOn))
        try record(events)
        return try records.releaseCase(caseID.lowercased)
    }

    /// Hands a release case to another responsible unit from `date`; the case stays open.
    public func transferRelease(_ ref: String, to unit: UnitCode, on date: LocalDate, factory: inout EventFactory)
        throws -> ReleaseCase
    {
        try onRelease(ref, .transferred(toUnit: unit), date: date, factory: &factory)
    }

    /// Ends a release case: a reoffence (with the new offence and a reference), a revocation, a death, an expungement.
    public func endRelease(
        _ ref: String, as kind: EndingKind, on date: LocalDate, offense: String?, reference: String?,
        factory: inout EventFactory
    ) throws -> ReleaseCase {
        try onRelease(
            ref, .releaseEnded(kind: kind, offense: offense, reference: reference), date: date,
            factory: &factory)
    }

    /// The person presented themselves to the responsible unit on `date`.
    public func reportIn(_ ref: String, on date: LocalDate, factory: inout EventFactory) throws -> ReleaseCase {
        try onRelease(ref, .reportedIn, date: date, factory: &factory)
    }

    /// `officer` follows the person from `date`.
    public func assignOfficer(_ ref: String, officer: String, on date: LocalDate, factory: inout EventFactory) throws
        -> ReleaseCase
    {
        try onRelease(ref, .officerAssigned(officer: officer), date: date, factory: &factory)
    }

    /// A check on the person on `date`.
    public func recordContact(
        _ ref: String, kind: ContactKind, note: String?, on date: LocalDate, factory: inout EventFactory
    ) throws -> ReleaseCase {
        try onRelease(ref, .contact(kind: kind, note: note), date: date, factory: &factory)
    }

    /// The person cannot be found from `date`.
    public func recordMissing(_ ref: String, note: String?, on date: LocalDate, factory: inout EventFactory) throws
        -> ReleaseCase
    {
        try onRelease(ref, .whereaboutsUnknown(note: note), date: date, factory: &factory)
    }

    /// The person, missing, is found again on `date`.
    public func recordLocated(_ ref: String, on date: LocalDate, factory: inout EventFactory) throws -> ReleaseCase {
        try onRelease(ref, .located, date: date, factory: &factory)
    }

    private func onRelease(_ ref: String, _ payload: EventPayload, date: LocalDate, factory: inout EventFactory)
        throws -> ReleaseCase
    {
        let current = try records.releaseCase(ref)
        try record([factory.make(payload, record: current.id, kind: .release, on: date)])
        return try records.releaseCase(current.id.lowercased)
    }

    /// Undoes an event with a retraction that gives the reason. The state is then computed without it.
    public func retract(_ eventID: UUID, reason: String, factory: inout EventFactory) throws -> Event {
        let target = try records.event(eventID)
        let retraction = factory.make(
            .retracted(eventID: eventID, reason: reason), record: target.recordID, kind: target.recordKind,
            on: factory.now.date)
        try record([retraction])
        return retraction
    }

    private func personEvents(_ choice: PersonChoice, into events: inout [Event], factory: inout EventFactory) -> UUID {
        switch choice {
        case .existing(let id):
            return id
        case .new(let details):
            let id = factory.newRecordID()
            events.append(factory.make(.personRegistered(details), record: id, kind: .person, on: factory.now.date))
            return id
        }
    }
}
