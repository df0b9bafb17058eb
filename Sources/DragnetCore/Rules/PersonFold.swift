import Foundation

/// Folds a person's events into their current details.
public enum PersonFold {
    /// The person and every anomaly found.
    public static func fold(_ events: [Event]) -> Folded<Person> {
        let fallbackLabel = events.first.map { "person \($0.recordID.lowercased)" } ?? "person"
        var (live, retracted, anomalies) = FoldSupport.prepare(events, label: fallbackLabel)
        guard let index = live.firstIndex(where: { $0.kind == .personRegistered }),
            case .personRegistered(let details) = live[index].payload
        else {
            for event in live {
                anomalies.append(
                    Anomaly(
                        .invalid, event: event.id, record: fallbackLabel, field: "person", value: "",
                        message: "the person was never registered, or the registration was retracted"))
            }
            return Folded(state: nil, anomalies: anomalies, retracted: retracted)
        }
        let first = live.remove(at: index)
        // What was wrong with the retractions was found before the registration named the person.
        for index in anomalies.indices { anomalies[index].record = details.fullName }
        var person = Person(id: first.recordID, details: details, registeredBy: first.unit)
        for event in live {
            switch event.payload {
            case .personAmended(let amended): person.details = amended
            case .personRegistered:
                anomalies.append(
                    Anomaly(
                        .invalid, event: event.id, record: details.fullName, field: "person",
                        value: event.recordID.lowercased, message: "the person is already registered"))
            default: anomalies.append(FoldSupport.misplaced(event, label: details.fullName))
            }
        }
        return Folded(state: person, anomalies: anomalies, retracted: retracted)
    }
}
