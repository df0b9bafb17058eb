import Foundation

/// The rules that involve more than the event's own record: each one a function of the event, its record before and
/// after it, and what `records` (a `RecordLookup`) answers about the others. `Checker` calls them; the rules an event
/// breaks by itself are `EventRules`, the rules between the events of one record the folds (`WantedCaseFold`,
/// `ReleaseCaseFold`, `PersonFold`).
enum RecordRules {
    /// A unit registers cases only for itself and the units below it.
    static func coverage(_ event: Event, label: String) -> Anomaly? {
        guard let created = event.payload.createdCase, !event.unit.covers(created.reference.unit) else { return nil }
        return Anomaly(
            .invalid, event: event.id, record: label, field: "unit", value: created.reference.unit.rawValue,
            message: "\(event.unit) can register cases only for itself and the units below it")
    }

    /// A case concerns a registered person.
    static func personExists(_ event: Event, label: String, in records: some RecordLookup) throws -> Anomaly? {
        guard let created = event.payload.createdCase, try records.person(created.person) == nil else { return nil }
        return Anomaly(
            .invalid, event: event.id, record: label, field: "person_id", value: created.person.lowercased,
            message: "no such person is registered")
    }

    /// A person has at most one open wanted case: a new one is refused while another is open.
    static func oneOpenWantedCase(_ event: Event, label: String, in records: some RecordLookup) throws -> Anomaly? {
        guard case .wantedOpened(let opening) = event.payload,
            let other = try records.openWantedCases(of: opening.personID).first(where: { $0.id != event.recordID })
        else { return nil }
        return Anomaly(
            .invalid, event: event.id, record: label, field: "person_id", value: opening.personID.lowercased,
            message:
                "the person already has an open wanted case \(other.reference); attach the new decision to it instead")
    }

    /// A case reference is used once per unit and kind of case.
    static func uniqueReference(_ event: Event, label: String, in records: some RecordLookup) throws -> Anomaly? {
        guard let created = event.payload.createdCase,
            try records.cases(created.kind, named: created.reference).contains(where: { $0 != event.recordID })
        else { return nil }
        let what = created.kind == .wanted ? "a wanted case" : "a release case"
        return Anomaly(
            .invalid, event: event.id, record: label, field: "case_ref", value: created.reference.ref,
            message: "\(created.reference.unit) already has \(what) with this reference")
    }

    /// A wanted case names as the release case it arose from only a registered release case of the same person.
    static func releaseLink(_ event: Event, label: String, in records: some RecordLookup) throws -> Anomaly? {
        guard case .wantedOpened(let opening) = event.payload, let linked = opening.releaseCase else { return nil }
        func refuse(_ message: String) -> Anomaly {
            Anomaly(
                .invalid, event: event.id, record: label, field: "release_case", value: linked.lowercased,
                message: message)
        }
        let events = try records.events(ofRecord: linked)
        guard let kind = events.first?.recordKind else { return refuse("no such release case is registered") }
        guard kind == .release else { return refuse("is a \(kind.rawValue), not a release case") }
        guard case .release(let release)? = FoldedRecord.fold(events, kind: .release, birth: nil).state else {
            return refuse("no such release case is registered (its registration was retracted)")
        }
        guard release.registration.personID == opening.personID else {
            return refuse(
                "\(release.label) concerns another person (\(release.registration.personID.lowercased)), not "
                    + opening.personID.lowercased)
        }
        return nil
    }

    /// A retraction that reopens a wanted case (of its closing, or of a withdrawal) must not leave the person with two
    /// open wanted cases.
    static func reopening(
        _ event: Event, before: FoldedRecord, after: FoldedRecord, in records: some RecordLookup
    ) throws -> Anomaly? {
        guard case .wanted(let was)? = before.state, was.closing != nil, case .wanted(let now)? = after.state,
            now.closing == nil,
            let other = try records.openWantedCases(of: now.personID).first(where: { $0.id != now.id })
        else { return nil }
        return Anomaly(
            .invalid, event: event.id, record: now.label, field: "closing", value: "",
            message:
                "reopening this case would leave the person with two open wanted cases (\(other.reference) is open)")
    }

    /// A person's registration is not retracted while cases concern them.
    static func registrationInUse(
        _ event: Event, before: FoldedRecord, after: FoldedRecord, in records: some RecordLookup
    ) throws -> Anomaly? {
        guard case .person? = before.state, after.state == nil else { return nil }
        let cases = try records.cases(concerning: event.recordID).count
        guard cases > 0 else { return nil }
        return Anomaly(
            .invalid, event: event.id, record: before.label ?? "person", field: "event_id", value: "",
            message: "\(cases) case(s) name this person; a registration cannot be retracted "
                + "while they do (correct the person with `dragnet person amend` instead)")
    }

    /// A person's birth date changes with an amendment, and also with the retraction of one (the date goes back to
    /// what the earlier events said): either way no event of their cases may fall before it.
    static func birthDate(
        _ event: Event, before: FoldedRecord, after: FoldedRecord, label: String, in records: some RecordLookup
    ) throws -> Anomaly? {
        guard case .person(let was)? = before.state, case .person(let now)? = after.state,
            was.details.birthDate != now.details.birthDate
        else { return nil }
        for id in try records.cases(concerning: event.recordID) {
            let events = try records.events(ofRecord: id)
            guard let kind = events.first?.recordKind else { continue }
            let known = Set(FoldedRecord.fold(events, kind: kind, birth: was.details.birthDate).anomalies.map(\.key))
            if let bad = FoldedRecord.fold(events, kind: kind, birth: now.details.birthDate).anomalies.first(where: {
                !known.contains($0.key)
            }) {
                return Anomaly(
                    .invalid, event: event.id, record: label, field: "birth_date",
                    value: now.details.birthDate?.description ?? "",
                    message: "\(bad.record) has an event on \(bad.value), before that birth date")
            }
        }
        return nil
    }

    /// An event names a record of another kind than the record is.
    static func recordKind(_ event: Event, record kind: RecordKind) -> Anomaly? {
        guard kind != event.recordKind else { return nil }
        return Anomaly(
            .invalid, event: event.id, record: "event \(event.id.lowercased)", field: "record_kind",
            value: event.recordKind.rawValue, message: "record \(event.recordID.lowercased) is a \(kind.rawValue)")
    }

    /// An event id is used for one event only.
    static func reusedID(_ event: Event, kept: Event) -> Anomaly? {
        guard kept != event else { return nil }
        return Anomaly(
            .invalid, event: event.id, record: "event \(event.id.lowercased)", field: "id", value: event.id.lowercased,
            message: "this id was already used for an event with other content")
    }

    /// The central server refuses an event recorded after its own time (plus a day of clock skew).
    static func clock(_ event: Event, now: Timestamp) -> Anomaly? {
        guard event.recordedAt.date > now.date.adding(days: 1) else { return nil }
        return Anomaly(
            .invalid, event: event.id, record: "event \(event.id.lowercased)", field: "recorded_at",
            value: event.recordedAt.description,
            message: "is later than the server's time \(now); check the station's clock")
    }
}
