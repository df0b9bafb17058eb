import Foundation

/// Folds a release case's events into its state, applying the rules of SPEC §4 that involve more than one event.
public enum ReleaseCaseFold {
    /// The state of the case and every anomaly found. `birth` is the person's birth date, when known.
    public static func fold(_ events: [Event], birth: BirthDate?) -> Folded<ReleaseCase> {
        let fallbackLabel = events.first.map { "release case \($0.recordID.lowercased)" } ?? "release case"
        var (live, retracted, anomalies) = FoldSupport.prepare(events, label: fallbackLabel)
        guard let openingIndex = live.firstIndex(where: { $0.kind == .releaseRegistered }),
            case .releaseRegistered(let registration) = live[openingIndex].payload
        else {
            for event in live {
                anomalies.append(
                    Anomaly(
                        .invalid, event: event.id, record: fallbackLabel, field: "case", value: "",
                        message: "the release was never registered, or its registration was retracted"))
            }
            return Folded(state: nil, anomalies: anomalies, retracted: retracted)
        }
        let first = live.remove(at: openingIndex)
        let label = registration.reference.description
        // What was wrong with the retractions was found before the registration named the case.
        for index in anomalies.indices { anomalies[index].record = label }
        var state = ReleaseCase(
            id: first.recordID, registration: registration, releasedOn: first.effectiveDate, transfers: [], ending: nil)
        if let a = FoldSupport.birthCheck(first, birth: birth, label: label, field: "released_on") {
            anomalies.append(a)
        }
        for event in live {
            if let anomaly = apply(event, to: &state, birth: birth, label: label) { anomalies.append(anomaly) }
        }
        return Folded(state: state, anomalies: anomalies, retracted: retracted)
    }

    private static func apply(_ event: Event, to state: inout ReleaseCase, birth: BirthDate?, label: String) -> Anomaly?
    {
        let date = event.effectiveDate
        let field = event.kind.dateField
        if let a = FoldSupport.birthCheck(event, birth: birth, label: label, field: field) { return a }
        if date < state.releasedOn {
            return Anomaly(
                .invalid, event: event.id, record: label, field: field, value: date.description,
                message: "is before the release on \(state.releasedOn)")
        }
        if let ending = state.ending, date > ending.date, event.kind != .releaseEnded {
            return Anomaly(
                .invalid, event: event.id, other: ending.eventID, record: label, field: field,
                value: date.description,
                message: "is after the case ended on \(ending.date) (\(ending.kind.rawValue)): nothing can be "
                    + "recorded on it after its ending")
        }
        switch event.payload {
        case .releaseRegistered:
            return Anomaly(
                .invalid, event: event.id, record: label, field: "case_ref",
                value: state.registration.caseRef, message: "the release is already registered")
        case .transferred(let toUnit):
            if toUnit == state.responsibleUnit {
                return Anomaly(
                    .invalid, event: event.id, record: label, field: "to_unit", value: toUnit.rawValue,
                    message: "is already the responsible unit")
            }
            state.transfers.append(.init(date: date, toUnit: toUnit, eventID: event.id))
        case .releaseEnded(let kind, let offense, let reference):
            if kind == .revoked {
                guard state.registration.releaseType == .earlyRelease, let until = state.registration.probationUntil
                else {
                    return Anomaly(
                        .invalid, event: event.id, record: label, field: "ending", value: kind.rawValue,
                        message: "only an early release can be revoked; this case's release type is "
                            + state.registration.releaseType.rawValue)
                }
                if date > until {
                    return Anomaly(
                        .invalid, event: event.id, record: label, field: "ending_date",
                        value: date.description, message: "is after the probation ended on \(until)")
                }
            }
            if let ending = state.ending {
                return FoldSupport.secondEnd(
                    event, first: (ending.eventID, ending.recordedBy, ending.kind.rawValue, ending.date),
                    kind: kind.rawValue, label: label, field: "ending",
                    firstDescription: "ended on \(ending.date): \(ending.kind.rawValue)")
            }
            state.ending = .init(
                kind: kind, date: date, offense: offense, reference: reference, eventID: event.id,
                recordedBy: event.unit)
        case .reportedIn:
            state.supervision.append(.init(date: date, mark: .reportedIn, event: event))
        case .officerAssigned(let officer):
            state.supervision.append(.init(date: date, mark: .officerAssigned, officer: officer, event: event))
        case .contact(let kind, let note):
            state.supervision.append(.init(date: date, mark: .contact, contactKind: kind, note: note, event: event))
        case .whereaboutsUnknown(let note):
            if let since = state.missingSince {
                return Anomaly(
                    .invalid, event: event.id, record: label, field: "date", value: date.description,
                    message: "the person's whereabouts are already unknown since \(since); record `located` first")
            }
            state.supervision.append(.init(date: date, mark: .whereaboutsUnknown, note: note, event: event))
        case .located:
            guard state.missingSince != nil else {
                return Anomaly(
                    .invalid, event: event.id, record: label, field: "kind", value: event.kind.rawValue,
                    message: "no whereabouts_unknown comes before it: the person was not missing")
            }
            state.supervision.append(.init(date: date, mark: .located, event: event))
        default:
            return FoldSupport.misplaced(event, label: label)
        }
        return nil
    }
}
