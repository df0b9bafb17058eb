import Foundation

/// The steps every fold shares: undo retracted events, order the rest, and check dates against the birth date.
enum FoldSupport {
    /// The live events of one record in fold order, the ids a valid retraction undid, and what was wrong with the
    /// retractions themselves.
    static func prepare(_ events: [Event], label: String) -> (live: [Event], retracted: Set<UUID>, anomalies: [Anomaly])
    {
        // Events usually come in fold order already (a record's events as recorded, a new one after them): then they
        // are not copied into a sorted array.
        let inOrder = zip(events, events.dropFirst()).allSatisfy { !$1.precedes($0) }
        let ordered = inOrder ? events : events.sorted { $0.precedes($1) }
        // Most records have no retraction: nothing to undo, no index of their events to build (every judged event
        // folds its record again).
        guard ordered.contains(where: { $0.kind == .retracted }) else { return (ordered, [], []) }
        let byID = Dictionary(ordered.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var retracted = Set<UUID>()
        var retractedBy: [UUID: Event] = [:]
        var anomalies: [Anomaly] = []
        for event in ordered {
            guard case .retracted(let target, _) = event.payload else { continue }
            let field = "event_id", value = target.lowercased
            guard let targetEvent = byID[target] else {
                anomalies.append(
                    Anomaly(
                        .invalid, event: event.id, record: label, field: field, value: value,
                        message: "there is no such event on this record"))
                continue
            }
            if targetEvent.kind == .retracted {
                anomalies.append(
                    Anomaly(
                        .invalid, event: event.id, record: label, field: field, value: value,
                        message: "a retraction cannot be retracted; record the event again instead"))
            } else if let earlier = retractedBy[target] {
                let severity: Anomaly.Severity = earlier.unit == event.unit ? .invalid : .repeated
                anomalies.append(
                    Anomaly(
                        severity, event: event.id, other: earlier.id, record: label, field: field, value: value,
                        message: "the event was already retracted on \(earlier.recordedAt) by \(earlier.unit)"))
            } else {
                retracted.insert(target)
                retractedBy[target] = event
            }
        }
        let live = ordered.filter { $0.kind != .retracted && !retracted.contains($0.id) }
        return (live, retracted, anomalies)
    }

    /// An anomaly when `event` is dated before the person was born.
    static func birthCheck(_ event: Event, birth: BirthDate?, label: String, field: String) -> Anomaly? {
        guard let birth, event.effectiveDate < birth.earliestDay else { return nil }
        if case .year(let year) = birth, event.effectiveDate.year >= year { return nil }
        return Anomaly(
            .invalid, event: event.id, record: label, field: field, value: event.effectiveDate.description,
            message: "is before the person's birth date \(birth)")
    }

    /// An anomaly for an event whose payload belongs to another kind of record.
    static func misplaced(_ event: Event, label: String) -> Anomaly {
        Anomaly(
            .invalid, event: event.id, record: label, field: "kind", value: event.kind.rawValue,
            message: "this kind of event does not apply to this record")
    }

    /// How a second closing or ending relates to the first: the same unit recording twice is an error; another unit
    /// recording the same thing is a repeat; another unit recording something else is a conflict.
    static func secondEnd(
        _ event: Event, first: (eventID: UUID, recordedBy: UnitCode, kind: String, date: LocalDate), kind: String,
        label: String, field: String, firstDescription: String
    ) -> Anomaly {
        let severity: Anomaly.Severity
        if event.unit == first.recordedBy {
            severity = .invalid
        } else if kind == first.kind && event.effectiveDate == first.date {
            severity = .repeated
        } else {
            severity = .conflict
        }
        return Anomaly(
            severity, event: event.id, other: first.eventID, record: label, field: field,
            value: "\(kind) \(event.effectiveDate)", message: "\(label) was already \(firstDescription)")
    }
}
