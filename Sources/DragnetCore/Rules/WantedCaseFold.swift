import Foundation

/// Folds a wanted case's events into its state, applying the rules of SPEC §4 that involve more than one event.
public enum WantedCaseFold {
    /// The state of the case and every anomaly found. `birth` is the person's birth date, when known.
    public static func fold(_ events: [Event], birth: BirthDate?) -> Folded<WantedCase> {
        let fallbackLabel = events.first.map { "wanted case \($0.recordID.lowercased)" } ?? "wanted case"
        var (live, retracted, anomalies) = FoldSupport.prepare(events, label: fallbackLabel)
        guard let openingIndex = live.firstIndex(where: { $0.kind == .wantedOpened }),
            case .wantedOpened(let opening) = live[openingIndex].payload
        else {
            for event in live {
                anomalies.append(
                    Anomaly(
                        .invalid, event: event.id, record: fallbackLabel, field: "case", value: "",
                        message: "the case was never opened, or its opening was retracted"))
            }
            return Folded(state: nil, anomalies: anomalies, retracted: retracted)
        }
        let first = live.remove(at: openingIndex)
        let label = opening.reference.description
        // What was wrong with the retractions was found before the opening named the case.
        for index in anomalies.indices { anomalies[index].record = label }
        let decisionDates = live.compactMap { $0.kind == .decisionAdded ? $0.effectiveDate : nil }
        var state = WantedCase(
            id: first.recordID, personID: opening.personID, caseRef: opening.caseRef, ownerUnit: opening.ownerUnit,
            openedOn: min(first.effectiveDate, decisionDates.min() ?? first.effectiveDate),
            danger: opening.danger, abroad: opening.abroad,
            decisions: [
                .init(decision: opening.decision, date: first.effectiveDate, withdrawnOn: nil, eventID: first.id)
            ],
            closing: nil, releaseCase: opening.releaseCase)
        if let a = FoldSupport.birthCheck(first, birth: birth, label: label, field: "decision_date") {
            anomalies.append(a)
        }
        for event in live {
            if let anomaly = apply(event, to: &state, birth: birth, label: label) { anomalies.append(anomaly) }
        }
        return Folded(state: state, anomalies: anomalies, retracted: retracted)
    }

    private static func apply(_ event: Event, to state: inout WantedCase, birth: BirthDate?, label: String) -> Anomaly?
    {
        let date = event.effectiveDate
        let field = event.kind.dateField
        if let a = FoldSupport.birthCheck(event, birth: birth, label: label, field: field) { return a }
        if let closing = state.closing, date > closing.date, event.kind != .wantedClosed {
            return Anomaly(
                .invalid, event: event.id, other: closing.eventID, record: label, field: field,
                value: date.description,
                message: "is after the case was closed on \(closing.date) (\(closing.kind.rawValue) by "
                    + "\(closing.actingUnit)): nothing can be recorded on it after its closing")
        }
        switch event.payload {
        case .wantedOpened:
            return Anomaly(
                .invalid, event: event.id, record: label, field: "case_ref", value: state.caseRef,
                message: "the case is already open; attach a further decision instead")
        case .decisionAdded(let decision):
            if state.decisions.contains(where: { $0.decision.number == decision.number }) {
                return Anomaly(
                    .invalid, event: event.id, record: label, field: "decision_no", value: decision.number,
                    message: "this decision is already attached to the case")
            }
            state.decisions.append(.init(decision: decision, date: date, withdrawnOn: nil, eventID: event.id))
        case .decisionWithdrawn(let number, _):
            guard
                let index = state.decisions.firstIndex(where: { $0.decision.number == number && $0.withdrawnOn == nil })
            else {
                return Anomaly(
                    .invalid, event: event.id, record: label, field: "decision_no", value: number,
                    message: "no decision with this number is attached and in force")
            }
            if date < state.decisions[index].date {
                return Anomaly(
                    .invalid, event: event.id, record: label, field: "date", value: date.description,
                    message: "is before the decision's own date \(state.decisions[index].date)")
            }
            state.decisions[index].withdrawnOn = date
            if state.closing == nil, state.decisions.allSatisfy({ $0.withdrawnOn != nil }) {
                state.closing = .init(
                    kind: .struckOff, date: date, actingUnit: event.unit, eventID: event.id,
                    recordedBy: event.unit)
            }
        case .wantedAmended(let danger, let abroad):
            state.danger = danger
            state.abroad = abroad
        case .wantedClosed(let kind, let actingUnit):
            if date < state.openedOn {
                return Anomaly(
                    .invalid, event: event.id, record: label, field: "closing_date", value: date.description,
                    message: "is before the case's opening on \(state.openedOn)")
            }
            if let closing = state.closing {
                return FoldSupport.secondEnd(
                    event, first: (closing.eventID, closing.recordedBy, closing.kind.rawValue, closing.date),
                    kind: kind.rawValue, label: label, field: "closing",
                    firstDescription: "closed on \(closing.date): \(closing.kind.rawValue) by \(closing.actingUnit)")
            }
            state.closing = .init(
                kind: kind, date: date, actingUnit: actingUnit, eventID: event.id,
                recordedBy: event.unit)
        default:
            return FoldSupport.misplaced(event, label: label)
        }
        return nil
    }
}
